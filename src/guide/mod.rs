//! # The typed-torch guide
//!
//! Chapters whose code is compiled and run as tests (`cargo test --doc`), so the guide cannot
//! drift from the library. Later chapters build on the conventions of the first.
//!
//! 1. [`conventions`]: how a layer type reads, named options, creating models on any device,
//!    sizes, the derive, traversal, and the checklist for a new layer.
//! 2. [`errors`]: what a mistake looks like at compile time and at run time, and the idioms for
//!    handling run-time failures.
//! 3. [`sequences`]: recurrent stacks and cells, layouts, states and variable-length batches.
//! 4. [`graphs`]: edge lists, message passing, GCN, GraphSAGE, GAT and GIN layers, batches of
//!    graphs and pooling.
//! 5. [`functional`]: gradients of ordinary functions over any differentiable value, the
//!    `backprop` README side by side, derivatives of any order.
//! 6. [`generative`]: distributions, the ELBO and a VAE of digits.
//! 7. [`attention`]: attention with typed masks, Transformer layers, stacks and the whole model,
//!    positional encodings, and decoding with a key/value cache.
//! 8. [`linalg`]: statically sized vectors and matrices, symmetric matrices as a type,
//!    decompositions with gradients, and the hmatrix-backprop correspondence.
//! 9. [`from_pytorch`]: a cheat sheet from PyTorch (tensors, modules, training, checkpoints),
//!    the torchvision model zoo, and the converter from PyTorch modules to typed Rust.
//! 10. [`vision`]: images and torchvision's transforms with typed sizes, attributions (saliency,
//!     integrated gradients, Grad-CAM) after Captum, pictures of a model and its mistakes.
//! 11. Distributed training: process groups, collectives, DDP, sharded data, checkpoints and the
//!     launcher, from one machine to several. It lives with the code, in the
//!     `typed-torch-distributed` crate (`typed_torch_distributed::guide`), which depends on this
//!     one.
//! 12. [`small_batches`]: the compiled training step (forward into kept buffers, hand-derived
//!     backward, SGD folded into it), its fallback through autograd, checking a layer of your own
//!     against autograd, and the thread count.
pub mod attention;
pub mod conventions;
pub mod errors;
pub mod from_pytorch;
pub mod functional;
pub mod generative;
pub mod graphs;
pub mod linalg;
pub mod sequences;
pub mod small_batches;
pub mod vision;
