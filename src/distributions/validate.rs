//! Support checks on parameters (PyTorch's `validate_args`), each naming the first entry that
//! breaks its constraint.
use crate::error::{Error, Result};

/// A parameter's name, its distribution and the constraint it must meet.
pub(crate) struct Constraint {
    pub distribution: &'static str,
    pub parameter: &'static str,
    pub constraint: &'static str,
}

impl Constraint {
    /// `Ok` when `holds` (a boolean mask of `values`' shape) is true everywhere.
    pub fn check(&self, values: &tch::Tensor, holds: tch::Tensor) -> Result<()> {
        let broken = holds.logical_not().reshape([-1]);
        if broken.numel() == 0 || !broken.any().is_nonzero() {
            return Ok(());
        }
        let position = broken.nonzero().int64_value(&[0, 0]);
        let value = values.reshape([-1]).double_value(&[position]);
        Err(self.error(format!("entry {position} is {value}")))
    }

    /// The error for a broken constraint, described by `found`.
    pub fn error(&self, found: String) -> Error {
        Error::Parameter {
            distribution: self.distribution,
            parameter: self.parameter,
            constraint: self.constraint,
            found,
        }
    }
}

/// Checks that `values` has no NaN (PyTorch's `constraints.real`).
pub(crate) fn real(
    distribution: &'static str,
    parameter: &'static str,
    values: &tch::Tensor,
) -> Result<()> {
    let c = Constraint {
        distribution,
        parameter,
        constraint: "a real number (not NaN)",
    };
    crate::no_grad(|| c.check(values, values.eq_tensor(values)))
}

/// Checks that every entry of `values` is in [0, 1].
pub(crate) fn unit_interval(
    distribution: &'static str,
    parameter: &'static str,
    values: &tch::Tensor,
) -> Result<()> {
    let c = Constraint {
        distribution,
        parameter,
        constraint: "in [0, 1]",
    };
    crate::no_grad(|| c.check(values, values.ge(0.0).logical_and(&values.le(1.0))))
}

/// Checks that every row (last axis) of `values` is non-negative and sums to 1 within 1e-6.
pub(crate) fn simplex(
    distribution: &'static str,
    parameter: &'static str,
    values: &tch::Tensor,
) -> Result<()> {
    let c = Constraint {
        distribution,
        parameter,
        constraint: "non-negative with rows (last axis) summing to 1",
    };
    crate::no_grad(|| {
        c.check(values, values.ge(0.0))?;
        let sums = values.sum_dim_intlist([-1i64].as_slice(), false, tch::Kind::Double);
        let off = (sums.shallow_clone() - 1.0)
            .abs()
            .lt(1e-6)
            .logical_not()
            .reshape([-1]);
        if off.numel() > 0 && off.any().is_nonzero() {
            let row = off.nonzero().int64_value(&[0, 0]);
            let sum = sums.reshape([-1]).double_value(&[row]);
            return Err(c.error(format!("row {row} sums to {sum}")));
        }
        Ok(())
    })
}
