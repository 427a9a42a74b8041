//! The safetensors file format, read by a parser that trusts nothing it reads, and written
//! through the `safetensors` crate.
//!
//! A file is an 8-byte little-endian header length `n`, `n` bytes of JSON header, then the data
//! section. The header maps each tensor name to `{"dtype", "shape", "data_offsets": [start, end]}`
//! (offsets relative to the data section) and may hold `"__metadata__"`, a map of strings.
//!
//! The `safetensors` crate's reader checks some of this (header length against the buffer,
//! contiguous offsets, sizes against dtype x shape) but not all: it reads the header into a
//! `HashMap`, so a duplicated name silently keeps the last entry (and a file whose two entries
//! share one byte range loads), and it reports the first problem only, without which tensor. The
//! parser here checks everything and reports every problem by name:
//!
//! * header length within the file (and at most 100 MB, the crate's limit too), before anything
//!   is allocated from it: nothing is ever allocated from a declared size;
//! * UTF-8, a JSON object, each entry well-formed, no duplicate names;
//! * dtypes known; each range inside the data section, not inverted, exactly
//!   `numel * element size` bytes (with overflow checks); no two ranges overlapping; the ranges
//!   covering the data section exactly.
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

use super::problem::Problem;

/// Largest header accepted, as in the `safetensors` crate.
pub const MAX_HEADER_LEN: u64 = 100_000_000;

/// The element types a checkpoint may hold (those typed-torch tensors can have).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DType {
    /// 64-bit float (`F64`, `torch.float64`).
    F64,
    /// 32-bit float (`F32`, `torch.float32`).
    F32,
    /// 16-bit float (`F16`, `torch.float16`).
    F16,
    /// bfloat16 (`BF16`, `torch.bfloat16`).
    BF16,
    /// 64-bit integer (`I64`, `torch.int64`).
    I64,
    /// 32-bit integer (`I32`, `torch.int32`).
    I32,
    /// 16-bit integer (`I16`, `torch.int16`).
    I16,
    /// 8-bit integer (`I8`, `torch.int8`).
    I8,
    /// 8-bit unsigned integer (`U8`, `torch.uint8`).
    U8,
    /// Boolean, one byte each (`BOOL`, `torch.bool`).
    Bool,
}

impl DType {
    /// Every dtype, in the order of this enum.
    pub const ALL: [DType; 10] = [
        DType::F64,
        DType::F32,
        DType::F16,
        DType::BF16,
        DType::I64,
        DType::I32,
        DType::I16,
        DType::I8,
        DType::U8,
        DType::Bool,
    ];

    /// The name in safetensors headers (`"F32"`, `"BOOL"`...).
    pub fn name(self) -> &'static str {
        match self {
            DType::F64 => "F64",
            DType::F32 => "F32",
            DType::F16 => "F16",
            DType::BF16 => "BF16",
            DType::I64 => "I64",
            DType::I32 => "I32",
            DType::I16 => "I16",
            DType::I8 => "I8",
            DType::U8 => "U8",
            DType::Bool => "BOOL",
        }
    }

    /// The dtype of a safetensors header name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Bytes per element.
    pub fn size(self) -> u64 {
        match self {
            DType::F64 | DType::I64 => 8,
            DType::F32 | DType::I32 => 4,
            DType::F16 | DType::BF16 | DType::I16 => 2,
            DType::I8 | DType::U8 | DType::Bool => 1,
        }
    }

    /// Whether this is a floating-point dtype (the ones converted into each other on request).
    pub fn is_float(self) -> bool {
        matches!(self, DType::F64 | DType::F32 | DType::F16 | DType::BF16)
    }

    /// The libtorch kind.
    pub fn kind(self) -> tch::Kind {
        use tch::Kind as K;
        match self {
            DType::F64 => K::Double,
            DType::F32 => K::Float,
            DType::F16 => K::Half,
            DType::BF16 => K::BFloat16,
            DType::I64 => K::Int64,
            DType::I32 => K::Int,
            DType::I16 => K::Int16,
            DType::I8 => K::Int8,
            DType::U8 => K::Uint8,
            DType::Bool => K::Bool,
        }
    }

    /// The dtype of a libtorch kind, if a checkpoint can hold it.
    pub fn of_kind(kind: tch::Kind) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.kind() == kind)
    }

    pub(crate) fn safetensors(self) -> safetensors::Dtype {
        use safetensors::Dtype as S;
        match self {
            DType::F64 => S::F64,
            DType::F32 => S::F32,
            DType::F16 => S::F16,
            DType::BF16 => S::BF16,
            DType::I64 => S::I64,
            DType::I32 => S::I32,
            DType::I16 => S::I16,
            DType::I8 => S::I8,
            DType::U8 => S::U8,
            DType::Bool => S::BOOL,
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One tensor of a parsed file: its declared dtype and shape, and where its bytes are.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub name: String,
    pub dtype: DType,
    pub shape: Vec<u64>,
    /// Byte range in the whole file (not the data section).
    pub bytes: Range<usize>,
}

/// A file whose header has been checked against its length: every entry's bytes exist, have the
/// size its dtype and shape need, and belong to it alone.
#[derive(Debug)]
pub(crate) struct Parsed<'a> {
    pub metadata: BTreeMap<String, String>,
    /// In header order.
    pub entries: Vec<Entry>,
    pub file: &'a [u8],
}

impl Parsed<'_> {
    pub fn data(&self, entry: &Entry) -> &[u8] {
        &self.file[entry.bytes.clone()]
    }
}

/// The header's top-level entries in file order, duplicates kept (a `HashMap` would hide them).
struct Entries(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, serde_json::Value>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// An entry's fields before range checks (offsets relative to the data section).
struct Declared {
    name: String,
    dtype: Option<DType>,
    shape: Vec<u64>,
    start: u64,
    end: u64,
}

fn header_problem(expected: impl Into<String>, found: impl Into<String>) -> Problem {
    Problem::Header {
        expected: expected.into(),
        found: found.into(),
    }
}

/// A short JSON rendering of a value for messages (cut at 60 characters).
fn shown(value: &serde_json::Value) -> String {
    let s = value.to_string();
    match s.char_indices().nth(60) {
        Some((cut, _)) => format!("{}...", &s[..cut]),
        None => s,
    }
}

fn parse_entry(
    name: &str,
    value: &serde_json::Value,
) -> Result<(Option<DType>, Declared), Problem> {
    let what = |field: &str| format!("`{name}`: {field}");
    let obj = value.as_object().ok_or_else(|| {
        header_problem(
            what("an object with dtype, shape and data_offsets"),
            shown(value),
        )
    })?;
    let dtype_name = obj.get("dtype").and_then(|d| d.as_str()).ok_or_else(|| {
        header_problem(
            what("a string `dtype`"),
            obj.get("dtype").map_or("none".into(), shown),
        )
    })?;
    let shape = obj
        .get("shape")
        .and_then(|s| s.as_array())
        .and_then(|dims| {
            dims.iter()
                .map(|d| d.as_u64())
                .collect::<Option<Vec<u64>>>()
        })
        .ok_or_else(|| {
            header_problem(
                what("a `shape` of non-negative integers"),
                obj.get("shape").map_or("none".into(), shown),
            )
        })?;
    let offsets = obj
        .get("data_offsets")
        .and_then(|s| s.as_array())
        .and_then(|o| match o.as_slice() {
            [a, b] => Some((a.as_u64()?, b.as_u64()?)),
            _ => None,
        })
        .ok_or_else(|| {
            header_problem(
                what("`data_offsets` [start, end] of non-negative integers"),
                obj.get("data_offsets").map_or("none".into(), shown),
            )
        })?;
    let dtype = DType::from_name(dtype_name);
    Ok((
        dtype,
        Declared {
            name: name.to_string(),
            dtype,
            shape,
            start: offsets.0,
            end: offsets.1,
        },
    ))
}

/// Parses and checks a whole file. On failure, every problem found (at least one).
pub(crate) fn parse(file: &[u8]) -> Result<Parsed<'_>, Vec<Problem>> {
    let len = file.len() as u64;
    let Some(length_field) = file.get(..8) else {
        return Err(vec![Problem::TooShort { found: len }]);
    };
    let n = u64::from_le_bytes(length_field.try_into().expect("8 bytes"));
    let limit = (len - 8).min(MAX_HEADER_LEN);
    if n > limit {
        return Err(vec![Problem::HeaderLength {
            expected_at_most: limit,
            found: n,
        }]);
    }
    let header_end = 8 + n as usize;
    let header = std::str::from_utf8(&file[8..header_end])
        .map_err(|e| vec![header_problem("UTF-8 text", format!("invalid UTF-8 ({e})"))])?;
    let Entries(entries) = serde_json::from_str(header)
        .map_err(|e| vec![header_problem("a JSON object of tensors", e.to_string())])?;
    let data_len = len - header_end as u64;

    let mut problems = Vec::new();
    let mut metadata = None::<BTreeMap<String, String>>;
    let mut declared: Vec<Declared> = Vec::new();
    let mut seen: HashMap<&str, ()> = HashMap::with_capacity(entries.len());
    for (name, value) in &entries {
        if seen.insert(name.as_str(), ()).is_some() {
            problems.push(Problem::DuplicateName { name: name.clone() });
            continue;
        }
        if name == "__metadata__" {
            let map = value.as_object().and_then(|m| {
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect::<Option<BTreeMap<_, _>>>()
            });
            match map {
                Some(m) => metadata = Some(m),
                None => problems.push(header_problem(
                    "`__metadata__`: an object of strings",
                    shown(value),
                )),
            }
            continue;
        }
        match parse_entry(name, value) {
            Ok((dtype, d)) => {
                if dtype.is_none() {
                    let found = value["dtype"].as_str().unwrap_or_default().to_string();
                    problems.push(Problem::UnsupportedDtype {
                        name: name.clone(),
                        found,
                    });
                }
                declared.push(d);
            }
            Err(p) => problems.push(p),
        }
    }

    // Ranges: inside the data section, and the size dtype x shape needs.
    let mut ranged: Vec<&Declared> = Vec::with_capacity(declared.len());
    for d in &declared {
        if d.start > d.end || d.end > data_len {
            problems.push(Problem::DataRange {
                name: d.name.clone(),
                found: (d.start, d.end),
                data_len,
            });
            continue;
        }
        if let Some(dtype) = d.dtype {
            let expected = d
                .shape
                .iter()
                .try_fold(1u64, |acc, &dim| acc.checked_mul(dim))
                .and_then(|numel| numel.checked_mul(dtype.size()));
            if expected != Some(d.end - d.start) {
                problems.push(Problem::DataSize {
                    name: d.name.clone(),
                    expected,
                    found: d.end - d.start,
                });
            }
        }
        ranged.push(d);
    }
    // Overlaps: sorted by start, each range must end before the next non-empty one starts.
    ranged.sort_by_key(|d| (d.start, d.end));
    let mut reach: Option<&Declared> = None; // the range reaching furthest so far
    let mut covered = 0u64;
    for d in ranged.iter().filter(|d| d.start < d.end) {
        let end_so_far = reach.map_or(0, |r| r.end);
        if let Some(r) = reach.filter(|r| d.start < r.end) {
            problems.push(Problem::Overlap {
                name: d.name.clone(),
                other: r.name.clone(),
            });
        }
        if d.end > end_so_far {
            covered += d.end - d.start.max(end_so_far);
            reach = Some(d);
        }
    }
    if problems.is_empty() && covered != data_len {
        problems.push(Problem::Coverage {
            expected: covered,
            found: data_len,
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let base = header_end;
    Ok(Parsed {
        metadata: metadata.unwrap_or_default(),
        entries: declared
            .into_iter()
            .map(|d| Entry {
                name: d.name,
                dtype: d.dtype.expect("unsupported dtypes are problems"),
                shape: d.shape,
                bytes: base + d.start as usize..base + d.end as usize,
            })
            .collect(),
        file,
    })
}

/// One tensor's bytes, contiguous, for the safetensors writer.
pub(crate) struct TensorBytes {
    pub dtype: DType,
    pub shape: Vec<usize>,
    pub bytes: Vec<u8>,
}

impl TensorBytes {
    /// Copies a tensor (any device, any layout) into bytes; `None` for a dtype checkpoints lack.
    pub fn of(t: &tch::Tensor) -> Result<Self, String> {
        let dtype = DType::of_kind(t.kind())
            .ok_or_else(|| format!("dtype {:?} cannot be saved in a checkpoint", t.kind()))?;
        let cpu = t
            .f_to_device(tch::Device::Cpu)
            .and_then(|c| c.f_contiguous())
            .map_err(|e| e.to_string())?;
        let numel = cpu.numel();
        let mut bytes = vec![0u8; numel * dtype.size() as usize];
        cpu.f_copy_data_u8(&mut bytes, numel)
            .map_err(|e| e.to_string())?;
        Ok(TensorBytes {
            dtype,
            shape: t.size().iter().map(|&d| d as usize).collect(),
            bytes,
        })
    }
}

impl safetensors::View for &TensorBytes {
    fn dtype(&self) -> safetensors::Dtype {
        self.dtype.safetensors()
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn data(&self) -> std::borrow::Cow<'_, [u8]> {
        std::borrow::Cow::Borrowed(&self.bytes)
    }
    fn data_len(&self) -> usize {
        self.bytes.len()
    }
}

/// A tensor built from a checked entry's bytes (a copy, so the file buffer can go).
pub(crate) fn tensor_of(parsed: &Parsed<'_>, entry: &Entry) -> Result<tch::Tensor, tch::TchError> {
    let shape: Vec<i64> = entry.shape.iter().map(|&d| d as i64).collect();
    tch::Tensor::f_from_data_size(parsed.data(entry), &shape, entry.dtype.kind())
}
