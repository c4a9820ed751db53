//! Writing run outputs.
