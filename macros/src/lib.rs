//! Derive macros for typed-torch models (see the layers issue); empty until models land.
