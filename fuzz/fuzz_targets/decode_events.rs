//! Fuzz target `decode_events`: any bytes as an event buffer (3.3.4.2), decoded every way
//! `mstrp::events` offers (framing, typed views by Msg, special-case completions, the
//! correlator, the remotesp checks, printing, VarData). It must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mstrp::events::exercise(data);
});
