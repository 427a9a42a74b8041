//! The error of the checkpoint functions: every problem of a file that cannot be used, or the
//! I/O or libtorch failure that stopped a save or a load.
use std::path::PathBuf;

use thiserror::Error as ThisError;

use super::problem::Problem;

/// Why a checkpoint could not be saved, loaded or inspected. A failed load changes nothing: the
/// model, optimizer and scheduler are as they were.
///
/// It converts into [`crate::Error`] (so `?` works in a function returning
/// [`typed_torch::Result`](crate::Result)) with the same message: [`Io`](Self::Io) becomes
/// [`Error::Io`](crate::Error::Io), [`Other`](Self::Other) the error it holds, and
/// [`Problems`](Self::Problems) an [`Error::Data`](crate::Error::Data) naming the file and listing
/// every problem (match on `CheckpointError` itself to get them as [`Problem`]s). With
/// `Box<dyn std::error::Error>` or `anyhow::Result`, `?` keeps it as it is.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::checkpoint::{self, CheckpointError, Problem};
/// use typed_torch::nn::Linear;
///
/// fn resume(path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
///     let mut model = Linear::<3, 2>::init().unwrap();
///     checkpoint::load(&mut model, path)?; // a CheckpointError
///     more_setup()?; // a typed_torch::Error
///     Ok(())
/// }
/// # fn more_setup() -> typed_torch::Result<()> { Ok(()) }
///
/// let dir = std::env::temp_dir().join(format!("tt-doc-ckpt-error-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("wide.safetensors");
/// checkpoint::save(&Linear::<4, 2>::init().unwrap(), &path).unwrap();
/// let err = resume(&path).unwrap_err();
/// assert!(err.to_string().contains("`weight`: shape expected [2, 3], found [2, 4]"), "{err}");
/// let Some(CheckpointError::Problems { problems, .. }) = err.downcast_ref::<CheckpointError>() else { panic!("{err}") };
/// assert!(matches!(&problems[0], Problem::Shape { name, .. } if name == "weight"));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug, ThisError)]
#[non_exhaustive]
pub enum CheckpointError {
    /// A checkpoint that cannot be used: every problem found, each with what was expected and
    /// what was found. Nothing was changed.
    #[error("{path}: {}", describe_problems(problems))]
    Problems {
        /// The file (`<bytes>` for a checkpoint loaded from memory).
        path: PathBuf,
        /// Every problem, in the order found: file format first, then the fit to the model.
        problems: Vec<Problem>,
    },
    /// Reading or writing the file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file (or the temporary file of an atomic write).
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Anything else, as the rest of the crate reports it: libtorch failing to build or copy a
    /// tensor, a configuration that does not (de)serialize, a reserved metadata key or tensor
    /// name. Shown as the inner error.
    #[error(transparent)]
    Other(crate::Error),
}

/// A [`crate::Error::Io`] stays an I/O error ([`CheckpointError::Io`]); anything else becomes
/// [`CheckpointError::Other`].
impl From<crate::Error> for CheckpointError {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::Io { path, source } => CheckpointError::Io { path, source },
            other => CheckpointError::Other(other),
        }
    }
}

impl From<tch::TchError> for CheckpointError {
    fn from(e: tch::TchError) -> Self {
        CheckpointError::Other(e.into())
    }
}

/// For `?` in functions returning [`crate::Result`]; the message is unchanged (see
/// [`CheckpointError`]).
impl From<CheckpointError> for crate::Error {
    fn from(e: CheckpointError) -> Self {
        match e {
            CheckpointError::Problems { path, problems } => crate::Error::Data {
                problem: describe_problems(&problems),
                path,
            },
            CheckpointError::Io { path, source } => crate::Error::Io { path, source },
            CheckpointError::Other(e) => e,
        }
    }
}

/// The message body for a list of problems.
fn describe_problems(problems: &[Problem]) -> String {
    match problems {
        [] => "checkpoint cannot be used".into(),
        [one] => format!("checkpoint cannot be used: {one}"),
        many => {
            let mut s = format!("checkpoint cannot be used, {} problems:", many.len());
            for p in many {
                s.push_str("\n  - ");
                s.push_str(&p.to_string());
            }
            s
        }
    }
}

/// `?` into `Box<dyn Error + Send + Sync>` and `anyhow::Error` needs these.
const _: () = {
    const fn assert_boxable<T: std::error::Error + Send + Sync + 'static>() {}
    assert_boxable::<CheckpointError>();
    assert_boxable::<crate::Error>();
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converting_to_the_crate_error_keeps_the_message() {
        let problems = vec![
            Problem::TooShort { found: 3 },
            Problem::Coverage {
                expected: 8,
                found: 9,
            },
        ];
        let err = CheckpointError::Problems {
            path: "a.safetensors".into(),
            problems,
        };
        let message = err.to_string();
        assert_eq!(
            message,
            "a.safetensors: checkpoint cannot be used, 2 problems:\n  - file too short: \
             expected at least 8 bytes (the header length), found 3\n  - data section: expected \
             8 bytes (the tensors' total), found 9"
        );
        let crate_error = crate::Error::from(err);
        assert!(matches!(crate_error, crate::Error::Data { .. }));
        assert_eq!(crate_error.to_string(), message);

        let io = crate::Error::Io {
            path: "b".into(),
            source: std::io::Error::other("disk full"),
        };
        let err = CheckpointError::from(io);
        assert!(matches!(err, CheckpointError::Io { .. }), "{err}");
        assert_eq!(err.to_string(), "b: disk full");
        assert!(matches!(crate::Error::from(err), crate::Error::Io { .. }));
    }
}
