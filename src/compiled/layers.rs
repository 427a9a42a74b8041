//! Hand-derived forward and backward passes of the built-in layers, written with libtorch's
//! `out=` kernels into buffers kept between steps, and libtorch's own backward kernels where it
//! has one (`sigmoid_backward`, `tanh_backward`, `threshold_backward`), so the gradients are the
//! ones autograd computes.
use super::autograd::{autograd_backward, autograd_forward, AutogradCache};
use super::layer::{buffer, grad_of, Forward, StepLayer, StepTensor, Update};
use crate::device::Device;
use crate::dims::{Dim, DimDiv, StaticDim, D};
use crate::element::Float;
use crate::nn::{Conv2d, Flatten, Linear, MaxPool2d, Module, ReLU, Sigmoid, Tanh};
use crate::options::{ConvLayerOptions, LinearOptions, MaxPoolOptions};
use crate::tensor::Tensor;

/// Output and input-gradient buffers.
#[derive(Default)]
pub struct LinearCache {
    out: Option<tch::Tensor>,
    input_grad: Option<tch::Tensor>,
    bias_grad: Option<tch::Tensor>,
}

/// `y = x W^T + b` as one `addmm`; backward `dx = dy W`, `dW = dy^T x`, `db = sum dy` (or, under
/// SGD, `W += (-lr dy)^T x` in one `addmm_`, without a gradient buffer).
impl<B: Dim, const I: usize, const O: usize, Opts: LinearOptions, E: Float, Dev: Device>
    StepLayer<Tensor<(B, D<I>), E, Dev>> for Linear<I, O, Opts, E, Dev>
{
    type Cache = LinearCache;
    const TRAINABLE: bool = true;

    fn step_forward(
        &self,
        x: &tch::Tensor,
        cache: &mut LinearCache,
        forward: &mut Forward,
    ) -> tch::Tensor {
        let batch = x.size()[0];
        forward.macs += (batch as u64) * (I as u64) * (O as u64);
        let out = buffer(&mut cache.out, x, &[batch, O as i64]);
        let w_t = self.weight.as_tch().tr();
        let _ = match self.bias.get() {
            Some(b) => b.as_tch().addmm_out(out, x, &w_t),
            None => x.mm_out(out, &w_t),
        };
        out.shallow_clone()
    }

    fn step_backward(
        &mut self,
        x: &tch::Tensor,
        grad: &tch::Tensor,
        cache: &mut LinearCache,
        update: Update,
        input_grad: bool,
    ) -> Option<tch::Tensor> {
        let w = self.weight.as_tch();
        // Before the update below: the input's gradient takes the weights of this step.
        let dx = input_grad.then(|| {
            let dx = buffer(&mut cache.input_grad, x, &x.size());
            let _ = grad.mm_out(dx, w);
            dx.shallow_clone()
        });
        let bias = self.bias.get().map(|b| b.as_tch()).filter(|b| b.requires_grad());
        match update {
            Update::Gradients => {
                if w.requires_grad() {
                    let _ = grad.tr().mm_out(&grad_of(w), x);
                }
                if let Some(b) = bias {
                    let _ = grad.sum_intlist_out(&grad_of(b), [0i64].as_slice(), false, b.kind());
                }
            }
            Update::Sgd { lr } => {
                let scaled = grad * -lr;
                if w.requires_grad() {
                    let _ = w.shallow_clone().addmm_(&scaled.tr(), x);
                }
                if let Some(b) = bias {
                    let db = buffer(&mut cache.bias_grad, b, &b.size());
                    let _ = scaled.sum_intlist_out(db, [0i64].as_slice(), false, b.kind());
                    let _ = b.shallow_clone().g_add_(db);
                }
            }
        }
        dx
    }
}

/// Output and input-gradient buffers of a layer without parameters.
#[derive(Default)]
pub struct ElementwiseCache {
    out: Option<tch::Tensor>,
    input_grad: Option<tch::Tensor>,
}

/// Activations whose derivative is a function of their output: the output is kept, and
/// libtorch's backward kernel of the activation computes the input's gradient from it.
macro_rules! activation {
    ($($layer:ident: |$x:ident, $out:ident| $forward:expr, |$y:ident, $g:ident, $dx:ident| $backward:expr;)*) => {$(
        impl<In: StepTensor> StepLayer<In> for $layer
        where
            $layer: Module<In, Output: StepTensor>,
        {
            type Cache = ElementwiseCache;
            const TRAINABLE: bool = false;

            fn step_forward(
                &self,
                $x: &tch::Tensor,
                cache: &mut ElementwiseCache,
                _: &mut Forward,
            ) -> tch::Tensor {
                let $out = buffer(&mut cache.out, $x, &$x.size());
                let _ = $forward;
                $out.shallow_clone()
            }

            fn step_backward(
                &mut self,
                x: &tch::Tensor,
                $g: &tch::Tensor,
                cache: &mut ElementwiseCache,
                _: Update,
                input_grad: bool,
            ) -> Option<tch::Tensor> {
                if !input_grad {
                    return None;
                }
                let $y = cache.out.as_ref().expect("step_backward follows step_forward");
                let $dx = buffer(&mut cache.input_grad, x, &x.size());
                let _ = $backward;
                Some($dx.shallow_clone())
            }
        }
    )*};
}

activation! {
    Sigmoid: |x, out| x.sigmoid_out(out),
        |y, g, dx| tch::Tensor::sigmoid_backward_grad_input(dx, g, y);
    Tanh: |x, out| x.tanh_out(out),
        |y, g, dx| tch::Tensor::tanh_backward_grad_input(dx, g, y);
    ReLU: |x, out| x.relu_out(out),
        |y, g, dx| y.threshold_backward_grad_input(dx, g, 0.0);
}

/// A view: forward and backward only reshape.
impl<In: StepTensor> StepLayer<In> for Flatten
where
    Flatten: Module<In, Output: StepTensor>,
{
    type Cache = ();
    const TRAINABLE: bool = false;

    fn step_forward(&self, x: &tch::Tensor, _: &mut (), _: &mut Forward) -> tch::Tensor {
        x.reshape([x.size()[0], -1])
    }

    fn step_backward(
        &mut self,
        x: &tch::Tensor,
        grad: &tch::Tensor,
        _: &mut (),
        _: Update,
        input_grad: bool,
    ) -> Option<tch::Tensor> {
        input_grad.then(|| grad.reshape(x.size()))
    }
}

/// Buffers of a max pooling.
#[derive(Default)]
pub struct MaxPoolCache {
    out: Option<tch::Tensor>,
    indices: Option<tch::Tensor>,
    input_grad: Option<tch::Tensor>,
    rest: Option<tch::Tensor>,
    mask: Option<tch::Tensor>,
}

/// Non-overlapping windows (stride = kernel, no padding or dilation), the common case, as the
/// maximum of the K² strided views of the input: libtorch's pooling kernel walks every window
/// element by element, which on LeNet's first pooling is 7x slower. The backward pass sends each
/// window's gradient to its first maximum in row-major order, the element libtorch's kernel
/// records (a NaN window sends it to its last element). Other pooling options use libtorch's
/// `max_pool2d_with_indices` and its backward kernel.
impl<In: StepTensor, const K: usize, Opts: MaxPoolOptions<D<K>>> StepLayer<In> for MaxPool2d<K, Opts>
where
    MaxPool2d<K, Opts>: Module<In, Output: StepTensor>,
{
    type Cache = MaxPoolCache;
    const TRAINABLE: bool = false;

    fn step_forward(
        &self,
        x: &tch::Tensor,
        cache: &mut MaxPoolCache,
        _: &mut Forward,
    ) -> tch::Tensor {
        let size = x.size();
        let (n, c, h, w) = (size[0], size[1], size[2], size[3]);
        let k = K as i64;
        if windows_tile::<K, Opts>() {
            let out = buffer(&mut cache.out, x, &[n, c, h / k, w / k]);
            let views = window_views(x, k, h / k, w / k);
            let _ = views[0].maximum_out(out, &views[1 % views.len()]);
            for v in views.iter().skip(2) {
                let _ = out.maximum_out(out, v);
            }
            return out.shallow_clone();
        }
        let (s, p, d) = pool_options::<K, Opts>();
        let (oh, ow) = (
            (h + 2 * p - d * (k - 1) - 1) / s + 1,
            (w + 2 * p - d * (k - 1) - 1) / s + 1,
        );
        let out = buffer(&mut cache.out, x, &[n, c, oh, ow]);
        let indices = buffer(
            &mut cache.indices,
            &tch::Tensor::empty([0], (tch::Kind::Int64, x.device())),
            &[n, c, oh, ow],
        );
        let _ = x.max_pool2d_with_indices_out(out, indices, [k, k], [s, s], [p, p], [d, d], false);
        out.shallow_clone()
    }

    fn step_backward(
        &mut self,
        x: &tch::Tensor,
        grad: &tch::Tensor,
        cache: &mut MaxPoolCache,
        _: Update,
        input_grad: bool,
    ) -> Option<tch::Tensor> {
        if !input_grad {
            return None;
        }
        let size = x.size();
        let (h, w) = (size[2], size[3]);
        let k = K as i64;
        let dx = buffer(&mut cache.input_grad, x, &size).shallow_clone();
        if !windows_tile::<K, Opts>() {
            let (s, p, d) = pool_options::<K, Opts>();
            let indices = cache.indices.as_ref().expect("forward kept the indices");
            let _ = x.max_pool2d_with_indices_backward_grad_input(
                &dx,
                grad,
                [k, k],
                [s, s],
                [p, p],
                [d, d],
                false,
                indices,
            );
            return Some(dx);
        }
        let out = cache.out.as_ref().expect("step_backward follows step_forward");
        if h % k != 0 || w % k != 0 {
            // Rows and columns past the last whole window get no gradient.
            let _ = dx.shallow_clone().zero_();
        }
        let views = window_views(x, k, h / k, w / k);
        let grad_views = window_views(&dx, k, h / k, w / k);
        // `rest`: the gradient not yet given to an earlier maximum of its window.
        let rest = buffer(&mut cache.rest, grad, &grad.size()).shallow_clone();
        let mut rest = rest;
        rest.copy_(grad);
        let mask = buffer(
            &mut cache.mask,
            &tch::Tensor::empty([0], (tch::Kind::Bool, x.device())),
            &grad.size(),
        );
        let last = views.len() - 1;
        for (view, grad_view) in views.iter().zip(&grad_views).take(last) {
            let _ = view.eq_tensor_out(mask, out);
            let _ = rest.mul_out(grad_view, mask);
            let _ = rest.shallow_clone().g_sub_(grad_view);
        }
        grad_views[last].shallow_clone().copy_(&rest);
        Some(dx)
    }
}

/// Whether the pooling windows tile the input: stride = kernel, no padding, no dilation.
fn windows_tile<const K: usize, Opts: MaxPoolOptions<D<K>>>() -> bool {
    let (s, p, d) = pool_options::<K, Opts>();
    s == K as i64 && p == 0 && d == 1
}

fn pool_options<const K: usize, Opts: MaxPoolOptions<D<K>>>() -> (i64, i64, i64) {
    (
        Opts::Stride::SIZE as i64,
        Opts::Padding::SIZE as i64,
        Opts::Dilation::SIZE as i64,
    )
}

/// The `k * k` strided views of `x` that hold element `(i, j)` of every window, in row-major
/// order of `(i, j)`.
fn window_views(x: &tch::Tensor, k: i64, oh: i64, ow: i64) -> Vec<tch::Tensor> {
    let mut views = Vec::with_capacity((k * k) as usize);
    for i in 0..k {
        let rows = x.slice(2, i, i + k * oh - (k - 1), k);
        for j in 0..k {
            views.push(rows.slice(3, j, j + k * ow - (k - 1), k));
        }
    }
    views
}

/// Through autograd: tch has no binding of libtorch's `convolution_backward`, and a convolution's
/// arithmetic dwarfs the few microseconds autograd adds.
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
    type Cache = AutogradCache;
    const TRAINABLE: bool = true;

    fn step_forward(
        &self,
        x: &tch::Tensor,
        cache: &mut AutogradCache,
        forward: &mut Forward,
    ) -> tch::Tensor {
        let y = autograd_forward::<In, Self>(self, x, cache, forward.input_grad);
        let per_output = (IN / Opts::Groups::SIZE * K * K) as u64;
        forward.macs += y.numel() as u64 * per_output;
        y
    }

    fn step_backward(
        &mut self,
        _: &tch::Tensor,
        grad: &tch::Tensor,
        cache: &mut AutogradCache,
        update: Update,
        input_grad: bool,
    ) -> Option<tch::Tensor> {
        autograd_backward(self, grad, cache, update, input_grad)
    }
}
