#![no_main]
//! Reads any input as a TCP stream of DCE/RPC PDUs: splits, rebuilds, classifies, reassembles
//! with a small limit, decodes every stub every way (see fuzz/harness.rs for the invariants).

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::decode_pdu_stream(data);
});
