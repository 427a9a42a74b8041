//! The weights of a recurrent stack, in PyTorch's flat order and under its names.
use crate::device::Device;
use crate::dims::Dyn;
use crate::element::Float;
use crate::error::Result;
use crate::nn::init::uniform_sized;
use crate::nn::{Init, Params, Path, StaticParamCount, ToDevice, ToKind, Visitor, VisitorMut};
use crate::tensor::Tensor;
use core::marker::PhantomData;

/// The recurrent cell a stack runs: how many gate blocks its weights hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Elman RNN with `tanh`: one block.
    RnnTanh,
    /// Elman RNN with `relu`: one block.
    RnnRelu,
    /// LSTM: input, forget, cell and output gates, in PyTorch's order `i, f, g, o`.
    Lstm,
    /// GRU: reset, update and new gates, `r, z, n`.
    Gru,
}

impl CellKind {
    /// Gate blocks stacked in `weight_ih` and `weight_hh`.
    pub const fn gates(self) -> usize {
        match self {
            CellKind::RnnTanh | CellKind::RnnRelu => 1,
            CellKind::Lstm => 4,
            CellKind::Gru => 3,
        }
    }
}

/// Everything a stack's weights follow from, as constants of the layer's type.
pub trait StackSpec: Send + Sync + core::fmt::Debug + 'static {
    /// The cell.
    const KIND: CellKind;
    /// `input_size`.
    const INPUT: usize;
    /// `hidden_size`.
    const HIDDEN: usize;
    /// `num_layers`.
    const LAYERS: usize;
    /// 2 if bidirectional, else 1.
    const DIRECTIONS: usize;
    /// `proj_size` (0: none).
    const PROJ: usize;
    /// Whether the stack has biases.
    const BIAS: bool;
}

/// The size of the hidden state that leaves each step: `proj_size` if set, else `hidden_size`.
pub(crate) const fn out_size<S: StackSpec>() -> usize {
    if S::PROJ > 0 {
        S::PROJ
    } else {
        S::HIDDEN
    }
}

/// The input size of layer `layer`: the stack's input for the first, the previous layer's
/// outputs of every direction for the others.
const fn layer_input<S: StackSpec>(layer: usize) -> usize {
    if layer == 0 {
        S::INPUT
    } else {
        S::DIRECTIONS * out_size::<S>()
    }
}

/// Scalar parameters of a stack, as PyTorch counts them.
pub(crate) const fn param_count<S: StackSpec>() -> usize {
    let gates = S::KIND.gates() * S::HIDDEN;
    let mut total = 0;
    let mut layer = 0;
    while layer < S::LAYERS {
        let mut cell = gates * layer_input::<S>(layer) + gates * out_size::<S>();
        if S::BIAS {
            cell += 2 * gates;
        }
        if S::PROJ > 0 {
            cell += S::PROJ * S::HIDDEN;
        }
        total += S::DIRECTIONS * cell;
        layer += 1;
    }
    total
}

/// The weights of one direction of one layer, as PyTorch names them (`weight_ih_l0`,
/// `weight_hh_l1_reverse`, ...). Their shapes depend on the layer's position, so they are sized at
/// run time, from the stack's type.
#[derive(Debug, Clone)]
pub struct CellWeights<E: Float, Dev: Device> {
    /// `(gates x hidden, input)`: the first layer's input size, or the previous layer's outputs.
    pub weight_ih: Tensor<(Dyn, Dyn), E, Dev>,
    /// `(gates x hidden, hidden or proj_size)`.
    pub weight_hh: Tensor<(Dyn, Dyn), E, Dev>,
    /// `(gates x hidden,)`, unless `NoBias`.
    pub bias_ih: Option<Tensor<(Dyn,), E, Dev>>,
    /// `(gates x hidden,)`, unless `NoBias`.
    pub bias_hh: Option<Tensor<(Dyn,), E, Dev>>,
    /// `(proj_size, hidden)`, LSTMs with `ProjSize` only.
    pub weight_hr: Option<Tensor<(Dyn, Dyn), E, Dev>>,
}

impl<E: Float, Dev: Device> CellWeights<E, Dev> {
    /// `(name, tensor)` in PyTorch's order: `w_ih, w_hh, b_ih, b_hh, w_hr`.
    fn named(&self) -> [(&'static str, Option<&tch::Tensor>); 5] {
        [
            ("weight_ih", Some(self.weight_ih.as_tch())),
            ("weight_hh", Some(self.weight_hh.as_tch())),
            ("bias_ih", self.bias_ih.as_ref().map(Tensor::as_tch)),
            ("bias_hh", self.bias_hh.as_ref().map(Tensor::as_tch)),
            ("weight_hr", self.weight_hr.as_ref().map(Tensor::as_tch)),
        ]
    }
}

/// A stack's weights: one [`CellWeights`] per layer and direction, layer by layer, the forward
/// direction first, which is both PyTorch's `state_dict` order and the flat order libtorch's fused
/// kernels take.
#[derive(Debug)]
pub struct StackWeights<Spec: StackSpec, E: Float, Dev: Device> {
    /// `layers x directions` cells.
    pub cells: Vec<CellWeights<E, Dev>>,
    spec: PhantomData<Spec>,
}

impl<Spec: StackSpec, E: Float, Dev: Device> Clone for StackWeights<Spec, E, Dev> {
    fn clone(&self) -> Self {
        StackWeights {
            cells: self.cells.clone(),
            spec: PhantomData,
        }
    }
}

impl<Spec: StackSpec, E: Float, Dev: Device> StackWeights<Spec, E, Dev> {
    /// Every weight in libtorch's flat order, for the fused kernels.
    pub(crate) fn flat(&self) -> Vec<&tch::Tensor> {
        self.cells
            .iter()
            .flat_map(|c| c.named().into_iter().filter_map(|(_, t)| t))
            .collect()
    }

    /// The `state_dict` suffix of cell `index`: `_l0`, `_l0_reverse`, `_l1`...
    fn suffix(index: usize) -> String {
        let reverse = if index % Spec::DIRECTIONS == 1 {
            "_reverse"
        } else {
            ""
        };
        format!("_l{}{reverse}", index / Spec::DIRECTIONS)
    }
}

/// PyTorch's initialisation: every weight and bias uniform in `±1/sqrt(hidden_size)`, drawn in
/// `state_dict` order.
impl<Spec: StackSpec, E: Float, Dev: Device> Init for StackWeights<Spec, E, Dev> {
    fn init() -> Result<Self> {
        let bound = (Spec::HIDDEN.max(1) as f64).sqrt().recip();
        let gates = (Spec::KIND.gates() * Spec::HIDDEN) as i64;
        let mut cells = Vec::with_capacity(Spec::LAYERS * Spec::DIRECTIONS);
        for layer in 0..Spec::LAYERS {
            for _ in 0..Spec::DIRECTIONS {
                let input = layer_input::<Spec>(layer) as i64;
                let recurrent = out_size::<Spec>() as i64;
                let bias = || -> Result<Option<Tensor<(Dyn,), E, Dev>>> {
                    match Spec::BIAS {
                        true => uniform_sized(&[gates], bound).map(Some),
                        false => Ok(None),
                    }
                };
                // Drawn one after another in PyTorch's order, so a seed gives PyTorch's values.
                let weight_ih = uniform_sized(&[gates, input], bound)?;
                let weight_hh = uniform_sized(&[gates, recurrent], bound)?;
                let bias_ih = bias()?;
                let bias_hh = bias()?;
                let weight_hr = match Spec::PROJ {
                    0 => None,
                    p => Some(uniform_sized(&[p as i64, Spec::HIDDEN as i64], bound)?),
                };
                cells.push(CellWeights {
                    weight_ih,
                    weight_hh,
                    bias_ih,
                    bias_hh,
                    weight_hr,
                });
            }
        }
        Ok(StackWeights {
            cells,
            spec: PhantomData,
        })
    }
}

/// Visits one cell's tensors under `<name><suffix>`, in `state_dict` order; `$as` is `as_ref` or
/// `as_mut`, `$visit` the matching `Params` method.
macro_rules! visit_cell {
    ($cell:expr, $suffix:expr, $path:expr, $v:expr, $as:ident, $visit:ident) => {{
        let (cell, path, v) = ($cell, $path, $v);
        path.push(&format!("weight_ih{}", $suffix));
        cell.weight_ih.$visit(path, v);
        path.pop();
        path.push(&format!("weight_hh{}", $suffix));
        cell.weight_hh.$visit(path, v);
        path.pop();
        for (name, bias) in [
            ("bias_ih", cell.bias_ih.$as()),
            ("bias_hh", cell.bias_hh.$as()),
        ] {
            if let Some(bias) = bias {
                path.push(&format!("{name}{}", $suffix));
                bias.$visit(path, v);
                path.pop();
            }
        }
        if let Some(w) = cell.weight_hr.$as() {
            path.push(&format!("weight_hr{}", $suffix));
            w.$visit(path, v);
            path.pop();
        }
    }};
}

impl<Spec: StackSpec, E: Float, Dev: Device> Params for StackWeights<Spec, E, Dev> {
    fn visit<V: Visitor>(&self, path: &mut Path, v: &mut V) {
        for (index, cell) in self.cells.iter().enumerate() {
            visit_cell!(
                cell,
                Self::suffix(index),
                &mut *path,
                &mut *v,
                as_ref,
                visit
            );
        }
    }

    fn visit_mut<V: VisitorMut>(&mut self, path: &mut Path, v: &mut V) {
        for (index, cell) in self.cells.iter_mut().enumerate() {
            visit_cell!(
                cell,
                Self::suffix(index),
                &mut *path,
                &mut *v,
                as_mut,
                visit_mut
            );
        }
    }
}

impl<Spec: StackSpec, E: Float, Dev: Device> StaticParamCount for StackWeights<Spec, E, Dev> {
    const PARAM_COUNT: usize = param_count::<Spec>();
}

// The traits' conversions, not `Tensor`'s inherent ones: they keep parameters trainable leaves.
impl<Spec: StackSpec, E: Float, Dev: Device> ToDevice for StackWeights<Spec, E, Dev> {
    type On<D2: Device> = StackWeights<Spec, E, D2>;
    fn to_device<D2: Device>(&self) -> Result<Self::On<D2>> {
        let cells = self
            .cells
            .iter()
            .map(|c| {
                Ok(CellWeights {
                    weight_ih: ToDevice::to_device(&c.weight_ih)?,
                    weight_hh: ToDevice::to_device(&c.weight_hh)?,
                    bias_ih: ToDevice::to_device(&c.bias_ih)?,
                    bias_hh: ToDevice::to_device(&c.bias_hh)?,
                    weight_hr: ToDevice::to_device(&c.weight_hr)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(StackWeights {
            cells,
            spec: PhantomData,
        })
    }
}

impl<Spec: StackSpec, E: Float, Dev: Device> ToKind for StackWeights<Spec, E, Dev> {
    type As<E2: Float> = StackWeights<Spec, E2, Dev>;
    fn to_kind<E2: Float>(&self) -> Self::As<E2> {
        let cells = self
            .cells
            .iter()
            .map(|c| CellWeights {
                weight_ih: ToKind::to_kind(&c.weight_ih),
                weight_hh: ToKind::to_kind(&c.weight_hh),
                bias_ih: ToKind::to_kind(&c.bias_ih),
                bias_hh: ToKind::to_kind(&c.bias_hh),
                weight_hr: ToKind::to_kind(&c.weight_hr),
            })
            .collect();
        StackWeights {
            cells,
            spec: PhantomData,
        }
    }
}
