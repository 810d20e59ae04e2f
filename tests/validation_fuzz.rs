//! The property of the `validate_request` fuzz target, as a proptest and as a replay of the
//! fuzz corpus (`fuzz/corpus/validate_request/`): validation never panics, and a request that
//! passes every stateless rule resolves every reference without error.

#[path = "../fuzz/harness.rs"]
mod harness;

use harness::validate_request as check;
use mstrp::handles::{TAPI_VERSIONS, Version};
use mstrp::requests::{FuncId, Request};
use mstrp::validation;
use proptest::prelude::*;

/// A DWORD biased towards values that matter: small offsets, sizes, 0xFFFFFFFF, bit flags.
fn dword() -> impl Strategy<Value = u32> {
    prop_oneof![
        0u32..96,
        Just(0xFFFF_FFFF),
        (0u32..32).prop_map(|b| 1 << b),
        any::<u32>(),
    ]
}

fn packet() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(FuncId::ALL),
        prop::collection::vec(dword(), 14),
        prop::collection::vec(prop_oneof![Just(0u8), any::<u8>()], 0..200),
    )
        .prop_map(|(f, d, var)| {
            let mut out = (f as u32).to_le_bytes().to_vec();
            for x in d {
                out.extend_from_slice(&x.to_le_bytes());
            }
            out.extend_from_slice(&var);
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]
    #[test]
    fn validated_requests_resolve(data in packet()) {
        check(&data);
    }

    /// Under any negotiated version (one of the seven, an unknown one, or none) validation does
    /// not panic, `is_valid_with` agrees with `validate_with`, and the version used is the
    /// caller's.
    #[test]
    fn validation_under_a_version_never_panics(
        data in packet(),
        v in prop_oneof![
            Just(None),
            prop::sample::select(TAPI_VERSIONS.to_vec()).prop_map(Some),
            any::<u32>().prop_map(|v| Some(Version(v))),
        ],
    ) {
        if let Ok(req) = Request::parse(&data) {
            let violations = validation::validate_with(&req, None, v);
            prop_assert_eq!(violations.is_empty(), validation::is_valid_with(&req, None, v));
            if v.is_some() && req.desc().is_some() {
                prop_assert_eq!(validation::version_for(&req, None, v), v);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..300)) {
        check(&data);
    }
}

#[test]
fn replay_fuzz_corpus() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/validate_request");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("corpus dir") {
        let path = entry.unwrap().path();
        if path.is_file() {
            check(&std::fs::read(&path).unwrap());
            n += 1;
        }
    }
    assert!(n > 0, "empty corpus");
}
