#!/usr/bin/python3
"""Reference Theil-Sen lines from scipy.stats.theilslopes (Debian's python3-scipy), for TheilSenTests.

Run with /usr/bin/python3 from this folder; it rewrites theilsen.json. Inputs come from a fixed seed.
"""
import json

import numpy as np
from scipy import stats

rng = np.random.default_rng(20261202)


def case(name, x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    result = stats.theilslopes(y, x)
    return {"name": name, "x": x.tolist(), "y": y.tolist(), "slope": float(result[0]), "intercept": float(result[1])}


cases = [
    case("odd pair count", [0, 1, 2, 3, 4, 5], [1.0, 2.5, 2.9, 4.2, 4.8, 7.5]),
    case("even pair count", [0, 1, 2, 3, 4], [3.0, 2.0, 5.0, 4.5, 6.0]),
    case("ties in x", [0, 0, 1, 1, 2, 3, 3, 4], [1.0, 1.4, 2.2, 1.9, 3.1, 4.4, 3.9, 5.2]),
    case("unsorted x", [3.5, 0.25, 2.0, 1.0, 4.75, 0.5], [7.0, 1.0, 4.1, 2.2, 9.9, 0.7]),
]
x = np.sort(rng.uniform(0, 7, 60))
cases.append(case("noisy week", x, 4.0 + 0.3 * x + rng.normal(0, 0.5, 60)))
x = np.sort(rng.uniform(0, 7, 3000))
cases.append(case("3000 noisy evaluations", x, 10.0 - 0.05 * x + rng.standard_t(3, 3000)))

with open("theilsen.json", "w") as out:
    json.dump(cases, out, indent=1)
