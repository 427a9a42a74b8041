//! The training loop's checkpoint functions, over [`crate::checkpoint`].
use std::path::Path;

use crate::checkpoint::CheckpointError;
use crate::nn::Params;

/// Writes `model`'s parameters and buffers (`state_dict` names, their own dtypes) to `path` as
/// safetensors, atomically: see [`crate::checkpoint::save`] and, for optimizer state and
/// configuration, [`crate::checkpoint::Saver`].
///
/// Fails with a [`CheckpointError`] (`?` turns it into a [`typed_torch::Error`](crate::Error)
/// with the same message, or keeps it whole in a `Box<dyn std::error::Error>`).
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::Linear;
/// use typed_torch::train::{load_checkpoint, save_checkpoint};
/// let dir = std::env::temp_dir().join(format!("tt-doc-ckpt-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("linear.safetensors");
/// let model = Linear::<3, 2>::init().unwrap();
/// save_checkpoint(&model, &path).unwrap();
/// let mut other = Linear::<3, 2>::init().unwrap();
/// load_checkpoint(&mut other, &path).unwrap();
/// assert_eq!(other.weight.to_vec(), model.weight.to_vec());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn save_checkpoint<M: Params + ?Sized>(model: &M, path: &Path) -> Result<(), CheckpointError> {
    crate::checkpoint::save(model, path)
}

/// Loads a checkpoint written by [`save_checkpoint`] (or by PyTorch's `safetensors.torch`) into
/// `model`, strictly: every name, shape and dtype is checked before anything is copied; on error
/// the model is unchanged and the error ([`CheckpointError::Problems`]) lists every problem with
/// what was expected and found.
/// See [`crate::checkpoint::Loader`] for options and a report of what was loaded.
pub fn load_checkpoint<M: Params + ?Sized>(
    model: &mut M,
    path: &Path,
) -> Result<(), CheckpointError> {
    crate::checkpoint::load(model, path).map(|_| ())
}
