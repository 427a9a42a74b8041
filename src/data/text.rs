//! Character-level text corpora: a UTF-8 file as a sequence of character ids, its vocabulary, a
//! fixed train/validation split, next-character windows as typed tensors, and the unigram
//! baseline a character model must beat.
use crate::dims::{Dyn, D};
use crate::error::{Error, Result};
use crate::tensor::Tensor;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A text as character ids over its own vocabulary (the distinct characters, in code point
/// order).
///
/// ```
/// use typed_torch::data::CharCorpus;
/// let corpus = CharCorpus::from_text("abracadabra", "spell").unwrap();
/// assert_eq!(corpus.vocab_size(), 5); // a b c d r
/// assert_eq!(corpus.decode(&corpus.ids()[..4]), "abra");
/// ```
#[derive(Debug, Clone)]
pub struct CharCorpus {
    source: PathBuf,
    chars: Vec<char>,
    ids: Vec<i64>,
}

impl CharCorpus {
    /// Reads a UTF-8 text file. A file that is not UTF-8 (with the offset of the first bad byte)
    /// or holds no characters is an [`Error::Data`] naming it.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|e| Error::Data {
            path: path.to_path_buf(),
            problem: format!(
                "not UTF-8 text: invalid byte at offset {}",
                e.utf8_error().valid_up_to()
            ),
        })?;
        Self::from_text(&text, path)
    }

    /// A corpus of `text`; `source` names it in errors.
    pub fn from_text(text: &str, source: impl AsRef<Path>) -> Result<Self> {
        let source = source.as_ref().to_path_buf();
        if text.is_empty() {
            return Err(Error::Data {
                path: source,
                problem: "empty: no characters".into(),
            });
        }
        let mut chars: Vec<char> = text.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        let index: BTreeMap<char, i64> = chars
            .iter()
            .enumerate()
            .map(|(i, &c)| (c, i as i64))
            .collect();
        let ids = text.chars().map(|c| index[&c]).collect();
        Ok(CharCorpus { source, chars, ids })
    }

    /// Where the text came from.
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// The number of distinct characters.
    pub fn vocab_size(&self) -> usize {
        self.chars.len()
    }

    /// The text as ids.
    pub fn ids(&self) -> &[i64] {
        &self.ids
    }

    /// The id of `c`, if the text has it.
    pub fn id_of(&self, c: char) -> Option<i64> {
        self.chars.binary_search(&c).ok().map(|i| i as i64)
    }

    /// Ids back to text; an id outside the vocabulary becomes U+FFFD.
    pub fn decode(&self, ids: &[i64]) -> String {
        ids.iter()
            .map(|&i| {
                usize::try_from(i)
                    .ok()
                    .and_then(|i| self.chars.get(i))
                    .copied()
                    .unwrap_or('\u{FFFD}')
            })
            .collect()
    }

    /// The first `1 - valid_fraction` of the text for training and the rest for validation: a
    /// fixed split, so every run and every model is measured on the same characters.
    pub fn split(&self, valid_fraction: f64) -> (&[i64], &[i64]) {
        let valid = ((self.ids.len() as f64) * valid_fraction.clamp(0.0, 1.0)).round() as usize;
        self.ids
            .split_at(self.ids.len() - valid.min(self.ids.len()))
    }

    /// Non-overlapping windows of `T` characters and, for each, the `T` characters that follow
    /// one step later (the next-character targets): `(windows, D<T>)` inputs and targets. A text
    /// shorter than one window plus one character is an [`Error::Data`].
    #[allow(clippy::type_complexity)]
    pub fn windows<const T: usize>(
        &self,
        ids: &[i64],
    ) -> Result<(Tensor<(Dyn, D<T>), i64>, Tensor<(Dyn, D<T>), i64>)> {
        let count = ids.len().saturating_sub(1) / T;
        if count == 0 {
            return Err(Error::Data {
                path: self.source.clone(),
                problem: format!(
                    "too short: {} characters, and a sequence of {T} needs {}",
                    ids.len(),
                    T + 1
                ),
            });
        }
        let inputs = &ids[..count * T];
        let targets = &ids[1..count * T + 1];
        Ok((
            Tensor::from_slice_dyn(inputs, &[count])?,
            Tensor::from_slice_dyn(targets, &[count])?,
        ))
    }

    /// The bits per character of `valid` under the character frequencies of `train` (add-one
    /// smoothed over the vocabulary, so a character unseen in training costs bits, not infinity):
    /// the baseline a character model must beat.
    pub fn unigram_bits_per_char(&self, train: &[i64], valid: &[i64]) -> f64 {
        let mut counts = vec![1.0f64; self.vocab_size()];
        for &i in train {
            counts[i as usize] += 1.0;
        }
        let total: f64 = counts.iter().sum();
        let bits: f64 = valid
            .iter()
            .map(|&i| -(counts[i as usize] / total).log2())
            .sum();
        bits / valid.len().max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_text_is_an_error_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("typed-torch-text-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("latin1.txt");
        std::fs::write(&bad, b"caf\xe9 au lait").unwrap();
        let err = CharCorpus::from_path(&bad).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "{}: not UTF-8 text: invalid byte at offset 3",
                bad.display()
            )
        );
        let empty = dir.join("empty.txt");
        std::fs::write(&empty, b"").unwrap();
        let err = CharCorpus::from_path(&empty).unwrap_err().to_string();
        assert_eq!(err, format!("{}: empty: no characters", empty.display()));
        let missing = CharCorpus::from_path(dir.join("missing.txt")).unwrap_err();
        assert!(matches!(missing, Error::Io { .. }));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn windows_pair_each_character_with_the_next() {
        let corpus = CharCorpus::from_text("abcdefg", "t").unwrap();
        let (x, y) = corpus.windows::<3>(corpus.ids()).unwrap();
        assert_eq!(x.size(), [2, 3]);
        assert_eq!(corpus.decode(&x.to_vec()), "abcdef");
        assert_eq!(corpus.decode(&y.to_vec()), "bcdefg");
        let err = corpus.windows::<7>(corpus.ids()).unwrap_err().to_string();
        assert_eq!(
            err,
            "t: too short: 7 characters, and a sequence of 7 needs 8"
        );
    }

    #[test]
    fn split_and_unigram_baseline() {
        let corpus = CharCorpus::from_text("aaab", "t").unwrap();
        let (train, valid) = corpus.split(0.25);
        assert_eq!((train.len(), valid.len()), (3, 1));
        // counts with add-one: a 4, b 1 -> p(b) = 1/5
        let bits = corpus.unigram_bits_per_char(train, valid);
        assert!((bits - 5f64.log2()).abs() < 1e-12);
    }
}
