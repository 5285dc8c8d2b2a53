#!/usr/bin/env python3
"""The original's risk computation in pandas, and the same in plain numpy,
timed in-process on the price matrix written by `go run ./internal/tools/cmd/genprices`.

Needs Debian's python3-pandas and python3-numpy (run with /usr/bin/python3):

    go run ./internal/tools/cmd/genprices -o /tmp/prices.f64
    /usr/bin/python3 scripts/risk_baseline.py /tmp/prices.f64
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


def best_of(f, arg, runs=7):
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = f(arg)
        times.append(time.perf_counter() - t0)
    times.sort()
    return result, times[0], times[len(times) // 2]


def main():
    p = np.fromfile(sys.argv[1], dtype="<f8").reshape(DAYS, N)
    df = pd.DataFrame(p)
    res, best, median = best_of(original, df)
    print(f"pandas (original): best {best*1e3:.1f} ms, median {median*1e3:.1f} ms")
    for level, (var, cvar) in res.items():
        print(f"  {level}%: VaR {var:.10f}  CVaR {cvar:.10f}")
    res, best, median = best_of(plain_numpy, p)
    print(f"plain numpy:       best {best*1e3:.1f} ms, median {median*1e3:.1f} ms")


if __name__ == "__main__":
    main()
