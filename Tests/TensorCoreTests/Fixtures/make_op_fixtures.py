#!/usr/bin/env python3
"""Writes ops.json: small fixed inputs and NumPy's results for the tensor core's shape, indexing,
comparison, reduction and matrix-product operations (ShapeAndIndexingTests, ComparisonAndReductionTests,
MatmulTests).

Run from this folder: python3 make_op_fixtures.py  (NumPy 2.x). Inputs come from the legacy
np.random.RandomState(7), which is frozen, so they are the same in every NumPy version; results of
products and norms may differ from one BLAS to another in the last bits, so the tests compare those
with a rounding-error bound (the `name:abs` entries, NumPy's |A|·|B|, give the scale of that bound).

Every entry is {"shape": [...], "dtype": "float64" | "float32" | "int64" | "bool", "data": [...]}
with the elements in row-major order. Results are keyed by their NumPy expression; Swift's
`x[..., 1..<3]` is `x[:,1:3]` here.
"""
import json

import numpy as np


def entry(array):
    array = np.asarray(array)
    dtype = {"f": str(array.dtype), "i": "int64", "b": "bool"}[array.dtype.kind]
    if dtype not in ("float64", "float32", "int64", "bool"):
        raise ValueError(f"unexpected dtype {array.dtype}")
    data = [bool(v) if dtype == "bool" else (int(v) if dtype == "int64" else float(v)) for v in array.ravel()]
    return {"shape": list(array.shape), "dtype": dtype, "data": data}


def main():
    rs = np.random.RandomState(7)
    inputs = {}
    expected = {}

    def add_input(name, array):
        inputs[name] = entry(array)
        return array

    def add(name, array):
        if name in expected:
            raise KeyError(name)
        expected[name] = entry(array)

    # ---- Shapes, views and indexing -------------------------------------------------------------
    x = add_input("x", rs.randn(2, 3, 4))
    m = add_input("m", rs.randn(3, 4))
    x2 = add_input("x2", rs.randn(1, 3, 4))
    x3 = add_input("x3", rs.randn(2, 2, 4))
    x4 = add_input("x4", rs.randn(2, 3, 1))
    table = add_input("table", rs.randn(6, 3))
    p = add_input("p", rs.randn(3, 4))
    q = add_input("q", rs.randn(3, 4))
    r = add_input("r", rs.randn(3, 4))
    row = add_input("row", rs.randn(4))
    col = add_input("col", rs.randn(3, 1))

    add("x.transpose(2,0,1)", x.transpose(2, 0, 1))
    add("x.transpose(1,2,0)", x.transpose(1, 2, 0))
    add("swapaxes(x,0,2)", np.swapaxes(x, 0, 2))
    add("swapaxes(x,-1,-2)", np.swapaxes(x, -1, -2))
    add("x.T", x.T)
    add("m.T", m.T)
    add("x.transpose(1,0,2).reshape(3,8)", x.transpose(1, 0, 2).reshape(3, 8))
    add("x.transpose(1,0,2).reshape(-1,4)", x.transpose(1, 0, 2).reshape(-1, 4))
    add("x.T.ravel()", x.T.ravel())
    add("x[:,1:3].reshape(4,4)", x[:, 1:3].reshape(4, 4))
    add("x[0]", x[0])
    add("x[1,2]", x[1, 2])
    add("x[1,2,3]", x[1, 2, 3])
    add("x[:,1:3]", x[:, 1:3])
    add("x[:,:,0]", x[:, :, 0])
    add("x[-1]", x[-1])
    add("x[:,-1]", x[:, -1])
    add("x[:,-2:]", x[:, -2:])
    add("x[:,:-1]", x[:, :-1])
    add("x[:,0:3:2]", x[:, 0:3:2])
    add("x[:,:,::-1]", x[:, :, ::-1])
    add("x[1:2,-2:,1:4:2]", x[1:2, -2:, 1:4:2])
    add("x[0][:,1:3]", x[0][:, 1:3])
    add("x[:,1:3][:,:,2]", x[:, 1:3][:, :, 2])
    add("x[:,0:2,1:4]", x[:, 0:2, 1:4])
    add("x[:,1:]", x[:, 1:])
    add("x[:,:2]", x[:, :2])
    add("x[:,0:2]", x[:, 0:2])
    add("x[:,-3:-1]", x[:, -3:-1])

    ids2d = np.array([[0, 5, 2], [5, 5, 1]])
    add("table[ids2d]", table[ids2d])
    add("take(table,[-1,0,-6],0)", np.take(table, [-1, 0, -6], axis=0))
    add("take(x,[2,0,-1],1)", np.take(x, [2, 0, -1], axis=1))
    add("take(x,[[0,1],[2,2]],1)", np.take(x, [[0, 1], [2, 2]], axis=1))
    add("take(x,[3,3,0],-1)", np.take(x, [3, 3, 0], axis=-1))
    add("take(x.T,[1,0],0)", np.take(x.T, [1, 0], axis=0))

    add("concat([x,x2],0)", np.concatenate([x, x2], axis=0))
    add("concat([x,x3],1)", np.concatenate([x, x3], axis=1))
    add("concat([x,x4],-1)", np.concatenate([x, x4], axis=-1))
    add("concat([x[:,:,1:3],x[:,:,::-1]],2)", np.concatenate([x[:, :, 1:3], x[:, :, ::-1]], axis=2))
    add("stack([p,q,r],0)", np.stack([p, q, r], axis=0))
    add("stack([p,q,r],1)", np.stack([p, q, r], axis=1))
    add("stack([p,q,r],-1)", np.stack([p, q, r], axis=-1))
    add("stack([p.T,q.T],0)", np.stack([p.T, q.T], axis=0))
    for i, part in enumerate(np.split(x, 2, axis=-1)):
        add(f"split(x,2,-1)[{i}]", part)
    for i, part in enumerate(np.split(x, 3, axis=1)):
        add(f"split(x,3,1)[{i}]", part)
    add("broadcast_to(row,(2,3,4))", np.broadcast_to(row, (2, 3, 4)))
    add("broadcast_to(col,(2,3,4))", np.broadcast_to(col, (2, 3, 4)))

    # Operations on views: the same values as on a contiguous copy.
    add("x.T+1", x.T + 1)
    add("x.transpose(2,0,1).sum(0)", x.transpose(2, 0, 1).sum(axis=0))
    add("swapaxes(x,0,2).max(-1)", np.swapaxes(x, 0, 2).max(axis=-1))
    add("x[:,1:3]*x[:,0:2]", x[:, 1:3] * x[:, 0:2])

    # ---- Comparisons, masks and argmax ----------------------------------------------------------
    a = add_input("a", rs.randint(-3, 4, (3, 4)).astype(np.float64))
    b = add_input("b", rs.randint(-3, 4, (3, 4)).astype(np.float64))
    brow = add_input("brow", rs.randint(-3, 4, 4).astype(np.float64))
    bcol = add_input("bcol", rs.randint(-3, 4, (3, 1)).astype(np.float64))
    add("a<b", a < b)
    add("a<=b", a <= b)
    add("a>b", a > b)
    add("a>=b", a >= b)
    add("a==b", a == b)
    add("a!=b", a != b)
    add("a<brow", a < brow)
    add("a>=bcol", a >= bcol)
    add("bcol==brow", bcol == brow)
    add("a<0.5", a < 0.5)
    add("a>=1", a >= 1)
    add("a==0", a == 0)
    add("a!=-1", a != -1)
    add("(a>0)&(b>0)", (a > 0) & (b > 0))
    add("(a>0)|(b>0)", (a > 0) | (b > 0))
    add("~(a>0)", ~(a > 0))
    add("(a>0)&(brow>0)", (a > 0) & (brow > 0))
    add("(bcol>0)|(brow>0)", (bcol > 0) | (brow > 0))
    add("where(a>0,a,b)", np.where(a > 0, a, b))
    add("where(bcol>0,a,brow)", np.where(bcol > 0, a, brow))
    add("where(brow>0,bcol,-1.0)", np.where(brow > 0, bcol, -1.0))
    add("where(a>0,a,0.0)", np.where(a > 0, a, 0.0))

    for axis in (0, 1, 2, -1):
        add(f"argmax(x,{axis})", np.argmax(x, axis=axis))
        add(f"argmin(x,{axis})", np.argmin(x, axis=axis))
    add("argmax(x,1,keepdims)", np.argmax(x, axis=1, keepdims=True))
    add("argmin(x,-1,keepdims)", np.argmin(x, axis=-1, keepdims=True))
    add("argmax(x)", np.argmax(x))
    add("argmin(x)", np.argmin(x))
    add("argmax(x.T,0)", np.argmax(x.T, axis=0))
    add("argmax(x.T)", np.argmax(x.T))

    # ---- Matrix products and norms --------------------------------------------------------------
    A = add_input("A", rs.randn(3, 4))
    B = add_input("B", rs.randn(4, 5))
    At = add_input("At", rs.randn(4, 3))   # used as At.T, a (3, 4) transposed view
    Bt = add_input("Bt", rs.randn(5, 4))   # used as Bt.T, a (4, 5) transposed view
    X = add_input("X", rs.randn(2, 3, 4))
    C = add_input("C", rs.randn(2, 1, 3, 4))
    D = add_input("D", rs.randn(5, 4, 2))
    u = add_input("u", rs.randn(4))
    v = add_input("v", rs.randn(4))
    w = add_input("w", rs.randn(5))
    W = add_input("W", rs.randn(4, 6))   # sliced: W[:, 1:6:2] is (4, 3) with column step 2
    V = add_input("V", rs.randn(3, 4))
    A32 = add_input("A32", rs.randn(3, 4).astype(np.float32))
    B32 = add_input("B32", rs.randn(4, 5).astype(np.float32))

    def product(name, left, right):
        add(name, left @ right)
        add(name + ":abs", np.abs(left) @ np.abs(right))

    product("A@B", A, B)
    product("At.T@B", At.T, B)
    product("A@Bt.T", A, Bt.T)
    product("At.T@Bt.T", At.T, Bt.T)
    product("X@B", X, B)
    product("C@D", C, D)
    product("u@B", u, B)
    product("A@u", A, u)
    product("u@v", u, v)
    product("X@u", X, u)
    product("u@D", u, D)
    product("swapaxes(X,-1,-2)@A", np.swapaxes(X, -1, -2), A)
    product("X@swapaxes(X,-1,-2)", X, np.swapaxes(X, -1, -2))
    product("A@W[:,1:6:2]", A, W[:, 1:6:2])
    product("W[:,1:6:2].T@A.T", W[:, 1:6:2].T, A.T)
    product("A[:,1:3]@B[1:3]", A[:, 1:3], B[1:3])
    product("X[:,:,1:3]@B[0:2]", X[:, :, 1:3], B[0:2])
    product("A[::-1]@B", A[::-1], B)
    product("X[:,:,0]@A", X[:, :, 0], A)
    product("A32@B32", A32, B32)
    product("A32.T@A32", A32.T, A32)

    add("outer(u,w)", np.outer(u, w))
    add("dot(u,v)", np.dot(u, v))
    add("norm(X)", np.linalg.norm(X))
    add("norm(A)", np.linalg.norm(A))
    add("norm(u)", np.linalg.norm(u))
    for axis in (0, 1, -1):
        add(f"norm(X,{axis})", np.linalg.norm(X, axis=axis))
    add("norm(X,1,keepdims)", np.linalg.norm(X, axis=1, keepdims=True))
    add("norm(A.T,0)", np.linalg.norm(A.T, axis=0))

    def cosine(left, right, axis):
        left, right = np.broadcast_arrays(left, right)
        return (left * right).sum(axis=axis) / (np.linalg.norm(left, axis=axis) * np.linalg.norm(right, axis=axis))

    add("cos(u,v)", np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))
    add("cos(A,V,-1)", cosine(A, V, -1))
    add("cos(A,V,0)", cosine(A, V, 0))
    add("cos(X,A,-1)", cosine(X, A, -1))
    add("cos(A,u,-1)", cosine(A, u, -1))
    add("cos(A,A[0:1],0)", cosine(A, A[0:1], 0))
    add("cos(A,u,0)", cosine(A, u, 0))

    with open("ops.json", "w") as out:
        json.dump({"inputs": inputs, "expected": expected}, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
