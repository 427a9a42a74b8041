//! Run-time failures of libtorch calls, told in the user's terms.
//!
//! A `Dyn` dim is known only at run time, so libtorch can refuse operands whose types fit: batches
//! of 2 and 5 added, 4 labels for 8 rows of logits, a class index past the last class. Every op
//! calls libtorch's fallible (`f_*`) form and hands a failure to [`explain`], which reads the
//! operands' sizes (and, for index checks, their values) only then, and says in one sentence what
//! the op needed and what it got: an [`Error::Operands`]. libtorch's own text, which carries its
//! C++ backtrace, is never shown; at most its first line, when no better sentence is known.
//!
//! The `try_` ops return that error. The panicking ops pass it to [`or_panic`]; they and every
//! function between them and the user (operator impls, `Module::forward`, combinators) are
//! `#[track_caller]`, so the panic names the user's line, not one inside typed-torch or tch.
use crate::error::{Error, Result};

/// What an op needs of its operands, so that [`explain`] can say which need was not met.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Needs {
    /// Elementwise operands whose sizes broadcast; one phrase per operand says where it stands
    /// (`"on the left"`).
    Broadcast(&'static [&'static str]),
    /// `matmul`: equal contracted dims, batch dims that broadcast.
    MatMul,
    /// `cat` along this dim: equal sizes in every other dim.
    Cat(usize),
    /// Operands of equal sizes; the text says why (`stack`, elementwise losses).
    Equal(&'static str),
    /// Logits `(B, C)`, class-index targets `(B,)` in `0..C` (or the ignored -100), and optional
    /// class weights `(C,)`.
    ClassTargets,
    /// Indices, in the second operand, into this dim of the first (`index_select`, `embedding`).
    Indices(usize),
    /// `gather` along this dim: index sizes within the source's outside it, indices within it.
    Gather(usize),
    /// Class indices in `0..classes`, in the only operand (`one_hot`).
    Classes(i64),
    /// A convolution of input `(N, C, spatial..)` by a weight, with an optional bias.
    Conv {
        stride: i64,
        pad: i64,
        out_pad: i64,
        dil: i64,
        groups: i64,
        transposed: bool,
    },
    /// A pooling window over the last two dims of the only operand.
    Pool { kernel: i64, pad: i64, dil: i64 },
    /// Non-empty dims `from..to` of the only operand (reductions, adaptive pooling).
    NonEmpty(usize, usize),
    /// A probability in `[0, 1]` (dropout).
    Probability(f64),
    /// Attention: query `(B, T, E)`, key and value `(B, S, E)`, then the mask `(T, S)` and the
    /// key padding `(B, S)` when given.
    Attention { mask: bool, padding: bool },
    /// Nothing checkable from sizes: libtorch's first line is all there is to say.
    Libtorch,
}

/// Where the two operands of `a op b` stand.
const SIDES: &[&str] = &["on the left", "on the right"];

impl Needs {
    /// Two elementwise operands that broadcast, `a op b`.
    pub(crate) const BINARY: Needs = Needs::Broadcast(SIDES);
}

/// Turns libtorch's failure of `op` on `operands` into an [`Error::Operands`].
#[cold]
#[inline(never)]
pub(crate) fn explain(
    op: &'static str,
    operands: &[&tch::Tensor],
    needs: Needs,
    err: tch::TchError,
) -> Error {
    operands_error(op, operands, needs, || libtorch_says(&err))
}

/// The error for operands that a check of ours (not libtorch) refused, e.g. a loss's prediction
/// and target of different sizes, which libtorch would broadcast.
#[cold]
#[inline(never)]
pub(crate) fn refuse(op: &'static str, operands: &[&tch::Tensor], needs: Needs) -> Error {
    operands_error(op, operands, needs, || {
        ("operands that fit".into(), "operands that do not".into())
    })
}

/// The operands' sizes and the first need they miss, or `otherwise` if none is found.
fn operands_error(
    op: &'static str,
    operands: &[&tch::Tensor],
    needs: Needs,
    otherwise: impl FnOnce() -> (String, String),
) -> Error {
    let sizes: Vec<Vec<i64>> = operands.iter().map(|t| t.size()).collect();
    let (expected, found) = diagnose(needs, &sizes, operands).unwrap_or_else(otherwise);
    Error::Operands {
        op,
        sizes,
        expected,
        found,
    }
}

/// A libtorch call's result, its failure explained.
#[inline(always)]
pub(crate) fn check<T>(
    op: &'static str,
    operands: &[&tch::Tensor],
    needs: Needs,
    result: core::result::Result<T, tch::TchError>,
) -> Result<T> {
    result.map_err(|err| explain(op, operands, needs, err))
}

/// The value, or a panic with the error's sentence at the caller's line.
#[track_caller]
#[inline(always)]
pub(crate) fn or_panic<T>(result: Result<T>) -> T {
    match result {
        Ok(value) => value,
        Err(err) => fail(err),
    }
}

/// A panic with the error's sentence at the caller's line.
#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn fail(err: Error) -> ! {
    panic!("{err}")
}

/// `[2, 3] and [5, 3]`, `[2], [2] and [3]`; past four operands, the first three and a count.
pub(crate) fn list_sizes(sizes: &[Vec<i64>]) -> String {
    let shown = if sizes.len() > 4 { 3 } else { sizes.len() };
    let mut parts: Vec<String> = sizes[..shown].iter().map(|s| format!("{s:?}")).collect();
    if shown < sizes.len() {
        parts.push(format!("{} more", sizes.len() - shown));
    }
    and_list(&parts)
}

/// libtorch's first line (its message without the C++ backtrace), as a last resort.
fn libtorch_says(err: &tch::TchError) -> (String, String) {
    let text = err.to_string();
    let text = text.strip_prefix("Internal torch error: ").unwrap_or(&text);
    let first = text
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches('.');
    if first == "ZeroDivisionError" {
        return (
            "nonzero divisors (integer division)".into(),
            "a zero divisor".into(),
        );
    }
    (
        "operands libtorch accepts".into(),
        format!("libtorch's complaint \"{first}\""),
    )
}

/// `(expected, found)` for the first need that the sizes (or values) do not meet.
fn diagnose(
    needs: Needs,
    sizes: &[Vec<i64>],
    operands: &[&tch::Tensor],
) -> Option<(String, String)> {
    let found = |expected: String, found: String| Some((expected, found));
    match needs {
        Needs::Broadcast(sides) => {
            let (dim, clash) = broadcast_clash(sizes)?;
            found(
                "sizes that broadcast (equal or 1 in each dim)".into(),
                format!("{} in {dim}", placed(&clash, sides)),
            )
        }
        Needs::MatMul => {
            let (a, b) = (sizes.first()?, sizes.get(1)?);
            let k_left = *a.last()?;
            let (k_right, which) = match b.len() {
                1 => (b[0], "only dim"),
                2 => (b[0], "first dim"),
                n => (b[n - 2], "second-last dim"),
            };
            if k_left != k_right {
                return found(
                    format!("the left's last dim to equal the right's {which}"),
                    format!("{k_left} against {k_right}"),
                );
            }
            let batch = |s: &Vec<i64>| s[..s.len().saturating_sub(2)].to_vec();
            let (dim, clash) = broadcast_clash(&[batch(a), batch(b)])?;
            found(
                "batch dims that broadcast (equal or 1 in each dim)".into(),
                format!("{} in batch {dim}", placed(&clash, SIDES)),
            )
        }
        Needs::Cat(axis) => {
            let (a, b) = (sizes.first()?, sizes.get(1)?);
            let d = (0..a.len().min(b.len())).find(|&d| d != axis && a[d] != b[d])?;
            found(
                format!("equal sizes outside dim {axis}"),
                format!("{} against {} in dim {d}", a[d], b[d]),
            )
        }
        Needs::Equal(why) => {
            let first = sizes.first()?;
            let (i, other) = sizes.iter().enumerate().find(|(_, s)| *s != first)?;
            let which = if sizes.len() > 2 {
                format!(" (tensors 0 and {i})")
            } else {
                String::new()
            };
            let what = match (0..first.len().min(other.len())).find(|&d| first[d] != other[d]) {
                Some(d) if first.len() == other.len() => {
                    format!("{} against {} in dim {d}{which}", first[d], other[d])
                }
                _ => format!("rank {} against rank {}{which}", first.len(), other.len()),
            };
            found(why.into(), what)
        }
        Needs::ClassTargets => {
            let (logits, targets) = (sizes.first()?, sizes.get(1)?);
            let (rows, classes) = (*logits.first()?, *logits.get(1)?);
            if targets.first() != Some(&rows) {
                return found(
                    format!("one target per row of the logits ({rows})"),
                    count(targets.first().copied().unwrap_or(0), "target"),
                );
            }
            if let Some(weights) = sizes.get(2) {
                if weights.first() != Some(&classes) {
                    return found(
                        format!("one class weight per class ({classes})"),
                        count(weights.first().copied().unwrap_or(0), "weight"),
                    );
                }
            }
            let (value, at) = first_outside(operands.get(1)?, 0..classes, Some(-100))?;
            found(
                format!("class indices in 0..{classes} (or -100 to ignore)"),
                format!("{value} at {at}"),
            )
        }
        Needs::Indices(axis) => {
            let n = *sizes.first()?.get(axis)?;
            let (value, at) = first_outside(operands.get(1)?, 0..n, None)?;
            found(
                format!("indices in 0..{n} (the size of dim {axis})"),
                format!("{value} at {at}"),
            )
        }
        Needs::Gather(axis) => {
            let (src, index) = (sizes.first()?, sizes.get(1)?);
            if let Some(d) =
                (0..src.len().min(index.len())).find(|&d| d != axis && index[d] > src[d])
            {
                return found(
                    format!("index sizes at most the source's outside dim {axis}"),
                    format!("{} against {} in dim {d}", index[d], src[d]),
                );
            }
            let n = *src.get(axis)?;
            let (value, at) = first_outside(operands.get(1)?, 0..n, None)?;
            found(
                format!("indices in 0..{n} (the size of dim {axis})"),
                format!("{value} at {at}"),
            )
        }
        Needs::Classes(classes) => {
            let (value, at) = first_outside(operands.first()?, 0..classes, None)?;
            found(
                format!("class indices in 0..{classes}"),
                format!("{value} at {at}"),
            )
        }
        Needs::Conv {
            stride,
            pad,
            out_pad,
            dil,
            groups,
            transposed,
        } => {
            let (x, w) = (sizes.first()?, sizes.get(1)?);
            let (channels_in, channels_out) = if transposed {
                (w[0], w[1] * groups)
            } else {
                (w[1] * groups, w[0])
            };
            if x.get(1) != Some(&channels_in) {
                return found(
                    format!(
                        "{} (weight {w:?}, groups {groups})",
                        count(channels_in, "input channel")
                    ),
                    count(x.get(1).copied().unwrap_or(0), "channel"),
                );
            }
            if !transposed && w[0] % groups != 0 {
                return found(
                    format!("output channels divisible by the {groups} groups"),
                    count(w[0], "output channel"),
                );
            }
            if let Some(bias) = sizes.get(2) {
                if bias.first() != Some(&channels_out) {
                    return found(
                        format!("a bias of {channels_out}, one per output channel"),
                        format!("{bias:?}"),
                    );
                }
            }
            let kernel = &w[2..];
            for (i, (&size, &k)) in x[2..].iter().zip(kernel).enumerate() {
                let span = dil * (k - 1) + 1;
                if !transposed && size + 2 * pad < span {
                    return found(
                        format!(
                            "at least {span} in each spatial dim after padding {pad} \
                             (kernel {}, dilation {dil})",
                            by(kernel)
                        ),
                        format!("{size} in dim {}", i + 2),
                    );
                }
                if transposed && (size - 1) * stride - 2 * pad + span + out_pad < 1 {
                    return found(
                        format!(
                            "a positive output size (kernel {}, stride {stride}, padding {pad})",
                            by(kernel)
                        ),
                        format!("{size} in dim {}", i + 2),
                    );
                }
            }
            None
        }
        Needs::Pool { kernel, pad, dil } => {
            let x = sizes.first()?;
            let span = dil * (kernel - 1) + 1;
            if pad > span / 2 {
                return found(
                    format!("padding at most half the window ({})", span / 2),
                    format!("padding {pad}"),
                );
            }
            let d = (2..x.len()).find(|&d| x[d] + 2 * pad < span)?;
            found(
                format!(
                    "at least {span} in each spatial dim after padding {pad} \
                     (window {kernel} x {kernel}, dilation {dil})"
                ),
                format!("{} in dim {d}", x[d]),
            )
        }
        Needs::NonEmpty(from, to) => {
            let x = sizes.first()?;
            let d = (from..to.min(x.len())).find(|&d| x[d] == 0)?;
            let expected = if to - from == 1 {
                format!("a non-empty dim {from}")
            } else {
                format!("non-empty dims {from} to {}", to - 1)
            };
            found(expected, format!("size 0 in dim {d}"))
        }
        Needs::Probability(p) => found("a probability in [0, 1]".into(), format!("{p}")),
        Needs::Attention { mask, padding } => {
            let (q, k, v) = (sizes.first()?, sizes.get(1)?, sizes.get(2)?);
            let (batch, t, s) = (q[0], q[1], k[1]);
            if k[0] != batch || v[0] != batch {
                return found(
                    format!("the query's batch size {batch} in key and value"),
                    format!("{} in the key and {} in the value", k[0], v[0]),
                );
            }
            if v[1] != s {
                return found(format!("one value per key ({s})"), count(v[1], "value"));
            }
            let mut rest = sizes[3..].iter();
            if mask {
                let m = rest.next()?;
                if m[..] != [t, s] {
                    return found(
                        format!("a mask of sizes [{t}, {s}] (query length, key length)"),
                        format!("{m:?}"),
                    );
                }
            }
            if padding {
                let p = rest.next()?;
                if p[..] != [batch, s] {
                    return found(
                        format!("a key padding of sizes [{batch}, {s}] (batch, key length)"),
                        format!("{p:?}"),
                    );
                }
            }
            None
        }
        Needs::Libtorch => None,
    }
}

/// The first dim, counted from the last as broadcasting does, where operands have different
/// sizes other than 1: `("dim 0", [(0, 2), (1, 5)])` (operand index, size). The dim is numbered
/// from the front when every operand has the same rank, else from the back (`"dim -2"`).
fn broadcast_clash(sizes: &[Vec<i64>]) -> Option<(String, Vec<(usize, i64)>)> {
    let rank = sizes.iter().map(Vec::len).max()?;
    let same_rank = sizes.iter().all(|s| s.len() == rank);
    (1..=rank).rev().find_map(|back| {
        let clash: Vec<(usize, i64)> = sizes
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.len().checked_sub(back).map(|d| (i, s[d])))
            .filter(|&(_, size)| size != 1)
            .collect();
        let differ = clash.windows(2).any(|w| w[0].1 != w[1].1);
        let dim = if same_rank {
            format!("dim {}", rank - back)
        } else {
            format!("dim -{back}")
        };
        differ.then_some((dim, clash))
    })
}

/// The first value of `index` outside `range` (other than `allowed`), and where it is:
/// `(12, "position [1, 2]")`. Reads the values, so only for the error path.
fn first_outside(
    index: &tch::Tensor,
    range: core::ops::Range<i64>,
    allowed: Option<i64>,
) -> Option<(i64, String)> {
    let flat = index
        .f_flatten(0, -1)
        .and_then(|t| t.f_to_device(tch::Device::Cpu))
        .and_then(|t| t.f_to_kind(tch::Kind::Int64))
        .ok()?;
    let values = Vec::<i64>::try_from(&flat).ok()?;
    let (flat_at, value) = values
        .into_iter()
        .enumerate()
        .find(|&(_, v)| !range.contains(&v) && Some(v) != allowed)?;
    // The flat position as one index per dim.
    let sizes = index.size();
    let mut at = vec![0; sizes.len()];
    let mut rest = flat_at as i64;
    for (slot, &size) in at.iter_mut().zip(&sizes).rev() {
        *slot = rest % size.max(1);
        rest /= size.max(1);
    }
    Some((value, format!("position {at:?}")))
}

/// `2 on the left and 5 on the right`: each clashing size and where its operand stands.
fn placed(clash: &[(usize, i64)], places: &[&str]) -> String {
    let parts: Vec<String> = clash
        .iter()
        .map(|&(i, size)| format!("{size} {}", places.get(i).copied().unwrap_or("")))
        .collect();
    and_list(&parts)
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(parts: &[String]) -> String {
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// `1 channel`, `3 channels`.
fn count(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `5 x 5`.
fn by(sizes: &[i64]) -> String {
    sizes
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(" x ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_clashes_are_found_from_the_back() {
        let clash = broadcast_clash(&[vec![2, 3], vec![5, 3]]).unwrap();
        assert_eq!(clash, ("dim 0".to_string(), vec![(0, 2), (1, 5)]));
        let clash = broadcast_clash(&[vec![4, 2, 3], vec![5, 1]]).unwrap();
        assert_eq!(clash, ("dim -2".to_string(), vec![(0, 2), (1, 5)]));
        assert!(broadcast_clash(&[vec![1, 3], vec![5, 3]]).is_none());
        assert!(broadcast_clash(&[vec![1], vec![4]]).is_none());
    }

    #[test]
    fn sizes_are_listed_in_argument_order() {
        assert_eq!(list_sizes(&[vec![2, 3], vec![5, 3]]), "[2, 3] and [5, 3]");
        assert_eq!(list_sizes(&[vec![2], vec![2], vec![3]]), "[2], [2] and [3]");
        assert_eq!(list_sizes(&vec![vec![1]; 6]), "[1], [1], [1] and 3 more");
        assert_eq!(list_sizes(&[vec![]]), "[]");
    }
}
