//! Special-case completions (2.2.4.2.2: 25 line functions, 2.2.4.2.3: phone DevSpecific) and
//! the [`Correlator`] that decodes a stream of replies without the caller naming functions.
//!
//! A special-case completion arrives with `Msg` = LINE_REPLY (or PHONE_REPLY) like any other
//! completion, and its first eight DWORDs are LINE_REPLY's; what follows depends on the request
//! that started it (MakeCall returns the new call handle, GetAgentCaps a LINEAGENTCAPS, ...).
//! Nothing in the event says which request that was, so there are three ways to decode one:
//!
//! * generically, as [`LineReply`](crate::events::LineReply) / [`PhoneReply`](crate::events::PhoneReply)
//!   ([`Event::parse`]);
//! * as the completion of a named function ([`SpecialCompletion::parse`]);
//! * through a [`Correlator`] that was told about each request as it was sent.
//!
//! The completions with VarData are padded to a whole number of QWORDs (2.2.4.2.2.1), so
//! `TotalSize` can exceed the fixed part plus `dwSize`; the views expose `dwSize` bytes and keep
//! the padding in the VarData area (see `spec-notes/events.md`).

use alloc::vec::Vec;

use hashbrown::HashMap;
use hashbrown::hash_map::Entry;

use crate::errors::DecodeError;
use crate::handles::RequestId;
use crate::requests::{Completion as Answered, FuncId, Request, Role};

use super::{Event, EventRole, Msg, RawEvent, TypedEvent};

mod catalogue;

pub use catalogue::*;

/// A request the client sent and whose completion has not arrived yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outstanding {
    /// `dwRequestID` of the request, echoed as `dwRemoteRequestID` / `dwRequestId`.
    pub request_id: RequestId,
    /// The function.
    pub func: FuncId,
    /// The opaque context values the completion must echo: the request field's name
    /// (`lpContext`, `lphCallContext`, ...) and its value.
    pub contexts: Vec<(&'static str, u32)>,
}

/// A context value that the completion did not echo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextMismatch {
    /// The completion's field, spec spelling.
    pub field: &'static str,
    /// The request's field it echoes.
    pub request_field: &'static str,
    /// The value sent in the request.
    pub expected: u32,
    /// The value in the completion.
    pub found: u32,
}

/// How a reply to a tracked request decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply<'a> {
    /// The function has a special-case layout.
    Special(SpecialCompletion<'a>),
    /// A plain LINE_REPLY or PHONE_REPLY.
    Generic(Event<'a>),
}

impl<'a> Reply<'a> {
    /// The generic view.
    pub fn typed(&self) -> TypedEvent<'a> {
        match self {
            Reply::Special(c) => c.typed(),
            Reply::Generic(e) => e.typed(),
        }
    }
}

/// What [`Correlator::decode`] made of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Correlated<'a> {
    /// Not a reply, or a reply whose request id is not outstanding: decoded by `Msg`.
    Event(Event<'a>),
    /// The completion of a tracked request (which is no longer outstanding).
    Reply {
        /// The request it completes.
        request: Outstanding,
        /// The completion.
        reply: Reply<'a>,
    },
}

impl<'a> Correlated<'a> {
    /// The generic view.
    pub fn typed(&self) -> TypedEvent<'a> {
        match self {
            Correlated::Event(e) => e.typed(),
            Correlated::Reply { reply, .. } => reply.typed(),
        }
    }

    /// The first context value the completion should echo but does not.
    pub fn context_mismatch(&self) -> Option<ContextMismatch> {
        let Correlated::Reply { request, reply } = self else {
            return None;
        };
        let typed = reply.typed();
        typed.fields().find_map(|f| {
            let EventRole::Echo { request_field } = f.field.role else {
                return None;
            };
            let (_, expected) = request.contexts.iter().find(|(n, _)| *n == request_field)?;
            (*expected != f.value).then_some(ContextMismatch {
                field: f.field.name,
                request_field,
                expected: *expected,
                found: f.value,
            })
        })
    }
}

/// Remembers outstanding asynchronous requests (request id → function and context values) so
/// that replies decode as the completion of the right function.
///
/// The requests are kept in a hash table (`hashbrown`, seeded per process), so recording one
/// and matching a reply cost a hash of the request id, whatever the number outstanding; an
/// event that is not a LINE_REPLY or PHONE_REPLY is decoded without a look-up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Correlator {
    pending: HashMap<u32, Outstanding>,
}

impl Correlator {
    /// No outstanding requests.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that request `id` of `func` is outstanding, with the context values its
    /// completion echoes. Returns the entry it replaces, if any.
    pub fn expect(
        &mut self,
        id: RequestId,
        func: FuncId,
        contexts: &[(&'static str, u32)],
    ) -> Option<Outstanding> {
        self.pending.insert(
            id.0,
            Outstanding {
                request_id: id,
                func,
                contexts: contexts.to_vec(),
            },
        )
    }

    /// Records an asynchronous request as it is sent: its `dwRequestID`, its function, and
    /// the values of `lpContext` and of every request field the completion echoes. Returns the
    /// request id, or `None` for a synchronous or undocumented request.
    pub fn track(&mut self, request: &Request<'_>) -> Option<RequestId> {
        let desc = request.desc()?;
        if desc.completion != Answered::Async {
            return None;
        }
        let dwords = request.dwords();
        let (id_index, _) = desc
            .fields
            .iter()
            .enumerate()
            .find(|(_, f)| f.role == Role::RequestId)?;
        let echoed = SpecialCompletion::desc_for(desc.func).map_or(&[][..], |d| d.fields);
        let contexts = desc
            .fields
            .iter()
            .zip(dwords)
            .filter(|(f, _)| {
                f.name == "lpContext"
                    || echoed.iter().any(|e| {
                        matches!(e.role, EventRole::Echo { request_field } if request_field == f.name)
                    })
            })
            .map(|(f, v)| (f.name, v))
            .collect::<Vec<_>>();
        let id = RequestId(dwords[id_index]);
        self.expect(id, desc.func, &contexts);
        Some(id)
    }

    /// The outstanding request with id `id`.
    pub fn get(&self, id: RequestId) -> Option<&Outstanding> {
        self.pending.get(&id.0)
    }

    /// Forgets request `id` (e.g. when its submission failed).
    pub fn forget(&mut self, id: RequestId) -> Option<Outstanding> {
        self.pending.remove(&id.0)
    }

    /// Number of outstanding requests.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Whether no request is outstanding.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Decodes an event: a LINE_REPLY or PHONE_REPLY whose request id is outstanding decodes
    /// as that request's completion (and the request is no longer outstanding); anything else
    /// decodes by `Msg`. On a decoding error the request stays outstanding.
    pub fn decode<'a>(&mut self, raw: RawEvent<'a>) -> Result<Correlated<'a>, DecodeError> {
        let phone = match raw.msg() {
            m if m == Msg::LineReply as u32 => false,
            m if m == Msg::PhoneReply as u32 => true,
            _ => return Event::parse(raw).map(Correlated::Event),
        };
        // LINE_REPLY's dwRemoteRequestID and PHONE_REPLY's are both Param1 (DWORD 6).
        let id = raw.dword(6).unwrap_or(0);
        let Entry::Occupied(pending) = self.pending.entry(id) else {
            return generic_reply(raw, phone).map(Correlated::Event);
        };
        let reply = match SpecialCompletion::parse(pending.get().func, raw)? {
            Some(c) => Reply::Special(c),
            None => Reply::Generic(generic_reply(raw, phone)?),
        };
        Ok(Correlated::Reply {
            request: pending.remove(),
            reply,
        })
    }
}

/// What [`Event::parse`] makes of an event known to be a PHONE_REPLY (`phone`) or a LINE_REPLY.
#[inline(always)]
fn generic_reply(raw: RawEvent<'_>, phone: bool) -> Result<Event<'_>, DecodeError> {
    if phone {
        super::PhoneReply::from_raw(raw).map(Event::PhoneReply)
    } else {
        super::LineReply::from_raw(raw).map(Event::LineReply)
    }
}
