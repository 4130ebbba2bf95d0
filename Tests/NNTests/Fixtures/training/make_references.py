#!/usr/bin/env python3
"""Writes references.json, what Cuaderno's training helpers are tested against.

    python3 Tests/NNTests/Fixtures/training/make_references.py

Three kinds of reference, each computed here in plain NumPy (float64) from rules one can read:

- splits: trainValidationTestSplit's rows. NumPy's RandomState(seed).permutation(count) is cut
  into test = order[:n_test], validation = order[n_test:n_test + n_val], train = the rest, with
  n_test = ceil(test_fraction * count) and n_val = ceil(validation_fraction * count).
- pca: scikit-learn's PCA (svd_solver="full") re-implemented: centre the columns, thin SVD,
  flip each row of Vt so that its entry of largest absolute value is positive (sklearn's
  svd_flip with u_based_decision=False, used by PCA since 1.5), explained variance S²/(n − 1),
  its ratio to the total over all min(n, d) components, and the projection of new data.
- pooling: masked mean pooling of a small batch (the mean over positions where the padding mask
  is false).

The data are drawn from seeded RandomStates and written into the file, so the Swift tests read
the same numbers rather than drawing them again.

When scikit-learn is importable (it is not needed: `python3 -m venv /tmp/pca-venv &&
/tmp/pca-venv/bin/pip install scikit-learn`, then run this script with /tmp/pca-venv/bin/python),
the script also checks its PCA and its test parts against scikit-learn's own and says so.
"""
import json
import math
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


# ---------------------------------------------------------------- splits

SPLIT_CASES = [
    # (count, validation_fraction, test_fraction, seed)
    (10, 0.2, 0.2, 0),
    (23, 0.15, 0.25, 42),
    (100, 0.1, 0.2, 7),
    (7, 0.0, 0.3, 3),
]


def split(count, validation_fraction, test_fraction, seed):
    order = np.random.RandomState(seed).permutation(count)
    n_test = math.ceil(test_fraction * count)
    n_val = math.ceil(validation_fraction * count)
    return {
        "count": count, "validation_fraction": validation_fraction,
        "test_fraction": test_fraction, "seed": seed,
        "test": order[:n_test].tolist(),
        "validation": order[n_test:n_test + n_val].tolist(),
        "train": order[n_test + n_val:].tolist(),
    }


# ---------------------------------------------------------------- PCA

def svd_flip_rows(vt):
    """Each row times the sign of its largest-|value| entry (np.argmax takes the first on a tie)."""
    largest = np.argmax(np.abs(vt), axis=1)
    signs = np.sign(vt[np.arange(vt.shape[0]), largest])
    return vt * signs[:, np.newaxis], int(np.sum(signs < 0))


def pca(data, component_count):
    n = data.shape[0]
    mean = data.mean(axis=0)
    _, s, vt = np.linalg.svd(data - mean, full_matrices=False)
    vt, flips = svd_flip_rows(vt)
    variance = s ** 2 / (n - 1)
    k = component_count
    return {
        "mean": mean, "components": vt[:k], "singular_values": s[:k],
        "explained_variance": variance[:k], "explained_variance_ratio": variance[:k] / variance.sum(),
    }, flips


def correlated_data(random, rows, columns):
    """Rows of a Gaussian with distinct variances along skewed directions, and a non-zero mean."""
    scales = np.linspace(3.0, 0.5, columns)
    mixing = random.randn(columns, columns)
    return (random.randn(rows, columns) * scales) @ mixing + random.randn(columns) * 2


PCA_CASES = [
    # (name, seed, rows, columns, component_count)
    ("tall", 0, 40, 5, 2),
    # Six centred rows span at most five directions: a sixth component would be any unit vector
    # orthogonal to the first five, which LAPACK builds pick differently, so no reference can hold it.
    ("wide", 1, 6, 9, 5),
    ("all components", 2, 25, 4, 4),
]


def pca_case(name, seed, rows, columns, component_count):
    random = np.random.RandomState(seed)
    data = correlated_data(random, rows, columns)
    new_data = correlated_data(random, 3, columns)
    fitted, flips = pca(data, component_count)
    transformed = (new_data - fitted["mean"]) @ fitted["components"].T
    case = {"name": name, "component_count": component_count, "data": data.tolist(),
            "new_data": new_data.tolist(), "transformed": transformed.tolist()}
    case.update({key: value.tolist() for key, value in fitted.items()})
    return case, flips, (data, new_data)


# ---------------------------------------------------------------- pooling

def pooling_case():
    random = np.random.RandomState(5)
    hidden = random.randn(3, 4, 2)
    padding = np.array([[False, False, True, True],
                        [False, False, False, False],
                        [False, True, True, True]])
    keep = (~padding)[:, :, np.newaxis].astype(np.float64)
    pooled = (hidden * keep).sum(axis=1) / keep.sum(axis=1)
    return {"hidden": hidden.tolist(), "padding_mask": padding.tolist(), "pooled": pooled.tolist()}


# ---------------------------------------------------------------- scikit-learn, when present

def cross_check_with_sklearn(splits, pca_inputs, pca_cases):
    try:
        from sklearn.decomposition import PCA
        from sklearn.model_selection import train_test_split
        import sklearn
    except ImportError:
        print("scikit-learn is not installed: skipped the cross-check (the references do not need it)")
        return
    for case in splits:
        rows = np.arange(case["count"])
        _, test = train_test_split(rows, test_size=case["test_fraction"], random_state=case["seed"])
        assert test.tolist() == case["test"], f"test part differs from train_test_split: {case}"
    for (data, new_data), case in zip(pca_inputs, pca_cases):
        model = PCA(n_components=case["component_count"], svd_solver="full").fit(data)
        for ours, theirs in [("components", model.components_), ("mean", model.mean_),
                             ("singular_values", model.singular_values_),
                             ("explained_variance", model.explained_variance_),
                             ("explained_variance_ratio", model.explained_variance_ratio_),
                             ("transformed", model.transform(new_data))]:
            np.testing.assert_allclose(case[ours], theirs, rtol=0, atol=1e-12, err_msg=f"{case['name']}: {ours}")
        default = PCA(n_components=case["component_count"]).fit(data)  # svd_solver="auto"
        np.testing.assert_allclose(case["components"], default.components_, rtol=0, atol=1e-9,
                                   err_msg=f"{case['name']}: components with svd_solver='auto'")
    print(f"scikit-learn {sklearn.__version__}: the test parts and every PCA agree")


def main():
    splits = [split(*case) for case in SPLIT_CASES]
    pca_cases, pca_inputs, total_flips = [], [], 0
    for arguments in PCA_CASES:
        case, flips, inputs = pca_case(*arguments)
        pca_cases.append(case)
        pca_inputs.append(inputs)
        total_flips += flips
    # The sign rule must be exercised: some component has to come out of the SVD the other way round.
    assert total_flips > 0, "no component needed flipping; choose other seeds"
    cross_check_with_sklearn(splits, pca_inputs, pca_cases)
    references = {"numpy_version": np.__version__, "splits": splits, "pca": pca_cases,
                  "pooling": pooling_case()}
    (HERE / "references.json").write_text(json.dumps(references, indent=1) + "\n")
    print(f"wrote references.json ({len(splits)} splits, {len(pca_cases)} PCA cases, "
          f"{total_flips} components flipped)")


if __name__ == "__main__":
    main()
