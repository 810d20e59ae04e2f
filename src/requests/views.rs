//! The request views: one `zerocopy` layout and one borrowed view per packet, and the
//! dispatching [`Request`] enum, derived from the [catalogue](super::catalogue).
//!
//! Views layer: these read bytes. They import the catalogue (`ids`, `meta`) and the wire
//! primitives below it, and nothing above (builders, replies, validation).

use core::fmt;

use bytes::{BufMut, BytesMut};
use zerocopy::IntoBytes;

use crate::errors::{DecodeError, DecodeErrorKind};
use crate::header::{HEADER_DWORDS, HEADER_LEN, Tapi32Msg};
use crate::vardata::VarData;

use super::catalogue::for_each_request;
use super::ids::{DESC_BY_VALUE, FuncId, REFS_BY_VALUE};
use super::meta::PacketDesc;
use super::refs::References;

/// Typed accessor for one field of a view, by role.
macro_rules! request_accessor {
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
        $crate::requests::views::request_accessor!(@str $pk, $f, $spec);
    };
    ($pk:ident, $f:ident, $spec:literal, opt_string) => {
        $crate::requests::views::request_accessor!(@str $pk, $f, $spec);
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
        $crate::requests::views::request_accessor!(@bytes $pk, $f, $spec, $s);
    };
    ($pk:ident, $f:ident, $spec:literal, opt_bytes($s:ident)) => {
        $crate::requests::views::request_accessor!(@bytes $pk, $f, $spec, $s);
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
        $crate::requests::views::request_accessor!(@struct $pk, $f, $spec, $n);
    };
    ($pk:ident, $f:ident, $spec:literal, opt_structure($n:literal)) => {
        $crate::requests::views::request_accessor!(@struct $pk, $f, $spec, $n);
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

pub(crate) use request_accessor;

/// Derives the fixed layouts, the views and [`Request`] from the catalogue.
macro_rules! define_views {
    ($(
        $(#[$doc:meta])*
        $name:ident = $func:literal, $title:literal, $section:literal, $group:ident, $completion:ident {
            $( $f:ident $spec:literal : $role:ident $(($($arg:tt)*))? ),* $(,)?
        }
    )*) => {
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
                        return Err(DecodeError::new(stringify!($name), "Req_Func", 0, DecodeErrorKind::UnexpectedFunction { expected: $func, found: msg.req_func.get() }));
                    }
                    Ok(Self::from_msg(msg, var))
                }

                fn from_msg(msg: &'a Tapi32Msg, var: VarData<'a>) -> Self {
                    $name { fixed: zerocopy::transmute_ref!(msg), var }
                }

                /// The packet's description.
                pub fn desc() -> &'static PacketDesc {
                    FuncId::$name.desc()
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

                $( $crate::requests::views::request_accessor!($name, $f, $spec, $role $(($($arg)*))?); )*
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
            #[inline(always)]
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

    };
}

for_each_request!(define_views);

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

    /// The name public research gives this `Req_Func` (e.g. `TRequestMakeCall` for 121), with
    /// its source; see [`known_as`](super::known_as).
    pub fn known_as(&self) -> Option<&'static super::known_as::KnownAs> {
        super::known_as::known_as(self.req_func())
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
        DESC_BY_VALUE
            .get(self.req_func() as usize)
            .copied()
            .flatten()
    }

    /// The description, or the strict parser's error for an undocumented function.
    pub(crate) fn desc_strict(&self) -> Result<&'static PacketDesc, DecodeError> {
        self.desc().ok_or(DecodeError::new(
            "TAPI32_MSG",
            "Req_Func",
            0,
            DecodeErrorKind::UnknownFunction(self.req_func()),
        ))
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
    #[inline(always)]
    pub fn references(&self) -> References<'a> {
        let plan = REFS_BY_VALUE
            .get(self.req_func() as usize)
            .copied()
            .unwrap_or(0);
        References::new(self.msg(), self.var_data(), plan)
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
