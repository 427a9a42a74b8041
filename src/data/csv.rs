//! Numeric CSV tables: chosen feature columns as an `f32` matrix and one label column, with errors
//! that name the file, the line and the problem.
//!
//! Parsing is the `csv` crate's (RFC 4180: fields may be quoted, quoted fields may hold the
//! delimiter, quotes and line breaks); fields are trimmed of spaces, blank lines are skipped, and
//! the delimiter is one ASCII character. Every data field must be a finite number.
//!
//! Needs the `csv` cargo feature (on by default).
use super::dataset::TensorDataset;
use crate::dims::{Dim, Dyn};
use crate::element::Element;
use crate::error::{Error, Result};
use crate::tensor::Tensor;
use std::path::{Path, PathBuf};

/// A column of a CSV table: by position (0-based) or by header name. Needs the `csv` feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// The column at this 0-based position.
    Index(usize),
    /// The column with this header name (needs [`CsvReader::header`]).
    Name(String),
}

impl From<usize> for Column {
    fn from(index: usize) -> Self {
        Column::Index(index)
    }
}

impl From<&str> for Column {
    fn from(name: &str) -> Self {
        Column::Name(name.to_string())
    }
}

impl From<String> for Column {
    fn from(name: String) -> Self {
        Column::Name(name)
    }
}

/// Label dtypes a CSV field can be read as: `i64` (class indices; the field must hold an integer)
/// and `f32`/`f64` (regression targets). Needs the `csv` feature.
pub trait CsvLabel: Element {
    /// Parses one field, or says why it cannot be this type.
    fn parse_field(field: &str) -> Result<Self, String>;
}

fn parse_finite(field: &str) -> Result<f64, String> {
    match field.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!("`{field}` is not a finite number")),
        Err(_) if field.is_empty() => Err("empty field".to_string()),
        Err(_) => Err(format!("`{field}` is not a number")),
    }
}

impl CsvLabel for i64 {
    fn parse_field(field: &str) -> Result<Self, String> {
        if let Ok(v) = field.parse::<i64>() {
            return Ok(v);
        }
        // Also accept integers written as floats ("3.0", "1e2"), as pandas would write them.
        let v = parse_finite(field)?;
        if v.fract() == 0.0 && v.abs() < 2f64.powi(63) {
            Ok(v as i64)
        } else {
            Err(format!("`{field}` is not an integer label"))
        }
    }
}

impl CsvLabel for f32 {
    fn parse_field(field: &str) -> Result<Self, String> {
        let v = parse_finite(field)? as f32;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(format!("`{field}` is out of range for f32"))
        }
    }
}

impl CsvLabel for f64 {
    fn parse_field(field: &str) -> Result<Self, String> {
        parse_finite(field)
    }
}

/// A table read by [`CsvReader::read`]: the feature matrix, the labels, and the columns' names.
/// Needs the `csv` feature.
#[derive(Debug)]
pub struct CsvTable<F: Dim, Y: Element> {
    /// One row per data line, one column per feature column, as `f32`.
    pub features: Tensor<(Dyn, F)>,
    /// The label of each row.
    pub labels: Tensor<(Dyn,), Y>,
    /// The feature columns' header names (their positions, as text, without a header).
    pub feature_names: Vec<String>,
    /// The label column's header name (its position, as text, without a header).
    pub label_name: String,
}

impl<F: Dim, Y: Element> CsvTable<F, Y> {
    /// Number of data rows.
    pub fn rows(&self) -> usize {
        self.labels.size()[0]
    }

    /// The features and labels as a dataset.
    pub fn into_dataset(self) -> TensorDataset<(Dyn, F), f32, (Dyn,), Y> {
        TensorDataset::new(self.features, self.labels)
            .expect("a CSV table has as many labels as feature rows")
    }
}

/// Reads a numeric CSV file into a [`CsvTable`]: by default, no header, `,` as delimiter, the last
/// column as the label and every other column as a feature. Needs the `csv` feature (on by
/// default).
///
/// ```
/// use typed_torch::data::CsvReader;
/// use typed_torch::D;
/// let path = std::env::temp_dir().join(format!("typed-torch-doc-{}.csv", std::process::id()));
/// std::fs::write(&path, "x1,species,x2\n0.5,1,2\n1.5,0,-3\n").unwrap();
/// let table = CsvReader::new(&path)
///     .header(true)
///     .label("species")
///     .read::<D<2>, i64>()
///     .unwrap();
/// assert_eq!(table.features.to_vec(), vec![0.5, 2.0, 1.5, -3.0]);
/// assert_eq!(table.labels.to_vec(), vec![1, 0]);
/// assert_eq!(table.feature_names, ["x1", "x2"]);
/// # std::fs::remove_file(&path).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct CsvReader {
    path: PathBuf,
    header: bool,
    delimiter: char,
    label: Option<Column>,
    features: Option<Vec<Column>>,
}

impl CsvReader {
    /// A reader of the file at `path` (nothing is read until [`read`](CsvReader::read)).
    pub fn new(path: impl AsRef<Path>) -> Self {
        CsvReader {
            path: path.as_ref().to_path_buf(),
            header: false,
            delimiter: ',',
            label: None,
            features: None,
        }
    }

    /// Whether the first non-blank line holds column names (default: no).
    pub fn header(mut self, header: bool) -> Self {
        self.header = header;
        self
    }

    /// The field delimiter (default `,`): one ASCII character, else [`read`](CsvReader::read)
    /// fails.
    pub fn delimiter(mut self, delimiter: char) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// The label column (default: the last one).
    pub fn label(mut self, column: impl Into<Column>) -> Self {
        self.label = Some(column.into());
        self
    }

    /// The feature columns, in this order (default: every column but the label, in file order).
    pub fn features<C: Into<Column>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        self.features = Some(columns.into_iter().map(Into::into).collect());
        self
    }

    /// Reads the file: features as `Tensor<(Dyn, F)>` (`F` is `Dyn` or the number of feature
    /// columns, checked) and labels as `Tensor<(Dyn,), Y>`. Errors name the file, and the line for
    /// a problem in the data; a missing or unreadable file is an [`Error::Io`].
    pub fn read<F: Dim, Y: CsvLabel>(&self) -> Result<CsvTable<F, Y>> {
        let bad = |problem: String| Error::Data {
            path: self.path.clone(),
            problem,
        };
        let delimiter = u8::try_from(self.delimiter)
            .ok()
            .filter(u8::is_ascii)
            .ok_or_else(|| {
                bad(format!(
                    "the delimiter must be one ASCII character, found `{}`",
                    self.delimiter
                ))
            })?;
        let bytes = std::fs::read(&self.path).map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })?;
        let records = read_records(&bytes, delimiter).map_err(bad)?;
        let mut records = records.into_iter();
        let Some((first_no, first_fields)) = records.next() else {
            return Err(bad("empty file: no rows".into()));
        };
        let width = first_fields.len();
        let names: Option<Vec<String>> = self.header.then(|| first_fields.clone());

        let resolve = |column: &Column| -> Result<usize> {
            match (column, &names) {
                (Column::Index(i), _) if *i < width => Ok(*i),
                (Column::Index(i), _) => Err(bad(format!(
                    "column {i} is out of range: line {first_no} has {width} fields"
                ))),
                (Column::Name(name), Some(names)) => {
                    names.iter().position(|n| n == name).ok_or_else(|| {
                        bad(format!(
                            "no column named `{name}` in the header (line {first_no}): {}",
                            names.join(", ")
                        ))
                    })
                }
                (Column::Name(name), None) => Err(bad(format!(
                    "column `{name}` is named, but the reader takes the file to have no header \
                     (see CsvReader::header)"
                ))),
            }
        };
        let label = match &self.label {
            Some(column) => resolve(column)?,
            None => width - 1,
        };
        let features: Vec<usize> = match &self.features {
            Some(columns) => columns.iter().map(resolve).collect::<Result<_>>()?,
            None => (0..width).filter(|&c| c != label).collect(),
        };
        if features.is_empty() {
            return Err(bad("no feature columns".into()));
        }
        if features.contains(&label) {
            return Err(bad(format!(
                "column {label} is both the label and a feature"
            )));
        }
        if let Some(f) = F::STATIC.filter(|&f| f != features.len()) {
            return Err(bad(format!(
                "{} feature columns selected, but the features are typed D<{f}>",
                features.len()
            )));
        }
        let name = |c: usize| {
            names
                .as_ref()
                .map_or_else(|| c.to_string(), |n| n[c].clone())
        };

        let data = if self.header {
            Box::new(records) as Box<dyn Iterator<Item = (u64, Vec<String>)>>
        } else {
            Box::new(std::iter::once((first_no, first_fields)).chain(records))
        };
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        for (no, fields) in data {
            if fields.len() != width {
                return Err(bad(format!(
                    "line {no}: {} fields, expected {width} as on line {first_no}",
                    fields.len()
                )));
            }
            let at = |c: usize, problem: String| {
                bad(format!("line {no}, column {c} `{}`: {problem}", name(c)))
            };
            for &c in &features {
                let v = f32::parse_field(&fields[c]).map_err(|p| at(c, p))?;
                xs.push(v);
            }
            ys.push(Y::parse_field(&fields[label]).map_err(|p| at(label, p))?);
        }
        if ys.is_empty() {
            return Err(bad(format!(
                "no data rows after the header on line {first_no}"
            )));
        }
        let rows = ys.len();
        Ok(CsvTable {
            features: Tensor::from_slice_with_sizes(&xs, &[rows, features.len()])?,
            labels: Tensor::from_slice_dyn(&ys, &[rows])?,
            feature_names: features.iter().map(|&c| name(c)).collect(),
            label_name: name(label),
        })
    }
}

/// A field quoted after a space (`a, "b"`): RFC 4180 keeps such quotes as text, spreadsheets and
/// pandas do not.
fn unquote(field: &str) -> String {
    field
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .unwrap_or(field)
        .to_string()
}

/// Every non-blank record of `bytes` with the line it starts on, its fields trimmed; or why the
/// bytes are not CSV text.
pub(crate) fn read_records(
    bytes: &[u8],
    delimiter: u8,
) -> std::result::Result<Vec<(u64, Vec<String>)>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        // Ragged rows are reported with both widths below, rather than as the crate's error.
        .flexible(true)
        .from_reader(bytes);
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| match e.kind() {
            csv::ErrorKind::Utf8 { pos, err } => format!(
                "not UTF-8 text (line {}, field {})",
                pos.as_ref().map_or(0, |p| p.line()),
                err.field()
            ),
            _ => e.to_string(),
        })?;
        // A line of spaces is one empty field after trimming: blank, like an empty line.
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        records.push((line, record.iter().map(unquote).collect()));
    }
    Ok(records)
}
