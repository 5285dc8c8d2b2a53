#!/usr/bin/env python3
"""The original's risk computation in pandas, and the same in plain numpy,
timed in-process on the price matrix written by `go run ./internal/tools/cmd/genprices`;
then the peer of risk.Window: numpy on precomputed returns (`returns @ w`,
then VaR and ES at 95% and 99%), beside numpy's own one-pass floor
(`returns.sum()`) on the same array.

Needs Debian's python3-pandas and python3-numpy (apt-get install python3-numpy
python3-pandas; run with /usr/bin/python3):

    go run ./internal/tools/cmd/genprices -o /tmp/prices.f64
    /usr/bin/python3 scripts/risk_baseline.py /tmp/prices.f64 [runs [window]]
"""
import sys
import time

import numpy as np
import pandas as pd

DAYS, N = 253, 50_000


def original(prices: pd.DataFrame):
    # The guide's code: equal-weighted portfolio of daily returns, historical
    # VaR with np.percentile (linear interpolation) and CVaR as the mean of
    # returns at or below VaR, at 95% and 99%.
    returns = prices.pct_change().dropna()
    portfolio_returns = returns.mean(axis=1)
    out = {}
    for level in (95, 99):
        var = np.percentile(portfolio_returns, 100 - level)
        cvar = portfolio_returns[portfolio_returns <= var].mean()
        out[level] = (-var, -cvar)
    return out


def plain_numpy(p: np.ndarray):
    returns = p[1:] / p[:-1] - 1.0
    pnl = returns.mean(axis=1)
    out = {}
    for level in (95, 99):
        var = np.percentile(pnl, 100 - level)
        out[level] = (-var, -pnl[pnl <= var].mean())
    return out


def window_var_es(args):
    # The window's VaR+ES: P&L of every scenario from the precomputed
    # returns (one matrix-vector product), then type 7 VaR and the
    # Acerbi–Tasche ES at 95% and 99% (as risk.Historical).
    returns, w = args
    pnl = returns @ w
    losses = np.sort(-pnl)
    n = len(losses)
    out = {}
    for c in (0.95, 0.99):
        var = np.percentile(losses, 100 * c)
        m = n * (1 - c)
        whole = int(np.floor(m + 1e-9))
        tail = losses[::-1]
        es = (tail[:whole].sum() + (m - whole) * (tail[whole] if whole < n else 0)) / m
        out[c] = (var, max(es, var))
    return out


def floor_pass(returns):
    return returns.sum()


def best_of(f, arg, runs=7):
    result, best, median, _ = timed(f, arg, runs)
    return result, best, median


def timed(f, arg, runs):
    # Wall time (best and median) and the process's CPU time per run (all
    # threads, BLAS included): on a shared machine the CPU time is the
    # steadier figure, as the Go benchmarks' cpu-ms/op.
    times = []
    result = None
    c0 = time.process_time()
    for _ in range(runs):
        t0 = time.perf_counter()
        result = f(arg)
        times.append(time.perf_counter() - t0)
    cpu = (time.process_time() - c0) / runs
    times.sort()
    return result, times[0], times[len(times) // 2], cpu


def main():
    if len(sys.argv) > 3 and sys.argv[3] == "window":
        return window_only(sys.argv[1], int(sys.argv[2]))
    p = np.fromfile(sys.argv[1], dtype="<f8").reshape(DAYS, N)
    df = pd.DataFrame(p)
    res, best, median = best_of(original, df)
    print(f"pandas (original): best {best*1e3:.1f} ms, median {median*1e3:.1f} ms")
    for level, (var, cvar) in res.items():
        print(f"  {level}%: VaR {var:.10f}  CVaR {cvar:.10f}")
    res, best, median = best_of(plain_numpy, p)
    print(f"plain numpy:       best {best*1e3:.1f} ms, median {median*1e3:.1f} ms")

    # The window peer: returns precomputed once (not timed), positions
    # equal at 1e9 / N, as BenchmarkWindow/VaR+ES.
    returns = np.ascontiguousarray(p[1:] / p[:-1] - 1.0)
    w = np.full(N, 1e9 / N)
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 21
    res, best, median, cpu = timed(window_var_es, (returns, w), runs)
    print(f"numpy window VaR+ES (returns @ w, 2 levels): best {best*1e3:.2f} ms, median {median*1e3:.2f} ms, cpu {cpu*1e3:.2f} ms/run")
    for c, (var, es) in res.items():
        print(f"  {c:.0%}: VaR {var:.6f}  ES {es:.6f}")
    _, best, median, cpu = timed(floor_pass, returns, runs)
    print(f"numpy floor (returns.sum()):                 best {best*1e3:.2f} ms, median {median*1e3:.2f} ms, cpu {cpu*1e3:.2f} ms/run")


def window_only(path, runs):
    p = np.fromfile(path, dtype="<f8").reshape(DAYS, N)
    returns = np.ascontiguousarray(p[1:] / p[:-1] - 1.0)
    w = np.full(N, 1e9 / N)
    _, best, median, cpu = timed(window_var_es, (returns, w), runs)
    print(f"numpy window VaR+ES (returns @ w, 2 levels): best {best*1e3:.2f} ms, median {median*1e3:.2f} ms, cpu {cpu*1e3:.2f} ms/run")
    _, best, median, cpu = timed(floor_pass, returns, runs)
    print(f"numpy floor (returns.sum()):                 best {best*1e3:.2f} ms, median {median*1e3:.2f} ms, cpu {cpu*1e3:.2f} ms/run")


if __name__ == "__main__":
    main()
