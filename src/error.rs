//! The error type of every fallible boundary (run-time shapes, dtypes, devices, libtorch calls).
use thiserror::Error as ThisError;

/// What went wrong at a boundary between run-time data and typed tensors.
#[derive(Debug, ThisError)]
#[non_exhaustive]
pub enum Error {
    /// A run-time shape did not fit the static shape asked for.
    #[error("shape mismatch: expected {expected}, found {found:?}")]
    Shape {
        /// The static shape, e.g. `(Dyn, D<784>)`.
        expected: String,
        /// The run-time sizes.
        found: Vec<i64>,
    },
    /// Creating a tensor with `Dyn` dims takes one size per `Dyn` dim (the static ones are in the
    /// type), e.g. `Tensor::<(Dyn, D<784>)>::zeros_dyn(&[32])`.
    #[error(
        "shape {shape} has {expected} Dyn dim(s), so it takes {expected} size(s), found {found:?}"
    )]
    DynSizes {
        /// The shape, e.g. `(Dyn, D<784>)`.
        shape: String,
        /// How many `Dyn` dims it has.
        expected: usize,
        /// The sizes given.
        found: Vec<usize>,
    },
    /// A run-time dtype did not match.
    #[error("dtype mismatch: expected {expected}, found {found:?}")]
    Dtype {
        /// The dtype asked for.
        expected: &'static str,
        /// The tensor's dtype.
        found: tch::Kind,
    },
    /// A run-time device did not match.
    #[error("device mismatch: expected {expected:?}, found {found:?}")]
    DeviceMismatch {
        /// The device asked for.
        expected: tch::Device,
        /// The tensor's device.
        found: tch::Device,
    },
    /// A device that this machine lacks.
    #[error("device {requested} is not available: this machine has {cuda_devices} CUDA device(s)")]
    DeviceUnavailable {
        /// The device asked for, e.g. `Cuda<0>`.
        requested: String,
        /// How many CUDA devices exist.
        cuda_devices: usize,
    },
    /// Data of the wrong length for a shape.
    #[error("length mismatch: shape {shape} needs {expected} elements, found {found}")]
    Length {
        /// The shape asked for.
        shape: String,
        /// Elements the shape needs.
        expected: usize,
        /// Elements given.
        found: usize,
    },
    /// The lengths of a variable-length batch do not fit it: one length per sequence, each from 1
    /// to the number of steps.
    #[error("sequence lengths must be {batch} values (one per sequence) from 1 to {steps} (the steps), found {found:?}")]
    SequenceLengths {
        /// Sequences in the batch.
        batch: usize,
        /// Steps of the padded batch.
        steps: usize,
        /// The lengths given.
        found: Vec<i64>,
    },
    /// A run-time argument out of range (e.g. a `narrow` past the end of a `Dyn` axis).
    #[error("{0}")]
    Invalid(String),
    /// A data file that cannot be used: what is wrong with it, and which file.
    #[error("{path}: {problem}")]
    Data {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong, e.g. `bad magic number 0x00000804, expected 0x00000803 (images)`.
        problem: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Operands whose types fit but whose run-time sizes or values do not: `Dyn` batches of 2 and
    /// 5 added, 4 labels for 8 rows of logits, a class index past the last class. Names the op,
    /// the operands' sizes, what the op needs and what it got, in one sentence.
    ///
    /// The panicking ops (`a + b`, `matmul`, `loss::mse`...) panic with this message at the
    /// caller's line; their `try_` forms return it.
    ///
    /// ```
    /// use typed_torch::{Dyn, Error, Tensor, D};
    /// let a = Tensor::<(Dyn, D<3>)>::zeros_dyn(&[2]).unwrap();
    /// let b = Tensor::<(Dyn, D<3>)>::zeros_dyn(&[5]).unwrap();
    /// let err = a.try_add(&b).unwrap_err();
    /// assert!(matches!(&err, Error::Operands { op: "add", sizes, .. } if sizes == &[vec![2, 3], vec![5, 3]]));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "add of sizes [2, 3] and [5, 3]: expected sizes that broadcast (equal or 1 in each dim), \
    ///      found 2 on the left and 5 on the right in dim 0"
    /// );
    /// ```
    #[error(
        "{op} of sizes {}: expected {expected}, found {found}",
        crate::explain::list_sizes(sizes)
    )]
    Operands {
        /// The op as called, e.g. `"add"`, `"matmul"`, `"cross_entropy"`.
        op: &'static str,
        /// The operands' run-time sizes, in argument order.
        sizes: Vec<Vec<i64>>,
        /// What the op needs, e.g. `"sizes that broadcast (equal or 1 in each dim)"`.
        expected: String,
        /// What it got, e.g. `"2 on the left and 5 on the right in dim 0"`.
        found: String,
    },
    /// An index tensor names a row that does not exist (a graph's edge naming node 40 of 34, a
    /// scatter index past the output).
    #[error("{what}: entry {position} is {value}, outside 0..{size}")]
    IndexOutOfRange {
        /// Which index, e.g. `"edge_index source"`.
        what: String,
        /// The first entry out of range.
        position: usize,
        /// Its value.
        value: i64,
        /// The number of rows it indexes.
        size: usize,
    },
    /// A distribution's parameter is outside its support (PyTorch's `validate_args`): a scale
    /// that is not positive, a probability outside [0, 1], probabilities that do not sum to 1.
    ///
    /// ```
    /// use typed_torch::distributions::Normal;
    /// use typed_torch::{Tensor, D};
    /// let loc = Tensor::<(D<3>,), f64>::zeros();
    /// let scale = Tensor::<(D<3>,), f64>::from_array([1.0, -0.5, 2.0]);
    /// let err = Normal::new(loc, scale).unwrap_err();
    /// assert_eq!(err.to_string(), "Normal: `scale` must be positive (> 0); entry 1 is -0.5");
    /// ```
    #[error("{distribution}: `{parameter}` must be {constraint}; {found}")]
    Parameter {
        /// The distribution, e.g. `"Normal"`.
        distribution: &'static str,
        /// The parameter, e.g. `"scale"`.
        parameter: &'static str,
        /// Its constraint, e.g. `"positive (> 0)"`.
        constraint: &'static str,
        /// The first entry that breaks it, e.g. `"entry 1 is -0.5"`.
        found: String,
    },
    /// A linear-algebra op whose input has no answer: a singular matrix given to `inv` or `solve`,
    /// a matrix that is not positive-definite given to `chol`, a non-finite entry. Read from
    /// libtorch's `*_ex` info codes, so no NaN escapes silently and nothing panics.
    ///
    /// ```
    /// use typed_torch::linalg::{Sq, sym};
    /// let a = Sq::<2, f64>::from_array([[1.0, 2.0], [2.0, 1.0]]);
    /// let err = sym(&a).chol().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "chol: the matrix is not positive-definite: its leading minor of order 2 is not positive"
    /// );
    /// ```
    #[error("{op}: {problem}")]
    Linalg {
        /// The op, e.g. `"chol"`, `"inv"`, `"solve"`.
        op: &'static str,
        /// What is wrong with the input, e.g. `"the matrix is singular: ..."`.
        problem: String,
    },
    /// libtorch reported an error.
    #[error("libtorch: {0}")]
    Torch(#[from] tch::TchError),
}

/// Result with [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
