//! What can be wrong with a checkpoint, each problem with what was expected and what was found.
use std::fmt;

use super::format::DType;

/// A tensor's dtype and shape, as a model expects it or as a file declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorSpec {
    /// The element type.
    pub dtype: DType,
    /// The sizes.
    pub shape: Vec<u64>,
}

impl fmt::Display for TensorSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.dtype, self.shape)
    }
}

/// One thing wrong with a checkpoint. A failed load reports all of them at once (in
/// [`CheckpointError::Problems`](super::CheckpointError::Problems)); problems of the file itself come first, and
/// the fit to the model is only checked once the file is sound.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Problem {
    /// The file is shorter than the 8-byte header length (an empty or cut-off file).
    TooShort {
        /// Bytes in the file.
        found: u64,
    },
    /// The header length in the first 8 bytes is larger than the rest of the file (a truncated
    /// file, or a corrupt length), or than the format's limit.
    HeaderLength {
        /// The most it can be: the bytes after the length field (or the limit, if smaller).
        expected_at_most: u64,
        /// The declared header length.
        found: u64,
    },
    /// The header is not a JSON object of tensor entries (invalid UTF-8 or JSON, or an entry
    /// without a valid `dtype`, `shape` or `data_offsets`).
    Header {
        /// What the header should hold there.
        expected: String,
        /// What it holds, or the parser's complaint.
        found: String,
    },
    /// Two entries of the header have the same name.
    DuplicateName {
        /// The name.
        name: String,
    },
    /// A dtype this crate does not load (e.g. `F8_E4M3`), or not a dtype at all.
    UnsupportedDtype {
        /// The tensor.
        name: String,
        /// The dtype as written in the file.
        found: String,
    },
    /// A tensor's byte range does not match its dtype and shape: the header lies about a size.
    DataSize {
        /// The tensor.
        name: String,
        /// `numel * element size` for the declared dtype and shape (`None` if that overflows).
        expected: Option<u64>,
        /// `end - start` of its declared byte range.
        found: u64,
    },
    /// A tensor's byte range is inverted or runs past the end of the data section.
    DataRange {
        /// The tensor.
        name: String,
        /// The declared range, `[start, end)`, relative to the data section.
        found: (u64, u64),
        /// Bytes in the data section.
        data_len: u64,
    },
    /// Two tensors' byte ranges overlap.
    Overlap {
        /// The tensor.
        name: String,
        /// The tensor it overlaps.
        other: String,
    },
    /// The tensors do not cover the data section exactly (a gap, or bytes after the last tensor).
    Coverage {
        /// Bytes the tensors account for.
        expected: u64,
        /// Bytes in the data section.
        found: u64,
    },
    /// A tensor's data does not match the checksum saved with it (corruption after saving).
    Checksum {
        /// The tensor.
        name: String,
        /// CRC-32 recorded at save time.
        expected: u32,
        /// CRC-32 of the data now.
        found: u32,
    },
    /// A metadata entry this crate writes is malformed or from a newer format.
    Metadata {
        /// The metadata key, e.g. `format_version`.
        key: String,
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// The model has a tensor the file lacks.
    Missing {
        /// The `state_dict` name.
        name: String,
        /// The model's tensor.
        expected: TensorSpec,
    },
    /// The file has a tensor the model lacks.
    Unexpected {
        /// The name in the file.
        name: String,
        /// The file's tensor.
        found: TensorSpec,
    },
    /// A tensor of the wrong shape.
    Shape {
        /// The `state_dict` name.
        name: String,
        /// The model's sizes.
        expected: Vec<u64>,
        /// The file's sizes.
        found: Vec<u64>,
    },
    /// A tensor of the wrong dtype (and no conversion asked for, or none possible).
    Dtype {
        /// The `state_dict` name.
        name: String,
        /// The model's dtype.
        expected: DType,
        /// The file's dtype.
        found: DType,
    },
    /// Optimizer, scheduler or RNG state that does not fit what it is loaded into.
    State {
        /// What: e.g. `optimizer`, `optimizer hyper-parameters`, `scheduler`.
        what: String,
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
}

impl Problem {
    /// The tensor the problem is about, if it is about one.
    pub fn tensor(&self) -> Option<&str> {
        use Problem::*;
        match self {
            DuplicateName { name }
            | UnsupportedDtype { name, .. }
            | DataSize { name, .. }
            | DataRange { name, .. }
            | Overlap { name, .. }
            | Checksum { name, .. }
            | Missing { name, .. }
            | Unexpected { name, .. }
            | Shape { name, .. }
            | Dtype { name, .. } => Some(name),
            _ => None,
        }
    }

    /// A problem of the file itself (not of its fit to a model): the file is corrupt, truncated
    /// or lies about its contents.
    pub fn is_corruption(&self) -> bool {
        use Problem::*;
        matches!(
            self,
            TooShort { .. }
                | HeaderLength { .. }
                | Header { .. }
                | DuplicateName { .. }
                | DataSize { .. }
                | DataRange { .. }
                | Overlap { .. }
                | Coverage { .. }
                | Checksum { .. }
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem::*;
        match self {
            TooShort { found } => write!(
                f,
                "file too short: expected at least 8 bytes (the header length), found {found}"
            ),
            HeaderLength {
                expected_at_most,
                found,
            } => write!(
                f,
                "header length: expected at most {expected_at_most} bytes, found {found} \
                 (truncated file or corrupt length)"
            ),
            Header { expected, found } => write!(f, "header: expected {expected}, found {found}"),
            DuplicateName { name } => write!(
                f,
                "`{name}`: expected one entry per name, found the name twice"
            ),
            UnsupportedDtype { name, found } => write!(
                f,
                "`{name}`: expected a dtype among {}, found {found:?}",
                DType::ALL.map(|d| d.name()).join(", ")
            ),
            DataSize {
                name,
                expected,
                found,
            } => match expected {
                Some(e) => write!(
                    f,
                    "`{name}`: data size expected {e} bytes (dtype x shape), found {found} \
                     (data_offsets)"
                ),
                None => write!(
                    f,
                    "`{name}`: data size expected {found} bytes (data_offsets), found a shape \
                     whose size overflows"
                ),
            },
            DataRange {
                name,
                found: (start, end),
                data_len,
            } => write!(
                f,
                "`{name}`: data_offsets expected within [0, {data_len}] and in order, found \
                 [{start}, {end}]"
            ),
            Overlap { name, other } => write!(
                f,
                "`{name}`: expected its own bytes, found them overlapping `{other}`'s"
            ),
            Coverage { expected, found } => write!(
                f,
                "data section: expected {expected} bytes (the tensors' total), found {found}"
            ),
            Checksum {
                name,
                expected,
                found,
            } => write!(
                f,
                "`{name}`: data checksum expected crc32 {expected:08x}, found {found:08x} \
                 (corrupted data)"
            ),
            Metadata {
                key,
                expected,
                found,
            } => write!(f, "metadata `{key}`: expected {expected}, found {found}"),
            Missing { name, expected } => {
                write!(f, "missing `{name}`: expected {expected}, found nothing")
            }
            Unexpected { name, found } => {
                write!(f, "unexpected `{name}`: expected nothing, found {found}")
            }
            Shape {
                name,
                expected,
                found,
            } => write!(f, "`{name}`: shape expected {expected:?}, found {found:?}"),
            Dtype {
                name,
                expected,
                found,
            } => write!(f, "`{name}`: dtype expected {expected}, found {found}"),
            State {
                what,
                expected,
                found,
            } => write!(f, "{what}: expected {expected}, found {found}"),
        }
    }
}
