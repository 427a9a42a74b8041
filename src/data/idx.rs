//! The IDX format of MNIST: a big-endian header (magic `0x0000_08TT` with element type `TT` and
//! rank, then each dim as `u32`) followed by the elements. Files may be gzip-compressed.
use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

/// An unsigned-byte IDX array: its dims and its elements in row-major order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxArray {
    /// The dims from the header, e.g. `[60000, 28, 28]`.
    pub dims: Vec<usize>,
    /// The elements.
    pub data: Vec<u8>,
}

/// The largest file accepted, so a header that lies about its sizes cannot make us allocate
/// without bound (full MNIST's training images are 47 MB).
const MAX_BYTES: usize = 1 << 31;

/// Reads an unsigned-byte IDX file (`.gz` is decompressed), checking the magic number, the rank,
/// and that the data length matches the header exactly.
///
/// ```no_run
/// let labels = typed_torch::data::read_idx("train-labels-idx1-ubyte.gz".as_ref()).unwrap();
/// assert_eq!(labels.dims.len(), 1);
/// ```
pub fn read_idx(path: &Path) -> Result<IdxArray> {
    let bad = |problem: String| Error::Data {
        path: path.to_path_buf(),
        problem,
    };
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let gz = path.extension().is_some_and(|e| e == "gz");
    let mut reader: Box<dyn Read> = if gz {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut bytes = Vec::new();
    reader
        .by_ref()
        .take(MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            bad(format!(
                "cannot read{}: {e}",
                if gz { " (corrupt gzip?)" } else { "" }
            ))
        })?;
    if bytes.len() > MAX_BYTES {
        return Err(bad(format!("larger than {MAX_BYTES} bytes")));
    }
    if bytes.len() < 4 {
        return Err(bad(format!(
            "{} bytes: too short for an IDX header",
            bytes.len()
        )));
    }
    let (zero, kind, rank) = (
        u16::from_be_bytes([bytes[0], bytes[1]]),
        bytes[2],
        bytes[3] as usize,
    );
    if zero != 0 || kind != 0x08 {
        return Err(bad(format!(
            "bad magic number 0x{:08x}: expected 0x000008NN (unsigned bytes, rank NN)",
            u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
        )));
    }
    if rank == 0 || rank > 4 {
        return Err(bad(format!("rank {rank} in the header: expected 1 to 4")));
    }
    let header = 4 + 4 * rank;
    if bytes.len() < header {
        return Err(bad(format!(
            "truncated header: {} bytes, expected {header}",
            bytes.len()
        )));
    }
    let dims: Vec<usize> = (0..rank)
        .map(|i| {
            u32::from_be_bytes(bytes[4 + 4 * i..8 + 4 * i].try_into().expect("4 bytes")) as usize
        })
        .collect();
    let expected = dims
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .filter(|&n| n <= MAX_BYTES);
    let Some(expected) = expected else {
        return Err(bad(format!(
            "header declares dims {dims:?}: more data than any IDX file holds"
        )));
    };
    let found = bytes.len() - header;
    if found != expected {
        return Err(bad(format!(
            "header declares dims {dims:?} = {expected} bytes of data, but the file has {found}{}",
            if found < expected {
                " (truncated?)"
            } else {
                ""
            }
        )));
    }
    bytes.drain(..header);
    Ok(IdxArray { dims, data: bytes })
}
