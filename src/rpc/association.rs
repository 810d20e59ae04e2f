//! What one association (one connection, or one named pipe) has agreed on: the presentation
//! contexts of its bind and alter_context exchanges (\[C706\] 12.6.4.3-12.6.4.4, [MS-RPCE]
//! 3.3.1.5.3), and the calls in flight, so that a request stub can be read as the method its
//! `p_cont_id` and `opnum` name, and a response as the answer to that request.
//!
//! Sans-IO: an [`Association`] is fed PDUs (and reassembled stubs) in the order each side
//! sent them and never sees a socket or a capture.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::methods::{self, Direction, Interface, Method, Stub};
use super::ndr::{NdrError, Syntax};
use super::pdu::{PacketType, Pdu, PduBody};
use super::uuid::SyntaxId;
use crate::requests::FuncId;

/// How many calls an [`Association`] remembers while they wait for their response; beyond
/// that, the oldest is forgotten (its response will be reported as unmatched).
pub const DEFAULT_MAX_PENDING: usize = 4096;

/// A presentation context the server accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// `p_cont_id`.
    pub p_cont_id: u16,
    /// The abstract syntax (the interface and its version).
    pub abstract_syntax: SyntaxId,
    /// The transfer syntax accepted.
    pub transfer_syntax: SyntaxId,
    /// The [MS-TRP] interface, when the abstract syntax is tapsrv or remotesp.
    pub interface: Option<Interface>,
    /// NDR20 or NDR64, when the transfer syntax is one of them.
    pub syntax: Option<Syntax>,
    /// True when no bind established the context and it was assumed
    /// ([`Association::assume`]).
    pub assumed: bool,
}

/// What a request, response or fault stub is, as far as the association knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StubInfo {
    /// The call.
    pub call_id: u32,
    /// The presentation context (of the request, for a response or fault).
    pub p_cont_id: u16,
    /// The opnum (of the request, for a response or fault); `None` for a response whose
    /// request was not seen.
    pub opnum: Option<u16>,
    /// The context, when it is known.
    pub context: Option<Context>,
    /// The method, when the interface is tapsrv or remotesp and the opnum is one of its
    /// three.
    pub method: Option<Method>,
    /// Request or response (a fault counts as a response).
    pub direction: Direction,
    /// For ClientRequest: the request's `Req_Func` (first DWORD of pBuffer), so that the
    /// response can be read as its reply.
    pub req_func: Option<u32>,
    /// For ClientRequest: the request's `lNeededSize`, which the response's `max_count` must
    /// equal.
    pub l_needed_size: Option<i32>,
}

impl StubInfo {
    /// The transfer syntax, when the context is known and NDR.
    pub fn syntax(&self) -> Option<Syntax> {
        self.context.and_then(|c| c.syntax)
    }

    /// The interface, when known.
    pub fn interface(&self) -> Option<Interface> {
        self.context.and_then(|c| c.interface)
    }

    /// The documented function of `req_func`, if it is one.
    pub fn func(&self) -> Option<FuncId> {
        self.req_func.and_then(FuncId::from_u32)
    }
}

#[derive(Debug, Clone, Copy)]
struct Pending {
    p_cont_id: u16,
    opnum: u16,
    req_func: Option<u32>,
    l_needed_size: Option<i32>,
    seq: u64,
}

/// The state of one association: contexts and calls in flight.
#[derive(Debug, Clone)]
pub struct Association {
    /// Contexts proposed by a bind or alter_context, by its call_id, in proposal order.
    proposed: BTreeMap<u32, Vec<(u16, SyntaxId, Vec<SyntaxId>)>>,
    contexts: BTreeMap<u16, Context>,
    default: Option<(Interface, Syntax)>,
    /// The latest call waiting (most associations have one call in flight at a time, so
    /// most requests and responses never touch `pending`).
    latest: Option<(u32, Pending)>,
    /// The other calls waiting.
    pending: BTreeMap<u32, Pending>,
    max_pending: usize,
    seq: u64,
}

impl Default for Association {
    fn default() -> Self {
        Association::new()
    }
}

impl Association {
    /// An association that has seen nothing yet.
    pub fn new() -> Association {
        Association {
            proposed: BTreeMap::new(),
            contexts: BTreeMap::new(),
            default: None,
            latest: None,
            pending: BTreeMap::new(),
            max_pending: DEFAULT_MAX_PENDING,
            seq: 0,
        }
    }

    /// Remembers at most `n` calls waiting for a response (at least 1).
    pub fn with_max_pending(mut self, n: usize) -> Association {
        self.max_pending = n.max(1);
        self
    }

    /// Reads any context the association did not see bound as `interface` in `syntax`: for
    /// a capture that starts after the bind (`trp pcap --port`).
    pub fn assume(&mut self, interface: Interface, syntax: Syntax) {
        self.default = Some((interface, syntax));
    }

    /// The context `p_cont_id`: bound, or assumed.
    #[inline]
    pub fn context(&self, p_cont_id: u16) -> Option<Context> {
        self.contexts.get(&p_cont_id).copied().or_else(|| {
            self.default.map(|(interface, syntax)| Context {
                p_cont_id,
                abstract_syntax: interface.syntax_id(),
                transfer_syntax: syntax.syntax_id(),
                interface: Some(interface),
                syntax: Some(syntax),
                assumed: true,
            })
        })
    }

    /// The contexts accepted so far, by `p_cont_id`.
    pub fn contexts(&self) -> impl Iterator<Item = &Context> {
        self.contexts.values()
    }

    /// True once a context for tapsrv or remotesp was accepted (or one is assumed).
    pub fn speaks_trp(&self) -> bool {
        self.default.is_some() || self.contexts.values().any(|c| c.interface.is_some())
    }

    /// True once a bind or alter_context proposed tapsrv or remotesp, before any answer.
    pub fn proposed_trp(&self) -> bool {
        self.proposed
            .values()
            .flatten()
            .any(|(_, a, _)| Interface::from_syntax_id(a).is_some())
    }

    /// Calls waiting for their response.
    pub fn pending(&self) -> usize {
        self.pending.len() + usize::from(self.latest.is_some())
    }

    /// Takes note of a bind, bind_ack, alter_context, alter_context_resp or bind_nak (other
    /// PDUs are ignored: requests and responses go through [`Association::request`] and
    /// [`Association::response`] once reassembled).
    ///
    /// A bind_ack's results answer the contexts of the bind with the same call_id, in order
    /// (\[C706\] 12.6.4.4); an accepted one (result 0) binds its `p_cont_id` to the abstract
    /// syntax proposed and the transfer syntax the server chose.
    pub fn observe(&mut self, pdu: &Pdu<'_>) {
        match pdu.body() {
            PduBody::Bind(b) | PduBody::AlterContext(b) => {
                let contexts = b
                    .contexts()
                    .map(|c| {
                        (
                            c.p_cont_id(),
                            c.abstract_syntax(),
                            c.transfer_syntaxes().to_vec(),
                        )
                    })
                    .collect();
                if self.proposed.len() >= self.max_pending {
                    self.proposed.pop_first();
                }
                self.proposed.insert(pdu.call_id(), contexts);
            }
            PduBody::BindAck(a) | PduBody::AlterContextResp(a) => {
                let Some(proposed) = self.proposed.remove(&pdu.call_id()) else {
                    return;
                };
                for (result, (p_cont_id, abstract_syntax, _)) in a.results().iter().zip(proposed) {
                    if result.result.get() != 0 {
                        continue;
                    }
                    let transfer_syntax = result.transfer_syntax;
                    self.contexts.insert(
                        p_cont_id,
                        Context {
                            p_cont_id,
                            abstract_syntax,
                            transfer_syntax,
                            interface: Interface::from_syntax_id(&abstract_syntax),
                            syntax: Syntax::from_syntax_id(&transfer_syntax),
                            assumed: false,
                        },
                    );
                }
            }
            PduBody::BindNak(_) => {
                self.proposed.remove(&pdu.call_id());
            }
            _ => {}
        }
    }

    /// A whole request stub (reassembled) of `call_id` on `p_cont_id` with `opnum`: what it
    /// is. The call is remembered until its response or fault.
    #[inline]
    pub fn request(&mut self, call_id: u32, p_cont_id: u16, opnum: u16, stub: &[u8]) -> StubInfo {
        self.request_decoded(call_id, p_cont_id, opnum, stub).0
    }

    /// [`Association::request`], also handing back the stub decoded as the method its context
    /// and opnum name (`None` when the interface, method or transfer syntax is unknown), so
    /// that a caller who wants the parameters does not decode the stub a second time.
    #[inline]
    pub fn request_decoded<'a>(
        &mut self,
        call_id: u32,
        p_cont_id: u16,
        opnum: u16,
        stub: &'a [u8],
    ) -> (StubInfo, Option<Result<Stub<'a>, NdrError>>) {
        let context = self.context(p_cont_id);
        let method = context
            .and_then(|c| c.interface)
            .and_then(|i| Method::lookup(i, opnum));
        let decoded = match (method, context.and_then(|c| c.syntax)) {
            (Some(method), Some(syntax)) => {
                Some(methods::decode(method, Direction::Request, syntax, stub))
            }
            _ => None,
        };
        let (mut req_func, mut l_needed_size) = (None, None);
        if let Some(Ok(Stub::ClientRequestRequest(r))) = &decoded {
            l_needed_size = Some(r.l_needed_size());
            req_func = r
                .p_buffer()
                .bytes()
                .get(..4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        }
        if self.pending() >= self.max_pending && !self.is_pending(call_id) {
            self.forget_oldest();
        }
        self.seq = self.seq.wrapping_add(1);
        self.remember(
            call_id,
            Pending {
                p_cont_id,
                opnum,
                req_func,
                l_needed_size,
                seq: self.seq,
            },
        );
        let info = StubInfo {
            call_id,
            p_cont_id,
            opnum: Some(opnum),
            context,
            method,
            direction: Direction::Request,
            req_func,
            l_needed_size,
        };
        (info, decoded)
    }

    /// Forgets the oldest call still waiting (only when `max_pending` are).
    #[cold]
    fn forget_oldest(&mut self) {
        // `latest` is the newest: the oldest is in `pending` unless it is empty.
        if let Some((&oldest, _)) = self.pending.iter().min_by_key(|(_, p)| p.seq) {
            self.pending.remove(&oldest);
        } else {
            self.latest = None;
        }
    }

    fn is_pending(&self, call_id: u32) -> bool {
        matches!(self.latest, Some((id, _)) if id == call_id) || self.pending.contains_key(&call_id)
    }

    /// Remembers a call, replacing any waiting with the same call_id.
    #[inline]
    fn remember(&mut self, call_id: u32, p: Pending) {
        if let Some((id, older)) = self.latest.take() {
            if id != call_id {
                self.pending.insert(id, older);
            }
        }
        if !self.pending.is_empty() {
            self.pending.remove(&call_id);
        }
        self.latest = Some((call_id, p));
    }

    /// Forgets a call waiting and returns it.
    #[inline]
    fn take_pending(&mut self, call_id: u32) -> Option<Pending> {
        match self.latest {
            Some((id, p)) if id == call_id => {
                self.latest = None;
                Some(p)
            }
            _ if self.pending.is_empty() => None,
            _ => self.pending.remove(&call_id),
        }
    }

    /// A whole response or fault of `call_id` (`p_cont_id` as the PDU carries it): what it
    /// answers. The call is no longer pending.
    #[inline]
    pub fn response(&mut self, call_id: u32, p_cont_id: u16) -> StubInfo {
        match self.take_pending(call_id) {
            Some(p) => {
                let context = self.context(p.p_cont_id);
                StubInfo {
                    call_id,
                    p_cont_id: p.p_cont_id,
                    opnum: Some(p.opnum),
                    context,
                    method: context
                        .and_then(|c| c.interface)
                        .and_then(|i| Method::lookup(i, p.opnum)),
                    direction: Direction::Response,
                    req_func: p.req_func,
                    l_needed_size: p.l_needed_size,
                }
            }
            None => StubInfo {
                call_id,
                p_cont_id,
                opnum: None,
                context: self.context(p_cont_id),
                method: None,
                direction: Direction::Response,
                req_func: None,
                l_needed_size: None,
            },
        }
    }

    /// What a PDU that carries a stub is, for a reader that does not reassemble (a single
    /// fragment): requests are remembered, responses and faults matched. `None` for other
    /// PDU types (which [`Association::observe`] handles).
    pub fn classify(&mut self, pdu: &Pdu<'_>) -> Option<StubInfo> {
        match pdu.body() {
            PduBody::Request(r) => {
                Some(self.request(pdu.call_id(), r.p_cont_id(), r.opnum(), r.stub()))
            }
            PduBody::Response(r) => Some(self.response(pdu.call_id(), r.p_cont_id())),
            PduBody::Fault(f) => Some(self.response(pdu.call_id(), f.p_cont_id())),
            _ => {
                self.observe(pdu);
                None
            }
        }
    }

    /// [`Association::classify`], also handing back the stub decoded as the method the
    /// association found (`None` when it is unknown, or for a fault): one decode per PDU, for
    /// a reader that wants the parameters and does not reassemble (a single fragment).
    #[inline]
    pub fn classify_decoded<'a>(
        &mut self,
        pdu: &Pdu<'a>,
    ) -> Option<(StubInfo, Option<Result<Stub<'a>, NdrError>>)> {
        match pdu.body() {
            PduBody::Request(r) => {
                Some(self.request_decoded(pdu.call_id(), r.p_cont_id(), r.opnum(), r.stub()))
            }
            PduBody::Response(r) => {
                let info = self.response(pdu.call_id(), r.p_cont_id());
                let decoded = match (info.method, info.syntax()) {
                    (Some(method), Some(syntax)) => Some(methods::decode(
                        method,
                        Direction::Response,
                        syntax,
                        r.stub(),
                    )),
                    _ => None,
                };
                Some((info, decoded))
            }
            PduBody::Fault(f) => Some((self.response(pdu.call_id(), f.p_cont_id()), None)),
            _ => {
                self.observe(pdu);
                None
            }
        }
    }

    /// Forgets a call (its response will not come).
    pub fn abandon(&mut self, call_id: u32) {
        self.take_pending(call_id);
    }
}

/// True for the PDU types that carry a stub to reassemble.
pub fn carries_stub(t: PacketType) -> bool {
    matches!(
        t,
        PacketType::Request | PacketType::Response | PacketType::Fault
    )
}
