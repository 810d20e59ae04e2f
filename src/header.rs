//! The TAPI32_MSG template (2.2.5.2): the 60-byte fixed part every request and reply shares.
//!
//! `Req_Func` (in a request) or `Ack_ReturnValue` (in the reply written into the same buffer),
//! `Reserved1`, then `MAX_TAPI_FUNC_ARGS` = 13 parameter DWORDs, then VarData.

use zerocopy::byteorder::little_endian::U32;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::errors::{DecodeError, DecodeErrorKind};
use crate::vardata::VarData;

/// `MAX_TAPI_FUNC_ARGS` (2.2.5.2): the number of parameter DWORDs.
pub const MAX_TAPI_FUNC_ARGS: usize = 13;

/// Size of the fixed part of TAPI32_MSG; VarData starts here.
pub const HEADER_LEN: usize = 8 + 4 * MAX_TAPI_FUNC_ARGS;

/// Number of DWORDs in the fixed part (`Req_Func`, `Reserved1` and the 13 parameters).
pub const HEADER_DWORDS: usize = HEADER_LEN / 4;

/// TAPI32_MSG (2.2.5.2) as a zero-copy layout.
#[derive(
    FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Debug, Clone, Copy, PartialEq, Eq,
)]
#[repr(C)]
pub struct Tapi32Msg {
    /// `Req_Func` in a request, `Ack_ReturnValue` in the reply.
    pub req_func: U32,
    /// `Reserved1`: zero when sent, ignored on receipt (preserved by this crate).
    pub reserved1: U32,
    /// The 13 request parameters.
    pub params: [U32; MAX_TAPI_FUNC_ARGS],
}

const _: () = assert!(core::mem::size_of::<Tapi32Msg>() == HEADER_LEN);

impl Tapi32Msg {
    /// Splits `bytes` into the fixed part and VarData. Fails only if `bytes` is shorter than
    /// [`HEADER_LEN`].
    #[inline(always)]
    pub fn split(bytes: &[u8]) -> Result<(&Tapi32Msg, VarData<'_>), DecodeError> {
        Tapi32Msg::ref_from_prefix(bytes)
            .map(|(msg, rest)| (msg, VarData::new(rest)))
            .map_err(|_| {
                DecodeError::new(
                    "TAPI32_MSG",
                    "Req_Func",
                    bytes.len(),
                    DecodeErrorKind::Truncated {
                        needed: HEADER_LEN,
                        actual: bytes.len(),
                    },
                )
            })
    }

    /// DWORD `index` (0..15) of the fixed part: 0 is `Req_Func`, 1 `Reserved1`, 2.. the
    /// parameters.
    #[inline]
    pub fn dword(&self, index: usize) -> Option<u32> {
        match index {
            0 => Some(self.req_func.get()),
            1 => Some(self.reserved1.get()),
            i => self.params.get(i - 2).map(|p| p.get()),
        }
    }

    /// The fifteen DWORDs of the fixed part in wire order.
    #[inline]
    pub fn dwords(&self) -> [u32; HEADER_DWORDS] {
        // One 60-byte copy rather than fifteen scalar stores (which would stall a vector load
        // of the result on store forwarding).
        let raw: [U32; HEADER_DWORDS] = zerocopy::transmute!(*self);
        raw.map(U32::get)
    }

    /// Builds a fixed part from fifteen DWORDs in wire order.
    pub fn from_dwords(d: &[u32; HEADER_DWORDS]) -> Tapi32Msg {
        let mut params = [U32::ZERO; MAX_TAPI_FUNC_ARGS];
        for (p, v) in params.iter_mut().zip(&d[2..]) {
            *p = U32::new(*v);
        }
        Tapi32Msg {
            req_func: U32::new(d[0]),
            reserved1: U32::new(d[1]),
            params,
        }
    }
}
