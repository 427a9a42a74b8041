"""scikit-learn's Gaussian-process likelihood and predictions at fixed hyper-parameters, the
reference of tests/train/gaussian_process.rs.

Usage: gp_sklearn.py DATA_DIR THETA_JSON, where DATA_DIR holds the set-up's train.csv and test.csv
and THETA_JSON is scikit-learn's `theta` for the kernel
ConstantKernel * RBF(10 length-scales) + WhiteKernel: [log s², log l_1, ..., log l_10, log noise].

Prints one JSON object: the log marginal likelihood of the standardized training targets and its
gradient in theta (`gp.log_marginal_likelihood(theta, eval_gradient=True)`), and the predictive
mean and standard deviation of the test patients in standardized units (`gp.predict`, noise
included through the WhiteKernel), all at theta (`optimizer=None`: no fitting), plus the
likelihood with the features read as float64 (`lml_float64_features`), to show what reading them
as float32 changes.

The features go through float32 first, as typed_torch::data::CsvReader reads them, so that both
sides compute with the same numbers; standardization is by the training split's mean and
population standard deviation (numpy's std()), as scripts/diabetes_to_csv.py.
"""
import json
import os
import sys

import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel


def load(path):
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    return table[:, :10], table[:, 10]


def standardized(train_x, train_y, test_x):
    x_mean, x_std = train_x.mean(0), train_x.std(0)
    y_mean, y_std = train_y.mean(), train_y.std()
    return (train_x - x_mean) / x_std, (train_y - y_mean) / y_std, (test_x - x_mean) / x_std


def regressor(theta, x, y):
    kernel = ConstantKernel(1.0) * RBF(length_scale=np.ones(10)) + WhiteKernel(1.0)
    kernel = kernel.clone_with_theta(np.asarray(theta, dtype=np.float64))
    return GaussianProcessRegressor(kernel=kernel, optimizer=None).fit(x, y)


def main(data_dir, theta):
    train_x, train_y = load(os.path.join(data_dir, "train.csv"))
    test_x, _ = load(os.path.join(data_dir, "test.csv"))
    as_f32 = lambda a: a.astype(np.float32).astype(np.float64)
    x, y, tx = standardized(as_f32(train_x), train_y, as_f32(test_x))
    gp = regressor(theta, x, y)
    lml, gradient = gp.log_marginal_likelihood(np.asarray(theta), eval_gradient=True)
    mean, std = gp.predict(tx, return_std=True)
    x64, y64, _ = standardized(train_x, train_y, test_x)
    lml64 = regressor(theta, x64, y64).log_marginal_likelihood(np.asarray(theta))
    print(
        json.dumps(
            {
                "theta": [float(t) for t in theta],
                "kernel": str(gp.kernel_),
                "lml": float(lml),
                "gradient": [float(g) for g in gradient],
                "mean": [float(m) for m in mean],
                "std": [float(s) for s in std],
                "lml_float64_features": float(lml64),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
