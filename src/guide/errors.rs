//! # Errors
//!
//! A mistake typed-torch can see in the types is a compile error that names the layer or op and
//! the dims as numbers. What only the data can tell (a `Dyn` batch, a file, a device) is checked
//! at run time, at the boundary, with an error naming what was expected and what was found.
//!
//! ## At compile time
//!
//! A layer fed the wrong shape says which layer and which input:
//!
//! ```compile_fail
//! use typed_torch::prelude::*;
//! type Net = HList![Conv2d<1, 6, 5>, ReLU, Flatten, Linear<1176, 10>];
//! let net = Net::init().unwrap();
//! let x = Tensor::<(Dyn, D<1>, D<16>, D<16>)>::zeros_dyn(&[2]).unwrap();
//! // error[E0277]: `Linear<1176, 10>` cannot take `Tensor<(Dyn, D<864>)>` as input
//! let _y = net.forward(x);
//! ```
//!
//! An op whose operands do not fit says which dims:
//!
//! ```compile_fail
//! use typed_torch::prelude::*;
//! let a = Tensor::<(D<2>, D<3>)>::zeros();
//! let b = Tensor::<(D<4>, D<5>)>::zeros();
//! // error[E0277]: cannot matrix-multiply `(D<2>, D<3>)` by `(D<4>, D<5>)`
//! let _c = a.matmul(&b);
//! ```
//!
//! The `ui-tests/` folder holds one compile-fail case per mistake with the exact message rustc
//! prints, grouped by area; they are the reference for what each error reads like.
//!
//! ## At run time: `Result` at boundaries
//!
//! Anything that reads the outside world returns [`Result`](crate::Result): files (MNIST, CSV,
//! checkpoints), run-time sizes checked against a type, and devices. The error names the
//! expectation and the finding, and nothing is half-done: a failed checkpoint load leaves the
//! model unchanged, a failed write leaves the previous file.
//!
//! ```
//! use typed_torch::prelude::*;
//! use typed_torch::Error;
//!
//! // A run-time tensor checked against a static shape.
//! let raw = tch::Tensor::zeros([5, 10], (tch::Kind::Float, tch::Device::Cpu));
//! let err = Tensor::<(Dyn, D<784>)>::from_tch(raw).unwrap_err();
//! assert!(matches!(err, Error::Shape { .. }));
//! assert_eq!(err.to_string(), "shape mismatch: expected (Dyn, D<784>), found [5, 10]");
//!
//! // Sizes for the `Dyn` dims only: a full size list is a mistake the error explains.
//! let err = Tensor::<(Dyn, D<784>)>::zeros_dyn(&[32, 784]).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "shape (Dyn, D<784>) has 1 Dyn dim(s), so it takes 1 size(s), found [32, 784]"
//! );
//! ```
//!
//! ## At run time: ops panic at your line, or return the error with `try_`
//!
//! An op on `Dyn` sizes that do not fit panics like PyTorch raises, with one sentence naming the
//! op, the sizes, what it needs and what it got, reported at the caller's line (every op, loss and
//! `forward` is `#[track_caller]`). Where a program should recover (skip a bad batch), the `try_`
//! form of the op returns the same sentence as [`Error::Operands`](crate::Error::Operands):
//!
//! ```
//! use typed_torch::prelude::*;
//! use typed_torch::loss::try_cross_entropy;
//! use typed_torch::Error;
//!
//! let logits = Tensor::<(Dyn, D<10>)>::randn_dyn(&[8]).unwrap();
//! let labels = Tensor::<(Dyn,), i64>::zeros_dyn(&[4]).unwrap(); // a batch that lost rows
//! match try_cross_entropy(&logits, &labels, Mean) {
//!     Err(Error::Operands { op, expected, found, .. }) => {
//!         assert_eq!(op, "cross_entropy");
//!         assert_eq!(expected, "one target per row of the logits (8)");
//!         assert_eq!(found, "4 targets");
//!     }
//!     other => panic!("{other:?}"),
//! }
//! ```
//!
//! ## Idioms
//!
//! * In `main` and tests, `?` into `typed_torch::Result`, `Box<dyn Error>` or `anyhow::Result`:
//!   every error type of the crate converts.
//! * Keep dims static where they are known: the compiler then checks them and there is nothing
//!   left to fail at run time.
//! * Convert a `Dyn` dim to a static one once, at the boundary, with
//!   [`to_shape`](crate::Tensor::to_shape), and handle its `Result` there.
