//! Image classifiers after torchvision's, with its parameter names and initialisation.
//!
//! * [`resnet`]: `resnet18`, `resnet34`, `resnet50` and a small ResNet for 28x28 digits.
pub mod resnet;
