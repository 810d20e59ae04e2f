//! ClientRequest conversations made with the rpc builders: a bind of tapsrv and remotesp, its
//! bind_ack, and the 4.1 sample requests (samples/requests/) as ClientRequest calls with the
//! reply a server gives. `#[path]`-included by examples/write_fuzz_seeds.rs,
//! examples/write_bench_capture.rs, benches/rpc.rs and tests/rpc_zero_alloc.rs.
#![allow(dead_code)]

use mstrp::rpc::faults::{DefResult, ProviderReason};
use mstrp::rpc::methods::{ClientRequestRequestBuilder, ClientRequestResponseBuilder};
use mstrp::rpc::ndr::{ContextHandle, Syntax};
use mstrp::rpc::pdu::{BindAckBuilder, ContextElemBuilder, ContextResult, PduBuilder};
use mstrp::rpc::uuid::{REMOTESP, TAPSRV};

/// The 4.1 sample requests (samples/requests/), in exchange order.
pub const SAMPLES_4_1: [(&str, &[u8]); 5] = [
    (
        "initialize",
        include_bytes!("../../samples/requests/4.1-1-initialize.bin"),
    ),
    (
        "negotiate-api-version-for-all-devices",
        include_bytes!("../../samples/requests/4.1-2-negotiate-api-version-for-all-devices.bin"),
    ),
    (
        "get-dev-caps",
        include_bytes!("../../samples/requests/4.1-3-get-dev-caps.bin"),
    ),
    (
        "get-address-caps",
        include_bytes!("../../samples/requests/4.1-4-get-address-caps.bin"),
    ),
    (
        "open",
        include_bytes!("../../samples/requests/4.1-5-open.bin"),
    ),
];

/// The context handle ClientAttach returned in these conversations.
pub fn context_handle() -> ContextHandle {
    let mut b = [0u8; 20];
    for (i, v) in b.iter_mut().enumerate().skip(4) {
        *v = i as u8;
    }
    ContextHandle::from_bytes(b)
}

/// A bind proposing tapsrv as context 0 and remotesp as context 1, both in `syntax`.
pub fn bind(call_id: u32, syntax: Syntax) -> PduBuilder {
    PduBuilder::bind(
        call_id,
        4280,
        4280,
        0,
        vec![
            ContextElemBuilder::new(0, TAPSRV, &[syntax.syntax_id()]),
            ContextElemBuilder::new(1, REMOTESP, &[syntax.syntax_id()]),
        ],
    )
}

/// The bind_ack accepting both contexts of [`bind`].
pub fn bind_ack(call_id: u32, syntax: Syntax) -> PduBuilder {
    let accept = ContextResult::new(DefResult::ACCEPTANCE, ProviderReason(0), syntax.syntax_id());
    PduBuilder::bind_ack(
        call_id,
        BindAckBuilder::new(4280, 4280, 0x53f0, "4444", &[accept, accept]),
    )
}

/// The reply a server gives to the TAPI32_MSG `request`: its fixed part with
/// `Ack_ReturnValue` 0 in place of `Req_Func`.
pub fn reply_for(request: &[u8]) -> Vec<u8> {
    let mut reply = request[..60.min(request.len())].to_vec();
    reply[..4].copy_from_slice(&0u32.to_le_bytes());
    reply
}

/// The ClientRequest request and response stubs carrying `msg` in `syntax`.
pub fn client_request(msg: &[u8], syntax: Syntax) -> (Vec<u8>, Vec<u8>) {
    let request = ClientRequestRequestBuilder::new(context_handle(), msg).encode(syntax);
    let response =
        ClientRequestResponseBuilder::new(&reply_for(msg), msg.len() as i32).encode(syntax);
    (request, response)
}

/// The request and response PDUs (single fragments) of ClientRequest call `call_id` on
/// context 0 carrying the sample `call_id % 5`, NDR20.
pub fn call(call_id: u32) -> (Vec<u8>, Vec<u8>) {
    let (req, resp) = client_request(SAMPLES_4_1[call_id as usize % 5].1, Syntax::Ndr20);
    (
        PduBuilder::request(call_id, 0, 1, req)
            .to_bytes()
            .expect("request"),
        PduBuilder::response(call_id, 0, resp)
            .to_bytes()
            .expect("response"),
    )
}

/// A TCP stream of one association, both directions interleaved: bind, bind_ack, then
/// `calls` ClientRequest request/response pairs cycling through the 4.1 samples (NDR20,
/// unfragmented), call_ids from 2.
pub fn stream(calls: u32) -> Vec<u8> {
    let mut out = bind(1, Syntax::Ndr20).to_bytes().expect("bind");
    out.extend(bind_ack(1, Syntax::Ndr20).to_bytes().expect("bind_ack"));
    for id in 2..2 + calls {
        let (req, resp) = call(id);
        out.extend(req);
        out.extend(resp);
    }
    out
}
