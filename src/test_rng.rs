//! The random numbers of the crate's unit tests: xorshift64 (Marsaglia, "Xorshift RNGs",
//! 2003), the same sequence on every run, so that a failing case is found again from its
//! seed. (Integration tests, which cannot see a `cfg(test)` module, keep their own:
//! `tests/structures_versions.rs`.)

/// A generator of the xorshift64 sequence that follows `seed` (which must not be 0).
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
