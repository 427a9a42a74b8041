//! Loading checkpoints: everything is validated before anything is changed.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::format::{self, DType, Entry, Parsed};
use super::problem::{Problem, TensorSpec};
use super::rng::RngState;
use super::CheckpointError;
use super::{keys, LoadOptions, OptimizerRecord, FORMAT_NAME, FORMAT_VERSION, RESERVED_PREFIX};
use crate::error::{Error, Result};
use crate::nn::Params;
use crate::optim::{LrScheduler, OptimizerState, Schedule, SchedulerState};

/// What a successful load did, and what the file carried besides tensors.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct LoadReport {
    /// Model tensors loaded, in `state_dict` order.
    pub loaded: Vec<String>,
    /// Model tensors the file lacked, left as they were (only with
    /// [`LoadOptions::allow_missing`]).
    pub missing: Vec<String>,
    /// File tensors the model lacks, skipped (only with [`LoadOptions::allow_unexpected`]).
    pub unexpected: Vec<String>,
    /// Tensors converted on load: name, the file's dtype, the model's (only with
    /// [`LoadOptions::convert_dtypes`]).
    pub converted: Vec<(String, DType, DType)>,
    /// The file's metadata (`format`, `config`, ... and any free-form entries).
    pub metadata: BTreeMap<String, String>,
    /// The RNG state, if one was saved.
    pub rng: Option<RngState>,
}

impl LoadReport {
    /// The configuration saved with [`Saver::config`](super::Saver::config), if any.
    pub fn config<C: DeserializeOwned>(&self) -> Result<Option<C>, CheckpointError> {
        parse_config(&self.metadata)
    }
}

pub(crate) fn parse_config<C: DeserializeOwned>(
    metadata: &BTreeMap<String, String>,
) -> Result<Option<C>, CheckpointError> {
    metadata
        .get(keys::CONFIG)
        .map(|json| {
            serde_json::from_str(json).map_err(|e| {
                Error::Invalid(format!(
                    "checkpoint: the saved configuration does not fit the type asked for: {e}"
                ))
                .into()
            })
        })
        .transpose()
}

/// A scheduler of any schedule type, as the loader holds it.
trait SchedulerSlot {
    fn check(&self, state: &SchedulerState) -> Result<()>;
    fn restore(&mut self, state: SchedulerState) -> Result<()>;
}

impl<S: Schedule> SchedulerSlot for LrScheduler<S> {
    fn check(&self, state: &SchedulerState) -> Result<()> {
        self.check_state(state)
    }
    fn restore(&mut self, state: SchedulerState) -> Result<()> {
        self.set_state(state)
    }
}

/// Loads a checkpoint into a model, and optionally into an optimizer and a scheduler.
///
/// Everything is checked before anything changes: the file (header length, JSON, duplicate
/// names, dtypes, byte ranges against dtype x shape and the file length, overlaps, coverage,
/// checksums), then the fit to the model (missing and unexpected names, shapes, dtypes), then
/// the optimizer and scheduler state. If anything is wrong the error
/// ([`CheckpointError::Problems`]) lists every problem with what was expected and found, and the
/// model, optimizer and scheduler are unchanged. An unreadable file is [`CheckpointError::Io`];
/// libtorch failing while the tensors are copied is [`CheckpointError::Other`] (also before
/// anything changed: every source tensor is built first).
///
/// Files from PyTorch (`safetensors.torch.save_file(model.state_dict(), ...)`) load as they are.
/// Tensors whose names start with `@` (the optimizer state of a training checkpoint) are not
/// model tensors: loading only a model from a training checkpoint ignores them.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::checkpoint::{self, CheckpointError, LoadOptions, Loader, Problem};
/// use typed_torch::hlist;
/// use typed_torch::nn::Linear;
/// let dir = std::env::temp_dir().join(format!("tt-doc-loader-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("small.safetensors");
/// checkpoint::save(&hlist![Linear::<3, 2, (), f64>::init().unwrap()], &path).unwrap();
///
/// // A bigger model: strict loading refuses, listing every problem.
/// let mut big = hlist![Linear::<3, 2>::init().unwrap(), Linear::<2, 2>::init().unwrap()];
/// let Err(CheckpointError::Problems { problems, .. }) = checkpoint::load(&mut big, &path) else {
///     panic!()
/// };
/// assert_eq!(problems.len(), 4); // two dtypes (F64 in the file, F32 in the model), two missing
/// assert!(matches!(&problems[2], Problem::Missing { name, .. } if name == "1.weight"));
///
/// // Converting dtypes and allowing missing tensors, it loads the first layer.
/// let options = LoadOptions::strict().convert_dtypes(true).allow_missing(true);
/// let report = Loader::new(&mut big).options(options).load(&path).unwrap();
/// assert_eq!(report.loaded, ["0.weight", "0.bias"]);
/// assert_eq!(report.missing, ["1.weight", "1.bias"]);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub struct Loader<'a, M: Params + ?Sized> {
    model: &'a mut M,
    options: LoadOptions,
    optimizer: Option<&'a mut dyn OptimizerState>,
    scheduler: Option<&'a mut dyn SchedulerSlot>,
}

/// One planned copy: the entry to read and the kind to convert to, if any.
struct Planned {
    entry: usize,
    convert: Option<tch::Kind>,
}

impl<'a, M: Params + ?Sized> Loader<'a, M> {
    /// A strict load into `model`.
    pub fn new(model: &'a mut M) -> Self {
        Loader {
            model,
            options: LoadOptions::default(),
            optimizer: None,
            scheduler: None,
        }
    }

    /// How strictly the file must fit.
    pub fn options(mut self, options: LoadOptions) -> Self {
        self.options = options;
        self
    }

    /// Also restores an optimizer's state (it must have been made over this model, with the
    /// hyper-parameters of the saved one); the file must hold optimizer state.
    pub fn optimizer(mut self, optimizer: &'a mut dyn OptimizerState) -> Self {
        self.optimizer = Some(optimizer);
        self
    }

    /// Also restores a scheduler's position; the file must hold one.
    pub fn scheduler<S: Schedule + 'a>(mut self, scheduler: &'a mut LrScheduler<S>) -> Self {
        self.scheduler = Some(scheduler);
        self
    }

    /// Loads the checkpoint at `path`.
    pub fn load(self, path: &Path) -> Result<LoadReport, CheckpointError> {
        let bytes = std::fs::read(path).map_err(|source| CheckpointError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.load_bytes_from(&bytes, path)
    }

    /// Loads a checkpoint held in memory (errors name the file `<bytes>`).
    pub fn load_bytes(self, bytes: &[u8]) -> Result<LoadReport, CheckpointError> {
        self.load_bytes_from(bytes, Path::new("<bytes>"))
    }

    fn load_bytes_from(self, bytes: &[u8], path: &Path) -> Result<LoadReport, CheckpointError> {
        let fail = |problems: Vec<Problem>| CheckpointError::Problems {
            path: path.to_path_buf(),
            problems,
        };
        let parsed = format::parse(bytes).map_err(fail)?;
        let mut problems = check_metadata(&parsed);

        // The model.
        let by_name: HashMap<&str, usize> = (parsed.entries.iter().enumerate())
            .map(|(i, e)| (e.name.as_str(), i))
            .collect();
        let mut used = vec![false; parsed.entries.len()];
        let mut report = LoadReport {
            metadata: parsed.metadata.clone(),
            ..LoadReport::default()
        };
        let mut plan: Vec<Option<Planned>> = Vec::new();
        let options = self.options;
        self.model.for_each_tensor(|name, t| {
            let planned = match by_name.get(name) {
                None => {
                    if options.allow_missing {
                        report.missing.push(name.to_string());
                    } else {
                        problems.push(Problem::Missing {
                            name: name.to_string(),
                            expected: spec_of(t),
                        });
                    }
                    None
                }
                Some(&i) => {
                    used[i] = true;
                    let entry = &parsed.entries[i];
                    let fits = fit(name, entry, t, &t.size(), options, &mut problems);
                    if let Some((convert, from, to)) = fits {
                        report.loaded.push(name.to_string());
                        if convert.is_some() {
                            report.converted.push((name.to_string(), from, to));
                        }
                        Some(Planned { entry: i, convert })
                    } else {
                        None
                    }
                }
            };
            plan.push(planned);
        });
        for (i, entry) in parsed.entries.iter().enumerate() {
            if used[i] || entry.name.starts_with(RESERVED_PREFIX) {
                continue;
            }
            if options.allow_unexpected {
                report.unexpected.push(entry.name.clone());
            } else {
                problems.push(Problem::Unexpected {
                    name: entry.name.clone(),
                    found: entry_spec(entry),
                });
            }
        }

        // The optimizer: its record, then its buffers.
        let mut optimizer_plan: Vec<(tch::Tensor, Planned)> = Vec::new();
        let mut optimizer_record = None;
        if let Some(opt) = self.optimizer.as_deref() {
            match read_json::<OptimizerRecord>(&parsed, keys::OPTIMIZER, &mut problems) {
                None => problems.push(Problem::State {
                    what: "optimizer".into(),
                    expected: format!("{} state (saved with Saver::optimizer)", opt.name()),
                    found: "none in the file".into(),
                }),
                Some(record) => {
                    check_optimizer(opt, &record, &mut problems);
                    let flat = opt.flat_params();
                    let mut wanted: HashSet<String> = HashSet::new();
                    for (buffer, values) in opt.state_buffers() {
                        for name in flat.names() {
                            let key = format!("{}/{buffer}/{name}", keys::OPTIMIZER_TENSORS);
                            let range = flat.range_of(name).expect("a name of the optimizer");
                            let view = values.narrow(0, range.start as i64, range.len() as i64);
                            wanted.insert(key.clone());
                            let Some(&i) = by_name.get(key.as_str()) else {
                                problems.push(Problem::Missing {
                                    name: key,
                                    expected: TensorSpec {
                                        dtype: DType::of_kind(view.kind()).unwrap_or(DType::F32),
                                        shape: vec![range.len() as u64],
                                    },
                                });
                                continue;
                            };
                            let entry = &parsed.entries[i];
                            // Any shape with the parameter's element count (saved shaped like it).
                            let numel: u64 = entry.shape.iter().product();
                            let size = if numel == range.len() as u64 {
                                entry.shape.iter().map(|&d| d as i64).collect()
                            } else {
                                vec![range.len() as i64]
                            };
                            if let Some((convert, ..)) =
                                fit(&key, entry, &view, &size, options, &mut problems)
                            {
                                optimizer_plan.push((view, Planned { entry: i, convert }));
                            }
                        }
                    }
                    let prefix = format!("{}/", keys::OPTIMIZER_TENSORS);
                    for entry in &parsed.entries {
                        if entry.name.starts_with(&prefix) && !wanted.contains(&entry.name) {
                            problems.push(Problem::Unexpected {
                                name: entry.name.clone(),
                                found: entry_spec(entry),
                            });
                        }
                    }
                    optimizer_record = Some(record);
                }
            }
        }

        // The scheduler.
        let mut scheduler_state = None;
        if let Some(s) = self.scheduler.as_deref() {
            match read_json::<SchedulerState>(&parsed, keys::SCHEDULER, &mut problems) {
                None => problems.push(Problem::State {
                    what: "scheduler".into(),
                    expected: "a scheduler position (saved with Saver::scheduler)".into(),
                    found: "none in the file".into(),
                }),
                Some(state) => match s.check(&state) {
                    Ok(()) => scheduler_state = Some(state),
                    Err(e) => problems.push(Problem::State {
                        what: "scheduler".into(),
                        expected: "a position this scheduler can take".into(),
                        found: e.to_string(),
                    }),
                },
            }
        }
        report.rng = read_json::<RngState>(&parsed, keys::RNG, &mut problems);

        if !problems.is_empty() {
            return Err(fail(problems));
        }

        // Every source tensor is built before the first copy, so a libtorch failure here also
        // leaves everything unchanged.
        let build = |p: &Planned| -> Result<tch::Tensor> {
            let t = format::tensor_of(&parsed, &parsed.entries[p.entry])?;
            Ok(match p.convert {
                Some(kind) => t.f_to_kind(kind)?,
                None => t,
            })
        };
        let sources: Vec<Option<tch::Tensor>> = plan
            .iter()
            .map(|p| p.as_ref().map(build).transpose())
            .collect::<Result<_>>()?;
        let optimizer_sources: Vec<tch::Tensor> = optimizer_plan
            .iter()
            .map(|(_, p)| build(p)?.f_flatten(0, -1).map_err(Error::from))
            .collect::<Result<_>>()?;

        let mut copy_error: Option<tch::TchError> = None;
        crate::no_grad(|| {
            let mut next = sources.into_iter();
            self.model.for_each_tensor_mut(|_, t| {
                if let Some(Some(src)) = next.next() {
                    if let Err(e) = t.f_copy_(&src) {
                        copy_error.get_or_insert(e);
                    }
                }
            });
            for ((view, _), src) in optimizer_plan.iter().zip(&optimizer_sources) {
                let mut view = view.shallow_clone();
                if let Err(e) = view.f_copy_(src) {
                    copy_error.get_or_insert(e);
                }
            }
        });
        if let Some(e) = copy_error {
            return Err(e.into());
        }
        if let (Some(opt), Some(record)) = (self.optimizer, optimizer_record) {
            opt.set_step_count(record.steps);
            for (group, saved) in opt
                .flat_params_mut()
                .groups_mut()
                .iter_mut()
                .zip(&record.groups)
            {
                group.lr = saved.lr;
                group.weight_decay = saved.weight_decay;
                group.momentum = saved.momentum;
            }
        }
        if let (Some(s), Some(state)) = (self.scheduler, scheduler_state) {
            s.restore(state)?;
        }
        Ok(report)
    }
}

fn spec_of(t: &tch::Tensor) -> TensorSpec {
    TensorSpec {
        dtype: DType::of_kind(t.kind()).unwrap_or(DType::F32),
        shape: t.size().iter().map(|&d| d as u64).collect(),
    }
}

fn entry_spec(entry: &Entry) -> TensorSpec {
    TensorSpec {
        dtype: entry.dtype,
        shape: entry.shape.clone(),
    }
}

/// Checks one entry against a destination tensor of sizes `size`; on success, the kind to
/// convert to (if any) and the two dtypes.
fn fit(
    name: &str,
    entry: &Entry,
    t: &tch::Tensor,
    size: &[i64],
    options: LoadOptions,
    problems: &mut Vec<Problem>,
) -> Option<(Option<tch::Kind>, DType, DType)> {
    let mut ok = true;
    let expected_shape: Vec<u64> = size.iter().map(|&d| d as u64).collect();
    if expected_shape != entry.shape {
        problems.push(Problem::Shape {
            name: name.to_string(),
            expected: expected_shape,
            found: entry.shape.clone(),
        });
        ok = false;
    }
    let Some(expected) = DType::of_kind(t.kind()) else {
        problems.push(Problem::State {
            what: format!("`{name}`"),
            expected: "a dtype a checkpoint can hold".into(),
            found: format!("{:?} in the model", t.kind()),
        });
        return None;
    };
    let mut convert = None;
    if expected != entry.dtype {
        if options.convert_dtypes && expected.is_float() && entry.dtype.is_float() {
            convert = Some(expected.kind());
        } else {
            problems.push(Problem::Dtype {
                name: name.to_string(),
                expected,
                found: entry.dtype,
            });
            ok = false;
        }
    }
    ok.then_some((convert, entry.dtype, expected))
}

/// A metadata entry holding JSON, if present; a malformed one is a problem.
fn read_json<T: DeserializeOwned>(
    parsed: &Parsed<'_>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let json = parsed.metadata.get(key)?;
    match serde_json::from_str(json) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(Problem::Metadata {
                key: key.into(),
                expected: format!("valid {key} state"),
                found: format!("{e}"),
            });
            None
        }
    }
}

/// The format version and the checksums.
fn check_metadata(parsed: &Parsed<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let ours = parsed.metadata.get(keys::FORMAT).map(String::as_str) == Some(FORMAT_NAME);
    if let (true, Some(version)) = (ours, parsed.metadata.get(keys::FORMAT_VERSION)) {
        if !version
            .parse::<u32>()
            .is_ok_and(|v| (1..=FORMAT_VERSION).contains(&v))
        {
            problems.push(Problem::Metadata {
                key: keys::FORMAT_VERSION.into(),
                expected: format!("a version from 1 to {FORMAT_VERSION}"),
                found: format!("{version:?}"),
            });
        }
    }
    let Some(json) = parsed.metadata.get(keys::CHECKSUMS) else {
        // Every file this version writes has checksums: one without them was damaged.
        let version = parsed.metadata.get(keys::FORMAT_VERSION);
        if ours && version.is_some_and(|v| v.parse::<u32>().is_ok_and(|v| v >= 2)) {
            problems.push(Problem::Metadata {
                key: keys::CHECKSUMS.into(),
                expected: "checksums (every version-2 file has them)".into(),
                found: "none".into(),
            });
        }
        return problems;
    };
    let Ok(sums) = serde_json::from_str::<BTreeMap<String, String>>(json) else {
        problems.push(Problem::Metadata {
            key: keys::CHECKSUMS.into(),
            expected: "a JSON object of tensor names and CRC-32s".into(),
            found: format!("{json:.60}"),
        });
        return problems;
    };
    let mut unchecked: BTreeMap<&str, &str> =
        sums.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for entry in &parsed.entries {
        let Some(sum) = unchecked.remove(entry.name.as_str()) else {
            problems.push(Problem::Metadata {
                key: keys::CHECKSUMS.into(),
                expected: format!("a checksum for every tensor, `{}` included", entry.name),
                found: "none for it".into(),
            });
            continue;
        };
        let found = crc32fast::hash(parsed.data(entry));
        match u32::from_str_radix(sum, 16) {
            Ok(expected) if expected == found => {}
            Ok(expected) => problems.push(Problem::Checksum {
                name: entry.name.clone(),
                expected,
                found,
            }),
            Err(_) => problems.push(Problem::Metadata {
                key: keys::CHECKSUMS.into(),
                expected: format!("a hexadecimal CRC-32 for `{}`", entry.name),
                found: format!("{sum:?}"),
            }),
        }
    }
    for name in unchecked.keys() {
        problems.push(Problem::Metadata {
            key: keys::CHECKSUMS.into(),
            expected: "checksums of the file's tensors only".into(),
            found: format!("one for `{name}`, which the file lacks"),
        });
    }
    problems
}

fn check_optimizer(
    opt: &dyn OptimizerState,
    record: &OptimizerRecord,
    problems: &mut Vec<Problem>,
) {
    let mut state = |what: &str, expected: String, found: String| {
        problems.push(Problem::State {
            what: what.into(),
            expected,
            found,
        })
    };
    if record.name != opt.name() {
        state("optimizer", opt.name().into(), record.name.clone());
    }
    let hyper = opt.hyper_parameters();
    if record.hyper_parameters != hyper {
        state(
            "optimizer hyper-parameters",
            hyper.to_string(),
            record.hyper_parameters.to_string(),
        );
    }
    let flat = opt.flat_params();
    let groups = flat.groups();
    if record.groups.len() != groups.len() {
        state(
            "optimizer parameter groups",
            groups.len().to_string(),
            record.groups.len().to_string(),
        );
    }
    for (i, (group, saved)) in groups.iter().zip(&record.groups).enumerate() {
        let members = super::group_members(flat, &group.range);
        if members != saved.params {
            state(
                &format!("optimizer group {i}"),
                format!("parameters {members:?}"),
                format!("{:?}", saved.params),
            );
        }
        if !(saved.lr.is_finite() && saved.weight_decay.is_finite()) {
            state(
                &format!("optimizer group {i}"),
                "a finite learning rate and weight decay".into(),
                format!("{} and {}", saved.lr, saved.weight_decay),
            );
        }
        if let Some(momentum) = saved.momentum.filter(|m| !m.is_finite()) {
            state(
                &format!("optimizer group {i}"),
                "a finite momentum".into(),
                format!("{momentum}"),
            );
        }
    }
}

/// Loads `path` into `model`, strictly (see [`Loader`]).
pub fn load<M: Params + ?Sized>(model: &mut M, path: &Path) -> Result<LoadReport, CheckpointError> {
    Loader::new(model).load(path)
}

/// Loads `path` into `model` with `options` (see [`Loader`]).
pub fn load_with<M: Params + ?Sized>(
    model: &mut M,
    path: &Path,
    options: LoadOptions,
) -> Result<LoadReport, CheckpointError> {
    Loader::new(model).options(options).load(path)
}

/// The metadata of the checkpoint at `path`, after checking the whole file.
pub fn read_metadata(path: &Path) -> Result<BTreeMap<String, String>, CheckpointError> {
    let bytes = std::fs::read(path).map_err(|source| CheckpointError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let fail = |problems| CheckpointError::Problems {
        path: PathBuf::from(path),
        problems,
    };
    let parsed = format::parse(&bytes).map_err(fail)?;
    let problems = check_metadata(&parsed);
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    Ok(parsed.metadata)
}

/// The configuration saved with [`Saver::config`](super::Saver::config) in the checkpoint at
/// `path`, if any: read it first to build the model the checkpoint needs.
pub fn read_config<C: DeserializeOwned>(path: &Path) -> Result<Option<C>, CheckpointError> {
    parse_config(&read_metadata(path)?)
}

/// The tensors of the checkpoint at `path` (name, dtype and shape), after checking the whole
/// file; nothing is loaded.
pub fn inspect(path: &Path) -> Result<Vec<(String, TensorSpec)>, CheckpointError> {
    let bytes = std::fs::read(path).map_err(|source| CheckpointError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    inspect_bytes(&bytes).map_err(|problems| CheckpointError::Problems {
        path: path.to_path_buf(),
        problems,
    })
}

/// [`inspect`] for a file in memory: every tensor, or every problem of the file (there is no
/// path to name, so the problems come bare rather than as a [`CheckpointError`]).
pub fn inspect_bytes(bytes: &[u8]) -> std::result::Result<Vec<(String, TensorSpec)>, Vec<Problem>> {
    let parsed = format::parse(bytes)?;
    let problems = check_metadata(&parsed);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(parsed
        .entries
        .iter()
        .map(|e| (e.name.clone(), entry_spec(e)))
        .collect())
}
