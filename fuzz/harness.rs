//! Fuzz harnesses, shared by the cargo-fuzz targets (fuzz/fuzz_targets/) and by the plain
//! test that replays the checked-in corpus (tests/fuzz_corpus.rs), so CI exercises them.
//!
//! Each harness states the invariants that must hold for *any* input; a violation panics.

use bytes::BytesMut;
use mstrp::encoding::RequestBuilder;
use mstrp::json::RequestJson;
use mstrp::requests::Request;

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
    let mut out = BytesMut::new();
    RequestJson::from_request(&request)
        .encode(&mut out)
        .expect("a decoded request re-encodes");
    assert_eq!(&out[..], data);

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
