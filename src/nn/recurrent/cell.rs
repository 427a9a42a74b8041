//! `RnnCell`, `LstmCell` and `GruCell`: one step, for loops written by hand.
use crate::device::{Cpu, Device};
use crate::dims::{Dim, DimMul, Mul, D};
use crate::element::Float;
use crate::error::Result;
use crate::nn::init::uniform;
use crate::nn::module::module_via_layer_input;
use crate::nn::{Init, LayerInput, Optional};
use crate::options::{CellOptions, RnnCellOptions, RnnNonlinearity};
use crate::tensor::Tensor;

/// The state of an [`LstmCell`]: PyTorch's `(h, c)`, each `(batch, hidden)`.
#[derive(Debug, Clone)]
pub struct LstmCellState<B: Dim, const H: usize, E: Float = f32, Dev: Device = Cpu> {
    /// The hidden state.
    pub h: Tensor<(B, D<H>), E, Dev>,
    /// The cell state.
    pub c: Tensor<(B, D<H>), E, Dev>,
}

/// A cell's weights and biases: `weight_ih` `(gates x H, I)`, `weight_hh` `(gates x H, H)`,
/// `bias_ih` and `bias_hh` `(gates x H,)` unless `NoBias`; `$gates` is 1 (RNN), 4 (LSTM) or 3 (GRU).
macro_rules! cell {
    ($(#[$doc:meta])* $name:ident, $options:ident, $gates:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, crate::nn::Module)]
        #[module(manual_init)]
        pub struct $name<const I: usize, const H: usize, Opts: $options = (), E: Float = f32, Dev: Device = Cpu>
        where
            D<$gates>: DimMul<D<H>>,
        {
            /// `(gates x hidden, input)`.
            pub weight_ih: Tensor<(Mul<D<$gates>, D<H>>, D<I>), E, Dev>,
            /// `(gates x hidden, hidden)`.
            pub weight_hh: Tensor<(Mul<D<$gates>, D<H>>, D<H>), E, Dev>,
            /// `(gates x hidden,)`, unless [`NoBias`](crate::options::NoBias).
            pub bias_ih: Optional<Opts::Bias, Tensor<(Mul<D<$gates>, D<H>>,), E, Dev>>,
            /// `(gates x hidden,)`, unless [`NoBias`](crate::options::NoBias).
            pub bias_hh: Optional<Opts::Bias, Tensor<(Mul<D<$gates>, D<H>>,), E, Dev>>,
        }

        /// PyTorch's initialisation: every weight and bias uniform in `±1/sqrt(H)`, in
        /// `state_dict` order.
        impl<const I: usize, const H: usize, Opts: $options, E: Float, Dev: Device> Init
            for $name<I, H, Opts, E, Dev>
        where
            D<$gates>: DimMul<D<H>>,
        {
            fn init() -> Result<Self> {
                let bound = (H.max(1) as f64).sqrt().recip();
                Ok($name {
                    weight_ih: uniform(bound)?,
                    weight_hh: uniform(bound)?,
                    bias_ih: Optional::make(|| uniform(bound))?,
                    bias_hh: Optional::make(|| uniform(bound))?,
                })
            }
        }

        impl<const I: usize, const H: usize, Opts: $options, E: Float, Dev: Device>
            $name<I, H, Opts, E, Dev>
        where
            D<$gates>: DimMul<D<H>>,
        {
            /// The four tensors as libtorch's cell functions take them.
            fn raw(&self) -> (&tch::Tensor, &tch::Tensor, Option<&tch::Tensor>, Option<&tch::Tensor>) {
                (
                    self.weight_ih.as_tch(),
                    self.weight_hh.as_tch(),
                    self.bias_ih.get().map(Tensor::as_tch),
                    self.bias_hh.get().map(Tensor::as_tch),
                )
            }
        }
    };
}

cell!(
    /// `torch.nn.RNNCell(I, H)`: `h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)` (`relu` with
    /// `Nonlinearity<ReLU>`). Options: [`NoBias`](crate::options::NoBias),
    /// [`Nonlinearity`](crate::options::Nonlinearity).
    ///
    /// ```
    /// use typed_torch::prelude::*;
    /// use typed_torch::nn::RnnCell;
    /// let cell = RnnCell::<3, 5>::init().unwrap();
    /// let mut h = None;
    /// for _ in 0..4 {
    ///     let x = Tensor::<(Dyn, D<3>)>::randn_dyn(&[2]).unwrap();
    ///     h = Some(cell.step(&x, h.as_ref()));
    /// }
    /// let h: Tensor<(Dyn, D<5>)> = h.unwrap();
    /// ```
    RnnCell, RnnCellOptions, 1
);
cell!(
    /// `torch.nn.LSTMCell(I, H)`: one LSTM step; [`step`](Self::step) takes and returns an
    /// [`LstmCellState`]. Options: [`NoBias`](crate::options::NoBias).
    LstmCell, CellOptions, 4
);
cell!(
    /// `torch.nn.GRUCell(I, H)`: one GRU step. Options: [`NoBias`](crate::options::NoBias).
    GruCell, CellOptions, 3
);

/// Zeros `(batch, H)` like `x`'s batch, PyTorch's default state.
fn zeros_like_batch<B: Dim, const I: usize, const H: usize, E: Float, Dev: Device>(
    x: &Tensor<(B, D<I>), E, Dev>,
) -> tch::Tensor {
    tch::Tensor::zeros([x.as_tch().size()[0], H as i64], (E::DTYPE, Dev::tch()))
}

impl<const I: usize, const H: usize, Opts: RnnCellOptions, E: Float, Dev: Device>
    RnnCell<I, H, Opts, E, Dev>
where
    D<1>: DimMul<D<H>>,
{
    /// One step from `h` (zeros if `None`): the next hidden state.
    #[track_caller]
    pub fn step<B: Dim>(
        &self,
        x: &Tensor<(B, D<I>), E, Dev>,
        h: Option<&Tensor<(B, D<H>), E, Dev>>,
    ) -> Tensor<(B, D<H>), E, Dev> {
        let zeros;
        let h = match h {
            Some(h) => h.as_tch(),
            None => {
                zeros = zeros_like_batch::<B, I, H, E, Dev>(x);
                &zeros
            }
        };
        let (w_ih, w_hh, b_ih, b_hh) = self.raw();
        let step = match <Opts::Nonlinearity as RnnNonlinearity>::NAME {
            "relu" => tch::Tensor::f_rnn_relu_cell,
            _ => tch::Tensor::f_rnn_tanh_cell,
        };
        Tensor::wrap(
            step(x.as_tch(), h, w_ih, w_hh, b_ih, b_hh)
                .unwrap_or_else(|e| panic!("RnnCell::step: {e}")),
        )
    }
}

impl<const I: usize, const H: usize, Opts: CellOptions, E: Float, Dev: Device>
    GruCell<I, H, Opts, E, Dev>
where
    D<3>: DimMul<D<H>>,
{
    /// One step from `h` (zeros if `None`): the next hidden state.
    #[track_caller]
    pub fn step<B: Dim>(
        &self,
        x: &Tensor<(B, D<I>), E, Dev>,
        h: Option<&Tensor<(B, D<H>), E, Dev>>,
    ) -> Tensor<(B, D<H>), E, Dev> {
        let zeros;
        let h = match h {
            Some(h) => h.as_tch(),
            None => {
                zeros = zeros_like_batch::<B, I, H, E, Dev>(x);
                &zeros
            }
        };
        let (w_ih, w_hh, b_ih, b_hh) = self.raw();
        Tensor::wrap(
            x.as_tch()
                .f_gru_cell(h, w_ih, w_hh, b_ih, b_hh)
                .unwrap_or_else(|e| panic!("GruCell::step: {e}")),
        )
    }
}

impl<const I: usize, const H: usize, Opts: CellOptions, E: Float, Dev: Device>
    LstmCell<I, H, Opts, E, Dev>
where
    D<4>: DimMul<D<H>>,
{
    /// One step from `state` (zeros if `None`): the next `(h, c)`.
    #[track_caller]
    pub fn step<B: Dim>(
        &self,
        x: &Tensor<(B, D<I>), E, Dev>,
        state: Option<&LstmCellState<B, H, E, Dev>>,
    ) -> LstmCellState<B, H, E, Dev> {
        let zeros;
        let hx = match state {
            Some(s) => [s.h.as_tch(), s.c.as_tch()],
            None => {
                zeros = zeros_like_batch::<B, I, H, E, Dev>(x);
                [&zeros, &zeros]
            }
        };
        let (w_ih, w_hh, b_ih, b_hh) = self.raw();
        let (h, c) = x
            .as_tch()
            .f_lstm_cell(&hx, w_ih, w_hh, b_ih, b_hh)
            .unwrap_or_else(|e| panic!("LstmCell::step: {e}"));
        LstmCellState {
            h: Tensor::wrap(h),
            c: Tensor::wrap(c),
        }
    }
}

/// As a layer, a cell takes one step from zeros and returns the hidden state.
macro_rules! cell_layer {
    ($name:ident, $options:ident, $gates:literal, |$layer:ident, $x:ident| $body:expr) => {
        impl<B: Dim, const I: usize, const H: usize, Opts: $options, E: Float, Dev: Device>
            LayerInput<$name<I, H, Opts, E, Dev>> for Tensor<(B, D<I>), E, Dev>
        where
            D<$gates>: DimMul<D<H>>,
        {
            type Output = Tensor<(B, D<H>), E, Dev>;
            fn run($layer: &$name<I, H, Opts, E, Dev>, $x: Self) -> Self::Output {
                $body
            }
        }
        module_via_layer_input!([const I: usize, const H: usize, Opts: $options, E: Float, Dev: Device] $name<I, H, Opts, E, Dev> where D<$gates>: DimMul<D<H>>);
    };
}
cell_layer!(RnnCell, RnnCellOptions, 1, |layer, x| layer.step(&x, None));
cell_layer!(GruCell, CellOptions, 3, |layer, x| layer.step(&x, None));
cell_layer!(LstmCell, CellOptions, 4, |layer, x| layer.step(&x, None).h);
