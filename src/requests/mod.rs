//! Request packets (2.2.4.1): the 132 functions a client submits with ClientRequest.
//!
//! Each packet is described once, in [`catalogue`](self) (a single invocation of
//! `define_requests!`). From that description the macro derives:
//!
//! * [`FuncId`], the `Req_Func` enum, with each function's [`PacketDesc`] (spec name, section,
//!   group, completion, and the fifteen fixed DWORDs with their spec names and [`Role`]s);
//! * [`fixed`], one `zerocopy` layout per packet with the fields named after the spec;
//! * one borrowed view per packet (e.g. [`LineMakeCall`]) with an accessor per field, typed
//!   by role (handles as [`crate::handles`] newtypes, references as [`StrRef`], [`BytesRef`]
//!   and [`StructRef`], which resolve through [`crate::vardata`]);
//! * [`Request`], the dispatching enum, with [`Request::Unknown`] for undocumented
//!   `Req_Func` values;
//! * [`builders`], one typed builder per packet over [`crate::encoding::RequestBuilder`].
//!
//! Line and phone packets share section titles (Initialize, GetDevCaps, Open, ...); the Rust
//! names carry a `Line` or `Phone` prefix (`LineGetDevCaps` = 34, `PhoneGetDevCaps` = 95), the
//! MMC and generic requests none.
//!
//! Parsing checks structure only: at least 60 bytes, and `Req_Func` for the strict entry point.
//! It never allocates and never panics. References are resolved lazily, each with full
//! checks, and the MUST-fail rules of 3.1.4.2 are left to validation.

use core::fmt;

use bytes::{BufMut, BytesMut};
use zerocopy::IntoBytes;

use crate::errors::{DecodeError, DecodeErrorKind};
use crate::header::{HEADER_DWORDS, HEADER_LEN, Tapi32Msg};
use crate::vardata::VarData;

mod catalogue;
mod display;
pub mod known_as;
mod meta;

pub use catalogue::*;
mod refs;

pub use meta::{Completion, FieldDesc, Group, PacketDesc, Role};
pub use refs::{BytesRef, Reference, References, Resolved, StrRef, StructRef};

/// Role descriptions for the catalogue's role words.
#[doc(hidden)]
#[macro_export]
macro_rules! __request_role {
    ($idents:ident; reserved) => {
        $crate::requests::Role::Reserved
    };
    ($idents:ident; value) => {
        $crate::requests::Role::Value
    };
    ($idents:ident; request_id) => {
        $crate::requests::Role::RequestId
    };
    ($idents:ident; version) => {
        $crate::requests::Role::Version
    };
    ($idents:ident; handle($h:ident)) => {
        $crate::requests::Role::Handle($crate::handles::HandleKind::$h)
    };
    ($idents:ident; string) => {
        $crate::requests::Role::String { optional: false }
    };
    ($idents:ident; opt_string) => {
        $crate::requests::Role::String { optional: true }
    };
    ($idents:ident; bytes($s:ident)) => {
        $crate::requests::Role::Bytes {
            size: $crate::requests::index_of(&$idents, stringify!($s)),
            optional: false,
        }
    };
    ($idents:ident; opt_bytes($s:ident)) => {
        $crate::requests::Role::Bytes {
            size: $crate::requests::index_of(&$idents, stringify!($s)),
            optional: true,
        }
    };
    ($idents:ident; structure($n:literal)) => {
        $crate::requests::Role::Structure {
            name: $n,
            optional: false,
        }
    };
    ($idents:ident; opt_structure($n:literal)) => {
        $crate::requests::Role::Structure {
            name: $n,
            optional: true,
        }
    };
    ($idents:ident; out_size($n:literal)) => {
        $crate::requests::Role::OutSize { structure: $n }
    };
    ($idents:ident; out_offset($s:ident)) => {
        $crate::requests::Role::OutOffset {
            size: $crate::requests::index_of(&$idents, stringify!($s)),
        }
    };
}

/// Typed accessor for one field of a view, by role.
#[doc(hidden)]
#[macro_export]
macro_rules! __request_accessor {
    ($pk:ident, $f:ident, $spec:literal, handle($h:ident)) => {
        #[doc = concat!("`", $spec, "`: a [`", stringify!($h), "`](crate::handles::", stringify!($h), ").")]
        pub fn $f(&self) -> $crate::handles::$h {
            $crate::handles::$h(self.fixed.$f.get())
        }
    };
    ($pk:ident, $f:ident, $spec:literal, request_id) => {
        #[doc = concat!("`", $spec, "`: the asynchronous request's id (0: the server generates one).")]
        pub fn $f(&self) -> $crate::handles::RequestId {
            $crate::handles::RequestId(self.fixed.$f.get())
        }
    };
    ($pk:ident, $f:ident, $spec:literal, version) => {
        #[doc = concat!("`", $spec, "`: a version (major in the high word).")]
        pub fn $f(&self) -> $crate::handles::Version {
            $crate::handles::Version(self.fixed.$f.get())
        }
    };
    ($pk:ident, $f:ident, $spec:literal, string) => {
        $crate::__request_accessor!(@str $pk, $f, $spec);
    };
    ($pk:ident, $f:ident, $spec:literal, opt_string) => {
        $crate::__request_accessor!(@str $pk, $f, $spec);
    };
    (@str $pk:ident, $f:ident, $spec:literal) => {
        #[doc = concat!("`", $spec, "`: offset in VarData of a NUL-terminated UTF-16 string; `.resolve()` it.")]
        pub fn $f(&self) -> $crate::requests::StrRef<'a> {
            $crate::requests::StrRef {
                raw: self.fixed.$f.get(),
                var: self.var,
                at: self.origin($spec, core::mem::offset_of!(fixed::$pk, $f)),
            }
        }
    };
    ($pk:ident, $f:ident, $spec:literal, bytes($s:ident)) => {
        $crate::__request_accessor!(@bytes $pk, $f, $spec, $s);
    };
    ($pk:ident, $f:ident, $spec:literal, opt_bytes($s:ident)) => {
        $crate::__request_accessor!(@bytes $pk, $f, $spec, $s);
    };
    (@bytes $pk:ident, $f:ident, $spec:literal, $s:ident) => {
        #[doc = concat!("`", $spec, "`: offset in VarData of a block of `", stringify!($s), "` bytes; `.resolve()` it.")]
        pub fn $f(&self) -> $crate::requests::BytesRef<'a> {
            $crate::requests::BytesRef {
                raw: self.fixed.$f.get(),
                size: self.fixed.$s.get(),
                var: self.var,
                at: self.origin($spec, core::mem::offset_of!(fixed::$pk, $f)),
            }
        }
    };
    ($pk:ident, $f:ident, $spec:literal, structure($n:literal)) => {
        $crate::__request_accessor!(@struct $pk, $f, $spec, $n);
    };
    ($pk:ident, $f:ident, $spec:literal, opt_structure($n:literal)) => {
        $crate::__request_accessor!(@struct $pk, $f, $spec, $n);
    };
    (@struct $pk:ident, $f:ident, $spec:literal, $n:literal) => {
        #[doc = concat!("`", $spec, "`: offset in VarData of a ", $n, " structure; `.resolve()` it.")]
        pub fn $f(&self) -> $crate::requests::StructRef<'a> {
            $crate::requests::StructRef {
                raw: self.fixed.$f.get(),
                var: self.var,
                at: self.origin($spec, core::mem::offset_of!(fixed::$pk, $f)),
                structure: $n,
            }
        }
    };
    ($pk:ident, $f:ident, $spec:literal, out_size($n:literal)) => {
        #[doc = concat!("`", $spec, "`: in the request, the size of the ", $n, " buffer the client accepts.")]
        pub fn $f(&self) -> u32 {
            self.fixed.$f.get()
        }
    };
    ($pk:ident, $f:ident, $spec:literal, $role:ident $(($($arg:tt)*))?) => {
        #[doc = concat!("`", $spec, "`.")]
        pub fn $f(&self) -> u32 {
            self.fixed.$f.get()
        }
    };
}

/// Typed builder setter for one field, by role.
#[doc(hidden)]
#[macro_export]
macro_rules! __request_setter {
    ($i:expr, $f:ident, $spec:literal, handle($h:ident)) => {
        #[doc = concat!("Sets `", $spec, "`.")]
        pub fn $f(mut self, v: impl Into<$crate::handles::$h>) -> Self {
            self.0.set($i, v.into().0);
            self
        }
    };
    ($i:expr, $f:ident, $spec:literal, request_id) => {
        #[doc = concat!("Sets `", $spec, "`.")]
        pub fn $f(mut self, v: impl Into<$crate::handles::RequestId>) -> Self {
            self.0.set($i, v.into().0);
            self
        }
    };
    ($i:expr, $f:ident, $spec:literal, version) => {
        #[doc = concat!("Sets `", $spec, "`.")]
        pub fn $f(mut self, v: impl Into<$crate::handles::Version>) -> Self {
            self.0.set($i, v.into().0);
            self
        }
    };
    ($i:expr, $f:ident, $spec:literal, $role:ident $(($($arg:tt)*))?) => {
        $crate::__request_setter!(@by_role $i, $f, $spec, $role);
    };
    (@by_role $i:expr, $f:ident, $spec:literal, string) => { $crate::__request_setter!(@payload $i, $f, $spec); };
    (@by_role $i:expr, $f:ident, $spec:literal, opt_string) => { $crate::__request_setter!(@payload $i, $f, $spec); };
    (@by_role $i:expr, $f:ident, $spec:literal, bytes) => { $crate::__request_setter!(@payload $i, $f, $spec); };
    (@by_role $i:expr, $f:ident, $spec:literal, opt_bytes) => { $crate::__request_setter!(@payload $i, $f, $spec); };
    (@by_role $i:expr, $f:ident, $spec:literal, structure) => { $crate::__request_setter!(@payload $i, $f, $spec); };
    (@by_role $i:expr, $f:ident, $spec:literal, opt_structure) => { $crate::__request_setter!(@payload $i, $f, $spec); };
    (@by_role $i:expr, $f:ident, $spec:literal, $other:ident) => {
        #[doc = concat!("Sets `", $spec, "`.")]
        pub fn $f(mut self, v: u32) -> Self {
            self.0.set($i, v);
            self
        }
    };
    (@payload $i:expr, $f:ident, $spec:literal) => {
        #[doc = concat!("Sets the data `", $spec, "` points at (a `&str` for text, bytes, or `None`/[`Payload::Absent`](crate::encoding::Payload::Absent) for 0xFFFFFFFF); the offset (and size) are filled in when encoding.")]
        pub fn $f(mut self, v: impl Into<$crate::encoding::Payload>) -> Self {
            self.0.set_payload($i, v.into());
            self
        }
    };
}

/// Derives everything about the request packets from the catalogue.
macro_rules! define_requests {
    ($(
        $(#[$doc:meta])*
        $name:ident = $func:literal, $title:literal, $section:literal, $group:ident, $completion:ident {
            $( $f:ident $spec:literal : $role:ident $(($($arg:tt)*))? ),* $(,)?
        }
    )*) => {
        /// `Req_Func`: the 132 functions of 2.2.4.1.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        #[repr(u32)]
        pub enum FuncId {
            $( $(#[$doc])* $name = $func, )*
        }

        impl FuncId {
            /// Every documented function, in catalogue (spec) order.
            pub const ALL: &'static [FuncId] = &[$(FuncId::$name),*];

            /// The function with `Req_Func` = `value`, if documented.
            #[inline]
            pub const fn from_u32(value: u32) -> Option<FuncId> {
                if value < BY_VALUE.len() as u32 {
                    BY_VALUE[value as usize]
                } else {
                    None
                }
            }

            /// The packet's description.
            pub const fn desc(self) -> &'static $crate::requests::PacketDesc {
                match self {
                    $( FuncId::$name => &descs::$name, )*
                }
            }
        }

        /// `FuncId` by `Req_Func` value (the documented values are all below 256).
        const BY_VALUE: [Option<FuncId>; 256] = {
            let mut t = [None; 256];
            $( t[$func] = Some(FuncId::$name); )*
            t
        };

        /// Packet descriptions by `Req_Func` value, for the decode path.
        pub(super) static DESC_BY_VALUE: [Option<&'static PacketDesc>; 256] = {
            let mut t: [Option<&'static PacketDesc>; 256] = [None; 256];
            $( t[$func] = Some(&descs::$name); )*
            t
        };

        #[allow(non_upper_case_globals)]
        mod descs {
            use super::*;
            $(
                pub(super) static $name: PacketDesc = {
                    const IDENTS: [&str; HEADER_DWORDS] = ["req_func", "reserved1", $(stringify!($f)),*];
                    const FIELDS: [FieldDesc; HEADER_DWORDS] = meta::fields(
                        ["Req_Func", "Reserved1", $($spec),*],
                        IDENTS,
                        [Role::ReqFunc, Role::Reserved, $( $crate::__request_role!(IDENTS; $role $(($($arg)*))?) ),*],
                    );
                    PacketDesc {
                        func: FuncId::$name,
                        ident: stringify!($name),
                        name: $title,
                        section: $section,
                        group: Group::$group,
                        completion: Completion::$completion,
                        fields: FIELDS,
                        references: meta::reference_mask(&FIELDS),
                    }
                };
            )*
        }

        /// The fixed parts as `zerocopy` layouts, one per packet, fields named after the spec
        /// (snake case) and little-endian.
        pub mod fixed {
            use zerocopy::byteorder::little_endian::U32;
            use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};
            $(
                $(#[$doc])*
                #[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Debug, Clone, Copy, PartialEq, Eq)]
                #[repr(C)]
                pub struct $name {
                    /// `Req_Func`.
                    pub req_func: U32,
                    /// `Reserved1`.
                    pub reserved1: U32,
                    $( #[doc = concat!("`", $spec, "`.")] pub $f: U32, )*
                }
                const _: () = assert!(core::mem::size_of::<$name>() == crate::header::HEADER_LEN);
            )*
        }

        $(
            $(#[$doc])*
            ///
            /// A borrowed view: the fixed part and VarData of a buffer.
            #[derive(Clone, Copy, PartialEq, Eq)]
            pub struct $name<'a> {
                fixed: &'a fixed::$name,
                var: VarData<'a>,
            }

            impl<'a> $name<'a> {
                /// The function id.
                pub const FUNC: FuncId = FuncId::$name;

                /// Views `bytes` as this packet. Fails if `bytes` is shorter than 60 bytes or
                /// `Req_Func` is not this packet's.
                pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
                    let (msg, var) = Tapi32Msg::split(bytes)?;
                    if msg.req_func.get() != $func {
                        return Err(DecodeError {
                            packet: stringify!($name),
                            field: "Req_Func",
                            offset: 0,
                            kind: DecodeErrorKind::UnexpectedFunction { expected: $func, found: msg.req_func.get() },
                        });
                    }
                    Ok(Self::from_msg(msg, var))
                }

                fn from_msg(msg: &'a Tapi32Msg, var: VarData<'a>) -> Self {
                    $name { fixed: zerocopy::transmute_ref!(msg), var }
                }

                /// The packet's description.
                pub fn desc() -> &'static PacketDesc {
                    &descs::$name
                }

                /// The fixed part.
                pub fn fixed(&self) -> &'a fixed::$name {
                    self.fixed
                }

                /// The fixed part as the TAPI32_MSG template.
                pub fn msg(&self) -> &'a Tapi32Msg {
                    zerocopy::transmute_ref!(self.fixed)
                }

                /// VarData.
                pub fn var_data(&self) -> VarData<'a> {
                    self.var
                }

                /// `Req_Func`.
                pub fn req_func(&self) -> u32 {
                    self.fixed.req_func.get()
                }

                /// `Reserved1` (preserved as received).
                pub fn reserved1(&self) -> u32 {
                    self.fixed.reserved1.get()
                }

                #[allow(dead_code)]
                fn origin(&self, field: &'static str, offset: usize) -> crate::vardata::Origin {
                    crate::vardata::Origin { packet: stringify!($name), field, offset }
                }

                $( $crate::__request_accessor!($name, $f, $spec, $role $(($($arg)*))?); )*

                /// A builder holding this packet's values and resolved references.
                pub fn to_builder(&self) -> Result<builders::$name, DecodeError> {
                    crate::encoding::RequestBuilder::from_request(&Request::$name(*self)).map(builders::$name)
                }

                /// A builder for this packet.
                pub fn builder() -> builders::$name {
                    builders::$name::new()
                }
            }

            impl fmt::Debug for $name<'_> {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    fmt::Debug::fmt(&Request::$name(*self), f)
                }
            }
        )*

        /// A parsed request: one variant per documented function, and [`Request::Unknown`].
        #[derive(Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Request<'a> {
            $( $(#[$doc])* $name($name<'a>), )*
            /// A `Req_Func` that [MS-TRP] does not document, as a raw view.
            Unknown(UnknownRequest<'a>),
        }

        impl<'a> Request<'a> {
            /// Views `bytes` as a request, dispatching on `Req_Func`. Fails only when `bytes`
            /// is shorter than 60 bytes; an undocumented `Req_Func` gives
            /// [`Request::Unknown`].
            #[inline]
            pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
                let (msg, var) = Tapi32Msg::split(bytes)?;
                Ok(match msg.req_func.get() {
                    $( $func => Request::$name($name::from_msg(msg, var)), )*
                    _ => Request::Unknown(UnknownRequest { msg, var }),
                })
            }

            /// The fixed part.
            #[inline]
            pub fn msg(&self) -> &'a Tapi32Msg {
                match self {
                    $( Request::$name(v) => v.msg(), )*
                    Request::Unknown(v) => v.msg,
                }
            }

            /// VarData.
            #[inline]
            pub fn var_data(&self) -> VarData<'a> {
                match self {
                    $( Request::$name(v) => v.var, )*
                    Request::Unknown(v) => v.var,
                }
            }
        }

        /// Typed views of the reply buffers, one per function (re-exported as
        /// [`crate::replies::views`]): an accessor per field, named like the request view's,
        /// returning the field with its reply meaning ([`crate::replies::Output`]: the
        /// returned structure or data resolved, filled handles and counts flagged).
        pub mod reply_views {
            $(
                $(#[$doc])*
                ///
                /// The reply: the same buffer after the server wrote `Ack_ReturnValue` and its outputs.
                #[derive(Debug, Clone, Copy, PartialEq, Eq)]
                pub struct $name<'a>(crate::replies::Reply<'a>);

                impl<'a> $name<'a> {
                    /// Views `bytes` as the reply to this function. Fails only if `bytes` is
                    /// shorter than 60 bytes.
                    pub fn parse(bytes: &'a [u8]) -> Result<Self, crate::errors::DecodeError> {
                        crate::replies::Reply::parse(super::FuncId::$name, bytes).map($name)
                    }

                    /// The generic reply view.
                    pub fn reply(&self) -> crate::replies::Reply<'a> {
                        self.0
                    }

                    /// `Ack_ReturnValue`, classified.
                    pub fn return_value(&self) -> crate::replies::ReturnValue {
                        self.0.return_value()
                    }

                    $(
                        #[doc = concat!("`", $spec, "` with its reply meaning.")]
                        pub fn $f(&self) -> crate::replies::Output<'a> {
                            self.0.output_at::<{ core::mem::offset_of!(super::fixed::$name, $f) / 4 }>()
                        }
                    )*
                }
            )*
        }

        /// Typed builders, one per packet, with a setter per field named like the view's
        /// accessor. Reference fields take a [`Payload`](crate::encoding::Payload); offsets
        /// and sizes are filled in by encoding.
        pub mod builders {
            use super::FuncId;
            use crate::encoding::RequestBuilder;
            $(
                $(#[$doc])*
                #[derive(Debug, Clone, PartialEq, Eq)]
                pub struct $name(pub RequestBuilder);

                impl Default for $name {
                    fn default() -> Self {
                        Self::new()
                    }
                }

                impl $name {
                    /// A builder with `Req_Func` set and every other field zero.
                    pub fn new() -> Self {
                        $name(RequestBuilder::new(FuncId::$name))
                    }

                    /// Sets `Reserved1` (zero by default).
                    pub fn reserved1(mut self, v: u32) -> Self {
                        self.0.set(1, v);
                        self
                    }

                    /// Sets any DWORD by index (0..15), e.g. to craft a hostile offset.
                    pub fn raw(mut self, index: usize, v: u32) -> Self {
                        self.0.set(index, v);
                        self
                    }

                    /// Makes VarData at least `len` bytes long.
                    pub fn var_data_len(mut self, len: usize) -> Self {
                        self.0.var_data_len(len);
                        self
                    }

                    /// The generic builder.
                    pub fn build(self) -> RequestBuilder {
                        self.0
                    }

                    /// Appends the encoded packet to `out`.
                    pub fn encode(&self, out: &mut bytes::BytesMut) {
                        self.0.encode(out)
                    }

                    /// The encoded packet.
                    pub fn to_bytes(&self) -> bytes::BytesMut {
                        self.0.to_bytes()
                    }

                    $crate::__setters!(2; $( $f $spec : $role $(($($arg)*))? ),*);
                }
            )*
        }
    };
}

/// Emits the setters of a builder, numbering the fields from 2.
#[doc(hidden)]
#[macro_export]
macro_rules! __setters {
    ($i:expr; ) => {};
    ($i:expr; $f:ident $spec:literal : $role:ident $(($($arg:tt)*))? $(, $($rest:tt)*)?) => {
        $crate::__request_setter!($i, $f, $spec, $role $(($($arg)*))?);
        $crate::__setters!($i + 1; $($($rest)*)?);
    };
}

pub(crate) use define_requests;
#[doc(hidden)]
pub use meta::index_of;

/// A request whose `Req_Func` [MS-TRP] does not document (the numbering has gaps such as 28,
/// 29, 61 and 121): `Req_Func`, `Reserved1`, `Param1` ... `Param13` and VarData.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownRequest<'a> {
    msg: &'a Tapi32Msg,
    var: VarData<'a>,
}

impl<'a> UnknownRequest<'a> {
    /// `Req_Func`.
    pub fn req_func(&self) -> u32 {
        self.msg.req_func.get()
    }

    /// `Reserved1`.
    pub fn reserved1(&self) -> u32 {
        self.msg.reserved1.get()
    }

    /// `Param1` ... `Param13` (`n` from 1 to 13).
    pub fn param(&self, n: usize) -> Option<u32> {
        n.checked_sub(1)
            .and_then(|i| self.msg.params.get(i))
            .map(|p| p.get())
    }

    /// The fixed part.
    pub fn msg(&self) -> &'a Tapi32Msg {
        self.msg
    }

    /// VarData.
    pub fn var_data(&self) -> VarData<'a> {
        self.var
    }
}

/// Names of the fixed DWORDs of an undocumented request.
pub const UNKNOWN_FIELD_NAMES: [&str; HEADER_DWORDS] = [
    "Req_Func",
    "Reserved1",
    "Param1",
    "Param2",
    "Param3",
    "Param4",
    "Param5",
    "Param6",
    "Param7",
    "Param8",
    "Param9",
    "Param10",
    "Param11",
    "Param12",
    "Param13",
];

impl<'a> Request<'a> {
    /// Like [`Request::parse`], but rejects an undocumented `Req_Func` with
    /// [`DecodeErrorKind::UnknownFunction`].
    pub fn parse_strict(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let r = Request::parse(bytes)?;
        r.desc_strict()?;
        Ok(r)
    }

    /// The function, `None` for [`Request::Unknown`].
    #[inline]
    pub fn func(&self) -> Option<FuncId> {
        FuncId::from_u32(self.req_func())
    }

    /// `Req_Func`.
    #[inline]
    pub fn req_func(&self) -> u32 {
        self.msg().req_func.get()
    }

    /// The packet's description, `None` for [`Request::Unknown`].
    #[inline]
    pub fn desc(&self) -> Option<&'static PacketDesc> {
        catalogue::DESC_BY_VALUE
            .get(self.req_func() as usize)
            .copied()
            .flatten()
    }

    /// The description, or the strict parser's error for an undocumented function.
    pub(crate) fn desc_strict(&self) -> Result<&'static PacketDesc, DecodeError> {
        self.desc().ok_or(DecodeError {
            packet: "TAPI32_MSG",
            field: "Req_Func",
            offset: 0,
            kind: DecodeErrorKind::UnknownFunction(self.req_func()),
        })
    }

    /// The fifteen fixed DWORDs in wire order.
    #[inline]
    pub fn dwords(&self) -> [u32; HEADER_DWORDS] {
        self.msg().dwords()
    }

    /// The names of the fixed DWORDs (the spec's, or `Param1`..`Param13` for an
    /// undocumented function).
    pub fn field_names(&self) -> [&'static str; HEADER_DWORDS] {
        match self.desc() {
            Some(d) => d.fields.map(|f| f.name),
            None => UNKNOWN_FIELD_NAMES,
        }
    }

    /// Every request-side reference, resolved, in field order (none for
    /// [`Request::Unknown`]).
    #[inline]
    pub fn references(&self) -> References<'a> {
        let desc = self.desc();
        References {
            desc,
            msg: self.msg(),
            var: self.var_data(),
            pending: desc.map_or(0, |d| d.references),
        }
    }

    /// Total length in bytes (fixed part and VarData).
    pub fn len(&self) -> usize {
        HEADER_LEN + self.var_data().len()
    }

    /// Always `false`: a request has at least its 60-byte fixed part.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Appends the packet's bytes to `out`, exactly as parsed (Reserved values and any
    /// VarData layout preserved).
    pub fn encode(&self, out: &mut BytesMut) {
        out.reserve(self.len());
        out.put_slice(self.msg().as_bytes());
        out.put_slice(self.var_data().as_bytes());
    }
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.desc().map_or("Unknown", |d| d.ident);
        let mut s = f.debug_struct(name);
        for (n, v) in self.field_names().iter().zip(self.dwords()) {
            s.field(n, &format_args!("{v:#x}"));
        }
        s.field("VarData", &format_args!("{} bytes", self.var_data().len()));
        s.finish()
    }
}
