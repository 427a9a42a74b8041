//! The module machinery every layer and model shares: running ([`Module`]), traversal with
//! PyTorch names ([`Params`] and its visitors), creation on a device ([`Init`]), conversion
//! ([`ToDevice`], [`ToKind`]), static parameter counts, summaries, and [`Optional`] tensors.
//! `#[derive(Module)]` implements all of it for a struct; the layers in the family folders
//! (`conv`, `norm`, ...) use the same derive.
mod convert;
mod forward;
pub mod init;
mod map;
mod optional;
mod param_count;
mod summary;
mod summary_svg;
mod visit;

pub use convert::{
    DeviceIndependent, DtypeIndependent, HasDeviceParameter, HasDtypeParameter, ToDevice, ToKind,
};
pub(crate) use forward::module_via_layer_input;
pub use forward::{LayerInput, Module};
pub use init::Init;
pub use map::ParamMap;
pub use optional::Optional;
pub use param_count::StaticParamCount;
pub use summary::{param_table, DescribeType, ModelSummary, Summary, SummaryRow};
#[doc(hidden)]
pub use visit::StackParams;
pub use visit::{Params, Path, Visitor, VisitorMut};
