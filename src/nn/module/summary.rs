//! A model summary computed from the types: each layer's name, output shape and parameter count.
use super::{Module, Params, Path};
use crate::device::Device;
use crate::element::Element;
use crate::shape::Shape;
use crate::tensor::Tensor;
use frunk::{HCons, HNil};

/// Output types a summary can describe (tensors).
pub trait DescribeType {
    /// E.g. `(Dyn, D<300>) f32`.
    fn describe_type() -> String;
}

impl<S: Shape, E: Element, Dev: Device> DescribeType for Tensor<S, E, Dev> {
    fn describe_type() -> String {
        format!("{} {}", S::describe(), E::NAME)
    }
}

/// One row of a [`ModelSummary`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    /// The layer's `state_dict` prefix: its position in a stack (`3`), under its field's name in
    /// a struct (`features.3`).
    pub name: String,
    /// The layer's type, without module paths, e.g. `Linear<784, 300>`.
    pub layer: String,
    /// Its output type, from the types alone, e.g. `(Dyn, D<300>) f32`.
    pub output: String,
    /// Its number of scalar parameters.
    pub params: usize,
}

impl SummaryRow {
    /// The row of `layer` fed with `X`, named `name`.
    pub fn of<L: Module<X> + Params, X>(layer: &L, name: &str) -> SummaryRow
    where
        L::Output: DescribeType,
    {
        SummaryRow {
            name: name.to_string(),
            layer: short_type_name(core::any::type_name::<L>()),
            output: L::Output::describe_type(),
            params: layer.param_count(),
        }
    }
}

/// The rows of a model's summary for input type `X`, computed from the types.
///
/// HList stacks implement it with a row per layer, and `#[derive(Module)]` implements it for
/// structs: a `#[module(sequential)]` struct (its fields run in order) lists its fields' rows
/// under their names, any other struct is one row of its own.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Linear, Module, ReLU, Summary};
/// use typed_torch::{Dyn, HList, Tensor, D};
///
/// #[derive(Module)]
/// #[module(sequential)]
/// struct Net {
///     encoder: HList![Linear<784, 64>, ReLU],
///     head: Linear<64, 10>,
/// }
/// let net = Net::init().unwrap();
/// let s = Summary::<Tensor<(Dyn, D<784>)>>::summary(&net);
/// assert_eq!(s.rows[2].name, "head");
/// assert_eq!(s.rows[2].output, "(Dyn, D<10>) f32");
/// ```
pub trait Summary<X> {
    /// Appends one row per layer, naming them under `prefix` (`""` at the top).
    fn rows(&self, prefix: &str, rows: &mut Vec<SummaryRow>);

    /// The summary of this model fed with `X`; no tensor is computed.
    ///
    /// ```
    /// use typed_torch::prelude::*;
    /// use typed_torch::nn::{Init, Linear, ReLU, Summary};
    /// use typed_torch::{Dyn, HList, Tensor, D};
    /// let mlp = <HList![Linear<784, 300>, ReLU, Linear<300, 10>]>::init().unwrap();
    /// let s = Summary::<Tensor<(Dyn, D<784>)>>::summary(&mlp);
    /// assert_eq!(s.rows[2].output, "(Dyn, D<10>) f32");
    /// assert_eq!(s.total_params(), 784 * 300 + 300 + 300 * 10 + 10);
    /// println!("{s}");
    /// ```
    fn summary(&self) -> ModelSummary {
        let mut rows = Vec::new();
        self.rows("", &mut rows);
        ModelSummary { rows }
    }
}

/// A stack numbers its layers like `nn.Sequential`.
#[doc(hidden)]
pub trait SummaryFrom<X> {
    fn rows_from(&self, index: usize, prefix: &str, rows: &mut Vec<SummaryRow>);
}

impl<X> SummaryFrom<X> for HNil {
    fn rows_from(&self, _: usize, _: &str, _: &mut Vec<SummaryRow>) {}
}

impl<X> Summary<X> for HNil {
    fn rows(&self, _: &str, _: &mut Vec<SummaryRow>) {}
}

impl<X, H, T> Summary<X> for HCons<H, T>
where
    Self: SummaryFrom<X>,
{
    fn rows(&self, prefix: &str, rows: &mut Vec<SummaryRow>) {
        self.rows_from(0, prefix, rows);
    }
}

impl<X, H, T> SummaryFrom<X> for HCons<H, T>
where
    H: Module<X> + Params,
    H::Output: DescribeType,
    T: SummaryFrom<H::Output>,
{
    fn rows_from(&self, index: usize, prefix: &str, rows: &mut Vec<SummaryRow>) {
        rows.push(SummaryRow::of::<H, X>(
            &self.head,
            &Path::join(prefix, &index.to_string()),
        ));
        self.tail.rows_from(index + 1, prefix, rows);
    }
}

/// A table of layers, output shapes and parameter counts; `Display` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSummary {
    /// One row per layer.
    pub rows: Vec<SummaryRow>,
}

impl ModelSummary {
    /// Parameters of the whole model.
    pub fn total_params(&self) -> usize {
        self.rows.iter().map(|r| r.params).sum()
    }
}

impl core::fmt::Display for ModelSummary {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let w_name = self
            .rows
            .iter()
            .map(|r| r.name.len())
            .max()
            .unwrap_or(0)
            .max(3);
        let w_layer = self
            .rows
            .iter()
            .map(|r| r.layer.len())
            .max()
            .unwrap_or(0)
            .max(5);
        let w_out = self
            .rows
            .iter()
            .map(|r| r.output.len())
            .max()
            .unwrap_or(0)
            .max(6);
        writeln!(
            f,
            "{:<w_name$}  {:<w_layer$}  {:<w_out$}  {:>12}",
            "#", "layer", "output", "params"
        )?;
        writeln!(
            f,
            "{}",
            "-".repeat(w_name + 2 + w_layer + 2 + w_out + 2 + 12)
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<w_name$}  {:<w_layer$}  {:<w_out$}  {:>12}",
                r.name, r.layer, r.output, r.params
            )?;
        }
        write!(
            f,
            "{:>w$}",
            format!("total {}", self.total_params()),
            w = w_name + 2 + w_layer + 2 + w_out + 2 + 12
        )
    }
}

/// `typed_torch::nn::linear::Linear<784, 300, (), f32, typed_torch::device::Cpu>` ->
/// `Linear<784, 300>`: the type as a user writes it, without module paths or trailing default
/// arguments (the `Cpu` device, the `f32` dtype, the empty option set `()`).
fn short_type_name(full: &str) -> String {
    let mut short = without_paths(full);
    loop {
        let before = short.len();
        for default in [", Cpu>", ", f32>", ", ()>"] {
            short = short.replace(default, ">");
        }
        if short.len() == before {
            return short;
        }
    }
}

/// Drops every module path from a type name.
fn without_paths(full: &str) -> String {
    let mut out = String::new();
    let mut segment = String::new();
    let mut chars = full.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            segment.clear();
        } else if c.is_alphanumeric() || c == '_' {
            segment.push(c);
        } else {
            out.push_str(&segment);
            segment.clear();
            out.push(c);
        }
    }
    out.push_str(&segment);
    out
}

/// A table of a model's parameters and buffers by `state_dict` name, with shapes and counts; works
/// for any model (derived structs included), e.g. to compare with PyTorch's `state_dict()`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{param_table, Init, Linear};
/// let t = param_table(&Linear::<4, 2>::init().unwrap());
/// assert!(t.contains("weight") && t.contains("[2, 4]") && t.contains("total 10"));
/// ```
pub fn param_table<M: Params>(model: &M) -> String {
    let mut rows: Vec<(String, String, usize)> = Vec::new();
    model.for_each_tensor(|name, t| {
        rows.push((
            name.to_string(),
            format!("{:?} {:?}", t.size(), t.kind()),
            t.numel(),
        ))
    });
    let w_name = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(4);
    let w_shape = rows.iter().map(|r| r.1.len()).max().unwrap_or(0).max(5);
    let mut out = format!(
        "{:<w_name$}  {:<w_shape$}  {:>10}\n",
        "name", "shape", "numel"
    );
    out.push_str(&"-".repeat(w_name + w_shape + 14));
    out.push('\n');
    for (name, shape, n) in &rows {
        out.push_str(&format!("{name:<w_name$}  {shape:<w_shape$}  {n:>10}\n"));
    }
    let total: usize = rows.iter().map(|r| r.2).sum();
    out.push_str(&format!(
        "{:>w$}",
        format!("total {total}"),
        w = w_name + w_shape + 14
    ));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_names_drop_paths() {
        assert_eq!(
            super::short_type_name(
                "typed_torch::nn::linear::Linear<784, 300, (), f32, typed_torch::device::Cpu>"
            ),
            "Linear<784, 300>"
        );
        assert_eq!(
            super::short_type_name(
                "typed_torch::nn::conv::conv::Conv2d<1, 8, 3, typed_torch::options::Padding<1>, f64, typed_torch::device::Cpu>"
            ),
            "Conv2d<1, 8, 3, Padding<1>, f64>"
        );
    }
}
