#!/usr/bin/python3
"""Reference values for the statistics tests, from numpy/scipy (Debian's python3-scipy).

Run with /usr/bin/python3 from this folder; it rewrites reference.json. Inputs come from fixed
seeds, so the output only changes when this script does. The tests read the JSON alone, so CI
never needs Python.
"""
import json
import math

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon
from scipy.special import kolmogorov

rng = np.random.default_rng(20240611)


def f(x):
    return None if x is None else float(x)


# ---------------------------------------------------------------- regression metrics
def regression_case(name, actual, predicted):
    a = np.asarray(actual, dtype=float)
    p = np.asarray(predicted, dtype=float)
    err = a - p
    n = len(a)
    denominator = float(np.sum((a - a.mean()) ** 2)) if n else 0.0
    constant = n > 0 and bool(np.all(a == a[0]))
    r2 = None if n < 2 or constant or denominator == 0 else 1 - np.sum(err ** 2) / denominator
    mask = np.abs(a) > 1e-9
    mape = None if not mask.any() else 100 * np.mean(np.abs(err[mask]) / np.abs(a[mask]))
    return {
        "name": name, "actual": a.tolist(), "predicted": p.tolist(),
        "mae": f(np.mean(np.abs(err))), "rmse": f(np.sqrt(np.mean(err ** 2))), "rSquared": f(r2), "mape": f(mape),
    }


load = rng.normal(50, 10, 200)
regression = [
    regression_case("gaussian forecast", load, load + rng.normal(0, 3, 200)),
    regression_case("large offset small spread", 1e6 + rng.normal(0, 1e-3, 100), 1e6 + rng.normal(0, 1e-3, 100)),
    regression_case("zero loads skipped by mape", [0, 0, 5, 10, 1e-10, 2e-9], [1, 0, 4, 12, 0.5, 1e-9]),
    regression_case("all actuals zero", [0, 0, 0], [1, 2, 3]),
    regression_case("constant actuals", [3.5, 3.5, 3.5, 3.5], [3, 4, 3.5, 2]),
    regression_case("single pair", [2.0], [1.5]),
    regression_case("two pairs", [1.0, -2.0], [0.5, -1.0]),
]


# ---------------------------------------------------------------- classification metrics
def scores(tp, predicted, actual):
    p = tp / predicted if predicted else 0.0
    r = tp / actual if actual else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def classification_case(name, actual, predicted, positive):
    labels = sorted(set(actual) | set(predicted))
    per = {}
    for label in labels:
        tp = sum(1 for a, p in zip(actual, predicted) if a == p == label)
        per[label] = scores(tp, predicted.count(label), actual.count(label))
    if len(labels) <= 2:
        tp = sum(1 for a, p in zip(actual, predicted) if a == p == positive)
        precision, recall, f1 = scores(tp, predicted.count(positive), actual.count(positive))
    else:
        precision = np.mean([v[0] for v in per.values()])
        recall = np.mean([v[1] for v in per.values()])
        f1 = np.mean([v[2] for v in per.values()])
    accuracy = sum(1 for a, p in zip(actual, predicted) if a == p) / len(actual)
    return {
        "name": name, "actual": actual, "predicted": predicted, "positiveLabel": positive,
        "accuracy": f(accuracy), "precision": f(precision), "recall": f(recall), "f1": f(f1),
    }


binary_actual = [str(x) for x in rng.integers(0, 2, 300)]
binary_predicted = [a if rng.random() < 0.8 else ("0" if a == "1" else "1") for a in binary_actual]
multi_labels = ["idle", "normal", "peak", "fault"]
multi_actual = [multi_labels[i] for i in rng.integers(0, 4, 400)]
multi_predicted = [a if rng.random() < 0.6 else multi_labels[rng.integers(0, 4)] for a in multi_actual]
classification = [
    classification_case("binary", binary_actual, binary_predicted, "1"),
    classification_case("binary positive never predicted", ["1", "0", "1", "0"], ["0", "0", "0", "0"], "1"),
    classification_case("positive label absent", ["a", "b", "a"], ["a", "a", "b"], "1"),
    classification_case("single label", ["1", "1", "1"], ["1", "1", "1"], "1"),
    classification_case("multi-class macro", multi_actual, multi_predicted, "peak"),
    classification_case("label only in predictions", ["a", "b", "a", "b"], ["a", "b", "c", "c"], "a"),
]


# ---------------------------------------------------------------- numeric drift
def numeric_case(name, reference, current):
    r = np.asarray(reference, dtype=float)
    c = np.asarray(current, dtype=float)
    edges = np.unique(np.quantile(r, np.arange(1, 10) / 10))
    p = np.bincount(np.searchsorted(edges, r, side="right"), minlength=len(edges) + 1) / len(r)
    q = np.bincount(np.searchsorted(edges, c, side="right"), minlength=len(edges) + 1) / len(c)
    p = np.maximum(p, 1e-4)
    q = np.maximum(q, 1e-4)
    psi = np.sum((q - p) * np.log(q / p))
    d = stats.ks_2samp(r, c).statistic
    n, m = len(r), len(c)
    ks_p = min(1.0, max(0.0, stats.kstwobign.sf(d * math.sqrt(n * m / (n + m)))))
    std = np.std(r)
    w = stats.wasserstein_distance(r, c)
    return {
        "name": name, "reference": r.tolist(), "current": c.tolist(), "quantileEdges": edges.tolist(),
        "psi": f(psi), "ksStatistic": f(d), "ksPValue": f(ks_p),
        "wassersteinRaw": f(w), "wasserstein": f(w / std) if std > 0 else None,
    }


numeric = [
    numeric_case("same distribution", rng.normal(0, 1, 400), rng.normal(0, 1, 300)),
    numeric_case("shifted mean", rng.normal(0, 1, 500), rng.normal(0.3, 1, 500)),
    numeric_case("scaled spread", rng.normal(10, 2, 300), rng.normal(10, 3, 250)),
    numeric_case("ties rounded to one decimal", np.round(rng.normal(0, 1, 400), 1), np.round(rng.normal(0.1, 1, 350), 1)),
    numeric_case("duplicate quantile edges", np.concatenate([np.zeros(600), rng.exponential(1, 400)]),
                 np.concatenate([np.zeros(300), rng.exponential(1.5, 500)])),
    numeric_case("current outside reference range", rng.uniform(0, 1, 200), rng.uniform(2, 3, 200)),
    numeric_case("small samples", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], [2.5, 3.5, 8.0]),
    numeric_case("lognormal loads", np.round(rng.lognormal(3, 1, 1000), 3), np.round(rng.lognormal(3.1, 1, 1000), 3)),
    numeric_case("large reference", rng.normal(100, 15, 1500), rng.normal(104, 15, 1200)),
]

kolmogorov_points = [{"x": x, "sf": f(kolmogorov(x))} for x in
                     [0.0, 0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0, 3.0, 5.0, 8.0]]


# ---------------------------------------------------------------- categorical drift
def categorical_case(name, reference, current):
    categories = sorted(set(reference) | set(current))
    rc = np.array([reference.count(k) for k in categories], dtype=float)
    cc = np.array([current.count(k) for k in categories], dtype=float)
    js = jensenshannon(rc, cc)
    p = 1.0 if len(categories) < 2 else stats.chi2_contingency(np.array([rc, cc]), correction=False)[1]
    return {"name": name, "reference": reference, "current": current, "jensenShannon": f(js), "chiSquaredPValue": f(p)}


def draw(labels, probabilities, size):
    return [labels[i] for i in rng.choice(len(labels), size=size, p=probabilities)]


modes = ["off", "idle", "run", "boost"]
categorical = [
    categorical_case("same distribution", draw(modes, [0.1, 0.2, 0.6, 0.1], 500), draw(modes, [0.1, 0.2, 0.6, 0.1], 400)),
    categorical_case("shifted shares", draw(modes, [0.1, 0.2, 0.6, 0.1], 500), draw(modes, [0.3, 0.2, 0.3, 0.2], 400)),
    categorical_case("category only in current", draw(modes[:3], [0.2, 0.3, 0.5], 300), draw(modes, [0.2, 0.3, 0.4, 0.1], 300)),
    categorical_case("category only in reference", ["a", "b", "c", "a", "b", "c", "c"], ["a", "b", "a"]),
    categorical_case("one category", ["x"] * 20, ["x"] * 7),
    categorical_case("strong shift", draw(modes, [0.7, 0.1, 0.1, 0.1], 1500), draw(modes, [0.1, 0.1, 0.1, 0.7], 1500)),
]

# ---------------------------------------------------------------- A/B tests
def fnv1a(text):
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


assignment = [{"key": k, "hash": fnv1a(k)} for k in
              ["", "a", "foobar", "test-1/unit-42", "6f1c0e2a-3b7d-4c55-9a0e-2f8b1d3c4e5f/machine-07", "prüfstand/ü"]]


def welch_case(name, a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    res = stats.ttest_ind(b, a, equal_var=False)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    diff = b.mean() - a.mean()
    half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    return {"name": name, "a": a.tolist(), "b": b.tolist(), "t": f(res.statistic), "df": f(df), "p": f(res.pvalue),
            "low": f(diff - half), "high": f(diff + half)}


welch = [
    welch_case("equal sizes", rng.normal(10, 2, 50), rng.normal(10.5, 2, 50)),
    welch_case("unequal variances and sizes", rng.normal(5, 1, 30), rng.normal(6, 3, 80)),
    welch_case("tiny arms", [1.0, 2.0, 4.0], [3.0, 5.0]),
    welch_case("strong difference", rng.normal(0, 1, 500), rng.normal(1, 1, 400)),
]


def srm_case(n_a, n_b, split):
    n = n_a + n_b
    return {"nA": n_a, "nB": n_b, "split": split,
            "p": f(stats.chisquare([n_a, n_b], f_exp=[n * (1 - split), n * split]).pvalue)}


srm = [srm_case(500, 500, 0.5), srm_case(540, 460, 0.5), srm_case(800, 200, 0.2), srm_case(1000, 1200, 0.5), srm_case(9, 1, 0.1)]

json.dump({
    "regression": regression,
    "classification": classification,
    "numericDrift": numeric,
    "kolmogorov": kolmogorov_points,
    "categoricalDrift": categorical,
    "fnv1a": assignment,
    "welch": welch,
    "srm": srm,
}, open("reference.json", "w"), indent=None, separators=(",", ":"))
