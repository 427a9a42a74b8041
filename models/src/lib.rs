//! Reference models built with typed-torch; filled in by the layers and training issues.
