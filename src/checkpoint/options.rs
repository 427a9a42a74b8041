//! How strictly a checkpoint must fit the model it is loaded into.

/// What a load tolerates. The default is strict, like PyTorch's `load_state_dict(strict=True)`:
/// every tensor of the model must be in the file with its shape and dtype, and the file must hold
/// nothing else.
///
/// ```
/// use typed_torch::checkpoint::LoadOptions;
/// let strict = LoadOptions::default();
/// assert_eq!(strict, LoadOptions::strict());
/// // PyTorch's `strict=False`, and convert f64 weights into an f32 model:
/// let lenient = LoadOptions::non_strict().convert_dtypes(true);
/// assert!(lenient.allow_missing && lenient.allow_unexpected && lenient.convert_dtypes);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Tensors of the model absent from the file keep their values (and are listed in
    /// [`LoadReport::missing`](super::LoadReport::missing)) instead of failing the load.
    pub allow_missing: bool,
    /// Tensors of the file absent from the model are skipped (and listed in
    /// [`LoadReport::unexpected`](super::LoadReport::unexpected)) instead of failing the load.
    pub allow_unexpected: bool,
    /// A floating-point tensor of another floating-point dtype (`F64` into an `F32` model, ...)
    /// is converted, as PyTorch's `load_state_dict` does, instead of failing the load. Integer
    /// and boolean tensors are never converted.
    pub convert_dtypes: bool,
}

impl LoadOptions {
    /// Everything must fit exactly (the default).
    pub fn strict() -> Self {
        Self::default()
    }

    /// PyTorch's `strict=False`: missing and unexpected tensors are allowed.
    pub fn non_strict() -> Self {
        LoadOptions {
            allow_missing: true,
            allow_unexpected: true,
            convert_dtypes: false,
        }
    }

    /// Sets [`allow_missing`](Self::allow_missing).
    pub fn allow_missing(mut self, allow: bool) -> Self {
        self.allow_missing = allow;
        self
    }

    /// Sets [`allow_unexpected`](Self::allow_unexpected).
    pub fn allow_unexpected(mut self, allow: bool) -> Self {
        self.allow_unexpected = allow;
        self
    }

    /// Sets [`convert_dtypes`](Self::convert_dtypes).
    pub fn convert_dtypes(mut self, convert: bool) -> Self {
        self.convert_dtypes = convert;
        self
    }
}
