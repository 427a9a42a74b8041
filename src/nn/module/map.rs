//! Parameter maps: a model of the same type whose tensors are a function of this one's (and of a
//! second model's), so gradient descent reads as `model.zip_params(&grads, |p, g| p - g * lr)`.
use super::Params;

/// Maps and zips the parameters of any model into a value of the same model type.
///
/// Built on [`Params`] and `Clone` (which shares tensors): each tensor of the clone is replaced
/// by the function's result, so the original model is untouched.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Linear, Module, ParamMap, Params, ReLU};
/// use typed_torch::{HList, Tensor, D};
/// tch::manual_seed(0);
/// let model = <HList![Linear<3, 4>, ReLU, Linear<4, 1>]>::init().unwrap();
/// let x = Tensor::<(D<8>, D<3>)>::randn();
/// model.forward(x).square().mean_all().backward();
/// let grads = model.grads();                        // same type as `model`
/// let stepped = model.zip_params(&grads, |p, g| (p - g * 0.1).detach());
/// assert_eq!(stepped.param_names(), model.param_names());
/// let same = model.axpy(-0.1, &grads);               // model - 0.1 * grads
/// assert!(same.param_names() == stepped.param_names());
/// ```
pub trait ParamMap: Params + Clone {
    /// A model whose every tensor is `f(name, tensor)`; `f` must keep each tensor's shape, dtype
    /// and device (checked, with a panic naming the parameter, since the type promises them).
    fn map_params(&self, mut f: impl FnMut(&str, &tch::Tensor) -> tch::Tensor) -> Self {
        let mut out = self.clone();
        out.for_each_param_mut(|name, t| {
            let new = f(name, t);
            assert_same_layout(name, t, &new);
            *t = new;
        });
        out
    }

    /// A model whose every tensor is `f(mine, other's)`, pairing tensors by position (both models
    /// have the same type, so the same parameters in the same order).
    fn zip_params(
        &self,
        other: &Self,
        mut f: impl FnMut(&tch::Tensor, &tch::Tensor) -> tch::Tensor,
    ) -> Self {
        let mut theirs = Vec::new();
        other.for_each_param(|_, t| theirs.push(t.shallow_clone()));
        let mut theirs = theirs.into_iter();
        self.map_params(|_, t| f(t, &theirs.next().expect("same model type, same parameters")))
    }

    /// `self + alpha * other`, parameter by parameter: gradient descent reads
    /// `model.axpy(-lr, &model.grads())`, i.e. `model - lr * grads`.
    fn axpy(&self, alpha: f64, other: &Self) -> Self {
        self.zip_params(other, |p, q| (p + q * alpha).detach())
    }

    /// The model's gradients as a model of the same type (zeros where no gradient exists yet).
    fn grads(&self) -> Self {
        self.map_params(|_, t| {
            let g = t.grad();
            if g.defined() {
                g.detach().copy()
            } else {
                t.zeros_like().detach()
            }
        })
    }
}

impl<M: Params + Clone> ParamMap for M {}

fn assert_same_layout(name: &str, old: &tch::Tensor, new: &tch::Tensor) {
    assert!(
        old.size() == new.size() && old.kind() == new.kind() && old.device() == new.device(),
        "map_params: `{name}` changed from {:?} {:?} {:?} to {:?} {:?} {:?}",
        old.size(),
        old.kind(),
        old.device(),
        new.size(),
        new.kind(),
        new.device()
    );
}
