//! The generic side of every event view: a raw event together with its catalogue description,
//! its fields with their meaning, and its VarData.

use core::fmt;

use crate::errors::{DecodeError, DecodeErrorKind, ErrorCode};
use crate::handles::{HCall, HandleKind, Version};
use crate::structures::{AnyStructure, decode_checked};
use crate::vardata::{Align, Origin, Utf16Str, VarData};

use super::constants::{
    ConstKind, LineBusyMode, LineCallState, LineConnectedMode, LineDialToneMode,
    LineDisconnectMode, LineOfferingMode, LineSpecialInfo,
};
use super::frame::RawEvent;
use super::meta::{EventDesc, EventField, EventKey, EventRole, VarDataDesc};

/// An event whose layout is known: the raw event and the catalogue entry that describes it.
///
/// Construction checks that the event is long enough for the described fixed part and that its
/// `Msg` is the described one; every accessor is then infallible.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TypedEvent<'a> {
    desc: &'static EventDesc,
    raw: RawEvent<'a>,
}

impl<'a> TypedEvent<'a> {
    /// Describes `raw` with `desc`. Fails if `Msg` is not `desc`'s (unless `desc` is the
    /// ASYNCEVENTMSG template) or if `TotalSize` is shorter than `desc`'s fixed part.
    #[inline]
    pub fn new(desc: &'static EventDesc, raw: RawEvent<'a>) -> Result<Self, DecodeError> {
        let wrong_msg = desc.key != EventKey::Template && raw.msg() != desc.msg;
        if wrong_msg || raw.bytes().len() < desc.fixed_len() {
            return Err(Self::rejection(desc, raw));
        }
        Ok(TypedEvent { desc, raw })
    }

    /// A typed view's constructor: `desc` is the view's own description (never the
    /// template), `raw` carries its `Msg` and holds its fixed part, which the caller has just
    /// checked by viewing that fixed part; anything else is refused with
    /// [`TypedEvent::rejection`]. Built in place, without the `Result` of [`TypedEvent::new`].
    #[inline(always)]
    pub(crate) const fn checked_by_view(desc: &'static EventDesc, raw: RawEvent<'a>) -> Self {
        TypedEvent { desc, raw }
    }

    /// Why [`TypedEvent::new`] refuses `raw` (kept out of line: decoding a well-formed buffer
    /// never comes here).
    #[cold]
    #[inline(never)]
    pub(crate) fn rejection(desc: &'static EventDesc, raw: RawEvent<'_>) -> DecodeError {
        if desc.key != EventKey::Template && raw.msg() != desc.msg {
            return DecodeError::new(
                desc.name,
                "Msg",
                16,
                DecodeErrorKind::UnexpectedMsg {
                    expected: desc.msg,
                    found: raw.msg(),
                },
            );
        }
        DecodeError::new(
            desc.name,
            desc.fields[0].name,
            0,
            DecodeErrorKind::TotalSizeTooSmall {
                total: raw.total_size(),
                min: desc.fixed_len(),
            },
        )
    }

    /// The catalogue entry.
    pub const fn desc(&self) -> &'static EventDesc {
        self.desc
    }

    /// The raw event (with its index and offset in the buffer).
    pub const fn raw(&self) -> RawEvent<'a> {
        self.raw
    }

    /// DWORD `index` of the fixed part (0 for an index past it).
    #[inline]
    pub fn dword(&self, index: usize) -> u32 {
        self.raw.dword(index).unwrap_or(0)
    }

    /// Every fixed DWORD with its description and meaning, in wire order.
    ///
    /// This is the way to read a whole event: the iterator walks the catalogue entry and the
    /// fixed part side by side (their lengths were checked once, by [`TypedEvent::new`]), so a
    /// field costs a load, a byte swap on big-endian hosts and the [`Meaning`] of its role, with
    /// no look-up by name and no allocation.
    #[inline]
    pub fn fields(&self) -> impl ExactSizeIterator<Item = EventFieldValue> + Clone + 'a {
        let this = *self;
        self.desc
            .fields
            .iter()
            .zip(self.fixed_part().chunks_exact(4))
            .enumerate()
            .map(move |(index, (field, b))| {
                let value = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                EventFieldValue {
                    field,
                    index,
                    value,
                    meaning: this.meaning(field.role, value),
                }
            })
    }

    /// The field called `name` (spec spelling).
    pub fn field(&self, name: &str) -> Option<EventFieldValue> {
        self.desc.field(name).map(|(i, _)| self.field_at(i))
    }

    fn field_at(&self, i: usize) -> EventFieldValue {
        let field = &self.desc.fields[i];
        let value = self.dword(i);
        EventFieldValue {
            field,
            index: i,
            value,
            meaning: self.meaning(field.role, value),
        }
    }

    /// One field's value: `field` is `self.desc().fields[index]` and `role` its role (given
    /// separately so that a caller that knows it at compile time gets the match folded away).
    #[inline(always)]
    pub(crate) fn field_value(
        &self,
        index: usize,
        field: &'static EventField,
        role: EventRole,
        value: u32,
    ) -> EventFieldValue {
        EventFieldValue {
            field,
            index,
            value,
            meaning: self.meaning(role, value),
        }
    }

    /// The fixed part: exactly `desc.fixed_len()` bytes ([`TypedEvent::new`] checked that the
    /// event holds them).
    #[inline]
    fn fixed_part(&self) -> &'a [u8] {
        self.raw
            .bytes()
            .get(..self.desc.fixed_len())
            .unwrap_or_default()
    }

    /// What `value` means for a field of role `role`.
    #[inline(always)]
    fn meaning(&self, role: EventRole, value: u32) -> Meaning {
        match role {
            EventRole::Constant(kind) => Meaning::Constant(kind, value),
            EventRole::Result => Meaning::Result(ReplyResult(value)),
            EventRole::Handle(kind) => Meaning::Handle(kind),
            EventRole::CallStateDetail => {
                Meaning::CallStateDetail(CallStateDetail::new(self.call_state(), value))
            }
            _ => Meaning::None,
        }
    }

    /// The call state a `CallStateDetail` field is read by: the packet's `Param1`
    /// (2.2.4.2.1.8). Every packet of the catalogue that has one keeps it at DWORD 6, where the
    /// ASYNCEVENTMSG template (2.2.5.1) has it, and for a view that is known at compile time
    /// this folds to that one load; any other layout is searched by name.
    #[inline(always)]
    fn call_state(&self) -> LineCallState {
        const PARAM1: usize = 6;
        match self.desc.fields.get(PARAM1) {
            Some(f) if f.name == "Param1" => LineCallState(self.dword(PARAM1)),
            _ => self.call_state_by_name(),
        }
    }

    #[cold]
    #[inline(never)]
    fn call_state_by_name(&self) -> LineCallState {
        LineCallState(self.desc.field("Param1").map_or(0, |(p, _)| self.dword(p)))
    }

    /// Byte offset of VarData in the packet (the size of the fixed part).
    pub const fn var_offset(&self) -> usize {
        self.desc.fixed_len()
    }

    /// Every byte after the fixed part, up to `TotalSize` (data and padding).
    pub fn var_area(&self) -> &'a [u8] {
        self.raw
            .bytes()
            .get(self.desc.fixed_len()..)
            .unwrap_or_default()
    }

    /// VarData as the resolver sees it.
    pub fn var_data(&self) -> VarData<'a> {
        VarData::new(self.var_area())
    }

    fn origin(&self, index: usize) -> Origin {
        let f = &self.desc.fields[index];
        Origin {
            packet: self.desc.name,
            field: f.name,
            offset: f.offset,
        }
    }

    /// The 2.2.6 structure this event's VarData holds (LINE_PROXYREQUEST's LINEPROXYREQUEST,
    /// a GetAgentCaps completion's LINEAGENTCAPS, ...), its version guessed from its sizes;
    /// `Ok(None)` when the packet's VarData is not a named structure. Every item of the
    /// structure is resolved once, and a failure inside it names this event's VarData as
    /// [`DecodeError::within`].
    pub fn structure(&self) -> Result<Option<AnyStructure<'a>>, DecodeError> {
        self.structure_in(None)
    }

    /// Like [`TypedEvent::structure`], reading exactly the fixed part and entry sizes that
    /// the negotiated TAPI `version` defines.
    pub fn structure_with(
        &self,
        version: Version,
    ) -> Result<Option<AnyStructure<'a>>, DecodeError> {
        self.structure_in(Some(version))
    }

    fn structure_in(
        &self,
        version: Option<Version>,
    ) -> Result<Option<AnyStructure<'a>>, DecodeError> {
        let (name, bytes) = match self.var_value()? {
            VarValue::Structure { name, bytes } => (name, bytes),
            VarValue::Sized {
                structure: Some(name),
                bytes,
            } => (name, bytes),
            _ => return Ok(None),
        };
        let at = Origin {
            packet: self.desc.name,
            field: "VarData",
            offset: self.desc.fixed_len(),
        };
        decode_checked(name, bytes, version)
            .transpose()
            .map_err(|e| e.within(at))
    }

    /// VarData decoded as the packet's section describes it. Every size and offset goes
    /// through [`crate::vardata`].
    pub fn var_value(&self) -> Result<VarValue<'a>, DecodeError> {
        let var = self.var_data();
        Ok(match self.desc.var {
            VarDataDesc::None => VarValue::Raw(self.var_area()),
            VarDataDesc::Wchars { count } => {
                let n = self.dword(count);
                let at = self.origin(count);
                let size = n
                    .checked_mul(2)
                    .ok_or(at.error(DecodeErrorKind::Overflow { value: n, size: n }))?;
                let bytes = var.bytes(at, 0, size, Align::Dword)?.unwrap_or_default();
                VarValue::Digits(Utf16Str::from_le_bytes(bytes).unwrap_or_default())
            }
            VarDataDesc::StringAt { offset, size } => {
                // The offset counts from the start of the packet (spec-notes/events.md), so
                // resolve against the whole event and require it to lie past the fixed part.
                let (off, len) = (self.dword(offset), self.dword(size));
                let at = self.origin(offset);
                if (off as usize) < self.desc.fixed_len() {
                    return Err(at.error(DecodeErrorKind::OffsetOutOfBounds {
                        value: off,
                        len: self.raw.bytes().len(),
                    }));
                }
                let whole = VarData::new(self.raw.bytes());
                let bytes = whole.bytes(at, off, len, Align::Wchar)?.unwrap_or_default();
                let s = Utf16Str::from_le_bytes(bytes).ok_or(self.origin(size).error(
                    DecodeErrorKind::Misaligned {
                        value: len,
                        align: 2,
                    },
                ))?;
                // "A string of UNICODE characters, which can be null terminated."
                let units = s.units().position(|u| u == 0).unwrap_or(s.len());
                VarValue::Text(Utf16Str::from_le_bytes(&bytes[..units * 2]).unwrap_or_default())
            }
            VarDataDesc::Structure(name) => {
                let at = Origin {
                    packet: self.desc.name,
                    field: "VarData",
                    offset: self.desc.fixed_len(),
                };
                let bytes = var.structure(at, 0, Align::Dword)?.unwrap_or_default();
                VarValue::Structure { name, bytes }
            }
            VarDataDesc::Sized { size, structure } => {
                let n = self.dword(size);
                let bytes = var
                    .bytes(self.origin(size), 0, n, Align::Dword)?
                    .unwrap_or_default();
                VarValue::Sized { structure, bytes }
            }
        })
    }
}

impl fmt::Debug for TypedEvent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct(self.desc.name);
        for v in self.fields() {
            match v.meaning {
                Meaning::None => s.field(v.field.name, &format_args!("{:#x}", v.value)),
                ref m => s.field(v.field.name, &format_args!("{:#x} ({m})", v.value)),
            };
        }
        s.field("VarData", &format_args!("{} bytes", self.var_area().len()));
        s.finish()
    }
}

/// One fixed DWORD of a decoded event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventFieldValue {
    /// Its description (spec name, accessor name, byte offset, role).
    pub field: &'static EventField,
    /// Its index in the fixed part.
    pub index: usize,
    /// The DWORD.
    pub value: u32,
    /// What the value means, where the role gives one.
    pub meaning: Meaning,
}

/// What a field's value means, for printing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// Nothing beyond the number.
    None,
    /// A value of a 2.2.3 constant set.
    Constant(ConstKind, u32),
    /// The result of an asynchronous request.
    Result(ReplyResult),
    /// A handle of this type.
    Handle(HandleKind),
    /// LINE_CALLSTATE's state-dependent mode.
    CallStateDetail(CallStateDetail),
}

impl fmt::Display for Meaning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Meaning::None => Ok(()),
            Meaning::Constant(kind, v) => kind.fmt_value(*v, f),
            Meaning::Result(r) => fmt::Display::fmt(r, f),
            Meaning::Handle(kind) => f.write_str(kind.spec_name()),
            Meaning::CallStateDetail(d) => fmt::Display::fmt(d, f),
        }
    }
}

/// VarData decoded by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarValue<'a> {
    /// The packet documents no VarData: the bytes after the fixed part, as they are.
    Raw(&'a [u8]),
    /// The gathered WCHAR digits of LINE_GATHERDIGITS.
    Digits(Utf16Str<'a>),
    /// The string of LINE_CREATEDIALOGINSTANCE, without a terminating NUL.
    Text(Utf16Str<'a>),
    /// A self-sized structure (`dwTotalSize` bytes).
    Structure {
        /// The structure's name, e.g. `LINEPROXYREQUEST`.
        name: &'static str,
        /// Its bytes.
        bytes: &'a [u8],
    },
    /// `dwSize` bytes.
    Sized {
        /// The structure they hold, if the section names one.
        structure: Option<&'static str>,
        /// The bytes (without padding).
        bytes: &'a [u8],
    },
}

/// The result DWORD of a completion (`dwParam2` of LINE_REPLY, `Param2` of PHONE_REPLY,
/// `Result` of a special-case completion): zero for success, else an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct ReplyResult(pub u32);

impl ReplyResult {
    /// Whether the request succeeded.
    pub const fn is_success(self) -> bool {
        self.0 == 0
    }

    /// The documented error code, if the value is one.
    pub const fn code(self) -> Option<ErrorCode> {
        ErrorCode::from_u32(self.0)
    }
}

impl From<u32> for ReplyResult {
    fn from(v: u32) -> Self {
        ReplyResult(v)
    }
}

impl fmt::Display for ReplyResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code() {
            _ if self.is_success() => f.write_str("success"),
            Some(c) => f.write_str(c.name()),
            None => write!(f, "{:#010x}", self.0),
        }
    }
}

/// LINE_CALLSTATE's `fnPostProcessProcHandle`, interpreted by the call state in `Param1`
/// (2.2.4.2.1.8). The high 8 bits of the state (a device-specific substate) are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStateDetail {
    /// LINECALLSTATE_BUSY: a LINEBUSYMODE.
    Busy(LineBusyMode),
    /// LINECALLSTATE_CONNECTED: a LINECONNECTEDMODE.
    Connected(LineConnectedMode),
    /// LINECALLSTATE_DIALTONE: a LINEDIALTONEMODE.
    DialTone(LineDialToneMode),
    /// LINECALLSTATE_OFFERING: a LINEOFFERINGMODE.
    Offering(LineOfferingMode),
    /// LINECALLSTATE_SPECIALINFO: a LINESPECIALINFO.
    SpecialInfo(LineSpecialInfo),
    /// LINECALLSTATE_DISCONNECTED: a LINEDISCONNECTMODE.
    Disconnected(LineDisconnectMode),
    /// LINECALLSTATE_CONFERENCED: the parent call of the conference.
    Conferenced(HCall),
    /// Any other state: the field is unused.
    Unused(u32),
}

impl CallStateDetail {
    /// Interprets `value` for `state`.
    pub const fn new(state: LineCallState, value: u32) -> Self {
        match state.0 & 0x00FF_FFFF {
            s if s == LineCallState::BUSY.0 => CallStateDetail::Busy(LineBusyMode(value)),
            s if s == LineCallState::CONNECTED.0 => {
                CallStateDetail::Connected(LineConnectedMode(value))
            }
            s if s == LineCallState::DIALTONE.0 => {
                CallStateDetail::DialTone(LineDialToneMode(value))
            }
            s if s == LineCallState::OFFERING.0 => {
                CallStateDetail::Offering(LineOfferingMode(value))
            }
            s if s == LineCallState::SPECIALINFO.0 => {
                CallStateDetail::SpecialInfo(LineSpecialInfo(value))
            }
            s if s == LineCallState::DISCONNECTED.0 => {
                CallStateDetail::Disconnected(LineDisconnectMode(value))
            }
            s if s == LineCallState::CONFERENCED.0 => CallStateDetail::Conferenced(HCall(value)),
            _ => CallStateDetail::Unused(value),
        }
    }
}

impl fmt::Display for CallStateDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallStateDetail::Busy(v) => fmt::Display::fmt(v, f),
            CallStateDetail::Connected(v) => fmt::Display::fmt(v, f),
            CallStateDetail::DialTone(v) => fmt::Display::fmt(v, f),
            CallStateDetail::Offering(v) => fmt::Display::fmt(v, f),
            CallStateDetail::SpecialInfo(v) => fmt::Display::fmt(v, f),
            CallStateDetail::Disconnected(v) => fmt::Display::fmt(v, f),
            CallStateDetail::Conferenced(h) => write!(f, "parent {h}"),
            CallStateDetail::Unused(_) => f.write_str("unused"),
        }
    }
}
