//! Image classifiers after torchvision's, with its parameter names and initialisation:
//!
//! * [`resnet`], `resnet18`, `resnet34` and `resnet50`;
//! * [`vgg`], `vgg11_bn`;
//! * [`mobilenet`], `mobilenet_v2`.
use std::collections::HashSet;

use typed_torch::nn::Params;
use typed_torch::no_grad;

pub mod mobilenet;
pub mod resnet;
pub mod vgg;

/// torchvision's initialisation of its classifiers: every convolution Kaiming-normal in
/// `fan_out` mode with ReLU's gain (`std = sqrt(2 / (out_channels * k * k))`), every linear
/// weight normal with standard deviation `linear_std` (when given; ResNets keep `nn.Linear`'s
/// default), the biases of the layers redrawn zero, batch norms left at 1 and 0.
pub(crate) fn torchvision_init<M: Params>(model: &mut M, linear_std: Option<f64>) {
    no_grad(|| {
        let mut redrawn = HashSet::new();
        model.for_each_param_mut(|name, p| {
            let layer = name.rsplit_once('.').map_or("", |(layer, _)| layer);
            match (&p.size()[..], linear_std) {
                (&[out, _, kh, kw], _) => {
                    let _ = p.normal_(0.0, (2.0 / (out * kh * kw) as f64).sqrt());
                    redrawn.insert(layer.to_string());
                }
                (&[_, _], Some(std)) => {
                    let _ = p.normal_(0.0, std);
                    redrawn.insert(layer.to_string());
                }
                _ => {}
            }
        });
        model.for_each_param_mut(|name, p| {
            if let Some((layer, "bias")) = name.rsplit_once('.') {
                if redrawn.contains(layer) {
                    let _ = p.zero_();
                }
            }
        });
    });
}
