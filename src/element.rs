//! Element types (dtypes) as Rust types, and the traits that restrict which ops apply to them.
use half::{bf16, f16};
use tch::Kind;

mod sealed {
    pub trait Sealed {}
}

/// A tensor element type: `f32`, `f64`, `f16`, `bf16`, `i64`, `i32`, `i16`, `i8`, `u8` or `bool`.
///
/// ```
/// use typed_torch::Element;
/// assert_eq!(<f32 as Element>::DTYPE, tch::Kind::Float);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tensor element type",
    label = "use one of f32, f64, f16, bf16, i64, i32, i16, i8, u8, bool"
)]
pub trait Element:
    sealed::Sealed + tch::kind::Element + Copy + PartialEq + std::fmt::Debug + Send + Sync + 'static
{
    /// The libtorch dtype.
    const DTYPE: Kind;
    /// The name users write, for messages.
    const NAME: &'static str;
    /// Whether this is a floating-point type (libtorch's `/` and `clamp` differ for integers).
    const IS_FLOAT: bool = matches!(
        Self::DTYPE,
        Kind::Float | Kind::Double | Kind::Half | Kind::BFloat16
    );
    /// This value as a libtorch scalar (for scalar arithmetic and comparisons).
    fn to_scalar(self) -> tch::Scalar;
}

/// Elements with arithmetic: every dtype but `bool`.
#[diagnostic::on_unimplemented(
    message = "arithmetic needs a numeric dtype, but this tensor holds `{Self}`",
    label = "not defined for `{Self}` tensors",
    note = "convert first with `.to_kind::<f32>()` (or another numeric dtype)"
)]
pub trait Numeric: Element {
    /// The type sums accumulate in, as PyTorch's: integers sum to `i64`, floats to themselves.
    type Sum: Numeric;
}

/// Floating-point elements: `f32`, `f64`, `f16`, `bf16`. Needed by transcendental functions,
/// activations, means, softmax, losses and autograd.
#[diagnostic::on_unimplemented(
    message = "this op needs a floating-point dtype, but this tensor holds `{Self}`",
    label = "only defined for f32, f64, f16 and bf16 tensors",
    note = "convert first with `.to_kind::<f32>()`"
)]
pub trait Float: Numeric {}

/// Integer elements usable as indices or class labels (`i64`).
#[diagnostic::on_unimplemented(
    message = "indices must be `i64`, but this tensor holds `{Self}`",
    label = "libtorch takes indices as int64",
    note = "convert first with `.to_kind::<i64>()`"
)]
pub trait Index: Numeric {}

macro_rules! element {
    ($t:ty, $kind:ident, $name:literal, |$v:ident| $scalar:expr $(, $extra:ident)*) => {
        impl sealed::Sealed for $t {}
        impl Element for $t {
            const DTYPE: Kind = Kind::$kind;
            const NAME: &'static str = $name;
            fn to_scalar(self) -> tch::Scalar {
                let $v = self;
                $scalar
            }
        }
        $(impl $extra for $t {})*
    };
}
element!(f32, Float, "f32", |v| tch::Scalar::float(v.into()), Float);
element!(f64, Double, "f64", |v| tch::Scalar::float(v), Float);
element!(f16, Half, "f16", |v| tch::Scalar::float(v.to_f64()), Float);
element!(
    bf16,
    BFloat16,
    "bf16",
    |v| tch::Scalar::float(v.to_f64()),
    Float
);
element!(i64, Int64, "i64", |v| tch::Scalar::int(v), Index);
element!(i32, Int, "i32", |v| tch::Scalar::int(v.into()));
element!(i16, Int16, "i16", |v| tch::Scalar::int(v.into()));
element!(i8, Int8, "i8", |v| tch::Scalar::int(v.into()));
element!(u8, Uint8, "u8", |v| tch::Scalar::int(v.into()));
element!(bool, Bool, "bool", |v| tch::Scalar::int(v.into()));

macro_rules! numeric {
    ($($t:ty => $sum:ty),*) => {$(impl Numeric for $t { type Sum = $sum; })*};
}
numeric!(f32 => f32, f64 => f64, f16 => f16, bf16 => bf16, i64 => i64, i32 => i64, i16 => i64, i8 => i64, u8 => i64);
