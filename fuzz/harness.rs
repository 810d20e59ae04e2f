//! Fuzz harnesses, shared by the cargo-fuzz targets (fuzz/fuzz_targets/) and by the plain
//! test that replays the checked-in corpus (tests/fuzz_corpus.rs), so CI exercises them.
//!
//! Each harness states the invariants that must hold for *any* input; a violation panics.

#![allow(dead_code)] // each fuzz target and test uses some of the harnesses

use bytes::BytesMut;
use mstrp::requests::Request;
use mstrp::requests::RequestBuilder;
use mstrp::structures::{self, AnyStructure, StructBuilder};
use mstrp::validation;

/// Parses, reads every field, resolves every reference, prints, and re-encodes.
pub fn decode_request(data: &[u8]) {
    let Ok(request) = Request::parse(data) else {
        assert!(
            data.len() < mstrp::header::HEADER_LEN,
            "only short buffers fail to parse"
        );
        return;
    };
    // Strict parsing differs only on undocumented functions.
    assert_eq!(
        Request::parse_strict(data).is_ok(),
        request.func().is_some()
    );

    // Every field and every reference, through the metadata.
    let dwords = request.dwords();
    assert_eq!(request.field_names().len(), dwords.len());
    let mut all_resolve = true;
    for r in request.references() {
        match r.value {
            Ok(Some(v)) => {
                let bytes = v.as_bytes();
                // What a reference returns lies inside VarData.
                let var = request.var_data().as_bytes();
                let start = bytes.as_ptr() as usize - var.as_ptr() as usize;
                assert!(start + bytes.len() <= var.len());
                assert_eq!(start, r.raw as usize);
            }
            Ok(None) => assert_eq!(r.raw, u32::MAX),
            Err(e) => {
                all_resolve = false;
                assert_eq!(e.field, r.field.name);
                assert_eq!(e.offset, r.field.offset);
            }
        }
    }
    let _ = format!("{request}{request:?}");

    // Byte-exact re-encoding, directly and through the JSON model.
    let mut out = BytesMut::new();
    request.encode(&mut out);
    assert_eq!(&out[..], data);
    #[cfg(feature = "serde")]
    {
        let mut out = BytesMut::new();
        mstrp::json::RequestJson::from_request(&request)
            .encode(&mut out)
            .expect("a decoded request re-encodes");
        assert_eq!(&out[..], data);
    }

    // A packet whose references all resolve rebuilds into a builder that round-trips.
    match RequestBuilder::from_request(&request) {
        Ok(b) => {
            assert!(all_resolve);
            let bytes = b.to_bytes();
            let again = Request::parse(&bytes).expect("builder output parses");
            assert_eq!(RequestBuilder::from_request(&again).expect("resolves"), b);
        }
        Err(_) => assert!(!all_resolve || request.func().is_none()),
    }
}

/// Validation never panics, and a request that passes every stateless rule resolves every
/// reference without error.
pub fn validate_request(data: &[u8]) {
    let Ok(request) = Request::parse(data) else {
        return;
    };
    let violations = validation::validate(&request, None);
    let _ = validation::check_client_request(data, data.len() as i32, data.len() as i32);
    if violations.is_empty() && request.func().is_some() {
        for r in request.references() {
            assert!(
                r.value.is_ok(),
                "{:?} validates but {} does not resolve: {:?}",
                request.func(),
                r.field.name,
                r.value
            );
        }
    }
}

/// Decodes any input as one of the 49 structures of 2.2.6 (the first byte selects which, in
/// `structures::ALL` order) and walks every member, item, entry and the LINEPROXYREQUEST union;
/// a structure that validates reads back through its builder, whose output reads back the same.
/// Returns whether the input decoded and validated.
pub fn decode_structure(data: &[u8]) -> bool {
    let Some((&which, bytes)) = data.split_first() else {
        return false;
    };
    let desc = structures::ALL[which as usize % structures::ALL.len()];
    let Some(Ok(s)) = structures::decode_any(desc.name, bytes) else {
        return false;
    };
    let raw = s.raw();
    let _ = raw.fields().count();
    let ok = raw.validate().is_ok();
    for item in raw.var_items() {
        let _ = item.bytes();
        let _ = item.text().map(|t| t.map(|t| t.to_string()));
        let _ = item.multi_text().map(|m| m.map(|m| m.iter().count()));
        if let Ok(Some(t)) = item.text_table() {
            assert_eq!(t.iter().len(), t.len());
            for text in t.iter() {
                let _ = text.to_string();
            }
        }
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
        // What validates reads back into a builder, and the builder's canonical layout reads
        // back, validates and lays out identically. (Byte equality with the input holds only for canonical
        // inputs, such as the seeds: padding and item order may differ otherwise.)
        let b = StructBuilder::from_raw(&raw).expect("a valid structure reads back");
        let bytes2 = b.to_vec();
        let again = structures::decode_any(desc.name, &bytes2)
            .expect("known structure")
            .expect("the builder's output decodes");
        again
            .raw()
            .validate()
            .expect("the builder's output validates");
        let twice = StructBuilder::from_raw(&again.raw())
            .expect("the builder's output reads back")
            .to_vec();
        // The one exception: LINEFORWARDLIST states neither its entry size nor its version,
        // and where the builder's layout of one entry size also reads as a packed, consistent
        // array of the other, no decoder can tell them apart (spec-notes/structures.md
        // section 4). Everything else lays out identically.
        if inline_strides(&raw) == inline_strides(&again.raw()) {
            assert_eq!(twice, bytes2, "the builder's layout is idempotent");
        }
    }
    ok
}

/// The entry sizes the decoder chose for the inline entry arrays (LINEFORWARDLIST).
fn inline_strides(raw: &structures::Raw<'_>) -> Vec<usize> {
    raw.var_items()
        .filter(|i| matches!(i.desc.kind, structures::VarKind::InlineEntries { .. }))
        .filter_map(|i| i.entries().ok().map(|e| e.stride()))
        .collect()
}
