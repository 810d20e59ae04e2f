//! Round trips for every request kind, both directions (proptest).
//!
//! * bytes → parse → encode is the identity for any buffer of at least 60 bytes, whatever
//!   its `Req_Func`, Reserved values or VarData layout; so is bytes → JSON → bytes;
//! * builder → encode → parse → builder is the identity for any value of every packet kind,
//!   and encoding the rebuilt value gives the same bytes.

use bytes::BytesMut;
use mstrp::encoding::Payload;
use mstrp::requests::RequestBuilder;
use mstrp::requests::{FuncId, Request, Role};
use proptest::prelude::*;

fn any_func() -> impl Strategy<Value = FuncId> {
    proptest::sample::select(FuncId::ALL)
}

/// A buffer whose Req_Func is documented (most of the time) or anything at all.
fn any_request_bytes() -> impl Strategy<Value = Vec<u8>> {
    (
        prop_oneof![
            4 => any_func().prop_map(|f| f as u32),
            1 => any::<u32>(),
        ],
        proptest::collection::vec(any::<u8>(), 56..200),
    )
        .prop_map(|(f, rest)| {
            let mut b = f.to_le_bytes().to_vec();
            b.extend(rest);
            b
        })
}

/// A payload fitting the role of the field: text for strings, bytes for blocks, a
/// self-sized blob (first DWORD = its length) for structures; or absent.
fn payload_for(role: Role) -> BoxedStrategy<Option<Payload>> {
    let absent = Just(Some(Payload::Absent));
    match role {
        Role::String { .. } => prop_oneof![
            absent,
            proptest::collection::vec(1u16..=u16::MAX, 0..24).prop_map(|u| Some(Payload::Text(u))),
        ]
        .boxed(),
        Role::Bytes { .. } => prop_oneof![
            absent,
            proptest::collection::vec(any::<u8>(), 0..40).prop_map(|b| Some(Payload::Bytes(b))),
        ]
        .boxed(),
        Role::Structure { .. } => prop_oneof![
            absent,
            proptest::collection::vec(any::<u8>(), 0..40).prop_map(|mut b| {
                let total = (b.len() + 4) as u32;
                let mut s = total.to_le_bytes().to_vec();
                s.append(&mut b);
                Some(Payload::Bytes(s))
            }),
        ]
        .boxed(),
        _ => Just(None).boxed(),
    }
}

/// Any value of any packet kind: every DWORD random, every reference with a payload.
fn any_builder() -> impl Strategy<Value = RequestBuilder> {
    any_func().prop_flat_map(|func| {
        let desc = func.desc();
        let payloads: Vec<_> = desc.fields.iter().map(|f| payload_for(f.role)).collect();
        (
            proptest::array::uniform13(any::<u32>()),
            any::<u32>(),
            payloads,
            0usize..64,
        )
            .prop_map(move |(params, reserved1, payloads, min_len)| {
                let mut b = RequestBuilder::new(func);
                b.set(1, reserved1);
                for (i, v) in params.iter().enumerate() {
                    b.set(i + 2, *v);
                }
                for (i, p) in payloads.into_iter().enumerate() {
                    if let Some(p) = p {
                        b.set_payload(i, p);
                    }
                }
                b.var_data_len(min_len);
                b
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parse_then_encode_is_byte_exact(bytes in any_request_bytes()) {
        let r = Request::parse(&bytes).unwrap();
        let mut out = BytesMut::new();
        r.encode(&mut out);
        prop_assert_eq!(&out[..], &bytes[..]);
        prop_assert_eq!(r.dwords()[0], u32::from_le_bytes(bytes[..4].try_into().unwrap()));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn json_then_encode_is_byte_exact(bytes in any_request_bytes()) {
        let r = Request::parse(&bytes).unwrap();
        let text = serde_json::to_string(&mstrp::json::RequestJson::from_request(&r)).unwrap();
        let back: mstrp::json::RequestJson = serde_json::from_str(&text).unwrap();
        let mut out = BytesMut::new();
        back.encode(&mut out).unwrap();
        prop_assert_eq!(&out[..], &bytes[..]);
    }

    #[test]
    fn build_encode_parse_is_identity(b in any_builder()) {
        let bytes = b.to_bytes();
        prop_assert_eq!(bytes.len(), b.encoded_len());
        prop_assert_eq!(bytes.len() % 4, 0, "VarData is DWORD-padded");
        let parsed = Request::parse(&bytes).unwrap();
        prop_assert_eq!(parsed.func(), Some(b.desc().func));
        // Every reference resolves to exactly the payload that was given.
        for r in parsed.references() {
            let got = r.value.unwrap();
            match b.payload(r.index) {
                None => {}
                Some(Payload::Absent) => prop_assert!(got.is_none()),
                Some(Payload::Text(u)) => {
                    let mstrp::requests::Resolved::Str(s) = got.unwrap() else { panic!() };
                    prop_assert_eq!(&s.units().collect::<Vec<_>>(), u);
                }
                Some(Payload::Bytes(x)) => prop_assert_eq!(got.unwrap().as_bytes(), &x[..]),
            }
            // Offsets are DWORD-aligned.
            prop_assert!(r.raw == u32::MAX || r.raw % 4 == 0);
        }
        // Every other DWORD is what was set.
        let dwords = parsed.dwords();
        for (i, dword) in dwords.iter().enumerate() {
            let governed = b.payload(i).is_some()
                || b.desc().fields.iter().enumerate().any(|(j, f)| {
                    matches!(f.role, Role::Bytes { size, .. } if size == i)
                        && matches!(b.payload(j), Some(Payload::Text(_) | Payload::Bytes(_)))
                });
            if !governed {
                prop_assert_eq!(Some(*dword), b.get(i));
            }
        }
        let rebuilt = RequestBuilder::from_request(&parsed).unwrap();
        prop_assert_eq!(&rebuilt, &b);
        prop_assert_eq!(&rebuilt.to_bytes()[..], &bytes[..]);
    }
}

#[test]
fn every_kind_round_trips_canonically() {
    // One canonical packet per kind: every reference present and resolving.
    for &func in FuncId::ALL {
        let mut b = RequestBuilder::new(func);
        for (i, f) in func.desc().fields.iter().enumerate().skip(2) {
            match f.role {
                Role::String { .. } => {
                    b.set_payload(i, Payload::text("abc"));
                }
                Role::Bytes { .. } => {
                    b.set_payload(i, Payload::Bytes(vec![1, 2, 3, 4, 5]));
                }
                Role::Structure { .. } => {
                    b.set_payload(i, Payload::Bytes(vec![8, 0, 0, 0, 9, 9, 9, 9]));
                }
                _ => {
                    b.set(i, 0x100 + i as u32);
                }
            }
        }
        let bytes = b.to_bytes();
        let parsed = Request::parse_strict(&bytes).unwrap();
        assert_eq!(
            RequestBuilder::from_request(&parsed).unwrap(),
            b,
            "{func:?}"
        );
        assert!(parsed.references().all(|r| r.value.is_ok()), "{func:?}");
    }
}
