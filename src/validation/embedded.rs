//! Rules over the structures a request embeds in VarData (LINEFORWARDLIST, and the
//! "the structure decodes" packet-section rules), evaluated over the structure catalogue's
//! views: the same sizes, entry strides and item resolution as the decoder
//! ([`crate::requests::StructRef::decode`]), never a reading of the bytes of their own. With
//! the request's TAPI version ([`super::Ctx::version`]) the views are read with `parse_with` /
//! `decode_any_with` (that version's fixed part and entry size), without one as the decoder
//! guesses.

use crate::errors::DecodeError;
use crate::requests::Role;
use crate::structures::{self, Entries, FromRaw, LINEFORWARD, LINEFORWARDLIST};

use super::callparams::{self, extent_bad, offset_bad};
use super::engine::{Memo, bits_ok};
use super::{Bits, Ctx, FieldIndex, consts};

/// A check of the LINEFORWARDLIST at a Forward request's lpForwardList (3.1.4.2 rules
/// 17.6-17.10 and the packet-section rule 17.P1), over the [`LINEFORWARDLIST`] view and its
/// [`LINEFORWARD`] entries as the decoder reads them in the request's version: 24-byte entries
/// before TAPI 3.1 and 32-byte from 3.1 with a version (`parse_with`), the decoder's guess of
/// 24 or 32 without one (spec-notes/structures.md sections 4 and 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FwdCheck {
    /// The dwNumEntries entries fit in dwTotalSize (at the decoder's entry size).
    Entries = 0,
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

/// How many [`FwdCheck`]s there are (the index of one is `check as usize`).
pub(super) const FWD_CHECKS: usize = 6;

/// Every check, in index order.
const ALL_FWD: [FwdCheck; FWD_CHECKS] = [
    FwdCheck::Entries,
    FwdCheck::Mode,
    FwdCheck::CallerOffset,
    FwdCheck::CallerExtent,
    FwdCheck::DestOffset,
    FwdCheck::DestExtent,
];

const _: () = {
    let mut k = 0;
    while k < FWD_CHECKS {
        assert!(ALL_FWD[k] as usize == k);
        k += 1;
    }
};

/// The LINEFORWARDLIST at field `i` and its entries as the decoder reads them in the
/// request's version (`parse_with`), or as it guesses without one (`parse`): `None` when
/// there is no list to read (field 0xFFFFFFFF, the structure does not resolve or is shorter
/// than its fixed part: other rules report that), `Some(Err)` when the entries do not fit.
#[allow(clippy::type_complexity)]
fn forward_entries<'a>(
    ctx: &Ctx<'a>,
    memo: &mut Memo<'a>,
    i: FieldIndex,
) -> Option<(Result<Entries<'a, LINEFORWARD<'a>>, DecodeError>, usize)> {
    let Some(Ok(raw)) = memo.parsed(ctx, i) else {
        return None;
    };
    // The list's fixed part: LINEFORWARD offsets are from the start of the list (2.2.6.30)
    // and never point into its header.
    let floor = raw.fixed_bytes().len();
    Some((LINEFORWARDLIST::from_raw(raw).forward_list(), floor))
}

/// Check `check` on one entry: `Some(detail)` when violated.
fn forward_entry(
    e: &LINEFORWARD<'_>,
    check: FwdCheck,
    floor: usize,
) -> Option<Option<DecodeError>> {
    let raw = e.raw();
    let caller = &structures::descs::LINEFORWARD::caller_address;
    let dest = &structures::descs::LINEFORWARD::dest_address;
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
}

/// Evaluates a LINEFORWARDLIST check alone: `Some(detail)` when violated (at the first entry
/// that violates it).
pub(super) fn forward<'a>(
    ctx: &Ctx<'a>,
    memo: &mut Memo<'a>,
    i: FieldIndex,
    check: FwdCheck,
) -> Option<Option<DecodeError>> {
    let (entries, floor) = forward_entries(ctx, memo, i)?;
    match entries {
        Ok(mut entries) => entries.find_map(|e| forward_entry(&e, check, floor)),
        Err(e) => (check == FwdCheck::Entries).then_some(Some(e)),
    }
}

/// Every LINEFORWARDLIST check on the list at field `i`, in one pass over its entries: bit
/// `k` is set when check `k` ([`FwdCheck`] as `u8`) fails, as [`forward`] alone says.
pub(super) fn forward_failing<'a>(ctx: &Ctx<'a>, memo: &mut Memo<'a>, i: FieldIndex) -> u8 {
    // A list whose entries read as none (dwNumEntries 0, the usual case): no check can fail,
    // as the walk below finds.
    if let Some(Ok(raw)) = memo.parsed(ctx, i) {
        if raw.inline_entries_empty(&structures::descs::LINEFORWARDLIST::forward_list) {
            return 0;
        }
    }
    let Some((entries, floor)) = forward_entries(ctx, memo, i) else {
        return 0;
    };
    let entries = match entries {
        Ok(e) => e,
        Err(_) => return 1 << FwdCheck::Entries as u8,
    };
    // Entries passes once the entries are read; the five others fail at the first entry
    // that breaks them.
    const OTHERS: [FwdCheck; 5] = [
        FwdCheck::Mode,
        FwdCheck::CallerOffset,
        FwdCheck::CallerExtent,
        FwdCheck::DestOffset,
        FwdCheck::DestExtent,
    ];
    let all = OTHERS.iter().fold(0u8, |m, c| m | 1 << *c as u8);
    let mut failing = 0u8;
    for e in entries {
        for check in OTHERS {
            let bit = 1 << check as u8;
            if failing & bit == 0 && forward_entry(&e, check, floor).is_some() {
                failing |= bit;
            }
        }
        if failing == all {
            break;
        }
    }
    failing
}

/// The structure at field `i` (role `Structure`) as the decoder reads it: resolved
/// (DWORD-aligned, dwTotalSize inside VarData), decoded as its catalogue structure in the
/// request's version (`decode_any_with`; `decode_any` without a version), and every
/// item of it (and of its entries) resolved. `Err` with the decoder's error when it does not.
/// A field holding 0xFFFFFFFF passes (no structure).
///
/// The structure is looked up once at compile time ([`super::rules::Compiled::structures`],
/// the role's name in the catalogue: what `decode_any` matches by name) and parsed once per
/// request ([`Memo::view`], shared with the LINECALLPARAMS and LINEFORWARDLIST rules).
#[inline(always)]
pub(super) fn decodes<'a>(
    ctx: &Ctx<'a>,
    memo: &mut Memo<'a>,
    i: FieldIndex,
) -> Result<(), DecodeError> {
    let Some(field) = ctx.desc.fields.get(i as usize) else {
        return Ok(());
    };
    if !matches!(field.role, Role::Structure { .. }) {
        return Ok(());
    }
    // The usual case, from the bytes alone (no slot, no view), here in the block's runner:
    // the structure resolves, certainly opens and no item holds data.
    if memo.empty & super::bit(i) != 0 || super::engine::field_opens_empty(ctx, i) {
        return Ok(());
    }
    // A structure whose size members already fail (a header of dwTotalSize, dwNeededSize and
    // dwUsedSize with dwUsedSize short of the fixed part, ...): the parse's error, without the
    // slot and the parse (the error `memo.decodes` gives, as every parse begins with those
    // checks).
    if let Some(e) = super::engine::field_size_error(ctx, i) {
        return Err(e);
    }
    // Resolved, parsed and its items' data found once per request, shared with the other
    // rules of the field; no item with data (each pair is absent or has size 0, no inline
    // array): nothing for `validate` to resolve (an item of size 0 resolves to nothing
    // whatever its offset, 2.2.6; an array of size 0 has no entries).
    memo.decodes(ctx, i, callparams::items_with_data)
}
