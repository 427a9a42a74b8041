//! Loss and accuracy curves of a [`History`] as PNG and SVG (plotters; the `plot` feature).
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::History;
use crate::error::{Error, Result};

/// Fonts tried for the PNG's text, in order (`TYPED_TORCH_FONT` first). plotters renders text
/// itself (pure Rust), so it only needs a TrueType file, not a system font service.
const FONT_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "/Library/Fonts/Arial.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
];

/// Registers a TrueType font as plotters' `"sans-serif"` once, from `TYPED_TORCH_FONT` or the
/// usual system paths (DejaVu Sans, Liberation Sans, Arial); `false` if none was found. Every
/// picture of [`train`](super) calls it; a program drawing its own plotters charts calls it
/// before writing text and leaves the text out when it returns `false`.
///
/// Needs the `plot` cargo feature (on by default).
pub fn font_available() -> bool {
    static FOUND: OnceLock<bool> = OnceLock::new();
    *FOUND.get_or_init(|| {
        let from_env = std::env::var("TYPED_TORCH_FONT").ok();
        let candidates = from_env
            .iter()
            .map(String::as_str)
            .chain(FONT_CANDIDATES.iter().copied());
        for path in candidates {
            if let Ok(bytes) = std::fs::read(path) {
                // Registered fonts must live for the program: one font, leaked once.
                let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                if plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).is_ok() {
                    return true;
                }
            }
        }
        false
    })
}

/// Draws `history` (loss on the left, accuracy on the right, train and test) to
/// `<stem>.png` and `<stem>.svg`, and returns both paths.
///
/// Needs the `plot` cargo feature (on by default).
pub fn plot_history(history: &History, stem: &Path, title: &str) -> Result<(PathBuf, PathBuf)> {
    plot_curves(history, stem, title, &Curves::default())
}

/// What [`plot_curves`] draws: the loss's axis label, and whether an accuracy panel follows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Curves {
    pub loss: &'static str,
    pub accuracy: bool,
}

impl Default for Curves {
    fn default() -> Self {
        Curves {
            loss: "loss",
            accuracy: true,
        }
    }
}

/// [`plot_history`] with the loss named and the accuracy panel optional (a run without
/// accuracy, such as a VAE's, draws its loss across the whole width).
pub(crate) fn plot_curves(
    history: &History,
    stem: &Path,
    title: &str,
    curves: &Curves,
) -> Result<(PathBuf, PathBuf)> {
    let png = stem.with_extension("png");
    let svg = stem.with_extension("svg");
    let text = font_available();
    let plot_error = |path: &Path, e: String| Error::Data {
        path: path.to_path_buf(),
        problem: format!("drawing the training curves failed: {e}"),
    };
    {
        let root = BitMapBackend::new(&png, (1200, 450)).into_drawing_area();
        draw(&root, history, title, text, curves).map_err(|e| plot_error(&png, e))?;
        root.present()
            .map_err(|e| plot_error(&png, e.to_string()))?;
    }
    {
        let root = SVGBackend::new(&svg, (1200, 450)).into_drawing_area();
        draw(&root, history, title, text, curves).map_err(|e| plot_error(&svg, e))?;
        root.present()
            .map_err(|e| plot_error(&svg, e.to_string()))?;
    }
    Ok((png, svg))
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    history: &History,
    title: &str,
    text: bool,
    curves: &Curves,
) -> std::result::Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let root = if text {
        root.titled(title, ("sans-serif", 22))
            .map_err(|e| e.to_string())?
    } else {
        root.clone()
    };
    let (left, right) = if curves.accuracy {
        root.split_horizontally(600)
    } else {
        (root.clone(), root.clone())
    };
    let epochs = history.epochs.len().max(1) as f64;
    let series = |f: fn(&super::EpochRecord) -> f64| -> Vec<(f64, f64)> {
        history
            .epochs
            .iter()
            .map(|r| (r.epoch as f64, f(r)))
            .collect()
    };
    let losses = [series(|r| r.train.loss), series(|r| r.test.loss)];
    let accuracies = [
        series(|r| 100.0 * r.train.accuracy),
        series(|r| 100.0 * r.test.accuracy),
    ];
    let max_loss = losses
        .iter()
        .flatten()
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max)
        .max(1e-3)
        * 1.05;
    let min_acc = accuracies
        .iter()
        .flatten()
        .map(|p| p.1)
        .fold(100.0f64, f64::min)
        .min(90.0);
    panel(&left, curves.loss, &losses, 0.0..max_loss, epochs, text)?;
    if !curves.accuracy {
        return Ok(());
    }
    panel(
        &right,
        "accuracy (%)",
        &accuracies,
        (min_acc - 1.0).max(0.0)..100.0,
        epochs,
        text,
    )?;
    Ok(())
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    what: &str,
    lines: &[Vec<(f64, f64)>; 2],
    y: std::ops::Range<f64>,
    epochs: f64,
    text: bool,
) -> std::result::Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let mut builder = ChartBuilder::on(area);
    builder.margin(15);
    if text {
        builder.x_label_area_size(40).y_label_area_size(60);
    }
    let mut chart = builder
        .build_cartesian_2d(0.5..epochs + 0.5, y)
        .map_err(err)?;
    let mut mesh = chart.configure_mesh();
    if text {
        mesh.x_desc("epoch")
            .y_desc(what)
            // Only whole epochs: plotters also places ticks at halves, which `{:.0}` would
            // round to repeated labels.
            .x_label_formatter(&|x| {
                if (x - x.round()).abs() < 1e-6 {
                    format!("{x:.0}")
                } else {
                    String::new()
                }
            });
    } else {
        mesh.disable_x_axis().disable_y_axis();
    }
    mesh.draw().map_err(err)?;
    for (points, (name, color)) in lines.iter().zip([("train", BLUE), ("test", RED)]) {
        let drawn = chart
            .draw_series(LineSeries::new(
                points.iter().copied(),
                color.stroke_width(2),
            ))
            .map_err(err)?;
        if text {
            drawn.label(name).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
        }
        chart
            .draw_series(points.iter().map(|&p| Circle::new(p, 3, color.filled())))
            .map_err(err)?;
    }
    if text {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
    }
    Ok(())
}
