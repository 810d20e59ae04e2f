//! The zero-copy claim of the DCE/RPC layer, checked with a counting global allocator:
//! splitting an unfragmented ClientRequest stream into PDUs (`pdus()`), passing each
//! `FIRST|LAST` PDU through `Reassembler::push` (its stub comes back borrowed),
//! `methods::decode` of the stub and `tapi32_msg()` of the request allocate nothing; nor does
//! `Association::classify_decoded` once the bind is seen (a call in flight at a time).
//!
//! The library forbids `unsafe`; this test is its own crate, and `GlobalAlloc` can only be
//! implemented with `unsafe impl`. The allocator forwards to `System` and counts, on the
//! thread that asked, only while that thread's counting flag is set, so the test harness's
//! other threads do not disturb the count.

use std::borrow::Cow;

use mstrp::rpc::association::Association;
use mstrp::rpc::fragments::Reassembler;
use mstrp::rpc::methods::{self, Direction, Method, Stub};
use mstrp::rpc::ndr::Syntax;
use mstrp::rpc::pdu::{self, PduBody};

#[path = "common/rpc_calls.rs"]
mod rpc_calls;

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations;

#[test]
fn the_counter_counts() {
    let (v, n) = allocations(|| std::hint::black_box(vec![1u8; 100]));
    assert_eq!(v.len(), 100);
    assert!(n >= 1, "a Vec allocation is counted");
    let (_, n) = allocations(|| std::hint::black_box(3 + 4));
    assert_eq!(n, 0);
}

#[test]
fn split_reassemble_decode_and_tapi32_msg_allocate_nothing() {
    // Built beforehand: 500 ClientRequest calls, the reassemblers, the association state is
    // not involved.
    let stream = rpc_calls::stream(500);
    let mut requests = Reassembler::new();
    let mut responses = Reassembler::new();

    let (counts, n) = allocations(|| {
        let (mut pdus, mut calls, mut msgs, mut replies, mut acc) = (0, 0, 0, 0, 0u64);
        for item in pdu::pdus(&stream) {
            let (_, p) = item.expect("valid");
            pdus += 1;
            let (reassembler, direction) = match p.body() {
                PduBody::Request(_) => (&mut requests, Direction::Request),
                PduBody::Response(_) => (&mut responses, Direction::Response),
                _ => continue,
            };
            assert!(p.is_first() && p.is_last());
            let call = reassembler
                .push(&p)
                .expect("fits")
                .expect("a single fragment completes its call");
            let Cow::Borrowed(stub) = call.stub else {
                panic!("a single fragment's stub is borrowed");
            };
            calls += 1;
            match methods::decode(Method::ClientRequest, direction, Syntax::Ndr20, stub)
                .expect("decodes")
            {
                Stub::ClientRequestRequest(r) => {
                    let msg = r.tapi32_msg().expect("a TAPI32_MSG");
                    acc ^= u64::from(msg.req_func()) ^ u64::from(msg.dwords()[2]);
                    msgs += 1;
                }
                Stub::ClientRequestResponse(r) => {
                    acc ^= r.p_buffer().bytes().len() as u64;
                    replies += 1;
                }
                _ => unreachable!(),
            }
        }
        std::hint::black_box(acc);
        (pdus, calls, msgs, replies)
    });
    assert_eq!(counts, (1002, 1000, 500, 500));
    assert_eq!(n, 0, "{n} allocations");
}

#[test]
fn classify_decoded_allocates_nothing_after_the_bind() {
    let stream = rpc_calls::stream(500);
    let mut assoc = Association::new();
    let mut pdus = pdu::pdus(&stream);
    // The bind and bind_ack: the association stores their contexts (this allocates).
    for _ in 0..2 {
        let (_, p) = pdus.next().expect("a PDU").expect("valid");
        assert!(
            assoc.classify_decoded(&p).is_none(),
            "bind and bind_ack carry no stub"
        );
    }
    // The first call: the first pending call may allocate the map's node.
    for _ in 0..2 {
        let (_, p) = pdus.next().expect("a PDU").expect("valid");
        assert!(assoc.classify_decoded(&p).is_some());
    }
    let (counts, n) = allocations(|| {
        let (mut msgs, mut replies, mut acc) = (0, 0, 0u64);
        for item in pdus {
            let (_, p) = item.expect("valid");
            let (info, stub) = assoc.classify_decoded(&p).expect("a call");
            assert_eq!(info.method, Some(Method::ClientRequest));
            match stub.expect("the method is known").expect("decodes") {
                Stub::ClientRequestRequest(r) => {
                    let msg = r.tapi32_msg().expect("a TAPI32_MSG");
                    assert_eq!(info.req_func, Some(msg.req_func()));
                    acc ^= u64::from(msg.dwords()[2]);
                    msgs += 1;
                }
                Stub::ClientRequestResponse(r) => {
                    assert!(info.req_func.is_some(), "the response knows its request");
                    acc ^= r.p_buffer().bytes().len() as u64;
                    replies += 1;
                }
                _ => unreachable!(),
            }
        }
        std::hint::black_box(acc);
        (msgs, replies)
    });
    assert_eq!(counts, (499, 499));
    assert_eq!(n, 0, "{n} allocations");
    assert_eq!(assoc.pending(), 0);
}
