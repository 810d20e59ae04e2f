//! Request builders: [`RequestBuilder`], the generic builder that lays VarData out, and one
//! typed builder per packet with a setter per field, named like the view's accessor.
//!
//! Builders layer: these write bytes. They import the views (to read a parsed request back,
//! [`RequestBuilder::from_request`]), the catalogue and the wire primitives of
//! [`crate::encoding`].
//!
//! [`RequestBuilder`] holds the fifteen fixed DWORDs and, for each reference field, an optional
//! [`Payload`]. [`RequestBuilder::encode`] lays the payloads out in field order, each at a
//! DWORD-aligned offset from the start of VarData (zero padding between them and at the end,
//! so VarData is a whole number of DWORDs), writes each payload's offset into its field and,
//! for (offset, size) pairs, its length into the size field.
//!
//! [`RequestBuilder::from_request`] goes the other way: it reads a parsed request back into a
//! builder, resolving every reference into a payload. For any builder `b`,
//! `from_request(parse(encode(b))) == b`; for any buffer `x` in canonical layout,
//! `encode(from_request(parse(x))) == x`. Byte-exact re-encoding of *any* parsed buffer
//! (whatever its layout) is [`Request::encode`].

use bytes::BytesMut;

use crate::encoding::{Payload, dword_align, put_packet};
use crate::errors::DecodeError;
use crate::header::{HEADER_DWORDS, HEADER_LEN};
use crate::vardata::ABSENT;

use super::catalogue::for_each_request;
use super::{FuncId, PacketDesc, Request, Resolved, Role};

/// Typed builder setter for one field, by role.
macro_rules! request_setter {
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
        $crate::requests::builders::request_setter!(@by_role $i, $f, $spec, $role);
    };
    (@by_role $i:expr, $f:ident, $spec:literal, string) => { $crate::requests::builders::request_setter!(@payload $i, $f, $spec); };
    (@by_role $i:expr, $f:ident, $spec:literal, opt_string) => { $crate::requests::builders::request_setter!(@payload $i, $f, $spec); };
    (@by_role $i:expr, $f:ident, $spec:literal, bytes) => { $crate::requests::builders::request_setter!(@payload $i, $f, $spec); };
    (@by_role $i:expr, $f:ident, $spec:literal, opt_bytes) => { $crate::requests::builders::request_setter!(@payload $i, $f, $spec); };
    (@by_role $i:expr, $f:ident, $spec:literal, structure) => { $crate::requests::builders::request_setter!(@payload $i, $f, $spec); };
    (@by_role $i:expr, $f:ident, $spec:literal, opt_structure) => { $crate::requests::builders::request_setter!(@payload $i, $f, $spec); };
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

pub(crate) use request_setter;

/// Emits the setters of a builder, numbering the fields from 2.
macro_rules! setters {
    ($i:expr; ) => {};
    ($i:expr; $f:ident $spec:literal : $role:ident $(($($arg:tt)*))? $(, $($rest:tt)*)?) => {
        $crate::requests::builders::request_setter!($i, $f, $spec, $role $(($($arg)*))?);
        $crate::requests::builders::setters!($i + 1; $($($rest)*)?);
    };
}

pub(crate) use setters;

/// [`RequestBuilder::emit`]'s error: the caller's buffer is shorter than the packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{packet}: a buffer of {len} bytes cannot hold the packet, which needs {needed} bytes")]
pub struct EmitError {
    /// The packet (its Rust name in the catalogue, e.g. `LineMakeCall`).
    pub packet: &'static str,
    /// The bytes the packet needs ([`RequestBuilder::buffer_len`]).
    pub needed: usize,
    /// The length of the buffer given.
    pub len: usize,
}

/// A request under construction (see the module documentation).
#[derive(Debug, Clone)]
pub struct RequestBuilder {
    desc: &'static PacketDesc,
    dwords: [u32; HEADER_DWORDS],
    payloads: [Option<Payload>; HEADER_DWORDS],
    min_var_len: usize,
}

impl RequestBuilder {
    /// A builder for `func` with `Req_Func` set and every other DWORD zero.
    pub fn new(func: FuncId) -> Self {
        let mut dwords = [0; HEADER_DWORDS];
        dwords[0] = func as u32;
        RequestBuilder {
            desc: func.desc(),
            dwords,
            payloads: Default::default(),
            min_var_len: 0,
        }
    }

    /// The packet's description.
    pub fn desc(&self) -> &'static PacketDesc {
        self.desc
    }

    /// Sets DWORD `index` (0..15) to `value`, dropping any payload the field had. Setting
    /// index 0 changes `Req_Func` on the wire (to craft mismatched packets) but not the
    /// builder's packet description.
    pub fn set(&mut self, index: usize, value: u32) -> &mut Self {
        if let Some(d) = self.dwords.get_mut(index) {
            *d = value;
            self.payloads[index] = None;
        }
        self
    }

    /// DWORD `index` as it stands (for payload fields, the value laid out by the last
    /// [`RequestBuilder::from_request`], or whatever was set).
    pub fn get(&self, index: usize) -> Option<u32> {
        self.dwords.get(index).copied()
    }

    /// Gives reference field `index` a payload to lay out in VarData. Ignored (returns
    /// `false`) when the field is not a request-side reference.
    pub fn set_payload(&mut self, index: usize, payload: Payload) -> bool {
        match self.desc.fields.get(index) {
            Some(f) if f.role.is_reference() => {
                self.payloads[index] = Some(payload);
                true
            }
            _ => false,
        }
    }

    /// The payload of field `index`, if one is set.
    pub fn payload(&self, index: usize) -> Option<&Payload> {
        self.payloads.get(index).and_then(Option::as_ref)
    }

    /// Makes VarData at least `len` bytes long (zero-filled, rounded up to whole DWORDs), for
    /// requests whose VarData is the space the server answers into (e.g. GetDevCaps).
    pub fn var_data_len(&mut self, len: usize) -> &mut Self {
        self.min_var_len = len;
        self
    }

    /// Lays the payloads out: returns the fixed DWORDs with offsets and sizes filled in, and
    /// the length of VarData.
    fn layout(&self) -> ([u32; HEADER_DWORDS], usize) {
        let mut dwords = self.dwords;
        let mut cursor = 0usize;
        for (i, p) in self.payloads.iter().enumerate() {
            let Some(p) = p else { continue };
            if *p == Payload::Absent {
                dwords[i] = ABSENT;
                continue;
            }
            // Offsets are DWORDs on the wire; a payload that cannot be addressed in 32 bits is
            // clamped to the sentinel rather than silently wrapped.
            dwords[i] = u32::try_from(cursor).unwrap_or(ABSENT);
            let len = p.encoded_len();
            if let Role::Bytes { size, .. } = self.desc.fields[i].role {
                dwords[size] = u32::try_from(len).unwrap_or(u32::MAX);
            }
            cursor = dword_align(cursor.saturating_add(len));
        }
        (dwords, dword_align(cursor.max(self.min_var_len)))
    }

    /// The encoded length in bytes.
    pub fn encoded_len(&self) -> usize {
        HEADER_LEN + self.layout().1
    }

    /// Appends the encoded packet to `out`.
    pub fn encode(&self, out: &mut BytesMut) {
        let (dwords, var_len) = self.layout();
        out.reserve(HEADER_LEN + var_len);
        put_packet(
            out,
            &dwords,
            var_len,
            self.payloads.iter().flatten(),
            |out, p| p.write(out),
        );
    }

    /// The encoded packet.
    pub fn to_bytes(&self) -> BytesMut {
        let mut out = BytesMut::new();
        self.encode(&mut out);
        out
    }

    /// The number of bytes [`RequestBuilder::emit`] writes: the fixed part and VarData
    /// (the same as [`RequestBuilder::encoded_len`]).
    pub fn buffer_len(&self) -> usize {
        self.encoded_len()
    }

    /// Writes the encoded packet at the start of `buf` without allocating, and returns the
    /// number of bytes written ([`RequestBuilder::buffer_len`]); the rest of `buf` is left as
    /// it was. The bytes are those of [`RequestBuilder::encode`] (one writer serves both).
    /// Fails, writing nothing, when `buf` is shorter than the packet.
    ///
    /// ```
    /// use mstrp::requests::builders::LineInitialize;
    ///
    /// let b = LineInitialize::new().dw_friendly_name_offset("tapi").dw_api_version(0x0002_0000);
    /// let mut buf = [0u8; 256];
    /// let n = b.emit(&mut buf)?;
    /// assert_eq!(&buf[..n], &b.to_bytes()[..]);
    /// let too_small = b.emit(&mut buf[..20]).unwrap_err();
    /// assert_eq!((too_small.packet, too_small.needed, too_small.len), ("LineInitialize", n, 20));
    /// # Ok::<(), mstrp::requests::builders::EmitError>(())
    /// ```
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize, EmitError> {
        let (dwords, var_len) = self.layout();
        let needed = HEADER_LEN.saturating_add(var_len);
        let len = buf.len();
        let Some(mut out) = buf.get_mut(..needed) else {
            return Err(EmitError {
                packet: self.desc.ident,
                needed,
                len,
            });
        };
        put_packet(
            &mut out,
            &dwords,
            var_len,
            self.payloads.iter().flatten(),
            |out, p| p.write(out),
        );
        Ok(needed)
    }

    /// Reads a parsed request back into a builder: every DWORD as found, every reference that
    /// resolves as a payload (a string as [`Payload::Text`], a block or structure as
    /// [`Payload::Bytes`], `0xFFFFFFFF` as [`Payload::Absent`]), and the VarData length.
    ///
    /// Fails on the first reference that does not resolve, and for undocumented functions.
    pub fn from_request(request: &Request<'_>) -> Result<Self, DecodeError> {
        let desc = request.desc_strict()?;
        let mut b = RequestBuilder {
            desc,
            dwords: request.dwords(),
            payloads: Default::default(),
            min_var_len: request.var_data().len(),
        };
        for r in request.references() {
            b.payloads[r.index] = Some(match r.value? {
                None => Payload::Absent,
                Some(Resolved::Str(s)) => Payload::Text(s.units().collect()),
                Some(Resolved::Bytes(x) | Resolved::Structure(x)) => Payload::Bytes(x.to_vec()),
            });
        }
        Ok(b)
    }

    /// The builder with payload-governed DWORDs (offsets and sizes) and the VarData length
    /// replaced by what [`RequestBuilder::encode`] writes: two builders that encode alike
    /// compare equal after this.
    fn normalized(&self) -> ([u32; HEADER_DWORDS], usize) {
        self.layout()
    }
}

impl PartialEq for RequestBuilder {
    fn eq(&self, other: &Self) -> bool {
        self.desc.func == other.desc.func
            && self.payloads == other.payloads
            && self.normalized() == other.normalized()
    }
}

impl Eq for RequestBuilder {}

/// Derives one typed builder per packet from the catalogue.
macro_rules! define_builders {
    ($(
        $(#[$doc:meta])*
        $name:ident = $func:literal, $title:literal, $section:literal, $group:ident, $completion:ident {
            $( $f:ident $spec:literal : $role:ident $(($($arg:tt)*))? ),* $(,)?
        }
    )*) => {
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

                    /// The number of bytes [`Self::emit`] writes.
                    pub fn buffer_len(&self) -> usize {
                        self.0.buffer_len()
                    }

                    /// Writes the encoded packet into `buf` without allocating
                    /// ([`RequestBuilder::emit`]).
                    pub fn emit(&self, buf: &mut [u8]) -> Result<usize, EmitError> {
                        self.0.emit(buf)
                    }

                    $crate::requests::builders::setters!(2; $( $f $spec : $role $(($($arg)*))? ),*);
                }

                impl<'a> super::views::$name<'a> {
                    /// A builder holding this packet's values and resolved references.
                    pub fn to_builder(&self) -> Result<$name, DecodeError> {
                        RequestBuilder::from_request(&Request::$name(*self)).map($name)
                    }

                    /// A builder for this packet.
                    pub fn builder() -> $name {
                        $name::new()
                    }
                }
            )*
    };
}

for_each_request!(define_builders);
