//! A TAPI client over the network: the [MS-TRP] 4.1, 4.3 and 4.2 exchanges against a tapsrv
//! server (such as `trp serve`), with this crate's RPC layer on the wire and its
//! `session::client::ClientSession` deciding what to send.
//!
//! ```text
//! cargo run --features cli --bin trp -- serve --listen 127.0.0.1:4444 &
//! cargo run --features serve --example tapi_client -- 127.0.0.1:4444
//! ```
//!
//! The client uses the pull model (a non-empty `pszDomainUser`, 3.1.4.1): events arrive in
//! GetAsyncEvents replies (2.2.4.1.8.1) rather than by a callback, so it needs no listening
//! socket. Every step is printed; any refusal, fault or failure ends the program with an error.
//! `tests/session_client_network.rs` runs `run` against an in-process server.

use std::error::Error;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use mstrp::handles::{HCall, HLine, Version};
use mstrp::rpc::faults::DefResult;
use mstrp::rpc::methods::{
    ClientAttachRequestBuilder, ClientAttachResponse, ClientDetachRequestBuilder,
    ClientDetachResponse, ClientRequestRequestBuilder, ClientRequestResponse,
};
use mstrp::rpc::ndr::{ContextHandle, Syntax};
use mstrp::rpc::pdu::{ContextElemBuilder, Pdu, PduBody, PduBuilder};
use mstrp::rpc::uuid::TAPSRV;
use mstrp::session::client::{
    AttachKind, ClientEvent, ClientSession, Effect, OpenParams, Outgoing, ReplyOutcome,
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// A DCE/RPC association to tapsrv over one TCP connection (NDR20, one context).
struct Wire {
    stream: TcpStream,
    next_call_id: u32,
}

impl Wire {
    fn connect(addr: SocketAddr) -> Result<Wire> {
        let stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        let mut wire = Wire {
            stream,
            next_call_id: 1,
        };
        let ctx = ContextElemBuilder::new(0, TAPSRV, &[Syntax::Ndr20.syntax_id()]);
        let bind = PduBuilder::bind(wire.call_id(), 5840, 5840, 0, vec![ctx]).to_bytes()?;
        wire.stream.write_all(&bind)?;
        let ack = wire.read_pdu()?;
        match Pdu::parse(&ack)?.body() {
            PduBody::BindAck(a)
                if a.results().first().map(|r| r.result()) == Some(DefResult::ACCEPTANCE) =>
            {
                Ok(wire)
            }
            other => Err(format!("bind answered with {other:?}").into()),
        }
    }

    fn call_id(&mut self) -> u32 {
        let id = self.next_call_id;
        self.next_call_id += 1;
        id
    }

    fn read_pdu(&mut self) -> Result<Vec<u8>> {
        let mut pdu = vec![0u8; 16];
        self.stream.read_exact(&mut pdu)?;
        let len = usize::from(u16::from_le_bytes([pdu[8], pdu[9]]));
        if len < 16 {
            return Err(format!("frag_length {len}").into());
        }
        pdu.resize(len, 0);
        self.stream.read_exact(&mut pdu[16..])?;
        Ok(pdu)
    }

    /// One call: the request stub out, the response stub back (fragments joined).
    fn call(&mut self, opnum: u16, stub: Vec<u8>) -> Result<Vec<u8>> {
        let call_id = self.call_id();
        let request = PduBuilder::request(call_id, 0, opnum, stub).to_bytes()?;
        self.stream.write_all(&request)?;
        let mut stub = Vec::new();
        loop {
            let bytes = self.read_pdu()?;
            let pdu = Pdu::parse(&bytes)?;
            match pdu.body() {
                PduBody::Response(r) => {
                    stub.extend_from_slice(r.stub());
                    if pdu.is_last() {
                        return Ok(stub);
                    }
                }
                PduBody::Fault(f) => return Err(format!("fault {:#x}", f.status().value()).into()),
                other => return Err(format!("unexpected answer {other:?}").into()),
            }
        }
    }
}

/// Sends a ClientRequest and hands the reply to the session.
fn request(
    wire: &mut Wire,
    client: &mut ClientSession,
    handle: ContextHandle,
    out: Outgoing,
    capacity: usize,
) -> Result<ReplyOutcome> {
    let mut buffer = out.bytes.to_vec();
    buffer.resize(buffer.len().max(capacity), 0);
    let stub = ClientRequestRequestBuilder {
        l_needed_size: Some(i32::try_from(buffer.len())?),
        ..ClientRequestRequestBuilder::new(handle, &buffer)
    }
    .encode(Syntax::Ndr20);
    let response = wire.call(1, stub)?;
    let response = ClientRequestResponse::decode(Syntax::Ndr20, &response)?;
    let reply = response.p_buffer().bytes();
    let outcome = client.on_reply(reply)?;
    println!("{:?} -> {:?}", out.pending.func, outcome.result);
    Ok(outcome)
}

/// GetAsyncEvents until `done` says the events it waits for have arrived (at most 10 polls).
fn poll_events(
    wire: &mut Wire,
    client: &mut ClientSession,
    handle: ContextHandle,
    mut done: impl FnMut(&ClientEvent) -> bool,
) -> Result<()> {
    for _ in 0..10 {
        let out = client.get_async_events()?;
        let capacity = out.bytes.len();
        let outcome = request(wire, client, handle, out, capacity)?;
        if let Effect::Events { events, .. } = outcome.effect {
            for event in &events {
                println!("  event {event:?}");
            }
            if events.iter().any(&mut done) {
                return Ok(());
            }
        }
    }
    Err("the awaited event did not arrive".into())
}

/// Runs 4.1, 4.3 and 4.2 against the tapsrv server at `addr`.
pub fn run(addr: SocketAddr) -> Result<()> {
    let mut wire = Wire::connect(addr)?;
    let mut client = ClientSession::new();

    // 4.1: ClientAttach (pull model), Initialize, NegotiateAPIVersionForAllDevices,
    // GetDevCaps, GetAddressCaps, Open.
    let attach: ClientAttachRequestBuilder = client.attach(AttachKind::pull(
        "\\\\CLIENT\\mailslot\\tapi\\tp1",
        "CLIENT",
    ))?;
    let response = wire.call(0, attach.encode(Syntax::Ndr20))?;
    let attached = ClientAttachResponse::decode(Syntax::Ndr20, &response)?;
    client.attached(attached.return_value(), attached.ph_async_events_event())?;
    let handle = attached.pph_context();
    println!("ClientAttach -> {} ({handle})", attached.return_value());

    let out = client.initialize("CLIENT")?;
    request(&mut wire, &mut client, handle, out, 1024)?;
    let lines = client.line_app().ok_or("no hLineApp")?.num_devs;
    let out = client.negotiate_api_version_for_all_devices(lines, 0, Version::TAPI_3_1)?;
    request(&mut wire, &mut client, handle, out, 4096)?;
    let version = client.line_device(0).api.ok_or("no version for line 0")?;
    let out = client.get_dev_caps(0, version, Version(0))?;
    request(&mut wire, &mut client, handle, out, 4096)?;
    let out = client.get_address_caps(0, 0, version, Version(0))?;
    request(&mut wire, &mut client, handle, out, 4096)?;
    let out = client.open(0, version, OpenParams::default())?;
    request(&mut wire, &mut client, handle, out, 1024)?;
    let h_line: HLine = client.lines().next().ok_or("no open line")?.0;

    // 4.3: MakeCall returns a request id; its LINE_REPLY carries the new hCall; Drop
    // (asynchronous, spec-notes/session.md), DeallocateCall.
    let out = client.make_call(h_line, Some("5550100"), 0, None)?;
    request(&mut wire, &mut client, handle, out, 1024)?;
    poll_events(&mut wire, &mut client, handle, |e| {
        matches!(e, ClientEvent::Completed { .. })
    })?;
    let h_call: HCall = client.calls().next().ok_or("no call")?.0;
    let out = client.drop_call(h_call, None)?;
    request(&mut wire, &mut client, handle, out, 1024)?;
    if client.outstanding().next().is_some() {
        poll_events(&mut wire, &mut client, handle, |e| {
            matches!(e, ClientEvent::Completed { .. })
        })?;
    }
    let out = client.deallocate_call(h_call)?;
    request(&mut wire, &mut client, handle, out, 1024)?;

    // 4.2: Close, Shutdown, ClientDetach.
    let out = client.close(h_line)?;
    request(&mut wire, &mut client, handle, out, 1024)?;
    let out = client.shutdown()?;
    request(&mut wire, &mut client, handle, out, 1024)?;
    let stub = ClientDetachRequestBuilder {
        pph_context: handle,
    }
    .encode(Syntax::Ndr20);
    let response = wire.call(2, stub)?;
    let detached = ClientDetachResponse::decode(Syntax::Ndr20, &response)?;
    client.detach()?;
    println!("ClientDetach -> {}", detached.pph_context());
    if !detached.pph_context().is_nil() {
        return Err("ClientDetach did not return the nil handle".into());
    }
    Ok(())
}

#[allow(dead_code)]
fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .ok_or("usage: tapi_client HOST:PORT")?
        .parse()?;
    run(addr)
}
