//! The `Dataset` trait, typed `Batch`es, and `TensorDataset`: samples held as two in-memory
//! tensors whose first axis indexes the samples.
use crate::device::{Cpu, Device};
use crate::dims::{Dim, Dyn};
use crate::element::Element;
use crate::error::{Error, Result};
use crate::shape::{RemoveAxis, ReplaceAxis, Shape};
use crate::tensor::Tensor;

/// A finite, indexable collection of `(input, target)` samples that can also gather many samples
/// at once into a [`Batch`].
///
/// `get_batch` is the method a [`DataLoader`](super::DataLoader) calls: an in-memory dataset
/// answers it with one gather per batch rather than one op per sample.
pub trait Dataset {
    /// One sample, as [`get`](Dataset::get) returns it.
    type Item;
    /// The inputs of a batch, with the batch as their leading axis (a `Dyn` one for tensors).
    type Inputs;
    /// The targets of a batch, with the batch as their leading axis.
    type Targets;

    /// Number of samples.
    fn len(&self) -> usize;

    /// Whether there are no samples.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sample `index`; an error if `index >= len()`.
    fn get(&self, index: usize) -> Result<Self::Item>;

    /// The samples `indices`, in that order, as one batch; an error if any index is out of range.
    fn get_batch(&self, indices: &[usize]) -> Result<Batch<Self::Inputs, Self::Targets>>;
}

/// A batch of inputs and their targets, e.g. images `Tensor<(Dyn, D<1>, D<28>, D<28>)>` and labels
/// `Tensor<(Dyn,), i64>`.
#[derive(Debug, Clone)]
pub struct Batch<X, Y> {
    /// The inputs, batch first.
    pub inputs: X,
    /// The targets, batch first.
    pub targets: Y,
}

impl<X, Y> Batch<X, Y> {
    /// The batch as an `(inputs, targets)` pair, for destructuring.
    pub fn into_parts(self) -> (X, Y) {
        (self.inputs, self.targets)
    }
}

/// A batch value whose leading (batch) axis can be re-typed as dim `L`, checking the run-time
/// size: how a loader turns `Dyn`-batched tensors into `D<B>`-batched ones.
pub trait WithBatchDim<L: Dim>: Sized {
    /// The value with its batch axis typed `L`.
    type Output;
    /// Re-types the batch axis; an error if its run-time size does not fit `L`.
    fn with_batch_dim(self) -> Result<Self::Output>;
}

impl<S, E, Dev, L> WithBatchDim<L> for Tensor<S, E, Dev>
where
    S: ReplaceAxis<0, L>,
    E: Element,
    Dev: Device,
    L: Dim,
{
    type Output = Tensor<<S as ReplaceAxis<0, L>>::Output, E, Dev>;
    fn with_batch_dim(self) -> Result<Self::Output> {
        // No copy: from_tch only checks the sizes of the same storage against the new type.
        Tensor::from_tch(self.into_tch())
    }
}

impl<X: WithBatchDim<L>, Y: WithBatchDim<L>, L: Dim> WithBatchDim<L> for Batch<X, Y> {
    type Output = Batch<X::Output, Y::Output>;
    fn with_batch_dim(self) -> Result<Self::Output> {
        Ok(Batch {
            inputs: self.inputs.with_batch_dim()?,
            targets: self.targets.with_batch_dim()?,
        })
    }
}

/// Samples held in memory as an inputs tensor and a targets tensor whose first axes have the same
/// length, the number of samples.
///
/// Cloning shares the tensors' storage (no copy), which is how a prefetching loader hands the
/// dataset to its thread.
///
/// ```
/// use typed_torch::data::{Dataset, TensorDataset};
/// use typed_torch::{Tensor, Dyn, D};
/// let x = Tensor::<(Dyn, D<2>)>::from_slice_dyn(&[0., 1., 2., 3., 4., 5.], &[3]).unwrap();
/// let y = Tensor::<(Dyn,), i64>::from_slice_dyn(&[7, 8, 9], &[3]).unwrap();
/// let ds = TensorDataset::new(x, y).unwrap();
/// assert_eq!(ds.len(), 3);
/// let batch = ds.get_batch(&[2, 0]).unwrap();
/// assert_eq!(batch.inputs.to_vec(), vec![4., 5., 0., 1.]);
/// assert_eq!(batch.targets.to_vec(), vec![9, 7]);
/// let (x1, y1) = ds.get(1).unwrap(); // Tensor<(D<2>,)>, Tensor<(), i64>
/// assert_eq!((x1.to_vec(), y1.item()), (vec![2., 3.], 8));
/// ```
#[derive(Debug)]
pub struct TensorDataset<SX, EX, SY, EY, Dev = Cpu>
where
    SX: Shape,
    EX: Element,
    SY: Shape,
    EY: Element,
    Dev: Device,
{
    inputs: Tensor<SX, EX, Dev>,
    targets: Tensor<SY, EY, Dev>,
}

impl<SX, EX, SY, EY, Dev> TensorDataset<SX, EX, SY, EY, Dev>
where
    SX: Shape,
    EX: Element,
    SY: Shape,
    EY: Element,
    Dev: Device,
{
    /// Pairs `inputs` with `targets`; an error unless both have at least one axis and their first
    /// axes have the same length.
    pub fn new(inputs: Tensor<SX, EX, Dev>, targets: Tensor<SY, EY, Dev>) -> Result<Self> {
        let (xs, ys) = (inputs.size(), targets.size());
        match (xs.first(), ys.first()) {
            (Some(nx), Some(ny)) if nx == ny => Ok(TensorDataset { inputs, targets }),
            _ => Err(Error::Invalid(format!(
                "TensorDataset: inputs {xs:?} and targets {ys:?} need first axes of equal length \
                 (the samples)"
            ))),
        }
    }

    /// The inputs, all samples.
    pub fn inputs(&self) -> &Tensor<SX, EX, Dev> {
        &self.inputs
    }

    /// The targets, all samples.
    pub fn targets(&self) -> &Tensor<SY, EY, Dev> {
        &self.targets
    }

    /// The two tensors back.
    pub fn into_parts(self) -> (Tensor<SX, EX, Dev>, Tensor<SY, EY, Dev>) {
        (self.inputs, self.targets)
    }

    fn samples(&self) -> usize {
        self.inputs.size()[0]
    }

    fn check(&self, index: usize) -> Result<()> {
        let n = self.samples();
        if index < n {
            Ok(())
        } else {
            Err(Error::Invalid(format!(
                "TensorDataset: index {index} is out of range for {n} samples"
            )))
        }
    }
}

impl<SX, EX, SY, EY, Dev> Clone for TensorDataset<SX, EX, SY, EY, Dev>
where
    SX: Shape,
    EX: Element,
    SY: Shape,
    EY: Element,
    Dev: Device,
{
    /// Shares the tensors' storage.
    fn clone(&self) -> Self {
        TensorDataset {
            inputs: self.inputs.share(),
            targets: self.targets.share(),
        }
    }
}

impl<SX, EX, SY, EY, Dev> Dataset for TensorDataset<SX, EX, SY, EY, Dev>
where
    SX: Shape + RemoveAxis<0> + ReplaceAxis<0, Dyn>,
    EX: Element,
    SY: Shape + RemoveAxis<0> + ReplaceAxis<0, Dyn>,
    EY: Element,
    Dev: Device,
{
    type Item = (
        Tensor<<SX as RemoveAxis<0>>::Output, EX, Dev>,
        Tensor<<SY as RemoveAxis<0>>::Output, EY, Dev>,
    );
    type Inputs = Tensor<<SX as ReplaceAxis<0, Dyn>>::Output, EX, Dev>;
    type Targets = Tensor<<SY as ReplaceAxis<0, Dyn>>::Output, EY, Dev>;

    fn len(&self) -> usize {
        self.samples()
    }

    fn get(&self, index: usize) -> Result<Self::Item> {
        self.check(index)?;
        let i = index as i64;
        Ok((
            Tensor::wrap(self.inputs.as_tch().f_select(0, i)?),
            Tensor::wrap(self.targets.as_tch().f_select(0, i)?),
        ))
    }

    fn get_batch(&self, indices: &[usize]) -> Result<Batch<Self::Inputs, Self::Targets>> {
        let mut index = Vec::with_capacity(indices.len());
        for &i in indices {
            self.check(i)?;
            index.push(i as i64);
        }
        let index = tch::Tensor::from_slice(&index).f_to_device(Dev::tch())?;
        // One gather per tensor for the whole batch.
        Ok(Batch {
            inputs: Tensor::wrap(self.inputs.as_tch().f_index_select(0, &index)?),
            targets: Tensor::wrap(self.targets.as_tch().f_index_select(0, &index)?),
        })
    }
}
