//! Rules over the structures a request embeds in VarData (LINEFORWARDLIST, and the
//! "the structure decodes" packet-section rules), evaluated over the structure catalogue's
//! views: the same sizes, entry strides and item resolution as the decoder
//! ([`crate::requests::StructRef::decode`]), never a reading of the bytes of their own. With
//! the request's TAPI version ([`super::Ctx::version`]) the views are read with `parse_with` /
//! `decode_any_with` (that version's fixed part and entry size), without one as the decoder
//! guesses.

use crate::errors::DecodeError;
use crate::requests::Role;
use crate::structures::{self, Entries, LINEFORWARD, LINEFORWARDLIST};
use crate::vardata::{ABSENT, Align};

use super::callparams::{extent_bad, offset_bad};
use super::engine::bits_ok;
use super::{Bits, Ctx, FieldIndex, consts};

/// A check of the LINEFORWARDLIST at a Forward request's lpForwardList (3.1.4.2 rules
/// 17.6-17.10 and the packet-section rule 17.P1), over the [`LINEFORWARDLIST`] view and its
/// [`LINEFORWARD`] entries as the decoder reads them in the request's version: 24-byte entries
/// before TAPI 3.1 and 32-byte from 3.1 with a version (`parse_with`), the decoder's guess of
/// 24 or 32 without one (spec-notes/structures.md sections 4 and 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FwdCheck {
    /// The dwNumEntries entries fit in dwTotalSize (at the decoder's entry size).
    Entries,
    /// Every entry's dwForwardMode has exactly one bit of LINEFORWARDMODE.
    Mode,
    /// Every entry's dwCallerAddressOffset is DWORD-aligned and lies within the list.
    CallerOffset,
    /// Every entry's dwCallerAddressOffset + dwCallerAddressSize lies within the list.
    CallerExtent,
    /// Every entry's dwDestAddressOffset is DWORD-aligned and lies within the list.
    DestOffset,
    /// Every entry's dwDestAddressOffset + dwDestAddressSize lies within the list.
    DestExtent,
}

impl FwdCheck {
    /// Whether the check is about layout (sizes, offsets, extents) rather than values.
    pub const fn is_layout(self) -> bool {
        !matches!(self, FwdCheck::Mode)
    }
}

/// The LINEFORWARDLIST view at field `i`, when the field is present, the structure resolves
/// and its fixed part is there (other rules report the rest).
fn forward_list<'a>(ctx: &Ctx<'a>, i: FieldIndex) -> Option<LINEFORWARDLIST<'a>> {
    let raw = ctx.get(i);
    if raw == ABSENT {
        return None;
    }
    let bytes = ctx.var.structure(ctx.origin(i), raw, Align::Dword).ok()??;
    match ctx.version {
        Some(v) => LINEFORWARDLIST::parse_with(bytes, v).ok(),
        None => LINEFORWARDLIST::parse(bytes).ok(),
    }
}

/// Evaluates a LINEFORWARDLIST check: `Some(detail)` when violated.
pub(super) fn forward(
    ctx: &Ctx<'_>,
    i: FieldIndex,
    check: FwdCheck,
) -> Option<Option<DecodeError>> {
    let list = forward_list(ctx, i)?;
    let entries: Entries<'_, LINEFORWARD<'_>> = match list.forward_list() {
        Ok(e) => e,
        Err(e) => return (check == FwdCheck::Entries).then_some(Some(e)),
    };
    // The list's fixed part: LINEFORWARD offsets are from the start of the list (2.2.6.30)
    // and never point into its header.
    let floor = list.raw().fixed_bytes().len();
    let caller = &structures::descs::LINEFORWARD::caller_address;
    let dest = &structures::descs::LINEFORWARD::dest_address;
    let mut entries = entries;
    entries.find_map(|e| {
        let raw = e.raw();
        match check {
            FwdCheck::Entries => None,
            FwdCheck::Mode => {
                (!bits_ok(e.dw_forward_mode(), consts::LINEFORWARDMODE, Bits::One)).then_some(None)
            }
            FwdCheck::CallerOffset => offset_bad(&raw, caller, floor).map(Some),
            FwdCheck::CallerExtent => extent_bad(&raw, caller).map(Some),
            FwdCheck::DestOffset => offset_bad(&raw, dest, floor).map(Some),
            FwdCheck::DestExtent => extent_bad(&raw, dest).map(Some),
        }
    })
}

/// The structure at field `i` (role `Structure`) as the decoder reads it: resolved
/// (DWORD-aligned, dwTotalSize inside VarData), decoded as its catalogue structure in the
/// request's version (`decode_any_with`; `decode_any` without a version), and every
/// item of it (and of its entries) resolved. `Err` with the decoder's error when it does not.
/// A field holding 0xFFFFFFFF passes (no structure).
pub(super) fn decodes(ctx: &Ctx<'_>, i: FieldIndex) -> Result<(), DecodeError> {
    let Some(field) = ctx.desc.fields.get(i as usize) else {
        return Ok(());
    };
    let Role::Structure { name, .. } = field.role else {
        return Ok(());
    };
    let Some(bytes) = ctx.var.structure(ctx.origin(i), ctx.get(i), Align::Dword)? else {
        return Ok(());
    };
    let decoded = match ctx.version {
        Some(v) => structures::decode_any_with(name, bytes, v),
        None => structures::decode_any(name, bytes),
    };
    match decoded {
        None => Ok(()),
        Some(s) => s?.raw().validate(),
    }
}
