//! Holds the trybuild suite under `tests/`; see `tests/ui.rs`.
