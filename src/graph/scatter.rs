//! Scatter operations over axis 0: per-edge rows reduced into per-node rows by an index.
use crate::device::Device;
use crate::dims::Dyn;
use crate::element::Float;
use crate::error::{Error, Result};
use crate::shape::{ReplaceAxis, Shape};
use crate::tensor::Tensor;

/// How [`scatter`] combines the rows that share an index. Rows no entry points at are zero, as in
/// PyTorch Geometric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// The sum of the rows.
    Sum,
    /// Their mean.
    Mean,
    /// Their elementwise maximum.
    Max,
    /// Their elementwise minimum.
    Min,
}

/// The rows of `src` combined by `index`: row `i` of the result aggregates every row `e` of `src`
/// with `index[e] == i`, for `i` in `0..dim_size` (PyTorch Geometric's `scatter(src, index, 0,
/// dim_size=..., reduce=...)`). Differentiable. An index of the wrong length or an entry outside
/// `0..dim_size` is an error naming it.
///
/// ```
/// use typed_torch::graph::{scatter, Aggregate};
/// use typed_torch::{Dyn, Tensor, D};
/// let messages = Tensor::<(Dyn, D<2>)>::from_slice_dyn(&[1., 2., 3., 4., 5., 6.], &[3]).unwrap();
/// let target = Tensor::<(Dyn,), i64>::from_slice_dyn(&[0, 2, 0], &[3]).unwrap();
/// let summed = scatter(&messages, &target, 3, Aggregate::Sum).unwrap();
/// assert_eq!(summed.to_vec(), [6., 8., 0., 0., 3., 4.]);
/// let largest = scatter(&messages, &target, 3, Aggregate::Max).unwrap();
/// assert_eq!(largest.to_vec(), [5., 6., 0., 0., 3., 4.]);
/// ```
pub fn scatter<S, E, Dev>(
    src: &Tensor<S, E, Dev>,
    index: &Tensor<(Dyn,), i64, Dev>,
    dim_size: usize,
    aggregate: Aggregate,
) -> Result<Tensor<<S as ReplaceAxis<0, Dyn>>::Output, E, Dev>>
where
    S: Shape + ReplaceAxis<0, Dyn>,
    E: Float,
    Dev: Device,
{
    check_index("scatter index", index, src.size()[0] as i64, dim_size)?;
    reduce_rows(src.as_tch(), index.as_tch(), dim_size, aggregate).map(Tensor::wrap)
}

/// `base` with each row `e` of `src` added to row `index[e]` (PyTorch's `index_add(0, index,
/// src)`, differentiable in both): the rows of `src` are `base`'s but for their count. An index
/// of the wrong length or an entry outside `base`'s rows is an error naming it.
///
/// ```
/// use typed_torch::graph::index_add;
/// use typed_torch::{Dyn, Tensor, D};
/// let base = Tensor::<(D<3>, D<2>)>::ones();
/// let rows = Tensor::<(Dyn, D<2>)>::from_slice_dyn(&[1., 2., 3., 4.], &[2]).unwrap();
/// let index = Tensor::<(Dyn,), i64>::from_slice_dyn(&[2, 2], &[2]).unwrap();
/// assert_eq!(index_add(&base, &index, &rows).unwrap().to_vec(), [1., 1., 1., 1., 5., 7.]);
/// ```
pub fn index_add<S, E, Dev>(
    base: &Tensor<S, E, Dev>,
    index: &Tensor<(Dyn,), i64, Dev>,
    src: &Tensor<<S as ReplaceAxis<0, Dyn>>::Output, E, Dev>,
) -> Result<Tensor<S, E, Dev>>
where
    S: Shape + ReplaceAxis<0, Dyn>,
    E: Float,
    Dev: Device,
{
    check_index(
        "index_add index",
        index,
        src.size()[0] as i64,
        base.size()[0],
    )?;
    Ok(Tensor::wrap(base.as_tch().f_index_add(
        0,
        index.as_tch(),
        src.as_tch(),
    )?))
}

/// [`scatter`] on a checked index.
pub(crate) fn reduce_rows(
    src: &tch::Tensor,
    index: &tch::Tensor,
    dim_size: usize,
    aggregate: Aggregate,
) -> Result<tch::Tensor> {
    let mut sizes = src.size();
    sizes[0] = dim_size as i64;
    let zeros = tch::Tensor::zeros(&sizes, (src.kind(), src.device()));
    let reduce = match aggregate {
        Aggregate::Sum => return Ok(zeros.f_index_add(0, index, src)?),
        Aggregate::Mean => "mean",
        Aggregate::Max => "amax",
        Aggregate::Min => "amin",
    };
    // aten's `scatter_reduce.two` (tch's `internal_scatter_reduce`) takes an index of the
    // source's shape; `index_reduce` would take the row index as it is, but warns that it is beta.
    let mut view = vec![1i64; sizes.len()];
    view[0] = -1;
    let expanded = index.f_view(view.as_slice())?.f_expand_as(src)?;
    // `include_self = false`: the zeros only fill rows no entry points at.
    Ok(zeros.f_internal_scatter_reduce(0, &expanded, src, reduce, false)?)
}

/// How many entries of `index` name each of `0..num_nodes` (a node's in-degree when `index` is
/// the edges' targets), as `E`.
///
/// ```
/// use typed_torch::graph::degree;
/// use typed_torch::{Dyn, Tensor};
/// let target = Tensor::<(Dyn,), i64>::from_slice_dyn(&[0, 2, 0], &[3]).unwrap();
/// assert_eq!(degree::<f32, _>(&target, 4).unwrap().to_vec(), [2., 0., 1., 0.]);
/// ```
pub fn degree<E: Float, Dev: Device>(
    index: &Tensor<(Dyn,), i64, Dev>,
    num_nodes: usize,
) -> Result<Tensor<(Dyn,), E, Dev>> {
    let entries = index.size()[0];
    check_index("degree index", index, entries as i64, num_nodes)?;
    let ones = tch::Tensor::ones([entries as i64], (E::DTYPE, Dev::tch()));
    let zeros = tch::Tensor::zeros([num_nodes as i64], (E::DTYPE, Dev::tch()));
    Ok(Tensor::wrap(zeros.f_index_add(0, index.as_tch(), &ones)?))
}

/// A softmax over the rows that share an index (the attention weights of a node's incoming
/// edges): each row of `src` minus its group's maximum, exponentiated, divided by its group's sum.
/// Differentiable; PyTorch Geometric's `softmax(src, index, num_nodes=...)`.
///
/// ```
/// use typed_torch::graph::segment_softmax;
/// use typed_torch::{Dyn, Tensor};
/// let scores = Tensor::<(Dyn,)>::from_slice_dyn(&[0., 0., 5.], &[3]).unwrap();
/// let target = Tensor::<(Dyn,), i64>::from_slice_dyn(&[1, 1, 0], &[3]).unwrap();
/// let weights = segment_softmax(&scores, &target, 2).unwrap();
/// assert_eq!(weights.to_vec(), [0.5, 0.5, 1.0]);
/// ```
pub fn segment_softmax<S, E, Dev>(
    src: &Tensor<S, E, Dev>,
    index: &Tensor<(Dyn,), i64, Dev>,
    num_nodes: usize,
) -> Result<Tensor<S, E, Dev>>
where
    S: Shape,
    E: Float,
    Dev: Device,
{
    let rows = src.size()[0] as i64;
    check_index("segment_softmax index", index, rows, num_nodes)?;
    softmax_rows(src.as_tch(), index.as_tch(), num_nodes).map(Tensor::wrap)
}

/// [`segment_softmax`] on a checked index.
pub(crate) fn softmax_rows(
    src: &tch::Tensor,
    index: &tch::Tensor,
    num_nodes: usize,
) -> Result<tch::Tensor> {
    // The maximum only keeps `exp` in range: a constant shift per group, without gradient, as in
    // PyTorch Geometric.
    let max = reduce_rows(&src.detach(), index, num_nodes, Aggregate::Max)?;
    let exp = (src - max.index_select(0, index)).exp();
    let sum = reduce_rows(&exp, index, num_nodes, Aggregate::Sum)?;
    Ok(&exp / sum.index_select(0, index))
}

/// An index of `rows` entries, each in `0..size`; else the first bad entry.
pub(crate) fn check_index<Dev: Device>(
    what: &str,
    index: &Tensor<(Dyn,), i64, Dev>,
    rows: i64,
    size: usize,
) -> Result<()> {
    let index = index.as_tch();
    if index.size()[0] != rows {
        return Err(Error::Invalid(format!(
            "{what}: {} entries for {rows} rows; one entry per row",
            index.size()[0]
        )));
    }
    if rows == 0 {
        return Ok(());
    }
    let bad = index.lt(0).logical_or(&index.ge(size as i64));
    if bad.any().int64_value(&[]) != 0 {
        let position = bad
            .to_kind(tch::Kind::Int64)
            .argmax(0, false)
            .int64_value(&[]);
        return Err(Error::IndexOutOfRange {
            what: what.to_string(),
            position: position as usize,
            value: index.int64_value(&[position]),
            size,
        });
    }
    Ok(())
}
