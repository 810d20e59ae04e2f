#![no_main]
//! libFuzzer steers the structure-aware request generator (`mstrp::generate`): a valid request
//! or one targeted violation (every breakable stateless rule, every resolver check). It parses,
//! round-trips, and is valid or breaks what it was asked to (see fuzz/gen_harness.rs).

#[path = "../gen_harness.rs"]
mod gen_harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    gen_harness::gen_request(data);
});
