//! `Rnn`, `Lstm` and `Gru`: multi-layer stacks run by libtorch's fused kernels.
use super::packed::Packed;
use super::state::{HiddenState, LstmState};
use super::weights::{out_size, CellKind, StackSpec, StackWeights};
use crate::device::{Cpu, Device};
use crate::dims::{Dim, DimMul, Mul, StaticDim, D};
use crate::element::Float;
use crate::error::Result;
use crate::nn::module::module_via_layer_input;
use crate::nn::{Init, LayerInput};
use crate::options::{
    GruOptions, LstmOptions, Presence, Projection, RnnNonlinearity, RnnOptions, SeqLayout,
};
use crate::tensor::Tensor;
use core::marker::PhantomData;

/// The layer's type as the constants its weights follow from.
#[derive(Debug)]
pub struct Spec<Kind, const I: usize, const H: usize, Opts>(PhantomData<(Kind, Opts)>);

/// Marks an LSTM spec.
#[derive(Debug)]
pub struct LstmKind;
/// Marks a GRU spec.
#[derive(Debug)]
pub struct GruKind;
/// Marks a plain RNN spec.
#[derive(Debug)]
pub struct RnnKind;

impl<
        const I: usize,
        const H: usize,
        Opts: LstmOptions + Send + Sync + core::fmt::Debug + 'static,
    > StackSpec for Spec<LstmKind, I, H, Opts>
{
    const KIND: CellKind = CellKind::Lstm;
    const INPUT: usize = I;
    const HIDDEN: usize = H;
    const LAYERS: usize = Opts::Layers::SIZE;
    const DIRECTIONS: usize = Opts::Directions::SIZE;
    const PROJ: usize = <Opts::Proj as Projection>::SIZE;
    const BIAS: bool = <Opts::Bias as Presence>::PRESENT;
}

impl<
        const I: usize,
        const H: usize,
        Opts: GruOptions + Send + Sync + core::fmt::Debug + 'static,
    > StackSpec for Spec<GruKind, I, H, Opts>
{
    const KIND: CellKind = CellKind::Gru;
    const INPUT: usize = I;
    const HIDDEN: usize = H;
    const LAYERS: usize = Opts::Layers::SIZE;
    const DIRECTIONS: usize = Opts::Directions::SIZE;
    const PROJ: usize = 0;
    const BIAS: bool = <Opts::Bias as Presence>::PRESENT;
}

impl<
        const I: usize,
        const H: usize,
        Opts: RnnOptions + Send + Sync + core::fmt::Debug + 'static,
    > StackSpec for Spec<RnnKind, I, H, Opts>
{
    const KIND: CellKind = match <Opts::Nonlinearity as RnnNonlinearity>::NAME.as_bytes() {
        b"relu" => CellKind::RnnRelu,
        _ => CellKind::RnnTanh,
    };
    const INPUT: usize = I;
    const HIDDEN: usize = H;
    const LAYERS: usize = Opts::Layers::SIZE;
    const DIRECTIONS: usize = Opts::Directions::SIZE;
    const PROJ: usize = 0;
    const BIAS: bool = <Opts::Bias as Presence>::PRESENT;
}

/// A sequence batch as libtorch's kernels take it: padded in a layout, or packed.
enum Input<'a> {
    Padded {
        x: &'a tch::Tensor,
        batch_first: bool,
    },
    Packed(&'a Packed),
}

/// One libtorch call for the whole stack: the output and the final state(s) (`[h]`, or `[h, c]`
/// for an LSTM), from the initial state(s) `hx` in the same order.
fn fused<S: StackSpec, E: Float, Dev: Device>(
    weights: &StackWeights<S, E, Dev>,
    input: Input<'_>,
    hx: &[&tch::Tensor],
    dropout: f64,
    train: bool,
) -> Result<(tch::Tensor, Vec<tch::Tensor>)> {
    let params = weights.flat();
    let (b, l, bi) = (S::BIAS, S::LAYERS as i64, S::DIRECTIONS == 2);
    let (y, states) = match (S::KIND, input) {
        (CellKind::Lstm, Input::Padded { x, batch_first }) => {
            let (y, h, c) = x.f_lstm(hx, &params, b, l, dropout, train, bi, batch_first)?;
            (y, vec![h, c])
        }
        (CellKind::Lstm, Input::Packed(p)) => {
            let (y, h, c) = tch::Tensor::f_lstm_data(
                &p.data,
                &p.batch_sizes,
                hx,
                &params,
                b,
                l,
                dropout,
                train,
                bi,
            )?;
            (y, vec![h, c])
        }
        (kind, Input::Padded { x, batch_first }) => {
            let run = match kind {
                CellKind::Gru => tch::Tensor::f_gru,
                CellKind::RnnRelu => tch::Tensor::f_rnn_relu,
                _ => tch::Tensor::f_rnn_tanh,
            };
            let (y, h) = run(x, hx[0], &params, b, l, dropout, train, bi, batch_first)?;
            (y, vec![h])
        }
        (kind, Input::Packed(p)) => {
            let run = match kind {
                CellKind::Gru => tch::Tensor::f_gru_data,
                CellKind::RnnRelu => tch::Tensor::f_rnn_relu_data,
                _ => tch::Tensor::f_rnn_tanh_data,
            };
            let (y, h) = run(
                &p.data,
                &p.batch_sizes,
                hx[0],
                &params,
                b,
                l,
                dropout,
                train,
                bi,
            )?;
            (y, vec![h])
        }
    };
    Ok((y, states))
}

/// Runs a stack on a padded batch `x`, over each sequence's length when `lengths` is given.
fn run_stack<S: StackSpec, E: Float, Dev: Device>(
    weights: &StackWeights<S, E, Dev>,
    x: &tch::Tensor,
    lengths: Option<&tch::Tensor>,
    hx: &[&tch::Tensor],
    (dropout, train, batch_first): (f64, bool, bool),
) -> Result<(tch::Tensor, Vec<tch::Tensor>)> {
    let Some(lengths) = lengths else {
        return fused(
            weights,
            Input::Padded { x, batch_first },
            hx,
            dropout,
            train,
        );
    };
    let packed = Packed::new(x, lengths, batch_first)?;
    let sorted = hx
        .iter()
        .map(|h| packed.sort_state(h))
        .collect::<Result<Vec<_>>>()?;
    let sorted: Vec<&tch::Tensor> = sorted.iter().collect();
    let (y, states) = fused(weights, Input::Packed(&packed), &sorted, dropout, train)?;
    let states = states
        .iter()
        .map(|h| packed.restore_state(h))
        .collect::<Result<Vec<_>>>()?;
    Ok((packed.unpack(&y)?, states))
}

/// The batch size of a sequence tensor in its layout.
fn batch_size(x: &tch::Tensor, batch_first: bool) -> i64 {
    x.size()[usize::from(!batch_first)]
}

/// Zeros of `(layers x directions, batch, size)`, PyTorch's default initial state.
fn zero_state<S: StackSpec, E: Float, Dev: Device>(batch: i64, size: usize) -> tch::Tensor {
    tch::Tensor::zeros(
        [(S::LAYERS * S::DIRECTIONS) as i64, batch, size as i64],
        (E::DTYPE, Dev::tch()),
    )
}

macro_rules! recurrent_layer {
    (
        $(#[$doc:meta])*
        $name:ident, $kind:ident, $options:ident, $state:ident
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, crate::nn::Module)]
        #[module(manual_init)]
        pub struct $name<
            const I: usize,
            const H: usize,
            Opts: $options + Send + Sync + core::fmt::Debug + 'static = (),
            E: Float = f32,
            Dev: Device = Cpu,
        > {
            /// The weights, named as PyTorch names them (`weight_ih_l0`, ...).
            #[module(transparent)]
            pub weights: StackWeights<Spec<$kind, I, H, Opts>, E, Dev>,
            /// Dropout probability on the outputs of each layer but the last (PyTorch's
            /// `dropout`), in training only.
            #[module(skip)]
            dropout: f64,
            #[module(train)]
            train: bool,
        }

        /// PyTorch's initialisation: every weight and bias uniform in `±1/sqrt(H)`.
        impl<const I: usize, const H: usize, Opts: $options + Send + Sync + core::fmt::Debug + 'static, E: Float, Dev: Device> Init
            for $name<I, H, Opts, E, Dev>
        {
            fn init() -> Result<Self> {
                Ok($name {
                    weights: StackWeights::init()?,
                    dropout: 0.0,
                    train: true,
                })
            }
        }

        impl<const I: usize, const H: usize, Opts: $options + Send + Sync + core::fmt::Debug + 'static, E: Float, Dev: Device>
            $name<I, H, Opts, E, Dev>
        {
            /// Sets `dropout` (PyTorch's argument of that name): the probability of zeroing each
            /// output of every layer but the last, in training.
            pub fn dropout(mut self, p: f64) -> Self {
                self.dropout = p;
                self
            }
        }
    };
}

recurrent_layer!(
    /// `torch.nn.LSTM(I, H)`: a stack of LSTM layers over a sequence, run by libtorch's fused
    /// kernel (cuDNN on CUDA).
    ///
    /// Options (after the sizes): [`NumLayers`](crate::options::NumLayers),
    /// [`Bidirectional`](crate::options::Bidirectional), [`BatchFirst`](crate::options::BatchFirst),
    /// [`NoBias`](crate::options::NoBias), [`ProjSize`](crate::options::ProjSize). Input
    /// `(T, B, D<I>)`, or `(B, T, D<I>)` with `BatchFirst`; output `(T, B, D<H x directions>)`
    /// (`proj_size` in place of `H` with `ProjSize`).
    ///
    /// ```
    /// use typed_torch::prelude::*;
    /// use typed_torch::nn::Lstm;
    /// use typed_torch::options::{BatchFirst, Bidirectional, NumLayers};
    ///
    /// let lstm = Lstm::<28, 64, (NumLayers<2>, Bidirectional, BatchFirst)>::init().unwrap();
    /// let x = Tensor::<(Dyn, D<28>, D<28>)>::zeros_dyn(&[8]).unwrap();
    /// let (y, state) = lstm.forward_with_state(x, None);
    /// let _: Tensor<(Dyn, D<28>, D<128>)> = y;
    /// assert_eq!(state.h.size(), [4, 8, 64]);
    /// assert_eq!(lstm.param_names()[..2], ["weight_ih_l0", "weight_hh_l0"]);
    /// ```
    Lstm, LstmKind, LstmOptions, LstmState
);

recurrent_layer!(
    /// `torch.nn.GRU(I, H)`: a stack of GRU layers over a sequence, run by libtorch's fused
    /// kernel (cuDNN on CUDA).
    ///
    /// Options (after the sizes): [`NumLayers`](crate::options::NumLayers),
    /// [`Bidirectional`](crate::options::Bidirectional), [`BatchFirst`](crate::options::BatchFirst),
    /// [`NoBias`](crate::options::NoBias). Shapes as [`Lstm`]'s; the state is a
    /// [`HiddenState`].
    Gru, GruKind, GruOptions, HiddenState
);

recurrent_layer!(
    /// `torch.nn.RNN(I, H)`: a stack of Elman RNN layers (`tanh`, or `relu` with
    /// `Nonlinearity<ReLU>`) over a sequence, run by libtorch's fused kernel.
    ///
    /// Options (after the sizes): [`NumLayers`](crate::options::NumLayers),
    /// [`Bidirectional`](crate::options::Bidirectional), [`BatchFirst`](crate::options::BatchFirst),
    /// [`NoBias`](crate::options::NoBias), [`Nonlinearity`](crate::options::Nonlinearity).
    Rnn, RnnKind, RnnOptions, HiddenState
);

/// The output features of an LSTM step: `proj_size` or `H`, times the directions.
type LstmOut<const H: usize, Opts> =
    Mul<<Opts as LstmOptions>::Directions, <<Opts as LstmOptions>::Proj as Projection>::Out<H>>;
/// `layers x directions`, the first dim of a state.
type StateLayers<L, Dirs> = Mul<L, Dirs>;

impl<const I: usize, const H: usize, Opts, E: Float, Dev: Device> Lstm<I, H, Opts, E, Dev>
where
    Opts: LstmOptions + Send + Sync + core::fmt::Debug + 'static,
    Opts::Directions: DimMul<<Opts::Proj as Projection>::Out<H>>,
    Opts::Layers: DimMul<Opts::Directions>,
{
    /// Runs the stack from `state` (zeros if `None`, as in PyTorch) and returns the output of the
    /// last layer at every step with the final state of every layer, PyTorch's
    /// `output, (h_n, c_n)`.
    #[allow(clippy::type_complexity)]
    #[track_caller]
    pub fn forward_with_state<A: Dim, B: Dim>(
        &self,
        x: Tensor<(A, B, D<I>), E, Dev>,
        state: Option<&LstmStateOf<H, Opts, A, B, E, Dev>>,
    ) -> (
        Tensor<(A, B, LstmOut<H, Opts>), E, Dev>,
        LstmStateOf<H, Opts, A, B, E, Dev>,
    ) {
        self.run(x, None, state)
            .unwrap_or_else(|e| panic!("Lstm::forward_with_state: {e}"))
    }

    /// Runs each sequence of a padded batch for its own length (`lengths`, one per sequence, on
    /// the CPU, as PyTorch's `pack_padded_sequence` takes them, in any order): outputs past a
    /// sequence's length are zero and its final state is the one at its last step, in both
    /// directions. Lengths that do not fit the batch are an
    /// [`Error::SequenceLengths`](crate::Error::SequenceLengths).
    #[allow(clippy::type_complexity)]
    pub fn forward_packed<A: Dim, B: Dim>(
        &self,
        x: Tensor<(A, B, D<I>), E, Dev>,
        lengths: &Tensor<(<Opts::Layout as SeqLayout>::Batch<A, B>,), i64, Cpu>,
        state: Option<&LstmStateOf<H, Opts, A, B, E, Dev>>,
    ) -> Result<(
        Tensor<(A, B, LstmOut<H, Opts>), E, Dev>,
        LstmStateOf<H, Opts, A, B, E, Dev>,
    )> {
        self.run(x, Some(lengths.as_tch()), state)
    }

    #[allow(clippy::type_complexity)]
    fn run<A: Dim, B: Dim>(
        &self,
        x: Tensor<(A, B, D<I>), E, Dev>,
        lengths: Option<&tch::Tensor>,
        state: Option<&LstmStateOf<H, Opts, A, B, E, Dev>>,
    ) -> Result<(
        Tensor<(A, B, LstmOut<H, Opts>), E, Dev>,
        LstmStateOf<H, Opts, A, B, E, Dev>,
    )> {
        type S<const I: usize, const H: usize, Opts> = Spec<LstmKind, I, H, Opts>;
        let batch_first = <Opts::Layout as SeqLayout>::BATCH_FIRST;
        let zeros;
        let hx = match state {
            Some(s) => [s.h.as_tch(), s.c.as_tch()],
            None => {
                let batch = batch_size(x.as_tch(), batch_first);
                zeros = [
                    zero_state::<S<I, H, Opts>, E, Dev>(batch, out_size::<S<I, H, Opts>>()),
                    zero_state::<S<I, H, Opts>, E, Dev>(batch, H),
                ];
                [&zeros[0], &zeros[1]]
            }
        };
        let settings = (self.dropout, self.train, batch_first);
        let (y, mut hc) = run_stack(&self.weights, x.as_tch(), lengths, &hx, settings)?;
        let c = hc.pop().expect("an LSTM returns h and c");
        let h = hc.pop().expect("an LSTM returns h and c");
        let state = LstmState {
            h: Tensor::wrap(h),
            c: Tensor::wrap(c),
        };
        Ok((Tensor::wrap(y), state))
    }
}

/// The state type of `Lstm<_, H, Opts>` for a sequence tensor whose first two dims are `A, B`.
pub type LstmStateOf<const H: usize, Opts, A, B, E, Dev> = LstmState<
    StateLayers<<Opts as LstmOptions>::Layers, <Opts as LstmOptions>::Directions>,
    <<Opts as LstmOptions>::Layout as SeqLayout>::Batch<A, B>,
    <<Opts as LstmOptions>::Proj as Projection>::Out<H>,
    D<H>,
    E,
    Dev,
>;

/// `forward_with_state` of a stack whose state is a [`HiddenState`] (GRU, RNN).
macro_rules! hidden_state_forward {
    ($name:ident, $kind:ident, $options:ident, $state_of:ident) => {
        impl<const I: usize, const H: usize, Opts, E: Float, Dev: Device> $name<I, H, Opts, E, Dev>
        where
            Opts: $options + Send + Sync + core::fmt::Debug + 'static,
            Opts::Directions: DimMul<D<H>>,
            Opts::Layers: DimMul<Opts::Directions>,
        {
            /// Runs the stack from `state` (zeros if `None`, as in PyTorch) and returns the
            /// output of the last layer at every step with the final state of every layer,
            /// PyTorch's `output, h_n`.
            #[allow(clippy::type_complexity)]
            #[track_caller]
            pub fn forward_with_state<A: Dim, B: Dim>(
                &self,
                x: Tensor<(A, B, D<I>), E, Dev>,
                state: Option<&$state_of<H, Opts, A, B, E, Dev>>,
            ) -> (
                Tensor<(A, B, Mul<Opts::Directions, D<H>>), E, Dev>,
                $state_of<H, Opts, A, B, E, Dev>,
            ) {
                self.run(x, None, state).unwrap_or_else(|e| {
                    panic!("{}::forward_with_state: {e}", stringify!($name))
                })
            }

            /// Runs each sequence of a padded batch for its own length (`lengths`, one per
            /// sequence, on the CPU, in any order): outputs past a sequence's length are zero and
            /// its final state is the one at its last step, in both directions. Lengths that do
            /// not fit the batch are an [`Error::SequenceLengths`](crate::Error::SequenceLengths).
            #[allow(clippy::type_complexity)]
            pub fn forward_packed<A: Dim, B: Dim>(
                &self,
                x: Tensor<(A, B, D<I>), E, Dev>,
                lengths: &Tensor<(<Opts::Layout as SeqLayout>::Batch<A, B>,), i64, Cpu>,
                state: Option<&$state_of<H, Opts, A, B, E, Dev>>,
            ) -> Result<(
                Tensor<(A, B, Mul<Opts::Directions, D<H>>), E, Dev>,
                $state_of<H, Opts, A, B, E, Dev>,
            )> {
                self.run(x, Some(lengths.as_tch()), state)
            }

            #[allow(clippy::type_complexity)]
            fn run<A: Dim, B: Dim>(
                &self,
                x: Tensor<(A, B, D<I>), E, Dev>,
                lengths: Option<&tch::Tensor>,
                state: Option<&$state_of<H, Opts, A, B, E, Dev>>,
            ) -> Result<(
                Tensor<(A, B, Mul<Opts::Directions, D<H>>), E, Dev>,
                $state_of<H, Opts, A, B, E, Dev>,
            )> {
                let batch_first = <Opts::Layout as SeqLayout>::BATCH_FIRST;
                let zeros;
                let h0 = match state {
                    Some(s) => s.h.as_tch(),
                    None => {
                        let batch = batch_size(x.as_tch(), batch_first);
                        zeros = zero_state::<Spec<$kind, I, H, Opts>, E, Dev>(batch, H);
                        &zeros
                    }
                };
                let settings = (self.dropout, self.train, batch_first);
                let (y, mut h) = run_stack(&self.weights, x.as_tch(), lengths, &[h0], settings)?;
                let h = h.pop().expect("a GRU or RNN returns h");
                Ok((Tensor::wrap(y), HiddenState { h: Tensor::wrap(h) }))
            }
        }

        /// The state type of this layer for a sequence tensor whose first two dims are `A, B`.
        pub type $state_of<const H: usize, Opts, A, B, E, Dev> = HiddenState<
            StateLayers<<Opts as $options>::Layers, <Opts as $options>::Directions>,
            <<Opts as $options>::Layout as SeqLayout>::Batch<A, B>,
            D<H>,
            E,
            Dev,
        >;

        impl<A: Dim, B: Dim, const I: usize, const H: usize, Opts, E: Float, Dev: Device>
            LayerInput<$name<I, H, Opts, E, Dev>> for Tensor<(A, B, D<I>), E, Dev>
        where
            Opts: $options + Send + Sync + core::fmt::Debug + 'static,
            Opts::Directions: DimMul<D<H>>,
            Opts::Layers: DimMul<Opts::Directions>,
        {
            type Output = Tensor<(A, B, Mul<Opts::Directions, D<H>>), E, Dev>;
            fn run(layer: &$name<I, H, Opts, E, Dev>, x: Self) -> Self::Output {
                layer.forward_with_state(x, None).0
            }
        }
        module_via_layer_input!([const I: usize, const H: usize, Opts: $options + Send + Sync + core::fmt::Debug + 'static, E: Float, Dev: Device] $name<I, H, Opts, E, Dev>);
    };
}

hidden_state_forward!(Gru, GruKind, GruOptions, GruStateOf);
hidden_state_forward!(Rnn, RnnKind, RnnOptions, RnnStateOf);

impl<A: Dim, B: Dim, const I: usize, const H: usize, Opts, E: Float, Dev: Device>
    LayerInput<Lstm<I, H, Opts, E, Dev>> for Tensor<(A, B, D<I>), E, Dev>
where
    Opts: LstmOptions + Send + Sync + core::fmt::Debug + 'static,
    Opts::Directions: DimMul<<Opts::Proj as Projection>::Out<H>>,
    Opts::Layers: DimMul<Opts::Directions>,
{
    type Output = Tensor<(A, B, LstmOut<H, Opts>), E, Dev>;
    fn run(layer: &Lstm<I, H, Opts, E, Dev>, x: Self) -> Self::Output {
        layer.forward_with_state(x, None).0
    }
}
module_via_layer_input!([const I: usize, const H: usize, Opts: LstmOptions + Send + Sync + core::fmt::Debug + 'static, E: Float, Dev: Device] Lstm<I, H, Opts, E, Dev>);
