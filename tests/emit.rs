//! The emit path of the request builders (issue 13): `emit` writes into a caller's buffer the
//! very bytes `to_bytes` produces, for every request kind and for arbitrary builders, returns
//! `buffer_len` bytes, leaves the rest of the buffer alone, and refuses a buffer that is too
//! small, naming the packet and the size it needs. (`tests/zero_alloc.rs` checks that it
//! allocates nothing.)

use mstrp::encoding::Payload;
use mstrp::requests::builders::{EmitError, LineMakeCall};
use mstrp::requests::{FuncId, Request, RequestBuilder};
use proptest::prelude::*;

#[path = "common/samples.rs"]
#[allow(dead_code)]
mod samples;

/// `emit` into a buffer larger than the packet, pre-filled with 0xA5: the bytes written are
/// `to_bytes`'s, the count is `buffer_len`, and nothing after them is touched.
fn emits_like_to_bytes(b: &RequestBuilder) -> Result<(), TestCaseError> {
    let expected = b.to_bytes();
    prop_assert_eq!(b.buffer_len(), expected.len());
    let mut buf = vec![0xA5u8; expected.len() + 13];
    let n = b
        .emit(&mut buf)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(n, expected.len());
    prop_assert_eq!(&buf[..n], &expected[..]);
    prop_assert!(buf[n..].iter().all(|&x| x == 0xA5));
    // An exact-size buffer works as well.
    let mut exact = vec![0u8; n];
    prop_assert_eq!(b.emit(&mut exact), Ok(n));
    prop_assert_eq!(&exact[..], &expected[..]);
    Ok(())
}

#[test]
fn every_request_kind_emits_the_bytes_to_bytes_produces() {
    let kinds = samples::one_of_every_kind();
    assert_eq!(kinds.len(), 132);
    let section4 = samples::request_samples();
    let mut n = 0;
    for bytes in kinds
        .iter()
        .map(|(_, b)| &b[..])
        .chain(section4.iter().map(|(_, _, b)| &b[..]))
    {
        let b = RequestBuilder::from_request(&Request::parse(bytes).expect("parses"))
            .expect("resolves");
        emits_like_to_bytes(&b).expect("same bytes");
        n += 1;
    }
    assert_eq!(n, 132 + section4.len());
}

#[test]
fn a_typed_builder_emits_like_its_generic_builder() {
    let b = LineMakeCall::new()
        .h_line(0x1_0001)
        .lpsz_dest_address("+1 425 555 0100")
        .var_data_len(200);
    let mut buf = [0u8; 512];
    let n = b.emit(&mut buf).expect("fits");
    assert_eq!(n, b.buffer_len());
    assert_eq!(&buf[..n], &b.to_bytes()[..]);
    assert_eq!(&buf[..n], &b.clone().build().to_bytes()[..]);
}

#[test]
fn a_buffer_one_byte_short_is_refused_and_left_untouched() {
    let b = LineMakeCall::new()
        .lpsz_dest_address("+1 425 555 0100")
        .build();
    let needed = b.buffer_len();
    // 60-byte header + "+1 425 555 0100" (15 units) + NUL = 32 bytes of VarData.
    assert_eq!(needed, 60 + 32);
    let mut buf = vec![0x5Au8; needed - 1];
    let err = b.emit(&mut buf).unwrap_err();
    assert_eq!(
        err,
        EmitError {
            packet: "LineMakeCall",
            needed,
            len: needed - 1
        }
    );
    assert!(err.to_string().contains("LineMakeCall"), "{err}");
    assert!(err.to_string().contains("92"), "{err}");
    assert!(buf.iter().all(|&x| x == 0x5A), "nothing written");
    assert!(b.emit(&mut []).is_err());
}

/// A payload for a reference field: absent, text, or bytes of any length (not a multiple of
/// four included, so padding is exercised).
fn payload() -> impl Strategy<Value = Payload> {
    prop_oneof![
        Just(Payload::Absent),
        prop::collection::vec(any::<u16>(), 0..40).prop_map(Payload::Text),
        prop::collection::vec(any::<u8>(), 0..90).prop_map(Payload::Bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    /// Any builder: any kind, any DWORDs, any payloads on its reference fields, any minimum
    /// VarData length.
    #[test]
    fn any_builder_emits_the_bytes_to_bytes_produces(
        f in 0..FuncId::ALL.len(),
        dwords in prop::array::uniform15(any::<u32>()),
        payloads in prop::collection::vec(prop::option::of(payload()), 15),
        var_len in prop_oneof![Just(0usize), 0..600usize],
    ) {
        let mut b = RequestBuilder::new(FuncId::ALL[f]);
        for (i, (d, p)) in dwords.iter().zip(payloads).enumerate().skip(1) {
            b.set(i, *d);
            if let Some(p) = p {
                b.set_payload(i, p);
            }
        }
        b.var_data_len(var_len);
        emits_like_to_bytes(&b)?;
        // One byte short is refused.
        let mut short = vec![0u8; b.buffer_len() - 1];
        prop_assert_eq!(
            b.emit(&mut short),
            Err(EmitError { packet: FuncId::ALL[f].desc().ident, needed: b.buffer_len(), len: b.buffer_len() - 1 })
        );
    }
}
