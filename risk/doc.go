// Package risk is a portfolio market-risk engine: returns, P&L, Value at
// Risk and Expected Shortfall by historical, parametric, Cornish–Fisher and
// Monte Carlo methods, horizons, Euler allocation by instrument and sector,
// stress tests and backtests. It is exact, documents every convention, and
// is fast at 50,000 instruments: a [Window] holds the scenarios' returns,
// advances a day at a time in O(N), and reports over it with parallel
// multiply-adds that read the window from memory once, never forming an instruments × instruments
// covariance matrix.
//
// # Data
//
// Prices are a gonum [mat.Dense] of days × instruments, one row per day,
// oldest first. Positions are currency amounts per instrument (negative for
// short); weights are positions divided by the portfolio value. There is no
// silent equal weighting: [EqualPositions] asks for it. A missing price
// (NaN) is an error naming instrument and day ([*PriceError]), or, with
// [MissingDropDay], drops that day for every instrument; there is never a
// forward fill. Zero, negative and infinite prices are always errors.
//
// # A live window
//
// A risk desk reports on the same history every few seconds while one new
// day arrives at a time. [NewWindow] turns prices into returns once (one
// division per price) and keeps them, T × N float64s in one block (plus a
// spare row: (T + 1) × N × 8 bytes, 101 MB at 50,000 instruments × 252
// days); [Window.Push] adds a day's prices and drops the oldest day, N
// divisions. [Window.Report] reads the stored returns with multiply-adds
// only, and a [Tracker] of fixed positions updates its P&L and sums by the
// pushed and the dropped day, O(N), instead of reading them all:
//
//	w, err := risk.NewWindow(ctx, prices, risk.MissingError)
//	// every tick:
//	err = w.Push(today)
//	rep, err := w.Report(ctx, risk.ReportInput{Positions: pos, Sectors: sectors, SectorNames: names})
//	// or, with positions that change every tick, over the last report:
//	rep, err = w.ReportInto(ctx, rep, risk.ReportInput{Positions: pos, Sectors: sectors, SectorNames: names})
//	// or, with the same positions every tick:
//	tr, err := w.Track(risk.ReportInput{Positions: pos, Sectors: sectors, SectorNames: names})
//	rep, err := tr.Report(ctx) // after each Push
//
// A report allocates O(N) beside the window: a vector of N per split
// (two for delta-normal), and the P&L and sorted losses, O(T);
// [Window.ReportInto] writes the vectors over an earlier report's.
//
// [NewReport] is the same report from prices in one pass, with each day's
// returns divided from the prices as it goes instead of read from a
// window and the split's sums added from each day's row while it is in
// cache, so it stores no returns (O(N) memory beside the prices) and pays
// the T × N divisions on every call. [PortfolioPnL] is that pass without
// the split's sums; both sum each day's P&L as [Window.PnL] does.
//
// # Conventions
//
// Returns are simple, r = P(t)/P(t−1) − 1, so the P&L of a position x is
// x·r. VaR and ES are positive losses, L = −P&L.
//
//   - Historical VaR at confidence c is the c-quantile of the losses: by
//     default Hyndman–Fan type 7 (linear, numpy's and R's default),
//     h = (n−1)c; or type 1, the ⌈n(1−c)⌉-th worst P&L (Hull, Riskfolio).
//   - Historical ES is the Acerbi–Tasche estimator: the mean of the
//     m = n(1−c) largest losses with the boundary observation weighted by
//     m − ⌊m⌋. It is coherent and ES ≥ VaR. Counts such as n(1−c) are
//     snapped to integers within floating-point noise: 20 × (1 − 0.95) is one
//     observation, not 1.0000000000000009.
//   - Normal VaR = z·σ − μ and ES = σ·φ(z)/(1−c) − μ with z = Φ⁻¹(c), σ the
//     sample standard deviation (divisor n−1) and μ zero unless asked for.
//   - Cornish–Fisher VaR uses z_cf = z + (z²−1)S/6 + (z³−3z)K/24 −
//     (2z³−5z)S²/36 with the losses' skewness S and excess kurtosis K;
//     σ, S and K are population moments (divisor n) by default, as
//     PerformanceAnalytics' modified VaR, or all three sample moments with
//     [SampleMoments]. Its ES integrates the Cornish–Fisher quantiles over
//     the tail. Where the expansion is not monotone (Maillard's domain) it
//     returns [ErrOutsideDomain] rather than a number that is not a
//     quantile.
//   - Monte Carlo draws correlated normals through a Cholesky factor from an
//     injected random source, or simulates sector P&Ls above a few thousand
//     instruments.
//   - Horizons: √h scaling (exact only for iid normal P&L) and overlapping
//     h-day windows of summed daily P&L.
//   - Euler allocation of delta-normal VaR: component_i = x_i·z·Cov(r_i,
//     P&L)/σ, summing to VaR; marginal and incremental VaR alongside. The
//     covariances come from one O(N·T) pass.
//   - Historical component VaR and ES ([HistoricalContributions]): a
//     historical figure is a weighted loss over a few tail scenarios (one
//     or two for VaR, the ⌈n(1−c)⌉ worst for ES), and each instrument's
//     component is its own loss under the same weights, so the components
//     add up exactly to the figure. ES contributions average several days
//     and are the stable ones; a VaR contribution is one day's P&L and is
//     noisy. [NewReport] splits delta-normal VaR and historical VaR and ES
//     at every level, or those of [ReportInput.Splits] ([Report.Split]), by
//     instrument and sector, with the top contributors; it reads only the
//     tail days' returns for the historical splits.
//   - [RollingHistorical] is historical VaR and ES over a trailing window,
//     the forecasts a backtest compares with each day's P&L.
//   - Backtests: Kupiec's proportion-of-failures LR (0·ln 0 = 0, so no NaN
//     for zero or all exceptions) and the Basel traffic light from the
//     cumulative binomial (95% and 99.99%).
//
// # Bad input
//
// Every exported function checks its input and returns an error wrapping
// [ErrInput] for anything outside its domain — a value that is not finite
// anywhere, a negative size, an index or sector out of range, a
// confidence outside [0.5, 1), a result that would overflow — instead of
// panicking or returning NaN, Inf or a silently wrong number. A confidence
// below one half is almost always a tail probability passed by mistake (0.05
// for 95%, which would turn VaR into a gain): [FromTail] converts one
// explicitly. Functions whose argument is a tail probability by definition,
// such as the exception probability of [Kupiec] and [TrafficLight], take it
// as it is.
//
// Every number above is tested against published worked examples (see
// risk_test.go for the sources) and properties: ES ≥ VaR, components sum to
// the total, VaR rises with confidence, scaling positions scales VaR.
package risk
