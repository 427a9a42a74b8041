//! The module machinery every model shares, in one test binary (one libtorch link, one run of the
//! PyTorch reference script):
//!
//! * `init_on_device`: creation on the model's device, drawing exactly PyTorch's initial values;
//! * `conversion_trains`: `to_kind`/`to_device` give trainable leaves that train like native ones;
//! * `param_count`: the compile-time parameter count equals the run-time one and PyTorch's;
//! * `zoo`: the model zoo loads torchvision's weights strictly and computes what torchvision does.
//! * `interpret`: saliency, integrated gradients and Grad-CAM equal Captum's.
//! * `classify_image`: the example classifies photographs as torchvision does, from the weights
//!   file a user writes.
//!
//! `init_on_device` and `conversion_trains` need the numbers that follow their seeds, so they lock
//! libtorch's generator; `param_count`'s tests hold it shared (see `common::GENERATOR`).
#[path = "../common/mod.rs"]
mod common;
// The `classify_image` example itself: the tests call its functions.
#[path = "../../examples/classify_image.rs"]
#[allow(dead_code)]
mod classify_image_example;

mod classify_image;
mod conversion_trains;
mod init_on_device;
mod interpret;
mod param_count;
mod zoo;
