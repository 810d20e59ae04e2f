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

use alloc::boxed::Box;
use alloc::vec::Vec;

use hashbrown::HashMap;
use hashbrown::hash_map::Entry;

use crate::errors::DecodeError;
use crate::handles::RequestId;
use crate::requests::{Completion as Answered, FuncId, PacketDesc, Request, Role};

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
    pub contexts: Contexts,
}

/// The most context values a completion echoes: `lpContext` and the request fields of the
/// special-case completion with the most `Echo` fields (SetUpConference: `lpContext`,
/// `lphConfCallContext`, `lphConsultCallContext`), derived from the catalogue.
/// [`Correlator::track`] never records more, so its requests keep their contexts inline.
pub const MAX_CONTEXTS: usize = {
    let mut max = 1; // lpContext, echoed by every LINE_REPLY and PHONE_REPLY
    let mut i = 0;
    while i < SpecialCompletion::ALL.len() {
        let fields = SpecialCompletion::ALL[i].fields;
        let (mut n, mut j) = (0, 0);
        while j < fields.len() {
            if matches!(fields[j].role, EventRole::Echo { .. }) {
                n += 1;
            }
            j += 1;
        }
        if n > max {
            max = n;
        }
        i += 1;
    }
    max
};

/// The context values of an [`Outstanding`] request, in the order given: `(request field,
/// value)` pairs, read with [`Contexts::iter`] and [`Contexts::get`].
///
/// Up to [`MAX_CONTEXTS`] values naming fields of the request are kept inline, as the field's
/// index in the request's description and the value (no allocation): all that
/// [`Correlator::track`] records. Others (only through [`Correlator::expect`]) are kept on the
/// heap. Two `Contexts` are equal if they hold the same pairs in the same order.
#[derive(Clone)]
pub struct Contexts(ContextsRepr);

#[derive(Clone)]
enum ContextsRepr {
    Inline {
        /// The request's description: the names are its fields'.
        request: &'static PacketDesc,
        len: u8,
        fields: [u8; MAX_CONTEXTS],
        values: [u32; MAX_CONTEXTS],
    },
    Heap(Box<[(&'static str, u32)]>),
}

impl Contexts {
    /// No values, for a request described by `request`.
    #[inline]
    fn empty(request: &'static PacketDesc) -> Self {
        Contexts(ContextsRepr::Inline {
            request,
            len: 0,
            fields: [0; MAX_CONTEXTS],
            values: [0; MAX_CONTEXTS],
        })
    }

    /// The values `pairs` of a request of `func`.
    #[inline]
    fn new(func: FuncId, pairs: &[(&'static str, u32)]) -> Self {
        let request = func.desc();
        let mut c = Contexts::empty(request);
        for &(name, value) in pairs {
            match request.field(name) {
                Some((index, _)) => c.push(index, name, value),
                None => return Contexts(ContextsRepr::Heap(pairs.into())),
            }
        }
        c
    }

    /// Appends the value of the request's field `index`, called `name`: inline while there is
    /// room, else every value moves to the heap.
    #[inline]
    fn push(&mut self, index: usize, name: &'static str, value: u32) {
        if let ContextsRepr::Inline {
            len,
            fields,
            values,
            ..
        } = &mut self.0
        {
            if let (Ok(index), Some(f), Some(v)) = (
                u8::try_from(index),
                fields.get_mut(usize::from(*len)),
                values.get_mut(usize::from(*len)),
            ) {
                (*f, *v) = (index, value);
                *len += 1;
                return;
            }
        }
        let mut pairs = Vec::with_capacity(self.len() + 1);
        pairs.extend(self.iter());
        pairs.push((name, value));
        self.0 = ContextsRepr::Heap(pairs.into_boxed_slice());
    }

    /// The `(request field, value)` pairs, in the order given.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&'static str, u32)> + '_ {
        let (inline, heap) = match &self.0 {
            ContextsRepr::Inline {
                request,
                len,
                fields,
                values,
            } => {
                let n = usize::from(*len);
                let names = fields
                    .iter()
                    .take(n)
                    .map(|&i| request.fields.get(usize::from(i)).map_or("", |f| f.name));
                (Some(names.zip(values.iter().copied())), None)
            }
            ContextsRepr::Heap(pairs) => (None, Some(pairs.iter().copied())),
        };
        ContextsIter { inline, heap }
    }

    /// The value given for the request field `name`.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        match &self.0 {
            ContextsRepr::Inline { len, .. } => usize::from(*len),
            ContextsRepr::Heap(pairs) => pairs.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the values are kept inline (at most [`MAX_CONTEXTS`] of them, each naming a
    /// field of the request).
    pub fn is_inline(&self) -> bool {
        matches!(self.0, ContextsRepr::Inline { .. })
    }
}

/// [`Contexts::iter`]: one of the two halves is `Some`.
struct ContextsIter<I, H> {
    inline: Option<I>,
    heap: Option<H>,
}

impl<I, H> Iterator for ContextsIter<I, H>
where
    I: Iterator<Item = (&'static str, u32)>,
    H: Iterator<Item = (&'static str, u32)>,
{
    type Item = (&'static str, u32);
    fn next(&mut self) -> Option<Self::Item> {
        match (&mut self.inline, &mut self.heap) {
            (Some(i), _) => i.next(),
            (None, Some(h)) => h.next(),
            (None, None) => None,
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match (&self.inline, &self.heap) {
            (Some(i), _) => i.size_hint(),
            (None, Some(h)) => h.size_hint(),
            (None, None) => (0, Some(0)),
        }
    }
}

impl<I, H> ExactSizeIterator for ContextsIter<I, H>
where
    I: ExactSizeIterator<Item = (&'static str, u32)>,
    H: ExactSizeIterator<Item = (&'static str, u32)>,
{
}

impl core::fmt::Debug for Contexts {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Contexts {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Contexts {}

impl PartialEq<[(&'static str, u32)]> for Contexts {
    fn eq(&self, other: &[(&'static str, u32)]) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter().copied())
    }
}

impl<const N: usize> PartialEq<[(&'static str, u32); N]> for Contexts {
    fn eq(&self, other: &[(&'static str, u32); N]) -> bool {
        *self == other[..]
    }
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
            let expected = request.contexts.get(request_field)?;
            (expected != f.value).then_some(ContextMismatch {
                field: f.field.name,
                request_field,
                expected,
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

    /// No outstanding requests, with room for `capacity` of them before the table grows.
    pub fn with_capacity(capacity: usize) -> Self {
        Correlator {
            pending: HashMap::with_capacity(capacity),
        }
    }

    /// How many requests can be outstanding before the table grows.
    pub fn capacity(&self) -> usize {
        self.pending.capacity()
    }

    /// Forgets every outstanding request, keeping the table's memory: a stream that starts
    /// over (a new session on the same connection, the next capture) reuses it.
    pub fn clear(&mut self) {
        self.pending.clear();
    }

    /// Records that request `id` of `func` is outstanding, with the context values its
    /// completion echoes. Returns the entry it replaces, if any.
    #[inline]
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
                contexts: Contexts::new(func, contexts),
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
        let mut contexts = Contexts::empty(desc);
        for (index, (f, v)) in desc.fields.iter().zip(dwords).enumerate() {
            if f.name == "lpContext"
                || echoed.iter().any(|e| {
                    matches!(e.role, EventRole::Echo { request_field } if request_field == f.name)
                })
            {
                // Inline: no request has more such fields than MAX_CONTEXTS
                // (tests/events_remote.rs checks every function).
                contexts.push(index, f.name, v);
            }
        }
        let id = RequestId(dwords[id_index]);
        self.pending.insert(
            id.0,
            Outstanding {
                request_id: id,
                func: desc.func,
                contexts,
            },
        );
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
    #[inline]
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
