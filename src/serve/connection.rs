//! One client connection: the association's contexts, the reassembler, the binding instances
//! (context handle -> [`Service`]) and the PDU loop.

use std::collections::BTreeMap;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use super::callback::Callback;
use super::{LINEERR_OPERATIONFAILED, ServerOptions, Service};
use crate::rpc::faults::{DefResult, FaultStatus, ProviderReason, RejectReason};
use crate::rpc::fragments::{Reassembler, ReassemblyErrorKind};
use crate::rpc::methods::{
    self, ClientAttachRequest, ClientAttachResponseBuilder, ClientDetachRequest,
    ClientDetachResponseBuilder, ClientRequestRequest, ClientRequestResponseBuilder, Direction,
    Interface, Method, Stub,
};
use crate::rpc::ndr::{ContextHandle, Syntax};
use crate::rpc::pdu::{
    BindAckBuilder, BindPdu, COMMON_HEADER_LEN, ContextResult, PFC_DID_NOT_EXECUTE, PFC_FIRST_FRAG,
    PFC_LAST_FRAG, PacketType, Pdu, PduBody, PduBuilder, PduError, PduErrorKind, VersionT,
    fragment,
};
use crate::rpc::uuid::{SyntaxId, TAPSRV, Uuid};

/// The fragment size every peer must accept (C706 12.6.3.1 `MustRecvFragSize`).
pub(super) const MUST_RECV_FRAG_SIZE: u16 = 1432;

/// Calls whose fragments may be in flight at once on one connection.
const MAX_CALLS_IN_FLIGHT: usize = 4;

/// RemoteSPEventProc calls made for one batch of events, at most.
const MAX_EVENT_ROUNDS: usize = 64;

/// Reads one PDU into `frame` (cleared first): its 16-byte header, then the rest of its
/// `frag_length` (read in the byte order `packed_drep` announces). `Ok(false)` on a clean end
/// of stream; an error for a stream that ends inside a PDU or a `frag_length` below 16 or
/// above `max`. Never reads more than `max` bytes.
pub(super) fn read_frame(
    stream: &mut impl Read,
    max: u16,
    frame: &mut Vec<u8>,
) -> io::Result<bool> {
    let mut header = [0u8; COMMON_HEADER_LEN];
    let got = fill(stream, &mut header)?;
    if got == 0 {
        return Ok(false);
    }
    if got < COMMON_HEADER_LEN {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("the stream ends {got} bytes into a PDU header"),
        ));
    }
    let bytes = [header[8], header[9]];
    let frag_length = if header[4] & 0xF0 == 0 {
        u16::from_be_bytes(bytes)
    } else {
        u16::from_le_bytes(bytes)
    };
    if usize::from(frag_length) < COMMON_HEADER_LEN || frag_length > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("frag_length {frag_length} is outside 16..={max}"),
        ));
    }
    frame.clear();
    frame.extend_from_slice(&header);
    frame.resize(usize::from(frag_length), 0);
    let body = frame.get_mut(COMMON_HEADER_LEN..).unwrap_or_default();
    let want = body.len();
    let got = fill(stream, body)?;
    if got < want {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("the stream ends {got} of {want} bytes into a PDU body"),
        ));
    }
    Ok(true)
}

/// Reads until `buf` is full or the stream ends; the bytes read.
fn fill(stream: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while let Some(rest) = buf.get_mut(n..) {
        if rest.is_empty() {
            break;
        }
        match stream.read(rest) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A new context handle: attributes 0 and a UUID (version 4 layout) whose first bytes are a
/// process-wide counter (unique) and whose last eight are random.
fn new_handle() -> ContextHandle {
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(n);
    let random = h.finish().to_le_bytes();
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&n.to_le_bytes());
    b[8..].copy_from_slice(&random);
    b[7] = (b[7] & 0x0F) | 0x40;
    b[8] = (b[8] & 0x3F) | 0x80;
    ContextHandle {
        attributes: 0,
        uuid: Uuid(b),
    }
}

/// A new association group id (never 0).
fn new_assoc_group() -> u32 {
    static COUNTER: AtomicU32 = AtomicU32::new(0x0001_0000);
    loop {
        let g = COUNTER.fetch_add(1, Ordering::Relaxed);
        if g != 0 {
            return g;
        }
    }
}

/// The bind time feature negotiation "transfer syntax" ([MS-RPCE] 2.2.2.14): UUID
/// 6cb71c2c-9812-4540-xxxx-xxxxxxxxxxxx, the last eight bytes being the feature bits.
fn is_bind_time_feature_negotiation(ts: &SyntaxId) -> bool {
    ts.uuid.time_low() == 0x6cb7_1c2c && ts.uuid.time_mid() == 0x9812 && ts.uuid.time_hi() == 0x4540
}

#[derive(Debug, Clone, Copy)]
struct Bound {
    assoc_group: u32,
    /// The largest fragment we send.
    max_xmit: u16,
    /// The largest fragment we accept.
    max_recv: u16,
}

struct Client<S> {
    service: S,
    callback: Option<Callback>,
}

enum Flow {
    Continue,
    Close(String),
}

/// One connection's state.
pub(super) struct Connection<F, S> {
    stream: TcpStream,
    peer: SocketAddr,
    factory: Arc<F>,
    options: Arc<ServerOptions>,
    bound: Option<Bound>,
    contexts: BTreeMap<u16, Syntax>,
    reassembler: Reassembler,
    clients: BTreeMap<ContextHandle, Client<S>>,
    frame: Vec<u8>,
}

impl<F, S> Connection<F, S>
where
    F: Fn() -> S + Send + Sync + 'static,
    S: Service,
{
    pub(super) fn new(
        stream: TcpStream,
        peer: SocketAddr,
        factory: Arc<F>,
        options: Arc<ServerOptions>,
    ) -> Self {
        let limit = options.max_request_stub;
        Connection {
            stream,
            peer,
            factory,
            options,
            bound: None,
            contexts: BTreeMap::new(),
            reassembler: Reassembler::with_limit(limit),
            clients: BTreeMap::new(),
            frame: Vec::new(),
        }
    }

    fn log(&self, args: fmt::Arguments<'_>) {
        if self.options.verbose {
            eprintln!("trp serve: {}: {args}", self.peer);
        }
    }

    /// Serves the connection until it ends, then runs every binding instance down.
    pub(super) fn run(mut self) {
        self.log(format_args!("connected"));
        let _ = self.stream.set_read_timeout(self.options.idle_timeout);
        let _ = self.stream.set_write_timeout(self.options.idle_timeout);
        let _ = self.stream.set_nodelay(true);
        let reason = loop {
            let max = self
                .bound
                .map_or(self.options.max_frag.max(MUST_RECV_FRAG_SIZE), |b| {
                    b.max_recv
                });
            let mut frame = std::mem::take(&mut self.frame);
            let read = read_frame(&mut self.stream, max, &mut frame);
            let flow = match read {
                Ok(true) => self.on_frame(&frame),
                Ok(false) => Flow::Close("closed by the client".into()),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    Flow::Close("idle timeout".into())
                }
                Err(e) => Flow::Close(e.to_string()),
            };
            self.frame = frame;
            if let Flow::Close(reason) = flow {
                break reason;
            }
        };
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
        self.log(format_args!("disconnected: {reason}"));
        // Context handle rundown: each binding instance ends as if detached.
        let clients = std::mem::take(&mut self.clients);
        for (handle, client) in clients {
            self.log(format_args!("rundown of context handle {handle}"));
            self.end_client(client);
        }
    }

    fn end_client(&self, mut client: Client<S>) {
        let r = client.service.detach();
        self.log(format_args!("service detached, {r:#x}"));
        if let Some(cb) = client.callback.take() {
            match cb.detach() {
                Ok(()) => self.log(format_args!("RemoteSPDetach done")),
                Err(e) => self.log(format_args!("RemoteSPDetach failed: {e}")),
            }
        }
    }

    fn send(&mut self, pdu: PduBuilder) -> Flow {
        let max = self.bound.map_or(MUST_RECV_FRAG_SIZE, |b| b.max_xmit);
        let pieces = match pdu.packet_type() {
            PacketType::Response => match fragment(&pdu, max) {
                Ok(p) => p,
                Err(e) => return Flow::Close(format!("cannot fragment a response: {e}")),
            },
            _ => vec![pdu],
        };
        let mut out = Vec::new();
        for p in &pieces {
            if let Err(e) = p.write(&mut out) {
                return Flow::Close(format!("cannot build a PDU: {e}"));
            }
        }
        match self.stream.write_all(&out) {
            Ok(()) => Flow::Continue,
            Err(e) => Flow::Close(format!("send: {e}")),
        }
    }

    /// A fault for a call the server did not execute.
    fn fault(&mut self, call_id: u32, p_cont_id: u16, status: FaultStatus) -> Flow {
        self.log(format_args!(
            "call {call_id}: fault {status} ({})",
            status.name().unwrap_or("?")
        ));
        let pdu = PduBuilder::fault(call_id, p_cont_id, status)
            .with_flags(PFC_FIRST_FRAG | PFC_LAST_FRAG | PFC_DID_NOT_EXECUTE);
        self.send(pdu)
    }

    fn bind_nak(&mut self, call_id: u32, reason: RejectReason, why: &str) -> Flow {
        self.log(format_args!("bind_nak ({reason}): {why}"));
        let versions = (reason == RejectReason::PROTOCOL_VERSION_NOT_SUPPORTED)
            .then(|| vec![VersionT { major: 5, minor: 0 }]);
        match self.send(PduBuilder::bind_nak(call_id, reason, versions)) {
            Flow::Continue => Flow::Close(format!("bind refused: {why}")),
            close => close,
        }
    }

    fn on_frame(&mut self, frame: &[u8]) -> Flow {
        let pdu = match Pdu::parse(frame) {
            Ok(p) => p,
            Err(e) => return self.on_unreadable(frame, &e),
        };
        match pdu.body() {
            PduBody::Bind(b) => self.on_bind(&pdu, &b),
            PduBody::AlterContext(b) => self.on_alter_context(&pdu, &b),
            PduBody::Request(_) => self.on_request(&pdu),
            PduBody::Orphaned(_) => {
                self.reassembler.abandon(pdu.call_id());
                Flow::Continue
            }
            // No cancel is ever pending; no security context to complete.
            PduBody::CoCancel(_) | PduBody::Auth3(_) => Flow::Continue,
            _ => Flow::Close(format!("{} is not sent to a server", pdu.packet_type())),
        }
    }

    /// A PDU whose frame is intact but whose fields cannot be read.
    fn on_unreadable(&mut self, frame: &[u8], e: &PduError) -> Flow {
        let ptype = frame.get(2).copied().and_then(PacketType::from_u8);
        let call_id = frame
            .get(12..16)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        match ptype {
            Some(PacketType::Bind | PacketType::AlterContext) => {
                let reason = match e.kind {
                    PduErrorKind::UnsupportedVersion { .. } => {
                        RejectReason::PROTOCOL_VERSION_NOT_SUPPORTED
                    }
                    _ => RejectReason::REASON_NOT_SPECIFIED,
                };
                self.bind_nak(call_id, reason, &e.to_string())
            }
            Some(PacketType::Request) if self.bound.is_some() => {
                self.log(format_args!("unreadable request: {e}"));
                let p_cont_id = frame
                    .get(20..22)
                    .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
                self.fault(call_id, p_cont_id, FaultStatus::NCA_S_PROTO_ERROR)
            }
            _ => Flow::Close(e.to_string()),
        }
    }

    /// The results for the contexts of a bind or alter_context; accepted ones are added.
    fn negotiate(&mut self, b: &BindPdu<'_>) -> Vec<ContextResult> {
        let nil = SyntaxId::new(Uuid::NIL, 0, 0);
        let reject = |reason| ContextResult::new(DefResult::PROVIDER_REJECTION, reason, nil);
        let mut results = Vec::new();
        for c in b.contexts() {
            let ts = c.transfer_syntaxes();
            let result = if ts.iter().any(is_bind_time_feature_negotiation) {
                // No optional feature is supported: acknowledge with no bit set.
                ContextResult::new(DefResult::NEGOTIATE_ACK, ProviderReason(0), nil)
            } else if c.abstract_syntax() != TAPSRV {
                reject(ProviderReason::ABSTRACT_SYNTAX_NOT_SUPPORTED)
            } else if let Some(syntax) = ts.iter().find_map(Syntax::from_syntax_id) {
                let known = self.contexts.get(&c.p_cont_id()).copied();
                if known.is_none() && self.contexts.len() >= self.options.max_contexts {
                    reject(ProviderReason::LOCAL_LIMIT_EXCEEDED)
                } else if known.is_some_and(|k| k != syntax) {
                    // A context's syntax is fixed once accepted (C706 12.6.4.1).
                    reject(ProviderReason::PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED)
                } else {
                    self.contexts.insert(c.p_cont_id(), syntax);
                    ContextResult::new(
                        DefResult::ACCEPTANCE,
                        ProviderReason::REASON_NOT_SPECIFIED,
                        syntax.syntax_id(),
                    )
                }
            } else {
                reject(ProviderReason::PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED)
            };
            self.log(format_args!(
                "context {}: {} {} -> {}",
                c.p_cont_id(),
                c.abstract_syntax(),
                ts.first().map_or_else(String::new, ToString::to_string),
                result.result()
            ));
            results.push(result);
        }
        results
    }

    fn on_bind(&mut self, pdu: &Pdu<'_>, b: &BindPdu<'_>) -> Flow {
        let call_id = pdu.call_id();
        if self.bound.is_some() {
            return self.bind_nak(
                call_id,
                RejectReason::REASON_NOT_SPECIFIED,
                "bind on a bound association",
            );
        }
        if pdu.sec_trailer().is_some() {
            return self.bind_nak(
                call_id,
                RejectReason::AUTHENTICATION_TYPE_NOT_RECOGNIZED,
                "no security provider",
            );
        }
        if b.n_context_elem() == 0 {
            return self.bind_nak(call_id, RejectReason::REASON_NOT_SPECIFIED, "no context");
        }
        let ours = self.options.max_frag.max(MUST_RECV_FRAG_SIZE);
        let bound = Bound {
            assoc_group: match b.assoc_group_id() {
                0 => new_assoc_group(),
                g => g,
            },
            max_xmit: b.max_recv_frag().min(ours).max(MUST_RECV_FRAG_SIZE),
            max_recv: b.max_xmit_frag().min(ours).max(MUST_RECV_FRAG_SIZE),
        };
        let results = self.negotiate(b);
        let port = self.stream.local_addr().map_or(0, |a| a.port());
        let ack = BindAckBuilder::new(
            bound.max_xmit,
            bound.max_recv,
            bound.assoc_group,
            &port.to_string(),
            &results,
        );
        self.bound = Some(bound);
        self.log(format_args!(
            "bind {call_id}: assoc_group {:#x}, frags {}/{}",
            bound.assoc_group, bound.max_xmit, bound.max_recv
        ));
        self.send(PduBuilder::bind_ack(call_id, ack))
    }

    fn on_alter_context(&mut self, pdu: &Pdu<'_>, b: &BindPdu<'_>) -> Flow {
        let call_id = pdu.call_id();
        let Some(bound) = self.bound else {
            return Flow::Close("alter_context before bind".into());
        };
        if pdu.sec_trailer().is_some() {
            return self.bind_nak(
                call_id,
                RejectReason::AUTHENTICATION_TYPE_NOT_RECOGNIZED,
                "no security provider",
            );
        }
        let results = self.negotiate(b);
        let ack = BindAckBuilder::new(
            bound.max_xmit,
            bound.max_recv,
            bound.assoc_group,
            "",
            &results,
        );
        self.send(PduBuilder::alter_context_resp(call_id, ack))
    }

    fn on_request(&mut self, pdu: &Pdu<'_>) -> Flow {
        let call_id = pdu.call_id();
        let PduBody::Request(req) = pdu.body() else {
            return Flow::Continue;
        };
        let p_cont_id = req.p_cont_id();
        if self.bound.is_none() {
            return Flow::Close("request before bind".into());
        }
        if pdu.sec_trailer().is_some() {
            self.reassembler.abandon(call_id);
            return self.fault(call_id, p_cont_id, FaultStatus::RPC_S_ACCESS_DENIED);
        }
        let call = match self.reassembler.push(pdu) {
            Ok(Some(call)) => call,
            Ok(None) => {
                let in_flight = self.reassembler.in_progress().count();
                let reserved = self.reassembler.reserved();
                if in_flight > MAX_CALLS_IN_FLIGHT
                    || reserved > self.options.max_request_stub.saturating_mul(2)
                {
                    self.reassembler.abandon(call_id);
                    let _ = self.fault(call_id, p_cont_id, FaultStatus::NCA_S_PROTO_ERROR);
                    return Flow::Close(format!(
                        "{in_flight} fragmented calls holding {reserved} bytes"
                    ));
                }
                return Flow::Continue;
            }
            Err(e) => {
                self.log(format_args!("reassembly: {e}"));
                let flow = self.fault(call_id, p_cont_id, FaultStatus::NCA_S_PROTO_ERROR);
                if matches!(e.kind, ReassemblyErrorKind::TooLarge { .. }) {
                    return Flow::Close(e.to_string());
                }
                return flow;
            }
        };
        let p_cont_id = call.p_cont_id;
        let Some(&syntax) = self.contexts.get(&p_cont_id) else {
            return self.fault(call_id, p_cont_id, FaultStatus::NCA_S_UNK_IF);
        };
        let method = call
            .opnum
            .and_then(|op| Method::lookup(Interface::Tapsrv, op));
        let Some(method) = method else {
            return self.fault(call_id, p_cont_id, FaultStatus::NCA_S_OP_RNG_ERROR);
        };
        self.log(format_args!(
            "call {call_id}: {method} ({syntax}, {} bytes in {} fragments)",
            call.stub.len(),
            call.fragments
        ));
        match methods::decode(method, Direction::Request, syntax, &call.stub) {
            Err(e) => {
                self.log(format_args!("call {call_id}: {e}"));
                self.fault(call_id, p_cont_id, FaultStatus(e.fault_status()))
            }
            Ok(Stub::ClientAttachRequest(r)) => self.client_attach(call_id, p_cont_id, syntax, &r),
            Ok(Stub::ClientRequestRequest(r)) => {
                self.client_request(call_id, p_cont_id, syntax, &r)
            }
            Ok(Stub::ClientDetachRequest(r)) => self.client_detach(call_id, p_cont_id, syntax, &r),
            Ok(_) => self.fault(call_id, p_cont_id, FaultStatus::NCA_S_OP_RNG_ERROR),
        }
    }

    fn respond(&mut self, call_id: u32, p_cont_id: u16, stub: Vec<u8>) -> Flow {
        self.send(PduBuilder::response(call_id, p_cont_id, stub))
    }

    fn client_attach(
        &mut self,
        call_id: u32,
        p_cont_id: u16,
        syntax: Syntax,
        r: &ClientAttachRequest<'_>,
    ) -> Flow {
        if self.clients.len() >= self.options.max_attachments {
            return self.fault(call_id, p_cont_id, FaultStatus::NCA_S_SERVER_TOO_BUSY);
        }
        let user = r.psz_domain_user().to_string_lossy();
        let machine = r.psz_machine().to_string_lossy();
        let mut service = (self.factory)();
        let attached = service.attach(r.l_process_id(), &user, &machine);
        let mut return_value = attached.return_value;
        let mut callback = None;
        if return_value == 0 {
            if let Some(target) = &attached.push_to {
                match Callback::attach(target, &self.options, syntax) {
                    Ok(cb) => {
                        self.log(format_args!(
                            "RemoteSPAttach at {target:?}: context handle {}",
                            cb.handle()
                        ));
                        callback = Some(cb);
                    }
                    Err(e) => {
                        self.log(format_args!("push model refused: {e}"));
                        let _ = service.detach();
                        return_value = LINEERR_OPERATIONFAILED;
                    }
                }
            }
        }
        let handle = if return_value == 0 {
            new_handle()
        } else {
            ContextHandle::NIL
        };
        self.log(format_args!(
            "ClientAttach({}, {user:?}, {machine:?}) = {return_value:#x}, handle {handle}",
            r.l_process_id()
        ));
        let stub = ClientAttachResponseBuilder {
            pph_context: handle,
            ph_async_events_event: attached.async_events_event as i32,
            return_value,
        }
        .encode(syntax);
        if return_value == 0 {
            self.clients.insert(handle, Client { service, callback });
        }
        let flow = self.respond(call_id, p_cont_id, stub);
        if matches!(flow, Flow::Continue) && return_value == 0 {
            self.deliver_events(handle);
        }
        flow
    }

    fn client_request(
        &mut self,
        call_id: u32,
        p_cont_id: u16,
        syntax: Syntax,
        r: &ClientRequestRequest<'_>,
    ) -> Flow {
        let handle = r.ph_context();
        let max_reply = self.options.max_reply_bytes;
        let Some(client) = self.clients.get_mut(&handle) else {
            self.log(format_args!(
                "ClientRequest: unknown context handle {handle}"
            ));
            return self.fault(
                call_id,
                p_cont_id,
                FaultStatus::NCA_S_FAULT_CONTEXT_MISMATCH,
            );
        };
        let needed = r.l_needed_size();
        let capacity = u32::try_from(needed).unwrap_or(0).min(max_reply);
        let reply = client.service.request(r.p_buffer().bytes(), capacity);
        let req_func = r
            .p_buffer()
            .bytes()
            .get(..4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        self.log(format_args!(
            "ClientRequest(Req_Func {req_func}, {} of {needed} bytes) -> {} bytes",
            r.pl_used_size(),
            reply.len()
        ));
        if reply.len() > capacity as usize {
            self.log(format_args!(
                "the service returned {} bytes for a {capacity}-byte buffer",
                reply.len()
            ));
            let pdu = PduBuilder::fault(call_id, p_cont_id, FaultStatus::NCA_S_OUT_ARGS_TOO_BIG);
            return self.send(pdu);
        }
        let stub = ClientRequestResponseBuilder::new(&reply, needed).encode(syntax);
        let flow = self.respond(call_id, p_cont_id, stub);
        if matches!(flow, Flow::Continue) {
            self.deliver_events(handle);
        }
        flow
    }

    fn client_detach(
        &mut self,
        call_id: u32,
        p_cont_id: u16,
        syntax: Syntax,
        r: &ClientDetachRequest<'_>,
    ) -> Flow {
        let handle = r.pph_context();
        let Some(client) = self.clients.remove(&handle) else {
            self.log(format_args!(
                "ClientDetach: unknown context handle {handle}"
            ));
            return self.fault(
                call_id,
                p_cont_id,
                FaultStatus::NCA_S_FAULT_CONTEXT_MISMATCH,
            );
        };
        self.log(format_args!("ClientDetach({handle})"));
        self.end_client(client);
        let stub = ClientDetachResponseBuilder {
            pph_context: ContextHandle::NIL,
        }
        .encode(syntax);
        self.respond(call_id, p_cont_id, stub)
    }

    /// Delivers the events of `handle`'s service by RemoteSPEventProc (push model only; with
    /// the pull model they wait for GetAsyncEvents). A failed delivery ends the callback.
    fn deliver_events(&mut self, handle: ContextHandle) {
        let max = self.options.max_event_bytes.max(40);
        let verbose = self.options.verbose;
        let peer = self.peer;
        let Some(client) = self.clients.get_mut(&handle) else {
            return;
        };
        let Some(cb) = client.callback.as_mut() else {
            return;
        };
        for _ in 0..MAX_EVENT_ROUNDS {
            if !client.service.has_events() {
                break;
            }
            let events = client.service.take_events(max);
            if events.is_empty() {
                break;
            }
            if let Err(e) = cb.event_proc(&events) {
                if verbose {
                    eprintln!("trp serve: {peer}: RemoteSPEventProc failed, push ends: {e}");
                }
                client.callback = None;
                break;
            }
            if verbose {
                eprintln!(
                    "trp serve: {peer}: RemoteSPEventProc({} bytes)",
                    events.len()
                );
            }
        }
    }
}
