//! Hand-derived forward and backward passes of the built-in layers, written with libtorch's
//! `out=` kernels into buffers kept between steps, and libtorch's own backward kernels where it
//! has one (`sigmoid_backward`, `tanh_backward`, `threshold_backward`), so the gradients are the
//! ones autograd computes.
use super::layer::{buffer, grad_of, Forward, StepLayer, StepTensor, Update};
use crate::device::Device;
use crate::dims::{Dim, StaticDim, D};
use crate::element::Float;
use crate::nn::{Flatten, Linear, MaxPool2d, Module, ReLU, Sigmoid, Tanh};
use crate::options::{LinearOptions, MaxPoolOptions};
use crate::tensor::Tensor;

/// Output and input-gradient buffers, and under SGD the scaled output gradient and the factor.
#[derive(Default)]
pub struct LinearCache {
    out: Option<tch::Tensor>,
    input_grad: Option<tch::Tensor>,
    bias_grad: Option<tch::Tensor>,
    scaled_grad: Option<tch::Tensor>,
    factor: Option<(f64, tch::Tensor)>,
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
        let bias = self
            .bias
            .get()
            .map(|b| b.as_tch())
            .filter(|b| b.requires_grad());
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
                // `-lr * dy` into a kept buffer (a schedule may change `lr`: the factor follows).
                if cache
                    .factor
                    .as_ref()
                    .is_none_or(|(f, t)| *f != -lr || t.kind() != grad.kind())
                {
                    let factor = tch::Tensor::full([], -lr, (grad.kind(), grad.device()));
                    cache.factor = Some((-lr, factor));
                }
                let (_, factor) = cache.factor.as_ref().expect("just set");
                let scaled = buffer(&mut cache.scaled_grad, grad, &grad.size());
                let _ = grad.mul_out(scaled, factor);
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
}

/// libtorch's `max_pool2d_with_indices` into kept buffers, and its backward kernel from the
/// recorded indices (the window's first maximum, as autograd).
impl<In: StepTensor, const K: usize, Opts: MaxPoolOptions<D<K>>> StepLayer<In>
    for MaxPool2d<K, Opts>
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
        let (k, s, p, d) = pool_options::<K, Opts>();
        let pooled = |x: i64| (x + 2 * p - d * (k - 1) - 1) / s + 1;
        let out_size = [n, c, pooled(h), pooled(w)];
        let out = buffer(&mut cache.out, x, &out_size);
        let int64 = tch::Tensor::empty([0], (tch::Kind::Int64, x.device()));
        let indices = buffer(&mut cache.indices, &int64, &out_size);
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
        let (k, s, p, d) = pool_options::<K, Opts>();
        let dx = buffer(&mut cache.input_grad, x, &x.size());
        let indices = cache
            .indices
            .as_ref()
            .expect("step_backward follows step_forward");
        let _ = x.max_pool2d_with_indices_backward_grad_input(
            dx,
            grad,
            [k, k],
            [s, s],
            [p, p],
            [d, d],
            false,
            indices,
        );
        Some(dx.shallow_clone())
    }
}

/// Kernel, stride, padding and dilation.
fn pool_options<const K: usize, Opts: MaxPoolOptions<D<K>>>() -> (i64, i64, i64, i64) {
    (
        K as i64,
        Opts::Stride::SIZE as i64,
        Opts::Padding::SIZE as i64,
        Opts::Dilation::SIZE as i64,
    )
}
