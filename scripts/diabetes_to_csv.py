"""Writes scikit-learn's diabetes data (442 patients, 10 baseline measurements, disease progression
one year later; Efron et al., 2004) to DIR/train.csv (342 rows) and DIR/test.csv (100 rows), split
by a fixed permutation, then fits scikit-learn's GaussianProcessRegressor on the same split and
writes its figures to DIR/sklearn_gpr.json, the reference the `gaussian_process` example prints
next to its own. Every file is written atomically; sklearn_gpr.json last, so its presence means
the export is complete.

The model: features and target standardized by the training split's mean and standard deviation,
kernel ConstantKernel(1) * RBF(length_scale=[1]*10) + WhiteKernel(1), hyper-parameters by
L-BFGS from that start (scikit-learn's default optimizer, no restarts). Test RMSE and the mean log
predictive density are in the target's own units.
"""
import json
import math
import os
import sys
import tempfile
import warnings

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

COLUMNS = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"]
TEST_ROWS = 100


def write(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def csv(rows):
    lines = [",".join(COLUMNS)]
    lines += [",".join(repr(float(v)) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def main(out):
    os.makedirs(out, exist_ok=True)
    data = load_diabetes(scaled=False)
    table = np.column_stack([data.data, data.target])
    assert table.shape == (442, 11), table.shape
    order = np.random.default_rng(0).permutation(len(table))
    test, train = table[order[:TEST_ROWS]], table[order[TEST_ROWS:]]
    write(os.path.join(out, "train.csv"), csv(train))
    write(os.path.join(out, "test.csv"), csv(test))

    x_mean, x_std = train[:, :10].mean(0), train[:, :10].std(0)
    y_mean, y_std = train[:, 10].mean(), train[:, 10].std()
    xs = lambda rows: (rows[:, :10] - x_mean) / x_std
    ys = lambda rows: (rows[:, 10] - y_mean) / y_std
    # Length scales of features that do not matter run to their bound (1e5); scikit-learn warns
    # about it, but that is the fit working, not failing.
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    kernel = ConstantKernel(1.0) * RBF(length_scale=np.ones(10)) + WhiteKernel(1.0)
    gp = GaussianProcessRegressor(kernel=kernel, random_state=0).fit(xs(train), ys(train))
    mean, std = gp.predict(xs(test), return_std=True)
    mean, std = mean * y_std + y_mean, std * y_std
    y = test[:, 10]
    rmse = float(np.sqrt(np.mean((mean - y) ** 2)))
    mlpd = float(np.mean(-0.5 * np.log(2 * math.pi * std**2) - 0.5 * ((y - mean) / std) ** 2))
    fitted = gp.kernel_
    report = {
        "sklearn_version": __import__("sklearn").__version__,
        "train_rows": int(len(train)),
        "test_rows": int(len(test)),
        "test_rmse": rmse,
        "test_mlpd": mlpd,
        "log_marginal_likelihood": float(gp.log_marginal_likelihood_value_),
        "signal_variance": float(fitted.k1.k1.constant_value),
        "length_scales": [float(v) for v in np.atleast_1d(fitted.k1.k2.length_scale)],
        "noise_variance": float(fitted.k2.noise_level),
    }
    write(os.path.join(out, "sklearn_gpr.json"), json.dumps(report, indent=2) + "\n")
    print(f"scikit-learn GPR: test RMSE {rmse:.2f}, MLPD {mlpd:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
