//! Differentiable operations with a backward written by the user (`backprop`'s `op1`/`op2`,
//! PyTorch's `autograd.Function`): an autograd node whose backward calls a Rust closure, through a
//! small C++ shim (tch has no custom autograd function).
use crate::device::Device;
use crate::element::Float;
use crate::shape::Shape;
use crate::tensor::Tensor;
use std::ffi::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

type BackwardFn = unsafe extern "C" fn(
    *mut c_void,
    *mut *mut c_void,
    c_int,
    *mut *mut c_void,
    c_int,
    *mut c_char,
    c_int,
) -> c_int;
type DropFn = unsafe extern "C" fn(*mut c_void);

extern "C" {
    fn tt_grad_enabled() -> c_int;
    fn tt_custom_op(
        inputs: *const *mut c_void,
        n_inputs: c_int,
        outputs: *const *mut c_void,
        n_outputs: c_int,
        state: *mut c_void,
        backward: BackwardFn,
        drop: DropFn,
        result: *mut *mut c_void,
        error: *mut c_char,
        error_len: c_int,
    ) -> c_int;
}

/// The untyped backward a node calls: output gradients in (zeros for an unused output), one
/// gradient per input out (`None`: no gradient).
type Backward = dyn Fn(Vec<tch::Tensor>) -> Vec<Option<tch::Tensor>> + Send;

struct State {
    // Behind a lock: tensors are `Send` but not `Sync`, and autograd may run backward passes
    // over one graph from several threads.
    backward: std::sync::Mutex<Box<Backward>>,
    /// Each output's zeros, for an output whose gradient autograd leaves undefined.
    output_zeros: Vec<tch::Tensor>,
}

/// Called by the shim's node: runs the Rust backward, catching a panic as an error message.
unsafe extern "C" fn call_backward(
    state: *mut c_void,
    grads: *mut *mut c_void,
    n_grads: c_int,
    out: *mut *mut c_void,
    n_out: c_int,
    error: *mut c_char,
    error_len: c_int,
) -> c_int {
    // SAFETY: the shim passes back the `State` it was given, alive until `drop_state`, and
    // `n_grads` handles it allocated for us to own.
    let state = unsafe { &*(state as *const State) };
    let grads: Vec<tch::Tensor> = (0..n_grads as usize)
        .map(|i| {
            let g = unsafe { tch::Tensor::from_ptr((*grads.add(i)).cast()) };
            if g.defined() {
                g
            } else {
                state.output_zeros[i].shallow_clone()
            }
        })
        .collect();
    let run = || {
        let backward = state.backward.lock().unwrap_or_else(|e| e.into_inner());
        backward(grads)
    };
    let message = match catch_unwind(AssertUnwindSafe(run)) {
        Ok(results) if results.len() == n_out as usize => {
            for (i, r) in results.into_iter().enumerate() {
                if let Some(mut t) = r {
                    // SAFETY: `out` has `n_out` slots; the shim deletes each handle it receives.
                    unsafe { *out.add(i) = t.as_mut_ptr().cast() };
                    std::mem::forget(t);
                }
            }
            return 0;
        }
        Ok(results) => format!("{} gradients for {n_out} inputs", results.len()),
        Err(panic) => panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "the backward panicked".into()),
    };
    let bytes = message.as_bytes();
    let n = bytes.len().min(error_len.max(1) as usize - 1);
    // SAFETY: `error` has `error_len` bytes; we write `n < error_len` and a NUL.
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr().cast(), error, n);
        *error.add(n) = 0;
    }
    1
}

unsafe extern "C" fn drop_state(state: *mut c_void) {
    // SAFETY: made by `Box::into_raw` in `attach`, dropped once, by the node's destructor.
    drop(unsafe { Box::from_raw(state as *mut State) });
}

/// `outputs` (computed without gradient) attached to `inputs` through a node whose backward is
/// `backward`.
fn attach(
    inputs: &[&tch::Tensor],
    outputs: Vec<tch::Tensor>,
    backward: Box<Backward>,
) -> Vec<tch::Tensor> {
    let output_zeros = outputs.iter().map(tch::Tensor::zeros_like).collect();
    let state = Box::into_raw(Box::new(State {
        backward: std::sync::Mutex::new(backward),
        output_zeros,
    }));
    let input_ptrs: Vec<*mut c_void> = inputs.iter().map(|t| t.as_ptr() as *mut c_void).collect();
    let output_ptrs: Vec<*mut c_void> = outputs.iter().map(|t| t.as_ptr() as *mut c_void).collect();
    let mut result = vec![std::ptr::null_mut::<c_void>(); outputs.len()];
    let mut error = [0 as c_char; 1024];
    // SAFETY: the handles are tch's live tensors (the shim copies them); the shim owns `state`
    // from here on (it drops it through `drop_state`, also on failure).
    let failed = unsafe {
        tt_custom_op(
            input_ptrs.as_ptr(),
            input_ptrs.len() as c_int,
            output_ptrs.as_ptr(),
            output_ptrs.len() as c_int,
            state.cast(),
            call_backward,
            drop_state,
            result.as_mut_ptr(),
            error.as_mut_ptr(),
            error.len() as c_int,
        )
    };
    if failed != 0 {
        // SAFETY: the shim wrote a NUL-terminated message.
        let message = unsafe { std::ffi::CStr::from_ptr(error.as_ptr()) };
        panic!("custom op: {}", message.to_string_lossy());
    }
    // SAFETY: on success each slot holds a handle the shim allocated for us.
    result
        .into_iter()
        .map(|p| unsafe { tch::Tensor::from_ptr(p.cast()) })
        .collect()
}

/// A differentiable operation of one tensor with a backward of your own (`backprop`'s `op1`):
/// `forward` gets the input's values (nothing it does is recorded) and returns the output, and
/// `backward(x, grad)` returns the gradient with respect to `x` from the output's gradient `grad`.
/// `x` is the input itself, recorded: a backward written with tensor ops is differentiable in
/// turn, so the operation has second derivatives (and a backward that is itself a custom op gives
/// a custom double backward).
///
/// ```
/// use typed_torch::functional::{custom_op, grad};
/// use typed_torch::{Tensor, D};
/// type V = Tensor<(D<3>,), f64>;
/// // x^3 with its derivative 3 x^2 written by hand.
/// let cube = |x: &V| custom_op(x, |x| x.pow_scalar(3.0), |x, g| g * x.square() * 3.0);
/// let x = V::from_array([1.0, 2.0, -1.0]);
/// assert_eq!(grad(|x: V| cube(&x).sum_all(), &x).to_vec(), [3.0, 12.0, 3.0]);
/// // The backward is differentiable: d2/dx2 x^3 = 6 x.
/// let second = grad(|x: V| grad(|x: V| cube(&x).sum_all(), &x).sum_all(), &x);
/// assert_eq!(second.to_vec(), [6.0, 12.0, -6.0]);
/// ```
pub fn custom_op<S1, S2, E, Dev>(
    x: &Tensor<S1, E, Dev>,
    forward: impl FnOnce(&Tensor<S1, E, Dev>) -> Tensor<S2, E, Dev>,
    backward: impl Fn(&Tensor<S1, E, Dev>, &Tensor<S2, E, Dev>) -> Tensor<S1, E, Dev> + Send + 'static,
) -> Tensor<S2, E, Dev>
where
    S1: Shape,
    S2: Shape,
    E: Float,
    Dev: Device,
{
    let output = crate::no_grad(|| forward(&x.detach())).into_tch();
    // SAFETY: a query of libtorch's thread-local grad mode.
    let recording = unsafe { tt_grad_enabled() } != 0;
    if !x.as_tch().requires_grad() || !recording {
        return Tensor::wrap(output);
    }
    let input = x.clone();
    let untyped: Box<Backward> = Box::new(move |grads: Vec<tch::Tensor>| {
        let g = Tensor::<S2, E, Dev>::wrap(grads[0].shallow_clone());
        vec![Some(backward(&input, &g).into_tch())]
    });
    let mut attached = attach(&[x.as_tch()], vec![output], untyped);
    Tensor::wrap(attached.remove(0))
}

/// A differentiable operation of two tensors with a backward of your own (`backprop`'s `op2`):
/// like [`custom_op`], with `backward(x, y, grad)` returning the gradients with respect to `x`
/// and `y`.
///
/// ```
/// use typed_torch::functional::{custom_op2, grad};
/// use typed_torch::{Tensor, D};
/// type V = Tensor<(D<2>,), f64>;
/// // x * y with its product rule by hand.
/// let mul = |x: &V, y: &V| custom_op2(x, y, |x, y| x * y, |x, y, g| (g * y, g * x));
/// let (gx, gy) = grad(|(x, y): (V, V)| mul(&x, &y).sum_all(), &(V::from_array([1.0, 2.0]), V::from_array([3.0, 4.0])));
/// assert_eq!((gx.to_vec(), gy.to_vec()), (vec![3.0, 4.0], vec![1.0, 2.0]));
/// ```
pub fn custom_op2<S1, S2, S3, E, Dev>(
    x: &Tensor<S1, E, Dev>,
    y: &Tensor<S2, E, Dev>,
    forward: impl FnOnce(&Tensor<S1, E, Dev>, &Tensor<S2, E, Dev>) -> Tensor<S3, E, Dev>,
    backward: impl Fn(
            &Tensor<S1, E, Dev>,
            &Tensor<S2, E, Dev>,
            &Tensor<S3, E, Dev>,
        ) -> (Tensor<S1, E, Dev>, Tensor<S2, E, Dev>)
        + Send
        + 'static,
) -> Tensor<S3, E, Dev>
where
    S1: Shape,
    S2: Shape,
    S3: Shape,
    E: Float,
    Dev: Device,
{
    let output = crate::no_grad(|| forward(&x.detach(), &y.detach())).into_tch();
    // SAFETY: a query of libtorch's thread-local grad mode.
    let recording = unsafe { tt_grad_enabled() } != 0;
    let needed = x.as_tch().requires_grad() || y.as_tch().requires_grad();
    if !needed || !recording {
        return Tensor::wrap(output);
    }
    let (x_in, y_in) = (x.clone(), y.clone());
    let untyped: Box<Backward> = Box::new(move |grads: Vec<tch::Tensor>| {
        let g = Tensor::<S3, E, Dev>::wrap(grads[0].shallow_clone());
        let (gx, gy) = backward(&x_in, &y_in, &g);
        vec![Some(gx.into_tch()), Some(gy.into_tch())]
    });
    let mut attached = attach(&[x.as_tch(), y.as_tch()], vec![output], untyped);
    Tensor::wrap(attached.remove(0))
}

/// A differentiable operation of three tensors with a backward of your own: like [`custom_op2`],
/// with `backward(x, y, z, grad)` returning the three gradients (a layer `f(x W^T + b)` with its
/// backward written by hand, for one).
#[allow(clippy::type_complexity)]
pub fn custom_op3<S1, S2, S3, S4, E, Dev>(
    x: &Tensor<S1, E, Dev>,
    y: &Tensor<S2, E, Dev>,
    z: &Tensor<S3, E, Dev>,
    forward: impl FnOnce(
        &Tensor<S1, E, Dev>,
        &Tensor<S2, E, Dev>,
        &Tensor<S3, E, Dev>,
    ) -> Tensor<S4, E, Dev>,
    backward: impl Fn(
            &Tensor<S1, E, Dev>,
            &Tensor<S2, E, Dev>,
            &Tensor<S3, E, Dev>,
            &Tensor<S4, E, Dev>,
        ) -> (Tensor<S1, E, Dev>, Tensor<S2, E, Dev>, Tensor<S3, E, Dev>)
        + Send
        + 'static,
) -> Tensor<S4, E, Dev>
where
    S1: Shape,
    S2: Shape,
    S3: Shape,
    S4: Shape,
    E: Float,
    Dev: Device,
{
    let output = crate::no_grad(|| forward(&x.detach(), &y.detach(), &z.detach())).into_tch();
    // SAFETY: a query of libtorch's thread-local grad mode.
    let recording = unsafe { tt_grad_enabled() } != 0;
    let needed = [x.as_tch(), y.as_tch(), z.as_tch()]
        .iter()
        .any(|t| t.requires_grad());
    if !needed || !recording {
        return Tensor::wrap(output);
    }
    let (x_in, y_in, z_in) = (x.clone(), y.clone(), z.clone());
    let untyped: Box<Backward> = Box::new(move |grads: Vec<tch::Tensor>| {
        let g = Tensor::<S4, E, Dev>::wrap(grads[0].shallow_clone());
        let (gx, gy, gz) = backward(&x_in, &y_in, &z_in, &g);
        vec![
            Some(gx.into_tch()),
            Some(gy.into_tch()),
            Some(gz.into_tch()),
        ]
    });
    let mut attached = attach(&[x.as_tch(), y.as_tch(), z.as_tch()], vec![output], untyped);
    Tensor::wrap(attached.remove(0))
}
