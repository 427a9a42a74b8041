//! Writing checkpoints: the model's `state_dict`, optional training state, metadata, checksums;
//! atomically.
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::format::TensorBytes;
use super::rng::RngState;
use super::CheckpointError;
use super::{keys, GroupRecord, OptimizerRecord, FORMAT_NAME, FORMAT_VERSION, RESERVED_PREFIX};
use crate::error::{Error, Result};
use crate::nn::Params;
use crate::optim::{LrScheduler, OptimizerState, Schedule, SchedulerState};

/// Builds a checkpoint: the model's tensors under their PyTorch `state_dict` names and dtypes,
/// and optionally a serde configuration, optimizer and scheduler state, RNG state and free-form
/// metadata; then writes it atomically ([`save`](Self::save)) or returns its bytes.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::checkpoint::{Loader, RngState, Saver};
/// use typed_torch::nn::{Linear, Module};
/// use typed_torch::optim::{Optimizer, Sgd, SgdConfig};
/// use typed_torch::{hlist, Tensor, D};
/// #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
/// struct Hyper { lr: f64, epochs: u32 }
///
/// let dir = std::env::temp_dir().join(format!("tt-doc-saver-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("run.safetensors");
/// let hyper = Hyper { lr: 0.1, epochs: 3 };
/// let mut model = hlist![Linear::<2, 1>::init().unwrap()];
/// let config = SgdConfig { lr: hyper.lr, momentum: 0.9, ..Default::default() };
/// let mut opt = Sgd::new(&mut model, config).unwrap();
/// model.forward(Tensor::<(D<4>, D<2>)>::randn()).sum_all().backward();
/// opt.step(&mut model).unwrap();
/// Saver::new(&model).config(&hyper).unwrap().optimizer(&opt).rng(RngState::new(1)).save(&path).unwrap();
///
/// // Resume: same model type and optimizer settings, then load everything.
/// let mut model2 = hlist![Linear::<2, 1>::init().unwrap()];
/// let mut opt2 = Sgd::new(&mut model2, config).unwrap();
/// let report = Loader::new(&mut model2).optimizer(&mut opt2).load(&path).unwrap();
/// assert_eq!(report.config::<Hyper>().unwrap(), Some(hyper));
/// assert_eq!(opt2.steps_taken(), 1);
/// assert_eq!(model2.head.weight.to_vec(), model.head.weight.to_vec());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub struct Saver<'a, M: Params + ?Sized> {
    model: &'a M,
    metadata: BTreeMap<String, String>,
    optimizer: Option<&'a dyn OptimizerState>,
    scheduler: Option<SchedulerState>,
    rng: Option<RngState>,
}

impl<'a, M: Params + ?Sized> Saver<'a, M> {
    /// A checkpoint of `model` alone (the file PyTorch's `load_file` + `load_state_dict` reads).
    pub fn new(model: &'a M) -> Self {
        Saver {
            model,
            metadata: BTreeMap::new(),
            optimizer: None,
            scheduler: None,
            rng: None,
        }
    }

    /// Stores a configuration (hyper-parameters, model settings) as JSON under the metadata key
    /// `config`; read it back with [`LoadReport::config`](super::LoadReport::config) or
    /// [`read_config`](super::read_config).
    pub fn config<C: Serialize + ?Sized>(mut self, config: &C) -> Result<Self, CheckpointError> {
        let json = serde_json::to_string(config)
            .map_err(|e| Error::Invalid(format!("checkpoint: configuration: {e}")))?;
        self.metadata.insert(keys::CONFIG.into(), json);
        Ok(self)
    }

    /// Adds a free-form metadata entry; the keys this crate writes itself (`format`,
    /// `format_version`, `config`, `checksums`, `optimizer`, `scheduler`, `rng`) are refused.
    pub fn metadata(
        mut self,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, CheckpointError> {
        let key = key.into();
        if keys::RESERVED.contains(&key.as_str()) {
            return Err(Error::Invalid(format!(
                "checkpoint: metadata key `{key}` is reserved (use `config` through Saver::config)"
            ))
            .into());
        }
        self.metadata.insert(key, value.into());
        Ok(self)
    }

    /// Saves an optimizer's state: its buffers per parameter as `@optimizer/<buffer>/<name>`,
    /// its step count, groups and hyper-parameters in the metadata.
    pub fn optimizer(mut self, optimizer: &'a dyn OptimizerState) -> Self {
        self.optimizer = Some(optimizer);
        self
    }

    /// Saves a learning-rate scheduler's position (step count and base rates).
    pub fn scheduler<S: Schedule>(mut self, scheduler: &LrScheduler<S>) -> Self {
        self.scheduler = Some(scheduler.state());
        self
    }

    /// Saves the RNG position (see [`RngState`]).
    pub fn rng(mut self, rng: RngState) -> Self {
        self.rng = Some(rng);
        self
    }

    /// The checkpoint's bytes (a safetensors file).
    pub fn to_bytes(&self) -> Result<Vec<u8>, CheckpointError> {
        let invalid = |m: String| Error::Invalid(format!("checkpoint: {m}"));
        let mut tensors: Vec<(String, TensorBytes)> = Vec::new();
        let mut shapes: HashMap<String, Vec<i64>> = HashMap::new();
        let mut problem: Option<String> = None;
        self.model.for_each_tensor(|name, t| {
            if problem.is_some() {
                return;
            }
            if name.starts_with(RESERVED_PREFIX) {
                problem = Some(format!(
                    "`{name}`: names starting with `{RESERVED_PREFIX}` are reserved"
                ));
            } else if shapes.insert(name.to_string(), t.size()).is_some() {
                problem = Some(format!("`{name}`: the model has two tensors of that name"));
            } else {
                match TensorBytes::of(t) {
                    Ok(bytes) => tensors.push((name.to_string(), bytes)),
                    Err(e) => problem = Some(format!("`{name}`: {e}")),
                }
            }
        });
        if let Some(p) = problem {
            return Err(invalid(p).into());
        }

        let mut metadata = self.metadata.clone();
        metadata.insert(keys::FORMAT.into(), FORMAT_NAME.into());
        metadata.insert(keys::FORMAT_VERSION.into(), FORMAT_VERSION.to_string());
        if let Some(opt) = self.optimizer {
            let flat = opt.flat_params();
            let record = OptimizerRecord {
                name: opt.name().to_string(),
                steps: opt.step_count(),
                hyper_parameters: opt.hyper_parameters(),
                groups: flat
                    .groups()
                    .iter()
                    .map(|g| GroupRecord {
                        lr: g.lr,
                        weight_decay: g.weight_decay,
                        momentum: g.momentum,
                        params: super::group_members(flat, &g.range),
                    })
                    .collect(),
            };
            for (buffer, values) in opt.state_buffers() {
                for name in flat.names() {
                    let shape = shapes.get(name).ok_or_else(|| {
                        invalid(format!(
                            "the optimizer trains `{name}`, which the model does not have"
                        ))
                    })?;
                    let range = flat.range_of(name).expect("a name of the optimizer");
                    let view = values
                        .f_narrow(0, range.start as i64, range.len() as i64)
                        .and_then(|v| v.f_view(shape.as_slice()))?;
                    let bytes = TensorBytes::of(&view).map_err(invalid)?;
                    tensors.push((
                        format!("{}/{buffer}/{name}", keys::OPTIMIZER_TENSORS),
                        bytes,
                    ));
                }
            }
            metadata.insert(keys::OPTIMIZER.into(), json(&record)?);
        }
        if let Some(s) = &self.scheduler {
            metadata.insert(keys::SCHEDULER.into(), json(s)?);
        }
        if let Some(r) = &self.rng {
            metadata.insert(keys::RNG.into(), json(r)?);
        }
        let checksums: BTreeMap<&str, String> = tensors
            .iter()
            .map(|(name, t)| (name.as_str(), format!("{:08x}", crc32fast::hash(&t.bytes))))
            .collect();
        metadata.insert(keys::CHECKSUMS.into(), json(&checksums)?);

        let metadata: HashMap<String, String> = metadata.into_iter().collect();
        safetensors::serialize(tensors.iter().map(|(n, t)| (n.as_str(), t)), Some(metadata))
            .map_err(|e| invalid(e.to_string()).into())
    }

    /// Writes the checkpoint to `path` atomically: the file appears whole or not at all, so a
    /// crash mid-save leaves any previous checkpoint intact (see [`write_atomically`]).
    pub fn save(&self, path: &Path) -> Result<(), CheckpointError> {
        let bytes = self.to_bytes()?;
        write_atomically(path, |file| {
            use std::io::Write;
            file.write_all(&bytes).map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })
        })
        .map_err(CheckpointError::from)
    }
}

fn json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Invalid(format!("checkpoint: {e}")))
}

/// Writes a file whole or not at all: a temporary file in the same directory (so the rename stays
/// on one file system), written, flushed and `fsync`ed, renamed over `path`, then the directory
/// `fsync`ed so the rename itself survives a crash. On error the temporary file is removed and
/// `path` is untouched.
///
/// A general file utility (the training history's CSV uses it too), so it reports
/// [`Error::Io`] naming the file, or the error `write` returned, as a
/// [`typed_torch::Error`](crate::Error); [`Saver::save`] turns that into a [`CheckpointError`].
pub fn write_atomically(path: &Path, write: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| Error::Io { path: p, source }
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::Invalid(format!("{}: not a file path", path.display())))?;
    // Unique per process and per call, so concurrent saves never share a temporary file.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let tmp = dir.join(format!(
        ".{}.tmp-{}-{}",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let result = (|| {
        let mut file = File::create(&tmp).map_err(io(&tmp))?;
        write(&mut file)?;
        use std::io::Write;
        file.flush().map_err(io(&tmp))?;
        file.sync_all().map_err(io(&tmp))?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(io(path))?;
        // Directories cannot be opened for syncing everywhere (Windows); the data is safe anyway.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tt-atomic-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_failed_write_leaves_the_previous_file_and_no_debris() {
        let dir = scratch("fail");
        let path = dir.join("ckpt.safetensors");
        write_atomically(&path, |f| {
            f.write_all(b"old")
                .map_err(|e| Error::Invalid(e.to_string()))
        })
        .unwrap();
        let err = write_atomically(&path, |f| {
            f.write_all(b"half of the new").unwrap();
            Err(Error::Invalid("disk full (simulated)".into()))
        })
        .unwrap_err();
        assert!(err.to_string().contains("simulated"));
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["ckpt.safetensors"], "temporary files left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_directory_is_an_io_error_naming_the_file() {
        let path = Path::new("/nonexistent-typed-torch-dir/ckpt.safetensors");
        let err = write_atomically(path, |_| Ok(())).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        assert!(
            err.to_string().contains("nonexistent-typed-torch-dir"),
            "{err}"
        );
    }
}
