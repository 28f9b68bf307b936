#!/usr/bin/python3
"""Reference least-squares fits from numpy.linalg.lstsq (Debian's python3-numpy), for TrainerTests.

Run with /usr/bin/python3 from this folder; it rewrites trainer.json. Inputs come from a fixed seed. The fit is on
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
