//! `Conv2d` in a compiled step: libtorch's convolution forward, and its `convolution_backward`
//! (through the crate's C++ shim: tch has no binding) for exactly the gradients needed, with no
//! autograd graph. The first layer of a network asks for no input gradient, which skips the
//! costliest of the three.
use std::ffi::{c_char, c_int, c_void};

use super::layer::{apply_update, Forward, StepLayer, StepTensor, Update};
use crate::device::Device;
use crate::dims::{DimDiv, StaticDim, D};
use crate::element::Float;
use crate::nn::{Conv2d, Module};
use crate::options::ConvLayerOptions;

extern "C" {
    fn tt_convolution_backward(
        grad_output: *mut c_void,
        input: *mut c_void,
        weight: *mut c_void,
        bias_size: i64,
        stride: *const i64,
        padding: *const i64,
        dilation: *const i64,
        dims: c_int,
        groups: i64,
        want: *const c_int,
        out: *mut *mut c_void,
        error: *mut c_char,
        error_len: c_int,
    ) -> c_int;
}

/// The gradients of a 2-D convolution with respect to its input, weight and bias, each computed
/// only when `want` asks for it.
fn convolution_backward(
    grad: &tch::Tensor,
    input: &tch::Tensor,
    weight: &tch::Tensor,
    bias_size: Option<i64>,
    [stride, padding, dilation, groups]: [i64; 4],
    want: [bool; 3],
) -> [Option<tch::Tensor>; 3] {
    let (stride, padding, dilation) = ([stride; 2], [padding; 2], [dilation; 2]);
    let want = want.map(c_int::from);
    let mut out = [std::ptr::null_mut::<c_void>(); 3];
    let mut error = [0 as c_char; 512];
    // SAFETY: live tensor handles, arrays of the lengths the shim reads (2 per option, 3 flags,
    // 3 outputs), and an error buffer of the length passed. Handles written to `out` are new
    // `torch::Tensor`s that `from_ptr` takes ownership of.
    let status = unsafe {
        tt_convolution_backward(
            grad.as_ptr() as *mut c_void,
            input.as_ptr() as *mut c_void,
            weight.as_ptr() as *mut c_void,
            bias_size.unwrap_or(-1),
            stride.as_ptr(),
            padding.as_ptr(),
            dilation.as_ptr(),
            2,
            groups,
            want.as_ptr(),
            out.as_mut_ptr(),
            error.as_mut_ptr(),
            error.len() as c_int,
        )
    };
    if status != 0 {
        // SAFETY: the shim wrote a NUL-terminated message into the buffer.
        let message = unsafe { std::ffi::CStr::from_ptr(error.as_ptr()) };
        // Shapes were checked by the forward pass; a failure here is libtorch's own.
        panic!("convolution_backward: {}", message.to_string_lossy());
    }
    // SAFETY: non-null handles are fresh `torch::Tensor`s owned by us from here on.
    out.map(|p| (!p.is_null()).then(|| unsafe { tch::Tensor::from_ptr(p.cast()) }))
}

/// The last step's output and input gradient, freed only when the next step has made its own:
/// a convolution's results are allocated by libtorch, and freeing them before the next step
/// allocates again let the allocator hand their pages back to the system and fault them in
/// anew (measured: 15% of a LeNet step).
#[derive(Default)]
pub struct ConvCache {
    output: Option<tch::Tensor>,
    input_grad: Option<tch::Tensor>,
}

impl<In, const IN: usize, const OUT: usize, const K: usize, Opts, E, Dev> StepLayer<In>
    for Conv2d<IN, OUT, K, Opts, E, Dev>
where
    In: StepTensor,
    Opts: ConvLayerOptions,
    E: Float,
    Dev: Device,
    D<IN>: DimDiv<Opts::Groups>,
    Self: Module<In, Output: StepTensor>,
{
    type Cache = ConvCache;
    const TRAINABLE: bool = true;

    fn step_forward(
        &self,
        x: &tch::Tensor,
        cache: &mut ConvCache,
        forward: &mut Forward,
    ) -> tch::Tensor {
        let y = self
            .forward(In::from_raw(x.shallow_clone()))
            .raw()
            .shallow_clone();
        let per_output = (IN / Opts::Groups::SIZE * K * K) as u64;
        forward.macs += y.numel() as u64 * per_output;
        cache.output = Some(y.shallow_clone());
        y
    }

    fn step_backward(
        &mut self,
        x: &tch::Tensor,
        grad: &tch::Tensor,
        cache: &mut ConvCache,
        update: Update,
        input_grad: bool,
    ) -> Option<tch::Tensor> {
        let w = self.weight.as_tch();
        let bias = self.bias.get().map(|b| b.as_tch());
        let options = [
            Opts::Stride::SIZE as i64,
            Opts::Padding::SIZE as i64,
            Opts::Dilation::SIZE as i64,
            Opts::Groups::SIZE as i64,
        ];
        let want = [
            input_grad,
            w.requires_grad(),
            bias.is_some_and(|b| b.requires_grad()),
        ];
        let [dx, dw, db] =
            convolution_backward(grad, x, w, bias.map(|_| OUT as i64), options, want);
        if let Some(dw) = dw {
            apply_update(w, dw, update);
        }
        if let (Some(b), Some(db)) = (bias, db) {
            apply_update(b, db, update);
        }
        cache.input_grad = dx.as_ref().map(|t| t.shallow_clone());
        dx
    }
}
