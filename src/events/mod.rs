//! Events (2.2.4.2): what the server sends back, as zero-copy views.
//!
//! The server delivers events either pushed through RemoteSPEventProc (3.3.4.2: `pBuffer`
//! holds a list of ASYNCEVENTMSG, each `TotalSize` bytes) or pulled with GetAsyncEvents
//! (2.2.4.1.8.1: packed in the reply's VarData, `dwUsedBufferSize` bytes). Either way an
//! [`EventBuffer`] frames them under the rules of 3.3.4.2 and yields [`RawEvent`]s; a framing
//! error is reported with the index and byte offset of the bad event, after every well-formed
//! event before it.
//!
//! ```
//! use mstrp::events::{builders, EventBuffer, EventBufferBuilder, Event};
//! use mstrp::events::constants::{LineCallState, LineMediaMode};
//!
//! // What a server sends when a call arrives (section 4.4).
//! let buffer = EventBufferBuilder::new()
//!     .with(builders::LineAppNewCall::new().h_remote_line(7u32).h_new_call(0x1234u32).build())
//!     .with(builders::LineCallState::new()
//!         .h_call(0x1234u32)
//!         .call_state(LineCallState::OFFERING)
//!         .media_mode(LineMediaMode::INTERACTIVEVOICE)
//!         .h_remote_line(7u32)
//!         .build())
//!     .to_bytes();
//!
//! let mut states = Vec::new();
//! for raw in EventBuffer::new(&buffer) {
//!     if let Event::LineCallState(e) = Event::parse(raw?)? {
//!         states.push(e.call_state());
//!     }
//! }
//! assert_eq!(states, [LineCallState::OFFERING]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Every packet is described once, in a catalogue ([`Msg`] for the 32 completion packets of
//! 2.2.4.2.1, [`completions::SpecialCompletion`] for the 26 special-case completions of 2.2.4.2.2 and
//! 2.2.4.2.3), from which the macros below derive the `zerocopy` layouts ([`fixed`]), the typed
//! views (e.g. [`LineCallState`]), the builders ([`builders`]), the metadata ([`EventDesc`])
//! used for printing and JSON, and the remotesp checks of 3.3.4.2 ([`remote`]).
//!
//! * [`Event::parse`] decodes by `Msg`; LINE_REPLY and PHONE_REPLY decode generically.
//! * [`completions::SpecialCompletion::parse`] decodes a reply as the completion of a named function.
//! * [`completions::Correlator`] remembers outstanding requests and decodes replies fully.
//! * [`TypedEvent`] is the generic face of any decoded event: fields with names, offsets,
//!   values and meanings, and VarData ([`VarValue`]).

mod build;
mod catalogue;
pub mod completions;
pub mod constants;
mod frame;
mod meta;
pub mod remote;
#[cfg(test)]
mod tests;
mod typed;

pub use build::{EventBufferBuilder, EventBuilder, MAX_EVENT_DWORDS};
pub use catalogue::*;
pub use frame::{AsyncEventMsg, EVENT_FIXED_LEN, EventBuffer, EventError, Events, RawEvent};
pub use meta::{
    ASYNC_EVENT_MSG, EventDesc, EventField, EventKey, EventRole, Padding, RemoteCheck, VarDataDesc,
};
pub use typed::{CallStateDetail, EventFieldValue, Meaning, ReplyResult, TypedEvent, VarValue};

/// Declares the 2.2.3 constant sets from the table in `constants.rs`.
macro_rules! constant_sets {
    ($(
        $(#[$doc:meta])*
        $ty:ident, $prefix:literal, $section:literal, $kind:ident {
            $( $c:ident = $v:literal, $name:literal, )*
        }
    )*) => {
        $(
            $(#[$doc])*
            ///
            /// A newtype over the wire DWORD; undocumented bits are preserved.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
            #[cfg_attr(feature = "serde", derive(serde::Serialize))]
            #[cfg_attr(feature = "serde", serde(transparent))]
            #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
            pub struct $ty(pub u32);

            impl $ty {
                $(
                    #[doc = concat!("`", $name, "`.")]
                    pub const $c: $ty = $ty($v);
                )*
                /// The set this type is.
                pub const KIND: ConstKind = ConstKind::$ty;

                /// The raw DWORD.
                pub const fn get(self) -> u32 {
                    self.0
                }

                /// The constant's name if the value is exactly one documented constant.
                pub fn name(self) -> Option<&'static str> {
                    ConstKind::$ty.name_of(self.0)
                }

                /// Whether every bit (for flags) or the value (for plain values) is documented.
                pub fn is_documented(self) -> bool {
                    ConstKind::$ty.is_documented(self.0)
                }

                /// Whether all bits of `other` are set.
                pub const fn contains(self, other: Self) -> bool {
                    self.0 & other.0 == other.0
                }
            }

            impl From<u32> for $ty {
                fn from(v: u32) -> Self {
                    $ty(v)
                }
            }

            impl From<$ty> for u32 {
                fn from(v: $ty) -> u32 {
                    v.0
                }
            }

            impl core::ops::BitOr for $ty {
                type Output = $ty;
                fn bitor(self, rhs: $ty) -> $ty {
                    $ty(self.0 | rhs.0)
                }
            }

            impl core::fmt::Display for $ty {
                fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    ConstKind::$ty.fmt_value(self.0, f)
                }
            }
        )*

        /// The constant sets of this module, for metadata and printing.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub enum ConstKind {
            $(
                #[doc = concat!("[`", stringify!($ty), "`] (`", $prefix, "_Constants`, ", $section, ").")]
                $ty,
            )*
        }

        impl ConstKind {
            /// Every set.
            pub const ALL: &'static [ConstKind] = &[$(ConstKind::$ty),*];

            /// The spec's prefix, e.g. `LINECALLSTATE`.
            pub const fn prefix(self) -> &'static str {
                match self { $( ConstKind::$ty => $prefix, )* }
            }

            /// The section, e.g. `2.2.3.1.29`.
            pub const fn section(self) -> &'static str {
                match self { $( ConstKind::$ty => $section, )* }
            }

            /// Whether the constants are distinct bits (printed as `A|B`).
            pub const fn is_flags(self) -> bool {
                match self { $( ConstKind::$ty => $crate::events::constant_sets!(@flags $kind), )* }
            }

            /// The documented constants: name and value, in spec order.
            pub const fn values(self) -> &'static [(&'static str, u32)] {
                match self { $( ConstKind::$ty => &[$( ($name, $v) ),*], )* }
            }

            /// The name of the constant whose value is exactly `v`.
            pub fn name_of(self, v: u32) -> Option<&'static str> {
                self.values().iter().find(|(_, c)| *c == v).map(|(n, _)| *n)
            }

            /// Whether `v` is documented: every bit for flags, the value itself otherwise.
            pub fn is_documented(self, v: u32) -> bool {
                if self.is_flags() {
                    let all = self.values().iter().fold(0, |a, (_, c)| a | c);
                    v & !all == 0
                } else {
                    self.name_of(v).is_some()
                }
            }

            /// Writes `v` as the constant's name, or as the set flags joined by `|` with any
            /// undocumented remainder in hex, or in hex.
            pub fn fmt_value(self, v: u32, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                if let Some(n) = self.name_of(v) {
                    return f.write_str(n);
                }
                if !self.is_flags() || v == 0 {
                    return write!(f, "{v:#x}");
                }
                let mut rest = v;
                let mut sep = "";
                for (n, c) in self.values() {
                    if v & c == *c {
                        write!(f, "{sep}{n}")?;
                        sep = "|";
                        rest &= !c;
                    }
                }
                if rest != 0 {
                    write!(f, "{sep}{rest:#x}")?;
                }
                Ok(())
            }
        }
    };
    (@flags flags) => { true };
    (@flags values) => { false };
}
pub(crate) use constant_sets;

/// Role descriptions for the catalogue's role words.
macro_rules! __event_role {
    (total_size) => {
        $crate::events::EventRole::TotalSize
    };
    (init_context) => {
        $crate::events::EventRole::InitContext
    };
    (msg) => {
        $crate::events::EventRole::Msg
    };
    (context) => {
        $crate::events::EventRole::OpenContext
    };
    (echo($n:literal)) => {
        $crate::events::EventRole::Echo { request_field: $n }
    };
    (handle($h:ident)) => {
        $crate::events::EventRole::Handle($crate::handles::HandleKind::$h)
    };
    (device) => {
        $crate::events::EventRole::Device
    };
    (request_id) => {
        $crate::events::EventRole::RequestId
    };
    (result) => {
        $crate::events::EventRole::Result
    };
    (constant($c:ident)) => {
        $crate::events::EventRole::Constant($crate::events::constants::ConstKind::$c)
    };
    (call_state_detail) => {
        $crate::events::EventRole::CallStateDetail
    };
    (value) => {
        $crate::events::EventRole::Value
    };
    (ignored) => {
        $crate::events::EventRole::Ignored
    };
    (var_size) => {
        $crate::events::EventRole::VarSize
    };
    (var_offset) => {
        $crate::events::EventRole::VarOffset
    };
    (fixed_size) => {
        $crate::events::EventRole::FixedSize
    };
}
pub(crate) use __event_role;

/// VarData descriptions for the catalogue's VarData words.
macro_rules! __event_var {
    ($pk:ident; none) => {
        $crate::events::VarDataDesc::None
    };
    ($pk:ident; wchars($c:ident)) => {
        $crate::events::VarDataDesc::Wchars {
            count: core::mem::offset_of!(fixed::$pk, $c) / 4,
        }
    };
    ($pk:ident; string_at($o:ident, $s:ident)) => {
        $crate::events::VarDataDesc::StringAt {
            offset: core::mem::offset_of!(fixed::$pk, $o) / 4,
            size: core::mem::offset_of!(fixed::$pk, $s) / 4,
        }
    };
    ($pk:ident; structure($n:literal)) => {
        $crate::events::VarDataDesc::Structure($n)
    };
    ($pk:ident; sized($s:ident)) => {
        $crate::events::VarDataDesc::Sized {
            size: core::mem::offset_of!(fixed::$pk, $s) / 4,
            structure: None,
        }
    };
    ($pk:ident; sized($s:ident, $n:literal)) => {
        $crate::events::VarDataDesc::Sized {
            size: core::mem::offset_of!(fixed::$pk, $s) / 4,
            structure: Some($n),
        }
    };
}
pub(crate) use __event_var;

/// Padding words.
macro_rules! __event_pad {
    (dword) => {
        $crate::events::Padding::Dword
    };
    (qword) => {
        $crate::events::Padding::Qword
    };
}
pub(crate) use __event_pad;

/// Typed accessor for one field of a view, by role.
macro_rules! __event_accessor {
    ($f:ident, $spec:literal, handle($h:ident)) => {
        #[doc = concat!("`", $spec, "`: a [`", stringify!($h), "`](crate::handles::", stringify!($h), ").")]
        pub fn $f(&self) -> $crate::handles::$h {
            $crate::handles::$h(self.fixed.$f.get())
        }
    };
    ($f:ident, $spec:literal, request_id) => {
        #[doc = concat!("`", $spec, "`: the request's identifier.")]
        pub fn $f(&self) -> $crate::handles::RequestId {
            $crate::handles::RequestId(self.fixed.$f.get())
        }
    };
    ($f:ident, $spec:literal, constant($c:ident)) => {
        #[doc = concat!("`", $spec, "`: a [`", stringify!($c), "`](crate::events::constants::", stringify!($c), ") value.")]
        pub fn $f(&self) -> $crate::events::constants::$c {
            $crate::events::constants::$c(self.fixed.$f.get())
        }
    };
    ($f:ident, $spec:literal, result) => {
        #[doc = concat!("`", $spec, "`: zero for success, else a LINEERR/PHONEERR code.")]
        pub fn $f(&self) -> $crate::events::ReplyResult {
            $crate::events::ReplyResult(self.fixed.$f.get())
        }
    };
    ($f:ident, $spec:literal, $role:ident $(($($arg:tt)*))?) => {
        #[doc = concat!("`", $spec, "` (", stringify!($role), ").")]
        pub fn $f(&self) -> u32 {
            self.fixed.$f.get()
        }
    };
}
pub(crate) use __event_accessor;

/// Typed builder setter for one field, by role.
macro_rules! __event_setter {
    ($pk:ident, $f:ident, $spec:literal, handle($h:ident)) => {
        $crate::events::__event_setter!(@typed $pk, $f, $spec, $crate::handles::$h);
    };
    ($pk:ident, $f:ident, $spec:literal, request_id) => {
        $crate::events::__event_setter!(@typed $pk, $f, $spec, $crate::handles::RequestId);
    };
    ($pk:ident, $f:ident, $spec:literal, constant($c:ident)) => {
        $crate::events::__event_setter!(@typed $pk, $f, $spec, $crate::events::constants::$c);
    };
    ($pk:ident, $f:ident, $spec:literal, result) => {
        $crate::events::__event_setter!(@typed $pk, $f, $spec, $crate::events::ReplyResult);
    };
    ($pk:ident, $f:ident, $spec:literal, $role:ident $(($($arg:tt)*))?) => {
        #[doc = concat!("Sets `", $spec, "`.")]
        pub fn $f(mut self, v: u32) -> Self {
            self.0.set(core::mem::offset_of!(super::fixed::$pk, $f) / 4, v);
            self
        }
    };
    (@typed $pk:ident, $f:ident, $spec:literal, $t:ty) => {
        #[doc = concat!("Sets `", $spec, "`.")]
        pub fn $f(mut self, v: impl Into<$t>) -> Self {
            self.0.set(core::mem::offset_of!(super::fixed::$pk, $f) / 4, v.into().0);
            self
        }
    };
}
pub(crate) use __event_setter;

/// Derives layouts, descriptions, views and builders for a list of event packets.
macro_rules! __event_packets {
    ($(
        $(#[$doc:meta])*
        $name:ident, $spec_name:literal, $section:literal, [$($key:tt)*], ($($msg:tt)*), $check:ident,
        $var:ident $(($($va:tt)*))?, $pad:ident {
            $( $f:ident $spec:literal : $role:ident $(($($arg:tt)*))? ),* $(,)?
        }
    )*) => {
        /// The fixed parts as `zerocopy` layouts, one per packet, fields named after the spec
        /// diagram (snake case, or a descriptive name for `ParamN`) and little-endian.
        pub mod fixed {
            use zerocopy::byteorder::little_endian::U32;
            use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};
            $(
                $(#[$doc])*
                #[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Debug, Clone, Copy, PartialEq, Eq)]
                #[repr(C)]
                pub struct $name {
                    $( #[doc = concat!("`", $spec, "`.")] pub $f: U32, )*
                }
            )*
        }

        #[allow(non_upper_case_globals)]
        mod descs {
            use super::fixed;
            $(
                pub(super) static $name: $crate::events::EventDesc = $crate::events::EventDesc {
                    ident: stringify!($name),
                    name: $spec_name,
                    section: $section,
                    msg: $($msg)*,
                    key: $($key)*,
                    fields: &[$(
                        $crate::events::EventField {
                            name: $spec,
                            ident: stringify!($f),
                            offset: core::mem::offset_of!(fixed::$name, $f),
                            role: $crate::events::__event_role!($role $(($($arg)*))?),
                        }
                    ),*],
                    var: $crate::events::__event_var!($name; $var $(($($va)*))?),
                    padding: $crate::events::__event_pad!($pad),
                    check: $crate::events::RemoteCheck::$check,
                };
            )*
        }

        $(
            $(#[$doc])*
            ///
            /// A borrowed view of one event: accessors typed by role, VarData, and the generic
            /// [`TypedEvent`](crate::events::TypedEvent) face.
            #[derive(Clone, Copy, PartialEq, Eq)]
            pub struct $name<'a> {
                fixed: &'a fixed::$name,
                typed: $crate::events::TypedEvent<'a>,
            }

            impl<'a> $name<'a> {
                /// The packet's description.
                pub const DESC: &'static $crate::events::EventDesc = &descs::$name;

                /// Views a framed event as this packet. Fails if `Msg` is not this packet's or
                /// `TotalSize` is shorter than its fixed part.
                #[inline]
                pub fn from_raw(raw: $crate::events::RawEvent<'a>) -> Result<Self, $crate::errors::DecodeError> {
                    use zerocopy::FromBytes;
                    // The checks of `TypedEvent::new`: this packet's `Msg`, and its fixed part
                    // (`fixed_len()` bytes, the size of the layout) present.
                    match fixed::$name::ref_from_prefix(raw.bytes()) {
                        Ok((fixed, _)) if raw.msg() == descs::$name.msg => Ok($name {
                            fixed,
                            typed: $crate::events::TypedEvent::checked_by_view(&descs::$name, raw),
                        }),
                        _ => Err($crate::events::TypedEvent::rejection(&descs::$name, raw)),
                    }
                }

                /// Views `bytes` as exactly one event of this packet (framing rules included).
                pub fn parse(bytes: &'a [u8]) -> Result<Self, $crate::events::EventError> {
                    let raw = $crate::events::RawEvent::parse(bytes)?;
                    Self::from_raw(raw).map_err(|e| $crate::events::EventError::at(&raw, e))
                }

                /// The packet's description.
                pub fn desc() -> &'static $crate::events::EventDesc {
                    &descs::$name
                }

                /// The fixed part.
                pub fn fixed(&self) -> &'a fixed::$name {
                    self.fixed
                }

                /// The generic view (fields with meanings, VarData, builder).
                pub fn typed(&self) -> $crate::events::TypedEvent<'a> {
                    self.typed
                }

                /// The framed event (index and offset in its buffer).
                pub fn raw(&self) -> $crate::events::RawEvent<'a> {
                    self.typed.raw()
                }

                /// VarData: the bytes after the fixed part, up to `TotalSize`.
                pub fn var_data(&self) -> $crate::vardata::VarData<'a> {
                    self.typed.var_data()
                }

                /// VarData decoded as the section describes it.
                pub fn var_value(&self) -> Result<$crate::events::VarValue<'a>, $crate::errors::DecodeError> {
                    self.typed.var_value()
                }

                $( $crate::events::__event_accessor!($f, $spec, $role $(($($arg)*))?); )*

                /// Calls `f` with every fixed DWORD in wire order: the same
                /// [`EventFieldValue`](crate::events::EventFieldValue)s, in the same order, as
                /// [`TypedEvent::fields`](crate::events::TypedEvent::fields), but with each
                /// field's description and role known at compile time, so nothing is looked up
                /// or dispatched per field. The fastest way to read a whole event; see
                /// [`Event::for_each_field`](crate::events::Event::for_each_field).
                #[inline]
                pub fn for_each_field(&self, mut f: impl FnMut($crate::events::EventFieldValue)) {
                    $(
                        {
                            const INDEX: usize = core::mem::offset_of!(fixed::$name, $f) / 4;
                            f(self.typed.field_value(
                                INDEX,
                                &descs::$name.fields[INDEX],
                                $crate::events::__event_role!($role $(($($arg)*))?),
                                self.fixed.$f.get(),
                            ));
                        }
                    )*
                }

                /// A builder that re-encodes this event byte for byte.
                pub fn to_builder(&self) -> builders::$name {
                    builders::$name(self.typed.to_builder())
                }

                /// A builder for this packet.
                pub fn builder() -> builders::$name {
                    builders::$name::new()
                }
            }

            impl core::fmt::Debug for $name<'_> {
                fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    core::fmt::Debug::fmt(&self.typed, f)
                }
            }

            impl<'a> From<$name<'a>> for $crate::events::TypedEvent<'a> {
                fn from(v: $name<'a>) -> Self {
                    v.typed
                }
            }
        )*

        /// Typed builders, one per packet, with a setter per field named like the view's
        /// accessor. `TotalSize` is computed unless set.
        pub mod builders {
            use $crate::events::EventBuilder;
            $(
                $(#[$doc])*
                #[derive(Debug, Clone, PartialEq, Eq)]
                pub struct $name(pub EventBuilder);

                impl Default for $name {
                    fn default() -> Self {
                        Self::new()
                    }
                }

                impl $name {
                    /// A builder with `Msg` set and every other field zero.
                    pub fn new() -> Self {
                        $name(EventBuilder::new(&super::descs::$name))
                    }

                    /// Sets any DWORD by index (0 overrides `TotalSize`), e.g. to craft a hostile event.
                    pub fn raw(mut self, index: usize, v: u32) -> Self {
                        self.0.set(index, v);
                        self
                    }

                    /// Sets VarData, its size fields and the padding (see [`EventBuilder::set_var_data`]).
                    pub fn var_data(mut self, data: &[u8]) -> Self {
                        self.0.set_var_data(data);
                        self
                    }

                    /// Sets VarData to a UTF-16 string (see [`EventBuilder::set_var_text`]).
                    pub fn var_text(mut self, text: &str) -> Self {
                        self.0.set_var_text(text);
                        self
                    }

                    /// The generic builder.
                    pub fn build(self) -> EventBuilder {
                        self.0
                    }

                    /// Appends the encoded event to `out`.
                    pub fn encode(&self, out: &mut bytes::BytesMut) {
                        self.0.encode(out)
                    }

                    /// The encoded event.
                    pub fn to_bytes(&self) -> bytes::BytesMut {
                        self.0.to_bytes()
                    }

                    $( $crate::events::__event_setter!($name, $f, $spec, $role $(($($arg)*))?); )*
                }

                impl From<$name> for EventBuilder {
                    fn from(b: $name) -> EventBuilder {
                        b.0
                    }
                }
            )*
        }
    };
}
pub(crate) use __event_packets;

/// Derives everything about the 32 completion packets from the catalogue.
macro_rules! define_events {
    ($(
        $(#[$doc:meta])*
        $name:ident = $msg:literal, $spec_name:literal, $section:literal, $check:ident,
        $var:ident $(($($va:tt)*))?, $pad:ident {
            $( $f:ident $spec:literal : $role:ident $(($($arg:tt)*))? ),* $(,)?
        }
    )*) => {
        /// `Msg`: the 32 completion packets of 2.2.4.2.1.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        #[repr(u32)]
        pub enum Msg {
            $( $(#[$doc])* $name = $msg, )*
        }

        impl Msg {
            /// Every documented `Msg`, in spec (section) order.
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            /// The `Msg` with value `value`, if documented.
            pub const fn from_u32(value: u32) -> Option<Msg> {
                match value {
                    $( $msg => Some(Msg::$name), )*
                    _ => None,
                }
            }

            /// The packet's description.
            pub const fn desc(self) -> &'static $crate::events::EventDesc {
                match self {
                    $( Msg::$name => &descs::$name, )*
                }
            }

            /// The spec's name, e.g. `LINE_CALLSTATE`.
            pub const fn name(self) -> &'static str {
                self.desc().name
            }
        }

        $crate::events::__event_packets! {
            $(
                $(#[$doc])*
                $name, $spec_name, $section, [$crate::events::EventKey::Msg], ($msg), $check,
                $var $(($($va)*))?, $pad {
                    $( $f $spec : $role $(($($arg)*))? ),*
                }
            )*
        }

        /// A decoded event: one variant per completion packet, and [`Event::Unknown`] (viewed
        /// through the ASYNCEVENTMSG template) for an undocumented `Msg`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Event<'a> {
            $( $(#[$doc])* $name($name<'a>), )*
            /// An undocumented `Msg`.
            Unknown($crate::events::TypedEvent<'a>),
        }

        impl<'a> Event<'a> {
            /// Decodes a framed event by its `Msg`. Fails only if `TotalSize` is shorter than the
            /// packet's fixed part (LINE_GATHERDIGITS has 12 DWORDs).
            #[inline]
            pub fn parse(raw: $crate::events::RawEvent<'a>) -> Result<Self, $crate::errors::DecodeError> {
                Ok(match raw.msg() {
                    $( $msg => Event::$name($name::from_raw(raw)?), )*
                    _ => Event::Unknown($crate::events::TypedEvent::new(&$crate::events::ASYNC_EVENT_MSG, raw)?),
                })
            }

            /// Decodes like [`Event::parse`] and calls `f` with every fixed DWORD of the event,
            /// in wire order, before returning it: `Event::parse(raw)?` followed by
            /// [`Event::for_each_field`], with one dispatch on `Msg` for both. The fastest way
            /// to read every field of every event of a buffer (`benches/events.rs`). If `raw`
            /// does not decode, `f` is not called.
            #[inline]
            pub fn parse_fields(
                raw: $crate::events::RawEvent<'a>,
                f: impl FnMut($crate::events::EventFieldValue),
            ) -> Result<Self, $crate::errors::DecodeError> {
                Ok(match raw.msg() {
                    $( $msg => {
                        let v = $name::from_raw(raw)?;
                        v.for_each_field(f);
                        Event::$name(v)
                    } )*
                    _ => {
                        let t = $crate::events::TypedEvent::new(&$crate::events::ASYNC_EVENT_MSG, raw)?;
                        t.fields().for_each(f);
                        Event::Unknown(t)
                    }
                })
            }

            /// The generic view.
            pub fn typed(&self) -> $crate::events::TypedEvent<'a> {
                match self {
                    $( Event::$name(v) => v.typed(), )*
                    Event::Unknown(t) => *t,
                }
            }

            /// Calls `f` with every fixed DWORD of the event, in wire order: the same
            /// [`EventFieldValue`](crate::events::EventFieldValue)s as
            /// `self.typed().fields()`, but one dispatch on the packet per event instead of a
            /// look-up of each field's role, which makes it several times faster for reading
            /// every field of a buffer (`benches/events.rs`). An undocumented `Msg` goes
            /// through [`TypedEvent::fields`](crate::events::TypedEvent::fields).
            ///
            /// ```
            /// use mstrp::events::{builders, Event, EventBuffer, EventBufferBuilder, Meaning};
            /// use mstrp::events::constants::LineCallState;
            ///
            /// let buffer = EventBufferBuilder::new()
            ///     .with(builders::LineCallState::new().h_call(0x1234u32).call_state(LineCallState::OFFERING).build())
            ///     .to_bytes();
            /// for raw in EventBuffer::new(&buffer) {
            ///     Event::parse(raw?)?.for_each_field(|f| {
            ///         if let Meaning::Handle(kind) = f.meaning {
            ///             println!("{} = {:#x} ({})", f.field.name, f.value, kind.spec_name());
            ///         }
            ///     });
            /// }
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            #[inline]
            pub fn for_each_field(&self, f: impl FnMut($crate::events::EventFieldValue)) {
                match self {
                    $( Event::$name(v) => v.for_each_field(f), )*
                    Event::Unknown(t) => t.fields().for_each(f),
                }
            }

            /// The `Msg`, `None` for an undocumented one.
            pub fn msg(&self) -> Option<Msg> {
                match self {
                    $( Event::$name(_) => Some(Msg::$name), )*
                    Event::Unknown(_) => None,
                }
            }
        }
    };
}
pub(crate) use define_events;

/// Derives everything about the special-case completions from their catalogue.
macro_rules! define_completions {
    ($(
        $(#[$doc:meta])*
        $name:ident = $func:ident, $spec_name:literal, $section:literal, $reply:ident,
        $var:ident $(($($va:tt)*))?, $pad:ident {
            $( $f:ident $spec:literal : $role:ident $(($($arg:tt)*))? ),* $(,)?
        }
    )*) => {
        $crate::events::__event_packets! {
            $(
                $(#[$doc])*
                $name, $spec_name, $section,
                [$crate::events::EventKey::Completion($crate::requests::FuncId::$func)],
                ($crate::events::Msg::$reply as u32), RequestId,
                $var $(($($va)*))?, $pad {
                    $( $f $spec : $role $(($($arg)*))? ),*
                }
            )*
        }

        /// A special-case completion, decoded as the completion of the function that started it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum SpecialCompletion<'a> {
            $( $(#[$doc])* $name($name<'a>), )*
        }

        impl<'a> SpecialCompletion<'a> {
            /// Every special-case completion's description, in spec order.
            pub const ALL: &'static [&'static $crate::events::EventDesc] = &[$(&descs::$name),*];

            /// The description of `func`'s completion, if `func` has a special-case layout.
            pub const fn desc_for(func: $crate::requests::FuncId) -> Option<&'static $crate::events::EventDesc> {
                match func {
                    $( $crate::requests::FuncId::$func => Some(&descs::$name), )*
                    _ => None,
                }
            }

            /// Decodes a framed reply as the completion of `func`: `Ok(None)` if `func` has no
            /// special-case layout (its completion is a plain LINE_REPLY or PHONE_REPLY).
            #[inline]
            pub fn parse(
                func: $crate::requests::FuncId,
                raw: $crate::events::RawEvent<'a>,
            ) -> Result<Option<Self>, $crate::errors::DecodeError> {
                Ok(Some(match func {
                    $( $crate::requests::FuncId::$func => SpecialCompletion::$name($name::from_raw(raw)?), )*
                    _ => return Ok(None),
                }))
            }

            /// The generic view.
            pub fn typed(&self) -> $crate::events::TypedEvent<'a> {
                match self {
                    $( SpecialCompletion::$name(v) => v.typed(), )*
                }
            }

            /// Calls `f` with every fixed DWORD of the completion, in wire order (see
            /// [`Event::for_each_field`](crate::events::Event::for_each_field)).
            #[inline]
            pub fn for_each_field(&self, f: impl FnMut($crate::events::EventFieldValue)) {
                match self {
                    $( SpecialCompletion::$name(v) => v.for_each_field(f), )*
                }
            }

            /// The function this completes.
            pub fn func(&self) -> $crate::requests::FuncId {
                match self {
                    $( SpecialCompletion::$name(_) => $crate::requests::FuncId::$func, )*
                }
            }
        }
    };
}
pub(crate) use define_completions;

/// Decodes `data` as an event buffer in every way this module offers, discarding the results:
/// the body of the `decode_events` fuzz target and of the corpus replay test. Never panics.
#[doc(hidden)]
pub fn exercise(data: &[u8]) -> usize {
    use core::fmt::Write;
    struct Sink(usize);
    impl Write for Sink {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            self.0 = self.0.wrapping_add(s.len());
            Ok(())
        }
    }
    let mut sink = Sink(0);
    let mut correlator = completions::Correlator::new();
    for func in [
        crate::requests::FuncId::LineMakeCall,
        crate::requests::FuncId::LineAgentSpecific,
        crate::requests::FuncId::LineSetUpConference,
        crate::requests::FuncId::PhoneDevSpecific,
    ] {
        let id = func as u32;
        correlator.expect(crate::handles::RequestId(id), func, &[]);
    }
    let state = remote::KnownIds::default();
    for raw in EventBuffer::new(data) {
        let Ok(raw) = raw else {
            let _ = write!(sink, "{raw:?}");
            break;
        };
        if let Ok(e) = Event::parse(raw) {
            let t = e.typed();
            let _ = write!(sink, "{t:?}");
            for f in t.fields() {
                let _ = write!(sink, "{}", f.meaning);
            }
            let _ = write!(sink, "{:?}", t.var_value());
            let _ = t.to_builder().encoded_len();
        }
        for func in [
            crate::requests::FuncId::LineMakeCall,
            crate::requests::FuncId::LineGetAgentCaps,
            crate::requests::FuncId::PhoneDevSpecific,
        ] {
            if let Ok(Some(c)) = completions::SpecialCompletion::parse(func, raw) {
                let _ = write!(sink, "{:?}", c.typed().var_value());
            }
        }
        let _ = write!(sink, "{:?}", correlator.decode(raw));
        let _ = write!(sink, "{:?}", remote::check_event(raw, &state));
    }
    sink.0
}
