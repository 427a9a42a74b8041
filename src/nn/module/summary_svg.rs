//! A picture of a model from its summary: one box per layer, top to bottom, with its name,
//! type, output shape and parameter count, as an SVG file.
use super::summary::ModelSummary;
use crate::error::{Error, Result};
use std::fmt::Write as _;
use std::path::Path;

/// Text metrics of the monospace font the picture asks for (13 px: about 7.8 px per character).
const FONT_PX: f64 = 13.0;
const CHAR_PX: f64 = 7.8;
const BOX_HEIGHT: f64 = 42.0;
const ARROW: f64 = 22.0;
const MARGIN: f64 = 16.0;
const PAD: f64 = 10.0;

impl ModelSummary {
    /// The model as an SVG picture: a box per layer in order, each with its name and type on
    /// the first line and its output shape and parameter count on the second, arrows between
    /// them and the total at the bottom; boxes are coloured by kind (convolutions, linear
    /// layers, normalisation, pooling, activations, others).
    ///
    /// ```
    /// use typed_torch::nn::{Init, Linear, ReLU, Summary};
    /// use typed_torch::{hlist, Dyn, Tensor, D};
    /// let mlp = hlist![Linear::<784, 300>::init().unwrap(), ReLU, Linear::<300, 10>::init().unwrap()];
    /// let svg = Summary::<Tensor<(Dyn, D<784>)>>::summary(&mlp).to_svg();
    /// assert!(svg.starts_with("<svg") && svg.contains("Linear&lt;784, 300&gt;"));
    /// assert!(svg.contains("(Dyn, D&lt;10&gt;) f32") && svg.contains("238510 parameters"));
    /// ```
    pub fn to_svg(&self) -> String {
        let lines: Vec<(String, String)> = self
            .rows
            .iter()
            .map(|r| {
                (
                    format!("{}  {}", r.name, r.layer),
                    format!("→ {} · {} params", r.output, r.params),
                )
            })
            .collect();
        let widest = lines
            .iter()
            .map(|(a, b)| a.chars().count().max(b.chars().count()))
            .max()
            .unwrap_or(0)
            .max(24);
        let box_width = widest as f64 * CHAR_PX + 2.0 * PAD;
        let width = box_width + 2.0 * MARGIN;
        let n = self.rows.len() as f64;
        let height = 2.0 * MARGIN + n * BOX_HEIGHT + (n - 1.0).max(0.0) * ARROW + 28.0;

        let mut svg = String::new();
        // `write!` to a String cannot fail.
        let _ = writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{FONT_PX}">"#
        );
        let _ = writeln!(
            svg,
            r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>"##
        );
        let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
        for (i, (row, (first, second))) in self.rows.iter().zip(&lines).enumerate() {
            let top = MARGIN + i as f64 * (BOX_HEIGHT + ARROW);
            let _ = writeln!(
                svg,
                r##"<rect x="{MARGIN}" y="{top}" width="{box_width:.1}" height="{BOX_HEIGHT}" rx="6" fill="{}" stroke="#444"/>"##,
                colour(&row.layer)
            );
            let _ = writeln!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" font-weight="bold" fill="#111">{}</text>"##,
                MARGIN + PAD,
                top + 17.0,
                escape(first)
            );
            let _ = writeln!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" fill="#333">{}</text>"##,
                MARGIN + PAD,
                top + 34.0,
                escape(second)
            );
            if i + 1 < self.rows.len() {
                let x = MARGIN + box_width / 2.0;
                let _ = writeln!(
                    svg,
                    r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#555" stroke-width="1.5" marker-end="url(#arrow)"/>"##,
                    top + BOX_HEIGHT,
                    top + BOX_HEIGHT + ARROW - 1.0
                );
            }
        }
        let _ = writeln!(
            svg,
            r##"<text x="{MARGIN}" y="{:.1}" fill="#111">total: {} parameters</text>"##,
            height - MARGIN,
            self.total_params()
        );
        svg.push_str("</svg>\n");
        svg
    }

    /// Writes [`to_svg`](Self::to_svg) to `path` (atomically: a temporary file renamed).
    pub fn save_svg(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let tmp = path.with_extension("svg.tmp");
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        std::fs::write(&tmp, self.to_svg()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

/// A fill colour by kind of layer, from its type's name.
fn colour(layer: &str) -> &'static str {
    let kind = |words: &[&str]| words.iter().any(|w| layer.starts_with(w));
    if kind(&["Conv"]) {
        "#cfe2f3"
    } else if kind(&["Linear", "Embedding", "Gcn", "Gat", "Gin", "Sage"]) {
        "#d9ead3"
    } else if kind(&["BatchNorm", "LayerNorm", "GroupNorm"]) {
        "#fff2cc"
    } else if kind(&["MaxPool", "AvgPool", "AdaptiveAvgPool"]) {
        "#e6d9f2"
    } else if kind(&[
        "ReLU",
        "ReLU6",
        "GELU",
        "Sigmoid",
        "Tanh",
        "LeakyReLU",
        "ELU",
        "SiLU",
        "Softmax",
    ]) {
        "#eeeeee"
    } else {
        "#fce5cd"
    }
}

/// Text with XML's special characters escaped (type names hold `<` and `>`).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
