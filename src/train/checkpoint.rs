//! Model checkpoints as safetensors files with PyTorch `state_dict` names, written atomically.
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};

use safetensors::{Dtype, SafeTensors, View};

use crate::error::{Error, Result};
use crate::nn::Params;

/// Written into every checkpoint's metadata, so a reader knows what produced the file.
const FORMAT: (&str, &str) = ("format", "typed-torch");
const FORMAT_VERSION: (&str, &str) = ("format_version", "1");

/// Writes `model`'s parameters and buffers (`state_dict` names, their own dtypes) to `path` as
/// safetensors. The file appears whole or not at all: it is written to a temporary file in the
/// same directory, flushed to disk, and renamed over `path`, so a crash mid-save leaves any
/// previous checkpoint intact.
///
/// ```
/// use typed_torch::nn::Linear;
/// use typed_torch::train::{load_checkpoint, save_checkpoint};
/// let dir = std::env::temp_dir().join(format!("tt-doc-ckpt-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("linear.safetensors");
/// let model = Linear::<3, 2>::new();
/// save_checkpoint(&model, &path).unwrap();
/// let mut other = Linear::<3, 2>::new();
/// load_checkpoint(&mut other, &path).unwrap();
/// assert_eq!(other.weight.to_vec(), model.weight.to_vec());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn save_checkpoint<M: Params>(model: &M, path: &Path) -> Result<()> {
    let mut tensors: Vec<(String, TensorBytes)> = Vec::new();
    let mut problem = None;
    model.visit_state("", &mut |name, t| match TensorBytes::of(t) {
        Ok(bytes) => tensors.push((name.to_string(), bytes)),
        Err(e) => {
            problem.get_or_insert(Error::Invalid(format!("checkpoint: `{name}`: {e}")));
        }
    });
    if let Some(e) = problem {
        return Err(e);
    }
    let metadata = HashMap::from([FORMAT, FORMAT_VERSION].map(|(k, v)| (k.into(), v.into())));
    let bytes = safetensors::serialize(tensors, Some(metadata))
        .map_err(|e| Error::Invalid(format!("checkpoint: {e}")))?;
    write_atomically(path, |file| {
        use std::io::Write;
        file.write_all(&bytes).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
    })
}

/// Loads a checkpoint written by [`save_checkpoint`] (or by PyTorch's `safetensors.torch`) into
/// `model`. Every name, shape and dtype is checked before anything is copied: on error the
/// model is unchanged, and the error lists every problem with what was expected and found.
pub fn load_checkpoint<M: Params>(model: &mut M, path: &Path) -> Result<()> {
    let data_error = |problem: String| Error::Data {
        path: path.to_path_buf(),
        problem,
    };
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let file = SafeTensors::deserialize(&bytes)
        .map_err(|e| data_error(format!("not a valid safetensors file: {e}")))?;
    let mut stored: BTreeMap<&str, _> = file.iter().collect();
    let mut problems = Vec::new();
    let mut loaded: Vec<tch::Tensor> = Vec::new();
    model.visit_state("", &mut |name, t| {
        let Some(view) = stored.remove(name) else {
            problems.push(format!("missing `{name}` ({:?} {:?})", t.kind(), t.size()));
            return;
        };
        let shape: Vec<i64> = view.shape().iter().map(|&d| d as i64).collect();
        match kind_of(view.dtype()) {
            Some(kind) if kind == t.kind() && shape == t.size() => {
                loaded.push(tch::Tensor::from_data_size(view.data(), &shape, kind))
            }
            _ => problems.push(format!(
                "`{name}`: expected {:?} {:?}, found {:?} {:?}",
                t.kind(),
                t.size(),
                view.dtype(),
                shape
            )),
        }
    });
    problems.extend(stored.keys().map(|name| format!("unexpected `{name}`")));
    if !problems.is_empty() {
        return Err(data_error(format!(
            "checkpoint does not fit the model: {}",
            problems.join("; ")
        )));
    }
    let mut next = loaded.into_iter();
    crate::no_grad(|| {
        model.visit_state_mut("", &mut |_, t| {
            let src = next.next().expect("one loaded tensor per state entry");
            t.copy_(&src);
        })
    });
    Ok(())
}

/// Writes a file whole or not at all: temporary file in the same directory (so the rename stays
/// on one file system), `fsync`, rename, then `fsync` of the directory so the rename itself
/// survives a crash.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut File) -> Result<()>,
) -> Result<()> {
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

/// One tensor's bytes, contiguous on the CPU, for the safetensors writer.
struct TensorBytes {
    dtype: Dtype,
    shape: Vec<usize>,
    bytes: Vec<u8>,
}

impl TensorBytes {
    fn of(t: &tch::Tensor) -> std::result::Result<Self, String> {
        let dtype = dtype_of(t.kind())
            .ok_or_else(|| format!("dtype {:?} has no safetensors name", t.kind()))?;
        let cpu = t.to_device(tch::Device::Cpu).contiguous();
        let numel = cpu.numel();
        let mut bytes = vec![0u8; numel * t.kind().elt_size_in_bytes()];
        cpu.f_copy_data_u8(&mut bytes, numel)
            .map_err(|e| e.to_string())?;
        Ok(TensorBytes {
            dtype,
            shape: t.size().iter().map(|&d| d as usize).collect(),
            bytes,
        })
    }
}

impl View for TensorBytes {
    fn dtype(&self) -> Dtype {
        self.dtype
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn data(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(&self.bytes)
    }
    fn data_len(&self) -> usize {
        self.bytes.len()
    }
}

fn dtype_of(kind: tch::Kind) -> Option<Dtype> {
    use tch::Kind as K;
    Some(match kind {
        K::Float => Dtype::F32,
        K::Double => Dtype::F64,
        K::Half => Dtype::F16,
        K::BFloat16 => Dtype::BF16,
        K::Int64 => Dtype::I64,
        K::Int => Dtype::I32,
        K::Int16 => Dtype::I16,
        K::Int8 => Dtype::I8,
        K::Uint8 => Dtype::U8,
        K::Bool => Dtype::BOOL,
        _ => return None,
    })
}

fn kind_of(dtype: Dtype) -> Option<tch::Kind> {
    use tch::Kind as K;
    Some(match dtype {
        Dtype::F32 => K::Float,
        Dtype::F64 => K::Double,
        Dtype::F16 => K::Half,
        Dtype::BF16 => K::BFloat16,
        Dtype::I64 => K::Int64,
        Dtype::I32 => K::Int,
        Dtype::I16 => K::Int16,
        Dtype::I8 => K::Int8,
        Dtype::U8 => K::Uint8,
        Dtype::BOOL => K::Bool,
        _ => return None,
    })
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
