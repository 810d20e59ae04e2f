#![no_main]
//! Reads any input as a pcap or pcapng file through the capture layer, the call decoder and
//! the JSON model of calls, with small limits (see fuzz/harness.rs for the invariants).

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::decode_capture(data);
});
