//! Positional encodings: the sinusoids of "Attention Is All You Need", or one learned vector per
//! position, added to a sequence's features.
use crate::device::{Cpu, Device};
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::error::{Error, Result};
use crate::explain::fail;
use crate::nn::module::module_via_layer_input;
use crate::nn::{init, Init, LayerInput};
use crate::options::{SeqLayout, SequenceOptions};
use crate::tensor::Tensor;

/// Adds `table[t]` to each step `t` of `x`, in `Opts`' layout; steps past the table are an error.
fn add_positions<Opts: SequenceOptions, A0: Dim, A1: Dim, const M: usize, E: Float, Dev: Device>(
    what: &str,
    table: &tch::Tensor,
    x: &Tensor<(A0, A1, D<M>), E, Dev>,
) -> Result<Tensor<(A0, A1, D<M>), E, Dev>> {
    let time_axis = if <Opts::Layout as SeqLayout>::BATCH_FIRST {
        1
    } else {
        0
    };
    let steps = x.as_tch().size()[time_axis];
    let max_len = table.size()[0];
    if steps > max_len {
        return Err(Error::Invalid(format!(
            "{what}: a sequence of {steps} steps, but the table has {max_len} positions"
        )));
    }
    // `(T, M)` as `(1, T, M)` against batch-first input, `(T, 1, M)` against time-first.
    let positions = table.narrow(0, 0, steps).unsqueeze(1 - time_axis as i64);
    Ok(Tensor::wrap(x.as_tch() + positions))
}

/// The fixed sinusoidal encoding of "Attention Is All You Need" for up to `MAX_LEN` positions
/// of `M` features (`M` even): `sin(t / 10000^(2i/M))` in feature `2i`, `cos` in `2i + 1`,
/// added to the input. A buffer `pe` `(MAX_LEN, M)`, no parameters. Sequences are
/// `(time, batch, M)`, or `(batch, time, M)` with [`BatchFirst`](crate::options::BatchFirst).
///
/// ```
/// use typed_torch::nn::{Init, Module, SinusoidalPositionalEncoding};
/// use typed_torch::options::BatchFirst;
/// use typed_torch::{Tensor, D};
/// let pe = SinusoidalPositionalEncoding::<100, 8, BatchFirst>::init()?;
/// let y = pe.forward(Tensor::<(D<2>, D<5>, D<8>)>::zeros());
/// let first = &y.to_vec()[8..10]; // position 1, features 0 and 1: sin 1, cos 1
/// assert!((first[0] - 1f32.sin()).abs() < 1e-6 && (first[1] - 1f32.cos()).abs() < 1e-6);
/// # Ok::<(), typed_torch::Error>(())
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct SinusoidalPositionalEncoding<
    const MAX_LEN: usize,
    const M: usize,
    Opts: SequenceOptions = (),
    E: Float = f32,
    Dev: Device = Cpu,
> {
    /// The table, `(MAX_LEN, M)`.
    #[module(buffer)]
    pub pe: Tensor<(D<MAX_LEN>, D<M>), E, Dev>,
    #[module(skip)]
    options: core::marker::PhantomData<Opts>,
}

impl<const MAX_LEN: usize, const M: usize, Opts: SequenceOptions, E: Float, Dev: Device> Init
    for SinusoidalPositionalEncoding<MAX_LEN, M, Opts, E, Dev>
{
    fn init() -> Result<Self> {
        Dev::check()?;
        let device = Dev::tch();
        let position =
            tch::Tensor::arange(MAX_LEN as i64, (tch::Kind::Double, device)).unsqueeze(1);
        let even = tch::Tensor::arange_start_step(0, M as i64, 2, (tch::Kind::Double, device));
        let rate = (even * (-(10_000f64.ln()) / M as f64)).exp();
        let angles = position * rate; // (MAX_LEN, ceil(M / 2))
                                      // Interleave: sin in even features, cos in odd ones.
        let table = tch::Tensor::stack(&[angles.sin(), angles.cos()], 2)
            .reshape([MAX_LEN as i64, -1])
            .narrow(1, 0, M as i64)
            .to_kind(E::DTYPE);
        Ok(SinusoidalPositionalEncoding {
            pe: Tensor::wrap(table),
            options: core::marker::PhantomData,
        })
    }
}

impl<const MAX_LEN: usize, const M: usize, Opts: SequenceOptions, E: Float, Dev: Device>
    SinusoidalPositionalEncoding<MAX_LEN, M, Opts, E, Dev>
{
    /// `x` plus its positions' encodings, or an error for a sequence longer than `MAX_LEN`.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming the sequence's length and `MAX_LEN`.
    pub fn try_forward<A0: Dim, A1: Dim>(
        &self,
        x: &Tensor<(A0, A1, D<M>), E, Dev>,
    ) -> Result<Tensor<(A0, A1, D<M>), E, Dev>> {
        add_positions::<Opts, _, _, M, E, Dev>("SinusoidalPositionalEncoding", self.pe.as_tch(), x)
    }
}

impl<A0: Dim, A1: Dim, const MAX_LEN: usize, const M: usize, Opts, E: Float, Dev: Device>
    LayerInput<SinusoidalPositionalEncoding<MAX_LEN, M, Opts, E, Dev>>
    for Tensor<(A0, A1, D<M>), E, Dev>
where
    Opts: SequenceOptions,
{
    type Output = Tensor<(A0, A1, D<M>), E, Dev>;
    #[track_caller]
    fn run(
        layer: &SinusoidalPositionalEncoding<MAX_LEN, M, Opts, E, Dev>,
        x: Self,
    ) -> Self::Output {
        layer.try_forward(&x).unwrap_or_else(|e| fail(e))
    }
}
module_via_layer_input!([const MAX_LEN: usize, const M: usize, Opts: SequenceOptions, E: Float, Dev: Device] SinusoidalPositionalEncoding<MAX_LEN, M, Opts, E, Dev>);

/// A learned vector per position, up to `MAX_LEN` positions of `M` features, added to the
/// input (GPT's position embedding): a parameter `weight` `(MAX_LEN, M)`, standard normal at
/// start like `nn.Embedding`'s. Layouts as [`SinusoidalPositionalEncoding`].
///
/// ```
/// use typed_torch::nn::{Init, LearnedPositionalEncoding, Module, Params};
/// use typed_torch::options::BatchFirst;
/// use typed_torch::{Tensor, D, Dyn};
/// let pe = LearnedPositionalEncoding::<64, 8, BatchFirst>::init()?;
/// assert_eq!(pe.param_names(), ["weight"]);
/// let x = Tensor::<(Dyn, Dyn, D<8>)>::zeros_dyn(&[2, 65])?;
/// assert!(pe.try_forward(&x).is_err()); // 65 steps, 64 positions
/// # Ok::<(), typed_torch::Error>(())
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct LearnedPositionalEncoding<
    const MAX_LEN: usize,
    const M: usize,
    Opts: SequenceOptions = (),
    E: Float = f32,
    Dev: Device = Cpu,
> {
    /// One vector per position, `(MAX_LEN, M)`.
    pub weight: Tensor<(D<MAX_LEN>, D<M>), E, Dev>,
    #[module(skip)]
    options: core::marker::PhantomData<Opts>,
}

impl<const MAX_LEN: usize, const M: usize, Opts: SequenceOptions, E: Float, Dev: Device> Init
    for LearnedPositionalEncoding<MAX_LEN, M, Opts, E, Dev>
{
    fn init() -> Result<Self> {
        Ok(LearnedPositionalEncoding {
            weight: init::normal()?,
            options: core::marker::PhantomData,
        })
    }
}

impl<const MAX_LEN: usize, const M: usize, Opts: SequenceOptions, E: Float, Dev: Device>
    LearnedPositionalEncoding<MAX_LEN, M, Opts, E, Dev>
{
    /// `x` plus its positions' vectors, or an error for a sequence longer than `MAX_LEN`.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming the sequence's length and `MAX_LEN`.
    pub fn try_forward<A0: Dim, A1: Dim>(
        &self,
        x: &Tensor<(A0, A1, D<M>), E, Dev>,
    ) -> Result<Tensor<(A0, A1, D<M>), E, Dev>> {
        add_positions::<Opts, _, _, M, E, Dev>("LearnedPositionalEncoding", self.weight.as_tch(), x)
    }

    /// `x` plus the vectors of positions `start..start + T`: a step decoded after `start` cached
    /// steps (see the key/value cache of a decoder-only model).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the positions pass `MAX_LEN`.
    pub fn try_forward_from<A0: Dim, A1: Dim>(
        &self,
        x: &Tensor<(A0, A1, D<M>), E, Dev>,
        start: usize,
    ) -> Result<Tensor<(A0, A1, D<M>), E, Dev>> {
        let table = self.weight.as_tch();
        if start > MAX_LEN {
            return Err(Error::Invalid(format!(
                "LearnedPositionalEncoding: position {start} is past the table's {MAX_LEN}"
            )));
        }
        let rest = table.narrow(0, start as i64, (MAX_LEN - start) as i64);
        add_positions::<Opts, _, _, M, E, Dev>("LearnedPositionalEncoding", &rest, x)
    }
}

impl<A0: Dim, A1: Dim, const MAX_LEN: usize, const M: usize, Opts, E: Float, Dev: Device>
    LayerInput<LearnedPositionalEncoding<MAX_LEN, M, Opts, E, Dev>>
    for Tensor<(A0, A1, D<M>), E, Dev>
where
    Opts: SequenceOptions,
{
    type Output = Tensor<(A0, A1, D<M>), E, Dev>;
    #[track_caller]
    fn run(layer: &LearnedPositionalEncoding<MAX_LEN, M, Opts, E, Dev>, x: Self) -> Self::Output {
        layer.try_forward(&x).unwrap_or_else(|e| fail(e))
    }
}
module_via_layer_input!([const MAX_LEN: usize, const M: usize, Opts: SequenceOptions, E: Float, Dev: Device] LearnedPositionalEncoding<MAX_LEN, M, Opts, E, Dev>);
