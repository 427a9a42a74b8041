//! Reference models built with typed-torch.
//!
//! * [`char_gpt`]: a decoder-only Transformer over characters, with cached generation (the
//!   `char_gpt` example).
//! * [`char_lm`]: a character-level language model on an LSTM or a GRU (the `char_lm`
//!   example).
//! * [`cnn`]: a 20-layer CNN for 28x28 digits, as an HList stack and as a derived struct whose
//!   parameter names match the equivalent `torch.nn` module.
//! * [`digit_gin`]: a GIN classifying digits drawn as graphs (the `graph_classification`
//!   example).
//! * [`lenet`]: a LeNet-5-style CNN (the `mnist_cnn` example).
//! * [`mlp`]: the 784-300-100-10 MLP of the `backprop` library's README (the `mnist_mlp`
//!   example).
//! * [`node_gcn`]: a GCN with a 2-D embedding layer for node classification (the `karate_gcn`
//!   example).
//! * [`row_lstm`]: an LSTM reading digits row by row (the `seq_mnist_lstm` example).
//! * [`vae`]: a variational autoencoder of digits, latent size in the type (the `vae_mnist`
//!   example).
//! * [`vision`]: torchvision's image classifiers (ResNets), with its parameter names.
pub mod char_gpt;
pub mod char_lm;
pub mod cnn;
pub mod digit_gin;
pub mod lenet;
pub mod mlp;
pub mod node_gcn;
pub mod row_lstm;
pub mod vae;
pub mod vision;
