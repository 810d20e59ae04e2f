//! Fragmentation ([`mstrp::rpc::pdu::fragment`]) and reassembly
//! ([`mstrp::rpc::fragments::Reassembler`]): whole calls, interleaved calls, out-of-order,
//! duplicated and missing fragments, mismatching headers, and the size bound.

use std::borrow::Cow;

use mstrp::rpc::faults::FaultStatus;
use mstrp::rpc::fragments::{DEFAULT_LIMIT, Reassembler, ReassemblyError, ReassemblyErrorKind};
use mstrp::rpc::pdu::{
    self, AuthBuilder, BodyBuilder, BuildError, PFC_FIRST_FRAG, PFC_LAST_FRAG, PacketType, Pdu,
    PduBuilder,
};
use mstrp::rpc::uuid::Uuid;
use proptest::prelude::*;

fn stub(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 31 % 251) as u8).collect()
}

/// The bytes of each fragment of `template` split at `max_frag`.
fn fragments(template: &PduBuilder, max_frag: u16) -> Vec<Vec<u8>> {
    pdu::fragment(template, max_frag)
        .unwrap()
        .iter()
        .map(|b| b.to_bytes().unwrap())
        .collect()
}

/// A hand-set fragment: request `call_id`/`opnum`/`p_cont_id` with the given flags and stub.
fn frag(call_id: u32, flags: u8, opnum: u16, p_cont_id: u16, data: &[u8]) -> Vec<u8> {
    PduBuilder::request(call_id, p_cont_id, opnum, data.to_vec())
        .with_flags(flags)
        .to_bytes()
        .unwrap()
}

const FIRST: u8 = PFC_FIRST_FRAG;
const MIDDLE: u8 = 0;
const LAST: u8 = PFC_LAST_FRAG;

fn push(r: &mut Reassembler, bytes: &[u8]) -> Result<Option<(u32, Vec<u8>, u32)>, ReassemblyError> {
    let pdu = Pdu::parse(bytes).unwrap();
    r.push(&pdu)
        .map(|o| o.map(|done| (done.call_id, done.stub.into_owned(), done.fragments)))
}

fn error(call_id: u32, fragment: u32, kind: ReassemblyErrorKind) -> ReassemblyError {
    // ReassemblyError is non_exhaustive: build the expected value through a real one.
    let mut r = Reassembler::new();
    let mut e = push(&mut r, &frag(0, MIDDLE, 0, 0, &[])).unwrap_err();
    e.call_id = call_id;
    e.fragment = fragment;
    e.kind = kind;
    e
}

#[test]
fn fragment_sets_flags_and_alloc_hint_as_remaining_bytes() {
    let data = stub(250);
    let frags = pdu::fragment(&PduBuilder::request(7, 1, 1, data.clone()), 124).unwrap();
    // 124 - 24 = 100 stub bytes per fragment.
    assert_eq!(frags.len(), 3);
    let parsed: Vec<Vec<u8>> = frags.iter().map(|f| f.to_bytes().unwrap()).collect();
    let facts: Vec<(u8, u32, usize, u16)> = parsed
        .iter()
        .map(|b| {
            let p = Pdu::parse(b).unwrap();
            let pdu::PduBody::Request(r) = p.body() else {
                panic!()
            };
            (p.flags(), r.alloc_hint(), r.stub().len(), p.frag_length())
        })
        .collect();
    assert_eq!(
        facts,
        [
            (FIRST, 250, 100, 124),
            (MIDDLE, 150, 100, 124),
            (LAST, 50, 50, 74)
        ]
    );
    // Exactly fitting, and empty.
    assert_eq!(
        fragments(&PduBuilder::request(1, 0, 0, stub(200)), 124).len(),
        2
    );
    let empty = fragments(&PduBuilder::request(1, 0, 0, vec![]), 124);
    assert_eq!(empty.len(), 1);
    assert_eq!(empty[0][3], FIRST | LAST);
    // Responses too; other types are refused.
    assert_eq!(
        fragments(&PduBuilder::response(1, 0, stub(101)), 124).len(),
        2
    );
    assert_eq!(
        pdu::fragment(&PduBuilder::fault(1, 0, FaultStatus(5)), 124),
        Err(BuildError::NotFragmentable(PacketType::Fault))
    );
    assert_eq!(
        pdu::fragment(&PduBuilder::request(1, 0, 0, stub(10)), 24),
        Err(BuildError::MaxFragTooSmall {
            max_frag: 24,
            minimum: 25
        })
    );
}

#[test]
fn fragment_with_sec_trailer_pads_only_the_last() {
    let auth = AuthBuilder::new(pdu::RPC_C_AUTHN_WINNT, 6, 0, &[0x55; 16]);
    let t = PduBuilder::request(9, 0, 1, stub(100)).with_auth(auth);
    // 24 + 8 + 16 = 48 overhead; 112 - 48 = 64 stub bytes per fragment (a multiple of 16).
    let frags = fragments(&t, 112);
    assert_eq!(frags.len(), 2);
    let a = Pdu::parse(&frags[0]).unwrap();
    let b = Pdu::parse(&frags[1]).unwrap();
    assert_eq!(a.stub().unwrap().len(), 64);
    assert_eq!(a.sec_trailer().unwrap().auth_pad_length(), 0);
    assert_eq!(b.stub().unwrap().len(), 36);
    assert_eq!(b.sec_trailer().unwrap().auth_pad_length(), 12);
    assert!(frags.iter().all(|f| f.len() <= 112));
    let mut r = Reassembler::new();
    assert_eq!(push(&mut r, &frags[0]).unwrap(), None);
    assert_eq!(push(&mut r, &frags[1]).unwrap(), Some((9, stub(100), 2)));
}

#[test]
fn two_and_five_fragment_requests_reassemble() {
    for (n, len) in [(2usize, 150usize), (5, 480)] {
        let data = stub(len);
        let frags = fragments(&PduBuilder::request(11, 3, 1, data.clone()), 124);
        assert_eq!(frags.len(), n);
        let mut r = Reassembler::new();
        let pdus: Vec<Pdu<'_>> = frags.iter().map(|b| Pdu::parse(b).unwrap()).collect();
        for p in &pdus[..n - 1] {
            assert_eq!(r.push(p).unwrap(), None);
            assert_eq!(r.in_progress().collect::<Vec<_>>(), [11]);
        }
        let done = r.push(&pdus[n - 1]).unwrap().unwrap();
        assert_eq!(done.call_id, 11);
        assert_eq!(done.packet_type, PacketType::Request);
        assert_eq!((done.opnum, done.p_cont_id), (Some(1), 3));
        assert_eq!(done.fragments, n as u32);
        assert_eq!(done.alloc_hint, len as u32);
        assert_eq!(done.object, None);
        assert!(matches!(done.stub, Cow::Owned(_)));
        assert_eq!(&done.stub[..], &data[..]);
        assert_eq!(r.in_progress().count(), 0);
        assert_eq!(r.finish(), Ok(()));
    }
}

#[test]
fn single_fragment_is_borrowed() {
    let bytes = PduBuilder::response(4, 2, stub(60)).to_bytes().unwrap();
    let pdu = Pdu::parse(&bytes).unwrap();
    let mut r = Reassembler::new();
    let done = r.push(&pdu).unwrap().unwrap();
    assert!(matches!(done.stub, Cow::Borrowed(_)));
    assert_eq!(done.stub.as_ptr(), bytes[24..].as_ptr(), "no copy");
    assert_eq!(
        (done.packet_type, done.opnum, done.p_cont_id, done.fragments),
        (PacketType::Response, None, 2, 1)
    );
    assert_eq!(r.reserved(), 0);
}

#[test]
fn object_uuid_is_kept_from_the_first_fragment() {
    let obj: Uuid = "00112233-4455-6677-8899-aabbccddeeff".parse().unwrap();
    let frags = fragments(
        &PduBuilder::request(2, 0, 5, stub(150)).with_object(obj),
        140,
    );
    assert_eq!(frags.len(), 2);
    let mut r = Reassembler::new();
    let a = Pdu::parse(&frags[0]).unwrap();
    let b = Pdu::parse(&frags[1]).unwrap();
    assert_eq!(r.push(&a).unwrap(), None);
    let done = r.push(&b).unwrap().unwrap();
    assert_eq!(done.object, Some(obj));
    assert_eq!(&done.stub[..], &stub(150)[..]);
}

#[test]
fn interleaved_calls() {
    let a = fragments(&PduBuilder::request(1, 0, 1, stub(350)), 124);
    let b: Vec<Vec<u8>> = fragments(&PduBuilder::request(2, 0, 2, vec![0xB; 250]), 124);
    let c = PduBuilder::request(3, 0, 0, vec![0xC; 10])
        .to_bytes()
        .unwrap();
    let mut r = Reassembler::new();
    assert_eq!(push(&mut r, &a[0]).unwrap(), None);
    assert_eq!(push(&mut r, &b[0]).unwrap(), None);
    assert_eq!(push(&mut r, &c).unwrap(), Some((3, vec![0xC; 10], 1)));
    assert_eq!(push(&mut r, &a[1]).unwrap(), None);
    assert_eq!(push(&mut r, &b[1]).unwrap(), None);
    assert_eq!(r.in_progress().collect::<Vec<_>>(), [1, 2]);
    assert_eq!(r.buffered(), 200 + 200);
    assert_eq!(push(&mut r, &b[2]).unwrap(), Some((2, vec![0xB; 250], 3)));
    assert_eq!(push(&mut r, &a[2]).unwrap(), None);
    assert_eq!(push(&mut r, &a[3]).unwrap(), Some((1, stub(350), 4)));
    assert_eq!(r.finish(), Ok(()));
}

#[test]
fn error_missing_first_fragment() {
    let mut r = Reassembler::new();
    let e = push(&mut r, &frag(8, MIDDLE, 1, 0, b"mid")).unwrap_err();
    assert_eq!(e, error(8, 1, ReassemblyErrorKind::MissingFirst));
    assert_eq!(
        e.to_string(),
        "call_id 8, fragment 1: missing first fragment"
    );
    let e = push(&mut r, &frag(8, LAST, 1, 0, b"end")).unwrap_err();
    assert_eq!(e.kind, ReassemblyErrorKind::MissingFirst);
}

#[test]
fn error_duplicated_first_fragment() {
    let mut r = Reassembler::new();
    push(&mut r, &frag(8, FIRST, 1, 0, b"one")).unwrap();
    push(&mut r, &frag(8, MIDDLE, 1, 0, b"two")).unwrap();
    let e = push(&mut r, &frag(8, FIRST, 1, 0, b"one")).unwrap_err();
    assert_eq!(e, error(8, 3, ReassemblyErrorKind::DuplicateFirst));
    // The call is discarded; a single-fragment call with the id may follow.
    assert_eq!(r.in_progress().count(), 0);
    let again = push(&mut r, &frag(8, FIRST | LAST, 1, 0, b"x")).unwrap();
    assert_eq!(again, Some((8, b"x".to_vec(), 1)));
    // A FIRST|LAST arriving while the call is in progress is a duplicate first too.
    push(&mut r, &frag(9, FIRST, 1, 0, b"a")).unwrap();
    let e = push(&mut r, &frag(9, FIRST | LAST, 1, 0, b"b")).unwrap_err();
    assert_eq!(e, error(9, 2, ReassemblyErrorKind::DuplicateFirst));
}

#[test]
fn out_of_order_fragments() {
    let f = fragments(&PduBuilder::request(5, 0, 1, stub(350)), 124);
    assert_eq!(f.len(), 4);
    // A middle fragment before its first: reported, and the call then starts at the first.
    let mut r = Reassembler::new();
    let e = push(&mut r, &f[1]).unwrap_err();
    assert_eq!(e, error(5, 1, ReassemblyErrorKind::MissingFirst));
    assert_eq!(push(&mut r, &f[0]).unwrap(), None);
    // Middle fragments swapped: nothing in the header can tell (call_id, flags and opnum
    // agree), so the stub comes out in arrival order. Documented limitation.
    assert_eq!(push(&mut r, &f[2]).unwrap(), None);
    assert_eq!(push(&mut r, &f[1]).unwrap(), None);
    let (_, got, n) = push(&mut r, &f[3]).unwrap().unwrap();
    assert_eq!(n, 4);
    assert_eq!(got.len(), 350);
    assert_ne!(got, stub(350));
    // The last before a middle: the call completes short, the straggler is orphaned.
    let mut r = Reassembler::new();
    push(&mut r, &f[0]).unwrap();
    let (_, got, n) = push(&mut r, &f[3]).unwrap().unwrap();
    assert_eq!((got.len(), n), (150, 2));
    let e = push(&mut r, &f[1]).unwrap_err();
    assert_eq!(e.kind, ReassemblyErrorKind::MissingFirst);
}

#[test]
fn duplicated_and_missing_middle_fragments() {
    let f = fragments(&PduBuilder::request(6, 0, 1, stub(250)), 124);
    // A repeated middle fragment is appended again: the stub is longer than alloc_hint said,
    // which the caller can see in Reassembled::alloc_hint ([MS-RPCE] 2.2.2.6).
    let mut r = Reassembler::new();
    let results: Vec<_> = [0, 1, 1, 2]
        .iter()
        .map(|&i| {
            push(&mut r, &f[i])
                .unwrap()
                .map(|(_, got, n)| (got.len(), n))
        })
        .collect();
    assert_eq!(results, [None, None, None, Some((350, 4))]);
    // A missing middle fragment: shorter than alloc_hint.
    let mut r = Reassembler::new();
    push(&mut r, &f[0]).unwrap();
    let pdu = Pdu::parse(&f[2]).unwrap();
    let done = r.push(&pdu).unwrap().unwrap();
    assert_eq!((done.stub.len(), done.alloc_hint), (150, 250));
}

#[test]
fn error_missing_last_fragment_at_the_end() {
    let f = fragments(&PduBuilder::request(12, 0, 1, stub(300)), 124);
    let g = fragments(&PduBuilder::request(3, 0, 1, stub(300)), 124);
    let mut r = Reassembler::new();
    push(&mut r, &f[0]).unwrap();
    push(&mut r, &f[1]).unwrap();
    push(&mut r, &g[0]).unwrap();
    assert_eq!(
        r.finish(),
        Err(vec![
            error(3, 1, ReassemblyErrorKind::MissingLast),
            error(12, 2, ReassemblyErrorKind::MissingLast),
        ])
    );
    assert_eq!(r.in_progress().count(), 0);
    assert_eq!(r.finish(), Ok(()));
}

#[test]
fn error_mismatch_with_the_first_fragment() {
    let cases: [(Vec<u8>, &str, u32, u32); 3] = [
        (frag(1, LAST, 2, 0, b"x"), "opnum", 1, 2),
        (frag(1, LAST, 1, 4, b"x"), "p_cont_id", 0, 4),
        (
            PduBuilder::response(1, 0, b"x".to_vec())
                .with_flags(LAST)
                .to_bytes()
                .unwrap(),
            "PTYPE",
            0,
            2,
        ),
    ];
    for (bytes, field, first, this) in cases {
        let mut r = Reassembler::new();
        push(&mut r, &frag(1, FIRST, 1, 0, b"a")).unwrap();
        push(&mut r, &frag(1, MIDDLE, 1, 0, b"b")).unwrap();
        let e = push(&mut r, &bytes).unwrap_err();
        assert_eq!(
            e,
            error(1, 3, ReassemblyErrorKind::Mismatch { field, first, this })
        );
        assert_eq!(r.in_progress().count(), 0, "the call is discarded");
    }
}

#[test]
fn error_mismatch_of_the_sec_trailer() {
    let auth = |t: u8, l: u8, c: u32| AuthBuilder::new(t, l, c, &[1; 16]);
    let first = PduBuilder::request(1, 0, 1, stub(16))
        .with_flags(FIRST)
        .with_auth(auth(10, 6, 0))
        .to_bytes()
        .unwrap();
    for (a, field, f, t) in [
        (Some(auth(9, 6, 0)), "auth_type", 10, 9),
        (Some(auth(10, 5, 0)), "auth_level", 6, 5),
        (Some(auth(10, 6, 7)), "auth_context_id", 0, 7),
        (None, "auth_type", 10, 0),
    ] {
        let mut b = PduBuilder::request(1, 0, 1, stub(16)).with_flags(LAST);
        b.auth = a;
        let mut r = Reassembler::new();
        push(&mut r, &first).unwrap();
        let e = push(&mut r, &b.to_bytes().unwrap()).unwrap_err();
        assert_eq!(
            e.kind,
            ReassemblyErrorKind::Mismatch {
                field,
                first: f,
                this: t
            }
        );
    }
}

#[test]
fn error_object_mismatch() {
    let obj = Uuid([7; 16]);
    let mut r = Reassembler::new();
    let first = PduBuilder::request(1, 0, 1, vec![1])
        .with_object(obj)
        .with_flags(FIRST | pdu::PFC_OBJECT_UUID)
        .to_bytes()
        .unwrap();
    push(&mut r, &first).unwrap();
    let e = push(&mut r, &frag(1, LAST, 1, 0, b"x")).unwrap_err();
    assert_eq!(e, error(1, 2, ReassemblyErrorKind::ObjectMismatch));
}

#[test]
fn error_too_large_is_checked_before_copying() {
    // Limit 100: fragments of 60 + 41 = 101 bytes.
    let mut r = Reassembler::with_limit(100);
    assert_eq!(r.limit(), 100);
    push(&mut r, &frag(1, FIRST, 0, 0, &[1; 60])).unwrap();
    let e = push(&mut r, &frag(1, LAST, 0, 0, &[2; 41])).unwrap_err();
    assert_eq!(
        e,
        error(
            1,
            2,
            ReassemblyErrorKind::TooLarge {
                size: 101,
                limit: 100
            }
        )
    );
    assert_eq!(r.buffered(), 0, "the call is discarded");
    // 60 + 40 = 100 is allowed.
    push(&mut r, &frag(1, FIRST, 0, 0, &[1; 60])).unwrap();
    assert_eq!(
        push(&mut r, &frag(1, LAST, 0, 0, &[2; 40]))
            .unwrap()
            .map(|d| d.1.len()),
        Some(100)
    );
    // A single fragment over the limit.
    let e = push(&mut r, &frag(2, FIRST | LAST, 0, 0, &[0; 101])).unwrap_err();
    assert_eq!(
        e,
        error(
            2,
            1,
            ReassemblyErrorKind::TooLarge {
                size: 101,
                limit: 100
            }
        )
    );
}

#[test]
fn huge_alloc_hint_reserves_at_most_the_limit() {
    let mut r = Reassembler::with_limit(100);
    let mut b = PduBuilder::request(1, 0, 0, vec![1; 10]).with_flags(FIRST);
    if let BodyBuilder::Request(req) = &mut b.body {
        req.alloc_hint = u32::MAX;
    }
    push(&mut r, &b.to_bytes().unwrap()).unwrap();
    assert!(r.reserved() <= 100, "reserved {}", r.reserved());
    for _ in 0..8 {
        push(&mut r, &frag(1, MIDDLE, 0, 0, &[2; 10])).unwrap();
        assert!(r.reserved() <= 100, "reserved {}", r.reserved());
    }
    assert_eq!(r.buffered(), 90);
    // The default limit is 16 MiB and a small hint reserves little.
    let mut r = Reassembler::new();
    assert_eq!(r.limit(), DEFAULT_LIMIT);
    push(&mut r, &frag(1, FIRST, 0, 0, &[1; 10])).unwrap();
    assert!(r.reserved() < 1024);
}

#[test]
fn other_pdus_are_ignored_and_faults_or_orphans_end_a_call() {
    let mut r = Reassembler::new();
    push(&mut r, &frag(1, FIRST, 0, 0, b"a")).unwrap();
    push(&mut r, &frag(2, FIRST, 0, 0, b"b")).unwrap();
    for other in [
        PduBuilder::shutdown(1),
        PduBuilder::co_cancel(1),
        PduBuilder::bind(1, 10, 10, 0, vec![]),
    ] {
        assert_eq!(push(&mut r, &other.to_bytes().unwrap()).unwrap(), None);
    }
    assert_eq!(r.in_progress().collect::<Vec<_>>(), [1, 2]);
    let fault = PduBuilder::fault(1, 0, FaultStatus::NCA_S_FAULT_NDR);
    assert_eq!(push(&mut r, &fault.to_bytes().unwrap()).unwrap(), None);
    assert_eq!(
        push(&mut r, &PduBuilder::orphaned(2).to_bytes().unwrap()).unwrap(),
        None
    );
    assert_eq!(r.in_progress().count(), 0);
    push(&mut r, &frag(3, FIRST, 0, 0, b"c")).unwrap();
    assert!(r.abandon(3));
    assert!(!r.abandon(3));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any stub split at any fragment size reassembles to itself.
    #[test]
    fn fragment_then_reassemble_is_identity(
        data in prop::collection::vec(any::<u8>(), 0..3000),
        max_frag in 25u16..600,
        call_id in any::<u32>(),
        opnum in any::<u16>(),
    ) {
        let frags = fragments(&PduBuilder::request(call_id, 0, opnum, data.clone()), max_frag);
        let mut r = Reassembler::new();
        let mut done = None;
        for (i, f) in frags.iter().enumerate() {
            prop_assert!(f.len() <= usize::from(max_frag));
            let pdu = Pdu::parse(f).unwrap();
            let got = r.push(&pdu).unwrap();
            prop_assert_eq!(got.is_some(), i + 1 == frags.len());
            done = got.map(|d| (d.stub.into_owned(), d.fragments, d.opnum));
        }
        prop_assert_eq!(done, Some((data, frags.len() as u32, Some(opnum))));
    }
}
