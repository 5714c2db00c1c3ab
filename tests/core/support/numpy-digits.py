"""numpy's one-pass Householder QR digits on the reference problems.

Usage: python3 numpy-digits.py problems.json   (written by export-problems.ts)
Coefficients: np.linalg.qr then scipy's solve_triangular; SEs from
RSS = |y - X b|^2 and diag(R^-1 R^-T). Digits = -log10(|x - x*| / |x*|) capped
at 15; for exact-fit problems the SE error is taken relative to |beta*|.
Printed for the rows in their original order, then min and median over the
seeded row permutations of the test (the spread is numpy's own rounding luck).
"""
import json
import sys

import numpy as np
from scipy.linalg import solve_triangular


def digits(x, t, ref):
    err = abs(x - t)
    return 15.0 if err == 0 else min(15.0, max(0.0, -np.log10(err / ref)))


def fit_digits(X, y, p):
    Q, R = np.linalg.qr(X)
    b = solve_triangular(R, Q.T @ y)
    n, m = X.shape
    r = y - X @ b
    Ri = solve_triangular(R, np.eye(m))
    se = np.sqrt(r @ r / (n - m) * np.sum(Ri * Ri, axis=1))
    bd = min(digits(b[j], p["beta"][j], abs(p["beta"][j])) for j in range(m))
    sd = min(
        digits(se[j], p["se"][j], abs(p["beta"][j]) if p["exactFit"] else abs(p["se"][j]))
        for j in range(m)
    )
    return bd, sd


for p in json.load(open(sys.argv[1])):
    X = np.array(p["design"]).T
    y = np.array(p["y"])
    bd, sd = fit_digits(X, y, p)
    perm = np.array([fit_digits(X[q], y[q], p) for q in p["permutations"]])
    print(
        f"{p['name']:14s} coef {bd:5.2f}  se {sd:5.2f}  | permuted rows: coef min {perm[:, 0].min():5.2f}"
        f" median {np.median(perm[:, 0]):5.2f}  se min {perm[:, 1].min():5.2f} median {np.median(perm[:, 1]):5.2f}"
    )
