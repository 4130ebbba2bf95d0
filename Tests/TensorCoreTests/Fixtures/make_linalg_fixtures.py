"""Writes linalg.json: inputs and NumPy's answers for the linear algebra tests.

Run from this folder with NumPy 2.x: python3 make_linalg_fixtures.py
"""
import json

import numpy as np

rng = np.random.RandomState(3)
tall = rng.randn(5, 3)
wide = rng.randn(3, 5)
square = rng.randn(4, 4)
rhs = rng.randn(4)
rhs_matrix = rng.randn(4, 2)
# Rank 2 by construction: a (6, 2) times a (2, 4).
low_rank = rng.randn(6, 2) @ rng.randn(2, 4)


def matrix(a):
    return {"shape": list(a.shape), "values": a.ravel().tolist()}


u, s, vt = np.linalg.svd(tall)
q, r = np.linalg.qr(tall)
qw, rw = np.linalg.qr(wide)
u2, s2, vt2 = np.linalg.svd(square)
fixtures = {
    "tall": matrix(tall),
    "wide": matrix(wide),
    "square": matrix(square),
    "rhs": rhs.tolist(),
    "rhs_matrix": matrix(rhs_matrix),
    "low_rank": matrix(low_rank),
    "tall_singular_values": s.tolist(),
    "wide_singular_values": np.linalg.svd(wide, compute_uv=False).tolist(),
    "low_rank_singular_values": np.linalg.svd(low_rank, compute_uv=False).tolist(),
    "low_rank_rank": int(np.linalg.matrix_rank(low_rank)),
    "square_rank": int(np.linalg.matrix_rank(square)),
    "tall_q": matrix(q),
    "tall_r": matrix(r),
    "wide_q": matrix(qw),
    "wide_r": matrix(rw),
    "square_solve": np.linalg.solve(square, rhs).tolist(),
    "square_solve_matrix": matrix(np.linalg.solve(square, rhs_matrix)),
    "square_inverse": matrix(np.linalg.inv(square)),
    "square_det": float(np.linalg.det(square)),
    "square_rank1": matrix(s2[0] * np.outer(u2[:, 0], vt2[0])),
    "square_rank2": matrix((u2[:, :2] * s2[:2]) @ vt2[:2]),
}
with open("linalg.json", "w") as file:
    json.dump(fixtures, file, indent=1)
