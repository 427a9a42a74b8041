//! Graphs from CSV files: an edge list (`source,target[,weight]`) and node labels (`node,label`).
//! Needs the `csv` feature (on by default).
use super::edges::Edges;
use crate::data::csv::read_records;
use crate::device::Device;
use crate::dims::Dyn;
use crate::element::Float;
use crate::error::{Error, Result};
use crate::tensor::Tensor;
use std::path::Path;

/// Edges read by [`read_edge_list`]: `(source, target)` pairs in file order, and a weight per
/// edge when the file has a third column.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeList {
    /// The edges, as written.
    pub pairs: Vec<(i64, i64)>,
    /// The third column, if the file has one.
    pub weights: Option<Vec<f64>>,
}

impl EdgeList {
    /// One more than the largest node id named (the fewest nodes the edges fit).
    pub fn min_nodes(&self) -> usize {
        self.pairs
            .iter()
            .map(|&(s, t)| s.max(t) + 1)
            .max()
            .unwrap_or(0) as usize
    }

    /// The edges between `num_nodes` nodes, with their weights if the file had them; an error
    /// naming the first edge outside `0..num_nodes`.
    pub fn to_edges<E: Float, Dev: Device>(&self, num_nodes: usize) -> Result<Edges<E, Dev>> {
        let edges = Edges::from_pairs(&self.pairs, num_nodes)?;
        match &self.weights {
            Some(w) => {
                let w = tch::Tensor::from_slice(w)
                    .to_kind(E::DTYPE)
                    .to_device(Dev::tch());
                edges.with_weight(Tensor::<(Dyn,), E, Dev>::wrap(w))
            }
            None => Ok(edges),
        }
    }
}

/// Reads a CSV edge list: one edge per line, `source,target` or `source,target,weight`, node ids
/// non-negative integers; a first line whose first field is not a number is a header. Errors name
/// the file and the line.
///
/// ```
/// use typed_torch::graph::read_edge_list;
/// let path = std::env::temp_dir().join(format!("typed-torch-edges-{}.csv", std::process::id()));
/// std::fs::write(&path, "source,target\n0,1\n1,2\n").unwrap();
/// let list = read_edge_list(&path).unwrap();
/// assert_eq!(list.pairs, [(0, 1), (1, 2)]);
/// let edges = list.to_edges::<f32, typed_torch::Cpu>(list.min_nodes()).unwrap();
/// assert_eq!(edges.num_nodes(), 3);
/// std::fs::write(&path, "0,1\n1,x\n").unwrap();
/// let error = read_edge_list(&path).unwrap_err().to_string();
/// assert!(error.ends_with("line 2: target `x` is not a node id (a non-negative integer)"), "{error}");
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn read_edge_list(path: impl AsRef<Path>) -> Result<EdgeList> {
    let path = path.as_ref();
    let records = records(path)?;
    let bad = |problem: String| Error::Data {
        path: path.to_path_buf(),
        problem,
    };
    let width = records.first().map_or(2, |r| r.1.len());
    if !(2..=3).contains(&width) {
        return Err(bad(format!(
            "{width} columns; an edge list has source,target or source,target,weight"
        )));
    }
    let mut list = EdgeList {
        pairs: Vec::with_capacity(records.len()),
        weights: (width == 3).then(Vec::new),
    };
    for (line, fields) in skip_header(records) {
        if fields.len() != width {
            return Err(bad(format!(
                "line {line}: {} fields, the first line has {width}",
                fields.len()
            )));
        }
        let source = node_id(&fields[0]).ok_or_else(|| not_id(path, line, "source", &fields[0]))?;
        let target = node_id(&fields[1]).ok_or_else(|| not_id(path, line, "target", &fields[1]))?;
        list.pairs.push((source, target));
        if let Some(weights) = &mut list.weights {
            let w = fields[2]
                .parse::<f64>()
                .ok()
                .filter(|w| w.is_finite())
                .ok_or_else(|| {
                    bad(format!(
                        "line {line}: weight `{}` is not a finite number",
                        fields[2]
                    ))
                })?;
            weights.push(w);
        }
    }
    Ok(list)
}

/// Reads node labels from a CSV file of `node,label` lines (a header is skipped as by
/// [`read_edge_list`]): every node of `0..n` exactly once, in any order. Returns the label of
/// each node in node order; a node missing or given twice is an error naming it.
pub fn read_node_labels(path: impl AsRef<Path>) -> Result<Vec<i64>> {
    let path = path.as_ref();
    let bad = |problem: String| Error::Data {
        path: path.to_path_buf(),
        problem,
    };
    let mut labels: Vec<Option<i64>> = vec![];
    for (line, fields) in skip_header(records(path)?) {
        if fields.len() != 2 {
            return Err(bad(format!(
                "line {line}: {} fields; node labels are node,label",
                fields.len()
            )));
        }
        let node = node_id(&fields[0]).ok_or_else(|| not_id(path, line, "node", &fields[0]))?;
        let label = fields[1].parse::<i64>().map_err(|_| {
            bad(format!(
                "line {line}: label `{}` is not an integer",
                fields[1]
            ))
        })?;
        let node = node as usize;
        if node >= labels.len() {
            labels.resize(node + 1, None);
        }
        if labels[node].replace(label).is_some() {
            return Err(bad(format!("line {line}: node {node} is labelled twice")));
        }
    }
    labels
        .iter()
        .enumerate()
        .map(|(node, l)| l.ok_or_else(|| bad(format!("node {node} has no label"))))
        .collect()
}

fn records(path: &Path) -> Result<Vec<(u64, Vec<String>)>> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_records(&bytes, b',').map_err(|problem| Error::Data {
        path: path.to_path_buf(),
        problem,
    })
}

/// The records without a header line (a first line whose first field is not a number).
fn skip_header(records: Vec<(u64, Vec<String>)>) -> impl Iterator<Item = (u64, Vec<String>)> {
    let header = records
        .first()
        .is_some_and(|(_, f)| f.first().is_some_and(|v| v.parse::<f64>().is_err()));
    records.into_iter().skip(usize::from(header))
}

fn node_id(field: &str) -> Option<i64> {
    field.parse::<i64>().ok().filter(|&v| v >= 0)
}

fn not_id(path: &Path, line: u64, what: &str, field: &str) -> Error {
    Error::Data {
        path: path.to_path_buf(),
        problem: format!("line {line}: {what} `{field}` is not a node id (a non-negative integer)"),
    }
}
