//! Image classifiers after torchvision's, with its parameter names and initialisation:
//!
//! * [`resnet`], `resnet18`, `resnet34` and `resnet50`;
//! * [`vgg`], `vgg11_bn`;
//! * [`mobilenet`], `mobilenet_v2`.
pub mod mobilenet;
pub mod resnet;
pub mod vgg;
