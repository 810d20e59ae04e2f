//! The remotesp checks of 3.3.4.2: what a client does with each event it is pushed, given what
//! it knows about its sessions, lines, phones and outstanding requests.
//!
//! The rules:
//! * the buffer's framing ([`EventBuffer`]), and "Fail if
//!   ASYNCEVENTMSG.InitContext is an invalid value": these make the whole notification fail;
//! * per `Msg` (the check column of the catalogue, [`RemoteCheck`]): an invalid handle,
//!   request id or device identifier makes remotesp ignore that one event.
//!
//! The client's knowledge is behind the small [`RemoteState`] trait: one question, "is this
//! value a valid identifier of this kind?". [`KnownIds`] is a ready-made set-based state.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;
use core::fmt;

use super::Msg;
use super::frame::{EventBuffer, EventError, RawEvent};
use super::meta::RemoteCheck;

/// The kinds of values remotesp validates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Identifier {
    /// An `InitContext` the client gave in a line or phone Initialize.
    InitContext,
    /// An `hRemoteLine`: the client's handle for a line it opened.
    RemoteLine,
    /// An `hRemotePhone`: the client's handle for a phone it opened.
    RemotePhone,
    /// A `dwRemoteRequestID` of an outstanding asynchronous request.
    RequestId,
    /// A line device identifier.
    LineDevice,
    /// A phone device identifier.
    PhoneDevice,
}

/// What the client knows, as far as the checks of 3.3.4.2 need it.
pub trait RemoteState {
    /// Whether `value` is a valid identifier of kind `what`.
    fn is_valid(&self, what: Identifier, value: u32) -> bool;
}

impl<T: RemoteState + ?Sized> RemoteState for &T {
    fn is_valid(&self, what: Identifier, value: u32) -> bool {
        (**self).is_valid(what, value)
    }
}

/// A [`RemoteState`] made of one set of valid values per [`Identifier`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownIds {
    sets: [BTreeSet<u32>; 6],
}

impl KnownIds {
    /// Nothing is valid.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes `value` valid as `what`.
    pub fn insert(&mut self, what: Identifier, value: u32) -> &mut Self {
        self.sets[what as usize].insert(value);
        self
    }

    /// Makes `value` invalid as `what`.
    pub fn remove(&mut self, what: Identifier, value: u32) -> &mut Self {
        self.sets[what as usize].remove(&value);
        self
    }

    /// `self` with `value` valid as `what`.
    pub fn with(mut self, what: Identifier, value: u32) -> Self {
        self.insert(what, value);
        self
    }
}

impl RemoteState for KnownIds {
    fn is_valid(&self, what: Identifier, value: u32) -> bool {
        self.sets[what as usize].contains(&value)
    }
}

/// What remotesp does with a rejected event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Action {
    /// The whole notification fails.
    Fail,
    /// This event is ignored; the others are processed.
    Ignore,
}

/// Why an event was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[error(
    "{action:?}: {field} (byte {offset}) = {value:#x} is not a valid {what:?} (Msg {msg:#x}, 3.3.4.2)"
)]
pub struct Rejection {
    /// Fail or ignore.
    pub action: Action,
    /// The kind of value that was invalid.
    pub what: Identifier,
    /// The field, spec spelling.
    pub field: &'static str,
    /// The field's byte offset in the event.
    pub offset: usize,
    /// The value found.
    pub value: u32,
    /// The event's `Msg`.
    pub msg: u32,
}

/// Checks one framed event against `state` (3.3.4.2).
pub fn check_event(raw: RawEvent<'_>, state: &impl RemoteState) -> Result<(), Rejection> {
    let msg = raw.msg();
    let desc = Msg::from_u32(msg).map(Msg::desc);
    let reject = |action, what, index: usize, value| {
        let field = desc
            .and_then(|d| d.fields.get(index))
            .map_or(super::ASYNC_EVENT_MSG.fields[index].name, |f| f.name);
        Err(Rejection {
            action,
            what,
            field,
            offset: index * 4,
            value,
            msg,
        })
    };
    let dword = |i: usize| raw.dword(i).unwrap_or(0);
    if !state.is_valid(Identifier::InitContext, raw.init_context()) {
        return reject(Action::Fail, Identifier::InitContext, 1, raw.init_context());
    }
    let Some(desc) = desc else { return Ok(()) };
    let named = |name: &str| desc.field(name).map(|(i, _)| i);
    // "Ignore the response if <field> is set and is an invalid <what>."
    let set_and_invalid = |index: Option<usize>, what| match index {
        Some(i) if dword(i) != 0 && !state.is_valid(what, dword(i)) => {
            reject(Action::Ignore, what, i, dword(i))
        }
        _ => Ok(()),
    };
    // "Ignore the response if <field> is invalid."
    let invalid = |i: usize, what| {
        if state.is_valid(what, dword(i)) {
            Ok(())
        } else {
            reject(Action::Ignore, what, i, dword(i))
        }
    };
    // "Ignore the response if param4 is set and is invalid" / "if param4 is not set and
    // hDevice is invalid".
    let param4_or_device = |what| {
        if dword(9) != 0 {
            invalid(9, what)
        } else {
            invalid(3, what)
        }
    };
    match desc.check {
        RemoteCheck::None => Ok(()),
        RemoteCheck::RemoteLine => set_and_invalid(named("hRemoteLine"), Identifier::RemoteLine),
        RemoteCheck::RemotePhone => set_and_invalid(named("hRemotePhone"), Identifier::RemotePhone),
        RemoteCheck::RequestId => invalid(6, Identifier::RequestId),
        RemoteCheck::LineDevice => invalid(6, Identifier::LineDevice),
        RemoteCheck::PhoneDevice => invalid(6, Identifier::PhoneDevice),
        RemoteCheck::PhoneHandle => invalid(3, Identifier::RemotePhone),
        RemoteCheck::LineParam4OrDevice => param4_or_device(Identifier::RemoteLine),
        RemoteCheck::PhoneParam4OrDevice => param4_or_device(Identifier::RemotePhone),
    }
}

/// Why a notification failed as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The buffer breaks a framing rule.
    #[error(transparent)]
    Framing(EventError),
    /// An event's `InitContext` is invalid.
    #[error("event {index} at byte {offset}: {rejection}")]
    InitContext {
        /// Index of the event.
        index: usize,
        /// Its byte offset in the buffer.
        offset: usize,
        /// The rejection.
        rejection: Rejection,
    },
}

/// The outcome of checking a whole notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict<'a> {
    /// Events that pass every check, in order (up to a failure).
    pub accepted: Vec<RawEvent<'a>>,
    /// Events remotesp ignores, with the reason.
    pub ignored: Vec<(RawEvent<'a>, Rejection)>,
    /// Set if the notification fails as a whole (remotesp then processes nothing; the events
    /// before the failure are still listed above).
    pub failure: Option<Failure>,
}

/// Checks every event of `buffer` (3.3.4.2), stopping at the first failure.
pub fn check_buffer<'a>(buffer: EventBuffer<'a>, state: &impl RemoteState) -> Verdict<'a> {
    let mut v = Verdict {
        accepted: Vec::new(),
        ignored: Vec::new(),
        failure: None,
    };
    for raw in buffer {
        let raw = match raw {
            Ok(raw) => raw,
            Err(e) => {
                v.failure = Some(Failure::Framing(e));
                break;
            }
        };
        match check_event(raw, state) {
            Ok(()) => v.accepted.push(raw),
            Err(r) if r.action == Action::Ignore => v.ignored.push((raw, r)),
            Err(rejection) => {
                v.failure = Some(Failure::InitContext {
                    index: raw.index,
                    offset: raw.offset,
                    rejection,
                });
                break;
            }
        }
    }
    v
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}
