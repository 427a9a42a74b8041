//! 2-D embeddings as scatter plots, one panel per moment of training (plotters; the `plot`
//! feature): a picture of clusters forming.
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::plot::font_available;
use crate::error::{Error, Result};

/// One panel of [`plot_embedding_frames`]: a title (`"epoch 10"`) and a 2-D point per item.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddingFrame {
    /// The panel's title.
    pub title: String,
    /// One `[x, y]` per item, in item order.
    pub points: Vec<[f64; 2]>,
}

/// What every panel of [`plot_embedding_frames`] shares: each item's class (its colour), the
/// items to mark (drawn larger, with a ring: the labelled nodes of semi-supervised training), and
/// the links to draw between items (a graph's edges).
#[derive(Debug, Clone, Default)]
pub struct EmbeddingStyle<'a> {
    /// The class of each item, `0..`: its colour.
    pub classes: &'a [usize],
    /// Items drawn larger, with a ring.
    pub marked: &'a [usize],
    /// Pairs of items joined by a faint line.
    pub links: &'a [(usize, usize)],
    /// The name of each class, `class_names[c]` for class `c`: a legend in the first panel when
    /// given.
    pub class_names: &'a [&'a str],
    /// The points' radius in pixels; 0 means 5 (a few dozen items). A thousand items read
    /// better at 2.
    pub point_radius: u32,
}

/// Draws `frames` side by side (up to four per row) to `<stem>.png` and `<stem>.svg`, each panel
/// scaled to its own points; returns both paths. Needs the `plot` feature (on by default).
///
/// ```no_run
/// use typed_torch::train::{plot_embedding_frames, EmbeddingFrame, EmbeddingStyle};
/// let frames = vec![EmbeddingFrame { title: "epoch 0".into(), points: vec![[0.0, 1.0], [1.0, 0.0]] }];
/// let style = EmbeddingStyle { classes: &[0, 1], marked: &[0], links: &[(0, 1)], ..Default::default() };
/// plot_embedding_frames(&frames, &style, "two points", std::path::Path::new("embeddings")).unwrap();
/// ```
pub fn plot_embedding_frames(
    frames: &[EmbeddingFrame],
    style: &EmbeddingStyle<'_>,
    title: &str,
    stem: &Path,
) -> Result<(PathBuf, PathBuf)> {
    let items = style.classes.len();
    if let Some(f) = frames.iter().find(|f| f.points.len() != items) {
        return Err(Error::Invalid(format!(
            "embedding frame `{}`: {} points for {items} classes; one point per item",
            f.title,
            f.points.len()
        )));
    }
    let png = stem.with_extension("png");
    let svg = stem.with_extension("svg");
    let columns = frames.len().clamp(1, 4);
    let rows = frames.len().div_ceil(columns).max(1);
    let size = (340 * columns as u32, 340 * rows as u32 + 40);
    let plot_error = |path: &Path, e: String| Error::Data {
        path: path.to_path_buf(),
        problem: format!("drawing the embeddings failed: {e}"),
    };
    {
        let root = BitMapBackend::new(&png, size).into_drawing_area();
        draw(&root, frames, style, title, (rows, columns)).map_err(|e| plot_error(&png, e))?;
        root.present()
            .map_err(|e| plot_error(&png, e.to_string()))?;
    }
    {
        let root = SVGBackend::new(&svg, size).into_drawing_area();
        draw(&root, frames, style, title, (rows, columns)).map_err(|e| plot_error(&svg, e))?;
        root.present()
            .map_err(|e| plot_error(&svg, e.to_string()))?;
    }
    Ok((png, svg))
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frames: &[EmbeddingFrame],
    style: &EmbeddingStyle<'_>,
    title: &str,
    grid: (usize, usize),
) -> std::result::Result<(), String> {
    let text = font_available();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let root = if text {
        root.titled(title, ("sans-serif", 22))
            .map_err(|e| e.to_string())?
    } else {
        root.clone()
    };
    for (i, (area, frame)) in root.split_evenly(grid).iter().zip(frames).enumerate() {
        panel(area, frame, style, text && i == 0)?;
    }
    Ok(())
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &EmbeddingFrame,
    style: &EmbeddingStyle<'_>,
    legend: bool,
) -> std::result::Result<(), String> {
    let text = font_available();
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let range = |axis: usize| {
        let (lo, hi) = frame
            .points
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), p| {
                (lo.min(p[axis]), hi.max(p[axis]))
            });
        let pad = ((hi - lo) * 0.08).max(1e-6);
        (lo - pad)..(hi + pad)
    };
    let mut builder = ChartBuilder::on(area);
    builder.margin(12);
    if text {
        builder.caption(&frame.title, ("sans-serif", 18));
    }
    let mut chart = builder
        .build_cartesian_2d(range(0), range(1))
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_axes()
        .draw()
        .map_err(err)?;
    let faint = RGBColor(170, 170, 170).mix(0.5);
    chart
        .draw_series(style.links.iter().map(|&(a, b)| {
            let (p, q) = (frame.points[a], frame.points[b]);
            PathElement::new(vec![(p[0], p[1]), (q[0], q[1])], faint.stroke_width(1))
        }))
        .map_err(err)?;
    let colour = |class: usize| Palette99::pick(class).to_rgba();
    let radius = if style.point_radius == 0 {
        5
    } else {
        style.point_radius
    };
    chart
        .draw_series(
            frame
                .points
                .iter()
                .zip(style.classes)
                .map(|(p, &c)| Circle::new((p[0], p[1]), radius, colour(c).filled())),
        )
        .map_err(err)?;
    if legend && !style.class_names.is_empty() {
        // One invisible series per class, drawn only for its legend entry.
        for (class, name) in style.class_names.iter().enumerate() {
            chart
                .draw_series(std::iter::empty::<Circle<(f64, f64), u32>>())
                .map_err(err)?
                .label(*name)
                .legend(move |(x, y)| Circle::new((x, y), 4, colour(class).filled()));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(RGBColor(200, 200, 200))
            .label_font(("sans-serif", 13))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(err)?;
    }
    chart
        .draw_series(style.marked.iter().map(|&i| {
            let p = frame.points[i];
            Circle::new((p[0], p[1]), 10, BLACK.stroke_width(2))
        }))
        .map_err(err)?;
    Ok(())
}
