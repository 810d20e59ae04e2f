//! Rules over the structures a request embeds in VarData (LINEFORWARDLIST, and the
//! "the structure decodes" packet-section rules), evaluated over the structure catalogue's
//! views: the same sizes, entry strides and item resolution as the decoder
//! ([`crate::requests::StructRef::decode`]), never a reading of the bytes of their own. With
//! the request's TAPI version ([`super::Ctx::version`]) the views are read with `parse_with` /
//! `decode_any_with` (that version's fixed part and entry size), without one as the decoder
//! guesses.

use crate::errors::DecodeError;
use crate::requests::Role;
use crate::structures::{self, Entries, FromRaw, LINEFORWARD, LINEFORWARDLIST, VarKind};

use super::callparams::{extent_bad, offset_bad};
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

/// Evaluates every LINEFORWARDLIST check on the list at field `i` in one pass over its
/// entries: entry `k` of the result is what check `k` alone gives, `Some(detail)` when
/// violated (the first entry that violates it), `None` when it passes or there is no list to
/// read (field 0xFFFFFFFF, the structure does not resolve or is shorter than its fixed part:
/// other rules report that).
pub(super) fn forward_all<'a>(
    ctx: &Ctx<'a>,
    memo: &mut Memo<'a>,
    i: FieldIndex,
) -> [Option<Option<DecodeError>>; FWD_CHECKS] {
    let mut out = [None; FWD_CHECKS];
    // The list as the decoder reads it in the request's version (`parse_with`), or as it
    // guesses without one (`parse`).
    let Some(Ok(raw)) = memo.view(ctx, i) else {
        return out;
    };
    let list = LINEFORWARDLIST::from_raw(raw);
    let entries: Entries<'_, LINEFORWARD<'_>> = match list.forward_list() {
        Ok(e) => e,
        Err(e) => {
            out[FwdCheck::Entries as usize] = Some(Some(e));
            return out;
        }
    };
    // The list's fixed part: LINEFORWARD offsets are from the start of the list (2.2.6.30)
    // and never point into its header.
    let floor = raw.fixed_bytes().len();
    let caller = &structures::descs::LINEFORWARD::caller_address;
    let dest = &structures::descs::LINEFORWARD::dest_address;
    // Entries always passes once the entries are read; the five others look for the first
    // entry that breaks them.
    let mut open = FWD_CHECKS - 1;
    for e in entries {
        let raw = e.raw();
        for check in &ALL_FWD[1..] {
            let slot = &mut out[*check as usize];
            if slot.is_some() {
                continue;
            }
            *slot = match check {
                FwdCheck::Entries => None,
                FwdCheck::Mode => {
                    (!bits_ok(e.dw_forward_mode(), consts::LINEFORWARDMODE, Bits::One))
                        .then_some(None)
                }
                FwdCheck::CallerOffset => offset_bad(&raw, caller, floor).map(Some),
                FwdCheck::CallerExtent => extent_bad(&raw, caller).map(Some),
                FwdCheck::DestOffset => offset_bad(&raw, dest, floor).map(Some),
                FwdCheck::DestExtent => extent_bad(&raw, dest).map(Some),
            };
            if slot.is_some() {
                open -= 1;
            }
        }
        if open == 0 {
            break;
        }
    }
    out
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
    if memo.structure(ctx, i)?.is_none() {
        return Ok(());
    }
    match memo.view(ctx, i) {
        None => Ok(()),
        Some(raw) => {
            let raw = raw?;
            if no_items(&raw) {
                Ok(())
            } else {
                raw.validate()
            }
        }
    }
}

/// Whether no (size, offset) pair of `raw` holds data: each is absent (a member an older
/// version does not have) or has size 0, and none is an inline array. Such a structure has
/// nothing for [`crate::structures::Raw::validate`] to resolve (an item of size 0 resolves to
/// nothing whatever its offset, 2.2.6; an array of size 0 has no entries), so it validates.
fn no_items(raw: &crate::structures::Raw<'_>) -> bool {
    raw.desc().vars.iter().all(|v| {
        !matches!(v.kind, VarKind::InlineEntries { .. })
            && raw.pair(v).is_none_or(|(size, _)| size == 0)
    })
}
