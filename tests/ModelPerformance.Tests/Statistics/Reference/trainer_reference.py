#!/usr/bin/python3
"""Reference fits for TrainerTests: least squares from numpy.linalg.lstsq, logistic regression from scikit-learn.

Run with /usr/bin/python3 from this folder; it rewrites trainer.json and logistic.json. Inputs come from a fixed seed. The fit is on
the first 80% of the rows with an intercept column, as the built-in trainer does; the holdout RMSEs are numpy's too.
"""
import json

import numpy as np

rng = np.random.default_rng(20261203)


def case(name, n, k, noise):
    x = rng.uniform(0, 10, (n, k))
    true = rng.uniform(-2, 2, k)
    actual = 5.0 + x @ true + rng.normal(0, noise, n)
    predicted = actual + rng.normal(2.0, 1.0, n)
    train = int(np.floor(0.8 * n))
    design = np.hstack([np.ones((train, 1)), x[:train]])
    solution = np.linalg.lstsq(design, actual[:train], rcond=None)[0]
    hold = slice(train, n)
    candidate = solution[0] + x[hold] @ solution[1:]
    rmse = lambda a, p: float(np.sqrt(np.mean((a - p) ** 2)))
    return {
        "name": name, "x": x.tolist(), "actual": actual.tolist(), "predicted": predicted.tolist(),
        "trueIntercept": 5.0, "trueCoefficients": true.tolist(),
        "intercept": float(solution[0]), "coefficients": solution[1:].tolist(),
        "rmseBefore": rmse(actual[hold], predicted[hold]), "rmseAfter": rmse(actual[hold], candidate),
    }


with open("trainer.json", "w") as out:
    json.dump([case("200 rows, 5 features", 200, 5, 0.5), case("1000 rows, 20 features", 1000, 20, 1.0)], out)


# Logistic regression: scikit-learn (Debian's python3-sklearn) with its default objective (L2 penalty, C = 1, the
# intercept unpenalised under lbfgs), converged tightly; fitted on the first 80% of the rows as the trainer does.
from sklearn.linear_model import LogisticRegression


def logistic_case(name, n, k, separation):
    x = rng.normal(0, 1, (n, k))
    true = rng.uniform(-2, 2, k)
    p = 1 / (1 + np.exp(-(0.5 + separation * (x @ true))))
    y = (rng.uniform(0, 1, n) < p).astype(int)
    train = int(np.floor(0.8 * n))
    model = LogisticRegression(C=1.0, solver="lbfgs", tol=1e-12, max_iter=100000).fit(x[:train], y[:train])
    return {
        "name": name, "x": x.tolist(), "labels": [str(v) for v in y.tolist()],
        "intercept": float(model.intercept_[0]), "coefficients": model.coef_[0].tolist(),
    }


with open("logistic.json", "w") as out:
    json.dump([logistic_case("noisy", 300, 3, 1.0), logistic_case("separable", 200, 2, 50.0)], out)
