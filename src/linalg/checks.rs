//! The run-time half of linear algebra's checks: `Dyn` sizes, non-finite entries, and libtorch's
//! `*_ex` info codes turned into [`Error::Linalg`] sentences.
use crate::error::{Error, Result};
use crate::explain::{check, Needs};

/// `Err` naming `op` and the problem.
pub(super) fn linalg_error(op: &'static str, problem: impl Into<String>) -> Error {
    Error::Linalg {
        op,
        problem: problem.into(),
    }
}

/// Checks that a matrix (or batch) with `Dyn` rows or columns is square; static shapes were
/// checked by the compiler, and this costs two integer reads.
pub(super) fn square(op: &'static str, a: &tch::Tensor) -> Result<()> {
    let size = a.size();
    let (rows, cols) = (size[size.len() - 2], size[size.len() - 1]);
    if rows == cols {
        Ok(())
    } else {
        Err(Error::Operands {
            op,
            sizes: vec![size],
            expected: "a square matrix (as many rows as columns)".into(),
            found: format!("{rows} rows and {cols} columns"),
        })
    }
}

/// Checks that every entry is finite: LAPACK's direct factorizations given a NaN return NaN
/// without an info code, and its iterative ones fail to converge, so the decompositions refuse
/// it up front. One reduction and one read: the sum of the entries is finite when they all are
/// (a NaN or an infinity makes it NaN or infinite); only when it is not are the entries searched,
/// so an overflowing sum of finite entries passes.
pub(super) fn finite(op: &'static str, a: &tch::Tensor) -> Result<()> {
    let a = a.detach();
    if a.sum(tch::Kind::Double).double_value(&[]).is_finite() {
        return Ok(());
    }
    let bad = a.isfinite().logical_not();
    if bad.any().int64_value(&[]) == 0 {
        return Ok(());
    }
    // argmax takes no bools; the first 1 is the first non-finite entry.
    let first = bad
        .flatten(0, -1)
        .to_kind(tch::Kind::Uint8)
        .argmax(0, false)
        .int64_value(&[]);
    let value = a.flatten(0, -1).double_value(&[first]);
    Err(linalg_error(
        op,
        format!(
            "the input has a non-finite entry ({value}) at {:?}",
            unravel(first, &a.size())
        ),
    ))
}

/// Turns a batch of LAPACK info codes into the first failure's sentence, or `Ok` if all are 0.
/// `describe(code)` says what code `code > 0` means for this op.
pub(super) fn info(
    op: &'static str,
    info: &tch::Tensor,
    describe: impl Fn(i64) -> String,
) -> Result<()> {
    // One read for one matrix, one reduction and a read for a batch.
    let clean = if info.dim() == 0 {
        info.int64_value(&[]) == 0
    } else {
        info.any().int64_value(&[]) == 0
    };
    if clean {
        return Ok(());
    }
    let nonzero = info.ne(0);
    let flat = info.flatten(0, -1);
    let first = nonzero
        .flatten(0, -1)
        .to_kind(tch::Kind::Int64)
        .argmax(0, false);
    let first = first.int64_value(&[]);
    let code = flat.int64_value(&[first]);
    let which = if info.dim() == 0 {
        String::new()
    } else {
        format!("matrix {:?} of the batch: ", unravel(first, &info.size()))
    };
    Err(linalg_error(op, format!("{which}{}", describe(code))))
}

/// A flat index as one index per dim.
fn unravel(mut flat: i64, size: &[i64]) -> Vec<i64> {
    let mut index = vec![0; size.len()];
    for (slot, &n) in index.iter_mut().zip(size).rev() {
        *slot = flat % n.max(1);
        flat /= n.max(1);
    }
    index
}

/// A libtorch call that should not fail on operands the types admit, its failure explained.
pub(super) fn call<T>(
    op: &'static str,
    operands: &[&tch::Tensor],
    result: core::result::Result<T, tch::TchError>,
) -> Result<T> {
    check(op, operands, Needs::Libtorch, result)
}

#[cfg(test)]
mod tests {
    use super::unravel;

    #[test]
    fn flat_indices_unravel_row_major() {
        assert_eq!(unravel(5, &[2, 3]), vec![1, 2]);
        assert_eq!(unravel(0, &[]), Vec::<i64>::new());
        assert_eq!(unravel(7, &[2, 2, 2]), vec![1, 1, 1]);
    }
}
