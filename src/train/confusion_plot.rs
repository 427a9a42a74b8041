//! A confusion matrix as a PNG heat map (plotters; the `plot` feature).
use std::path::Path;

use plotters::prelude::*;

use super::plot::font_available;
use super::ConfusionMatrix;
use crate::error::{Error, Result};

impl ConfusionMatrix {
    /// Draws the matrix to a PNG: true classes down, predicted classes across, each cell shaded
    /// by its share of its row (so the diagonal reads as per-class recall) and labelled with its
    /// count; `class_names` name the rows and columns (indices when empty).
    ///
    /// Needs the `plot` cargo feature (on by default).
    ///
    /// ```
    /// use typed_torch::train::ConfusionMatrix;
    /// let mut confusion = ConfusionMatrix::new(2);
    /// confusion.update_indices(&[0, 1, 1, 1], &[0, 0, 1, 1]).unwrap();
    /// let path = std::env::temp_dir().join(format!("confusion-doc-{}.png", std::process::id()));
    /// confusion.save_png(&path, &["cat", "dog"], "pets").unwrap();
    /// assert!(std::fs::metadata(&path).unwrap().len() > 0);
    /// # std::fs::remove_file(&path).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Data`] when the file cannot be written.
    pub fn save_png(&self, path: &Path, class_names: &[&str], title: &str) -> Result<()> {
        let fail = |e: String| Error::Data {
            path: path.to_path_buf(),
            problem: format!("drawing the confusion matrix failed: {e}"),
        };
        let side = (160 + 48 * self.classes()).clamp(360, 1400) as u32;
        let root = BitMapBackend::new(path, (side + 60, side)).into_drawing_area();
        self.draw(&root, class_names, title).map_err(fail)?;
        root.present().map_err(|e| fail(e.to_string()))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
        class_names: &[&str],
        title: &str,
    ) -> std::result::Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let text = font_available();
        let n = self.classes() as i32;
        let name = |c: i32| {
            class_names
                .get(c as usize)
                .map_or_else(|| c.to_string(), |s| s.to_string())
        };
        let mut builder = ChartBuilder::on(root);
        builder.margin(16);
        if text {
            builder
                .caption(title, ("sans-serif", 20))
                .x_label_area_size(48)
                .y_label_area_size(64);
        }
        // Rows from the top: row t is drawn at y = n - 1 - t.
        // Segmented axes: cells span [i, i + 1), labels and counts sit at their centres (a
        // segmented `0..k` has a segment for every integer up to and including `k`).
        let last = (n - 1).max(0);
        let mut chart = builder
            .build_cartesian_2d((0..last).into_segmented(), (0..last).into_segmented())
            .map_err(err)?;
        let centre = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(i) => Some(*i),
            _ => None,
        };
        if text {
            chart
                .configure_mesh()
                .disable_mesh()
                .x_labels(n as usize)
                .y_labels(n as usize)
                .x_label_formatter(&|p| centre(p).map(name).unwrap_or_default())
                .y_label_formatter(&|y| centre(y).map(|y| name(n - 1 - y)).unwrap_or_default())
                .x_desc("predicted")
                .y_desc("true")
                .axis_desc_style(("sans-serif", 15))
                .label_style(("sans-serif", 13))
                .draw()
                .map_err(err)?;
        }
        let rows: Vec<&[u64]> = self.rows().collect();
        let mut cells = vec![];
        for (t, row) in rows.iter().enumerate() {
            let total: u64 = row.iter().sum();
            for (p, &count) in row.iter().enumerate() {
                let share = if total == 0 {
                    0.0
                } else {
                    count as f64 / total as f64
                };
                cells.push((p as i32, n - 1 - t as i32, count, share));
            }
        }
        chart
            .draw_series(cells.iter().map(|&(x, y, _, share)| {
                // White to a deep blue by the square root of the cell's share of its row, so
                // that a few mistakes among hundreds still show.
                let depth = share.sqrt();
                let shade = |full: f64| (255.0 - (255.0 - full) * depth).round() as u8;
                let colour = RGBColor(shade(30.0), shade(80.0), shade(160.0));
                let corner = |x, y| (SegmentValue::Exact(x), SegmentValue::Exact(y));
                Rectangle::new([corner(x, y), corner(x + 1, y + 1)], colour.filled())
            }))
            .map_err(err)?;
        if text && n <= 30 {
            chart
                .draw_series(cells.iter().map(|&(x, y, count, share)| {
                    let colour = if share > 0.25 { WHITE } else { BLACK };
                    let style = ("sans-serif", 13).into_font().color(&colour).pos(
                        plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Center,
                            plotters::style::text_anchor::VPos::Center,
                        ),
                    );
                    let at = (SegmentValue::CenterOf(x), SegmentValue::CenterOf(y));
                    Text::new(count.to_string(), at, style)
                }))
                .map_err(err)?;
        }
        Ok(())
    }
}
