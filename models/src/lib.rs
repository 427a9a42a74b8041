//! Reference models built with typed-torch.
//!
//! * [`cnn`]: a 20-layer CNN for 28x28 digits, as an HList stack and as a derived struct whose
//!   parameter names match the equivalent `torch.nn` module.
pub mod cnn;
