//! Evaluation of rule shapes. Every offset, size and string goes through [`VarData`].

use crate::errors::{DecodeError, DecodeErrorKind};
use crate::handles::{HLine, Version};
use crate::structures::{Header, Raw, StructDesc, VarKind};
use crate::vardata::{ABSENT, Align, VarData};

use super::{
    Bits, Bound, Check, Ctx, FieldIndex, Guard, Rule, ServerState, Violation, callparams, consts,
    embedded, rules,
};

/// How many embedded structures of one request [`Memo`] keeps (Forward has two, LINEFORWARDLIST
/// and LINECALLPARAMS; every other request at most one).
const SLOTS: usize = 2;

/// What the rules of one request read from the same embedded structure, worked out once per
/// request and shared between them: a LINECALLPARAMS is read by its function rule (the 35
/// rules of the LINECALLPARAMS block) and by its `decodes` rule, a LINEFORWARDLIST by six
/// rules and its `decodes` rule. Every value is what the rule would compute on its own
/// (the same resolver call, the same `parse`/`parse_with` of the catalogue's structure in
/// [`Ctx::version`]), computed once. The parse keeps its error (the `decodes` rule and CP.1
/// report it, and parsing again for it cost as much as the first parse); the resolver's
/// error is computed again, the same way, by the rule that reports it.
pub(super) struct Memo<'a> {
    slots: [Option<Slot<'a>>; SLOTS],
    /// The LINEFORWARDLIST field last checked and its failing checks: bit `k` set when
    /// [`embedded::FwdCheck`] `k` fails (a request has at most one such list; another field
    /// replaces it).
    forward: Option<(FieldIndex, u8)>,
    /// The fields whose structure is known to pass its `decodes` rule (it opens with no item
    /// holding data, [`field_opens_empty`], or every item with data fits and decodes), one
    /// bit per field: found by the LINECALLPARAMS block's check from the bytes
    /// ([`callparams::AtOnce::Passes`]), read by the field's `decodes` rule.
    pub(super) empty: u16,
}

#[derive(Clone, Copy)]
struct Slot<'a> {
    /// The field holding the structure's offset.
    field: FieldIndex,
    /// `VarData::structure` of the field, DWORD-aligned (`Err(())`: it fails).
    bytes: Result<Option<&'a [u8]>, ()>,
    /// Those bytes parsed as the field's catalogue structure in the request's version.
    view: Option<Result<Raw<'a>, DecodeError>>,
    /// The items of the parsed structure that hold data ([`callparams::items_with_data`]).
    with_data: Option<u64>,
}

impl<'a> Memo<'a> {
    /// Nothing worked out yet.
    pub(super) fn new() -> Memo<'a> {
        Memo {
            slots: [None; SLOTS],
            forward: None,
            empty: 0,
        }
    }

    /// The slot of field `i`, made on first use; `None` when every slot holds another field
    /// (the caller then computes without keeping).
    fn slot(&mut self, ctx: &Ctx<'a>, i: FieldIndex) -> Option<&mut Slot<'a>> {
        let k = self
            .slots
            .iter()
            .position(|s| s.is_none_or(|s| s.field == i))?;
        let slot = &mut self.slots[k];
        Some(slot.get_or_insert_with(|| {
            Slot {
                field: i,
                // The error's detail is not kept: no origin to build.
                bytes: ctx
                    .var
                    .structure_checked(ctx.get(i), Align::Dword)
                    .map_err(|_| ()),
                view: None,
                with_data: None,
            }
        }))
    }

    /// The structure at field `i` parsed as the field's catalogue structure
    /// ([`rules::Compiled::structures`]) in the request's version: `parse_with` with
    /// [`Ctx::version`], `parse` without. `None` when the field is 0xFFFFFFFF, the structure
    /// does not resolve (other rules report that) or the field is not a structure.
    pub(super) fn view(
        &mut self,
        ctx: &Ctx<'a>,
        i: FieldIndex,
    ) -> Option<Result<Raw<'a>, DecodeError>> {
        let desc = desc_of(ctx, i)?;
        let Some(s) = self.slot(ctx, i) else {
            let bytes = resolve_structure(ctx, i).ok()??;
            return Some(parse(desc, bytes, ctx, i));
        };
        let bytes = s.bytes.ok()??;
        Some(*s.view.get_or_insert_with(|| parse(desc, bytes, ctx, i)))
    }

    /// [`Memo::view`] without the parse error's detail (`Err(())`), for the rules that only
    /// need to know whether the structure parses.
    pub(super) fn parsed(&mut self, ctx: &Ctx<'a>, i: FieldIndex) -> Option<Result<Raw<'a>, ()>> {
        self.view(ctx, i).map(|r| r.map_err(|_| ()))
    }

    /// [`Memo::view`] and, when the structure parses, [`callparams::items_with_data`] of the
    /// view, worked out once by `compute` (that function, or one that gives the same for the
    /// field's structure: [`callparams::callparams_with_data`] for a LINECALLPARAMS), with one
    /// look-up of the field's slot.
    #[allow(clippy::type_complexity)]
    #[inline(always)]
    pub(super) fn view_with_data(
        &mut self,
        ctx: &Ctx<'a>,
        i: FieldIndex,
        compute: impl Fn(&Raw<'_>) -> u64,
    ) -> Option<Result<(Raw<'a>, u64), DecodeError>> {
        let desc = desc_of(ctx, i)?;
        let Some(s) = self.slot(ctx, i) else {
            let bytes = resolve_structure(ctx, i).ok()??;
            return Some(parse(desc, bytes, ctx, i).map(|raw| (raw, compute(&raw))));
        };
        let bytes = s.bytes.ok()??;
        let raw = match s.view.get_or_insert_with(|| parse(desc, bytes, ctx, i)) {
            Ok(raw) => *raw,
            Err(e) => return Some(Err(*e)),
        };
        Some(Ok((raw, *s.with_data.get_or_insert_with(|| compute(&raw)))))
    }

    /// What [`embedded::decodes`] gives for the structure field `i`, with one look-up of the
    /// field's slot: the resolver's error (`resolve_structure`); `Ok` when the field is
    /// 0xFFFFFFFF or is not a catalogue structure; the parse error ([`Memo::view`]); `Ok`
    /// when no item holds data (`compute`, worked out once as in [`Memo::view_with_data`]); else `Raw::validate`.
    pub(super) fn decodes(
        &mut self,
        ctx: &Ctx<'a>,
        i: FieldIndex,
        compute: impl Fn(&Raw<'_>) -> u64,
    ) -> Result<(), DecodeError> {
        let Some(s) = self.slot(ctx, i) else {
            // No slot: the same, computed without keeping.
            let Some(bytes) = resolve_structure(ctx, i)? else {
                return Ok(());
            };
            let Some(desc) = desc_of(ctx, i) else {
                return Ok(());
            };
            let raw = parse(desc, bytes, ctx, i)?;
            return if compute(&raw) == 0 {
                Ok(())
            } else {
                raw.validate()
            };
        };
        let bytes = match s.bytes {
            Ok(bytes) => bytes,
            // The error's detail: resolve again.
            Err(()) => return resolve_structure(ctx, i).map(|_| ()),
        };
        let Some(bytes) = bytes else {
            return Ok(());
        };
        let Some(desc) = desc_of(ctx, i) else {
            return Ok(());
        };
        // The view read in place, in the slot.
        let raw = match s.view.get_or_insert_with(|| parse(desc, bytes, ctx, i)) {
            Ok(raw) => &*raw,
            Err(e) => return Err(*e),
        };
        if *s.with_data.get_or_insert_with(|| compute(raw)) == 0 {
            Ok(())
        } else {
            raw.validate()
        }
    }

    /// Whether LINEFORWARDLIST check `check` fails on the list at field `i`: every check is
    /// worked out on first use, in one pass over the entries ([`embedded::forward_failing`]),
    /// out of line ([`Memo::forward_first`]); the checks after the first read what it kept,
    /// here in the block's runner.
    #[inline(always)]
    pub(super) fn forward_fails(
        &mut self,
        ctx: &Ctx<'a>,
        i: FieldIndex,
        check: embedded::FwdCheck,
    ) -> bool {
        let failing = match self.forward {
            Some((f, failing)) if f == i => failing,
            _ => self.forward_first(ctx, i),
        };
        failing & (1 << check as u8) != 0
    }

    /// The failing checks of the list at field `i`, worked out and kept ([`Memo::forward_fails`]).
    #[inline(never)]
    fn forward_first(&mut self, ctx: &Ctx<'a>, i: FieldIndex) -> u8 {
        // The usual case, from the bytes alone: a list that opens with no entries fails no
        // check (as `forward_failing` finds).
        let failing = if field_opens_empty(ctx, i) {
            0
        } else {
            embedded::forward_failing(ctx, self, i)
        };
        self.forward = Some((i, failing));
        failing
    }
}

/// The field's catalogue structure, if its role is one.
fn desc_of(ctx: &Ctx<'_>, i: FieldIndex) -> Option<&'static StructDesc> {
    rules::compiled(ctx.desc.func)
        .structures
        .get(i as usize)
        .copied()
        .flatten()
}

/// Whether `bytes`, a structure that resolved (`VarData::structure_fast`: its dwTotalSize
/// bytes), opens as `desc` in every version and as the decoder guesses, with no item holding
/// data, decided from the bytes alone: a header of one size member (dwTotalSize or dwSize)
/// that covers the newest fixed part (`desc.size`, which holds every version's fixed part and
/// the oldest: a test checks it over the catalogue), and no item whose size member (an inline
/// array's count) is not 0, every inline array starting inside the structure
/// (`Raw::inline_entries_empty`). Then the `decodes` rule passes ([`Memo::decodes`]: the parse cannot
/// fail, and no item holds data: [`callparams::items_with_data`] reads its sizes from the
/// part of these bytes kept as the fixed part). `false` leaves the structure to the full
/// rules.
#[inline(always)]
pub(super) fn opens_empty(desc: &StructDesc, bytes: &[u8]) -> bool {
    if !one_size_member(desc) {
        return false;
    }
    let total = bytes
        .first_chunk::<4>()
        .map_or(0, |b| u32::from_le_bytes(*b) as usize);
    if total < desc.size || total > bytes.len() {
        return false;
    }
    for v in desc.vars {
        let size_0 = bytes
            .get(v.size_at..)
            .and_then(|b| b.first_chunk::<4>())
            .is_none_or(|b| *b == [0; 4]);
        if !size_0 || matches!(v.kind, VarKind::InlineEntries { .. }) && v.offset_at > total {
            return false;
        }
    }
    true
}

/// Whether the structure at field `i` resolves and [`opens_empty`] (a LINECALLPARAMS field,
/// known at compile time: [`callparams::opens_empty`], its sizes at constant offsets).
#[inline(always)]
pub(super) fn field_opens_empty(ctx: &Ctx<'_>, i: FieldIndex) -> bool {
    let Some(desc) = desc_of(ctx, i).filter(|d| one_size_member(d)) else {
        return false;
    };
    let Some(Some(bytes)) = ctx.var.structure_fast(ctx.get(i), Align::Dword) else {
        return false;
    };
    if rules::compiled(ctx.desc.func).callparams & super::bit(i) != 0 {
        callparams::opens_empty(bytes).is_some()
    } else {
        opens_empty(desc, bytes)
    }
}

/// Whether the structure at field `i`, some item of which holds data, passes its `decodes`
/// rule, decided without the memo: it resolves in the resolver's common case
/// (`VarData::structure_fast`), it opens as [`Memo::decodes`] opens it ([`parse`]), and every
/// item fits ([`Raw::validates_fast`], which implies `Raw::validate`). `false` leaves the
/// rule to [`Memo::decodes`]. The parse is out of line, and takes plain values so that the
/// runner's context stays in registers.
#[inline(always)]
pub(super) fn field_validates_fast(ctx: &Ctx<'_>, i: FieldIndex) -> bool {
    let Some(desc) = desc_of(ctx, i) else {
        return false;
    };
    let Some(Some(bytes)) = ctx.var.structure_fast(ctx.get(i), Align::Dword) else {
        return false;
    };
    // A dwUsedSize short of the oldest fixed part fails every parse (`Raw::bounds`): left to
    // the full rule, which reports it (`field_size_error`), without parsing here first.
    let used = bytes
        .get(8..12)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    if desc.header == Header::Full && used.is_none_or(|u| (u as usize) < desc.min_size) {
        return false;
    }
    let callparams = rules::compiled(ctx.desc.func).callparams & super::bit(i) != 0;
    parsed_validates_fast(desc, bytes, ctx.version, callparams)
}

/// `bytes` parsed as [`parse_as`] parses them, and [`Raw::validates_fast`].
#[inline(never)]
fn parsed_validates_fast(
    desc: &'static StructDesc,
    bytes: &[u8],
    version: Option<Version>,
    callparams: bool,
) -> bool {
    parse_as(desc, bytes, version, callparams).is_ok_and(|raw| raw.validates_fast())
}

/// The error the parse of the structure at field `i` gives ([`Memo::decodes`]) when it fails
/// on its size members alone (`Raw::size_error`: the first checks of every parse, whose error
/// every parse returns unchanged), from the bytes the resolver's common case gives, with no
/// slot and no parse. `None` leaves the structure to [`Memo::decodes`] (it resolves otherwise
/// or its size members pass).
#[inline(always)]
pub(super) fn field_size_error(ctx: &Ctx<'_>, i: FieldIndex) -> Option<DecodeError> {
    let desc = desc_of(ctx, i)?;
    let Some(Some(bytes)) = ctx.var.structure_fast(ctx.get(i), Align::Dword) else {
        return None;
    };
    Raw::size_error(desc, bytes)
}

/// Whether `desc`'s header is one size member (dwTotalSize or dwSize), the headers
/// [`opens_empty`] decides.
#[inline(always)]
fn one_size_member(desc: &StructDesc) -> bool {
    matches!(desc.header, Header::Total | Header::Size)
}

/// `VarData::structure` of field `i`, DWORD-aligned.
fn resolve_structure<'a>(ctx: &Ctx<'a>, i: FieldIndex) -> Result<Option<&'a [u8]>, DecodeError> {
    ctx.var.structure(ctx.origin(i), ctx.get(i), Align::Dword)
}

/// `bytes`, the structure at field `i`, as `desc` in the request's version (`parse_with`), or
/// as the decoder guesses without one (`parse`): what `decode_any_with` / `decode_any` and the
/// typed views' `parse` do for that structure. A LINECALLPARAMS opens over the pairs of
/// [`callparams::CP_OPEN`] (the same result, `Raw::parse_pairs`).
fn parse<'a>(
    desc: &'static StructDesc,
    bytes: &'a [u8],
    ctx: &Ctx<'_>,
    i: FieldIndex,
) -> Result<Raw<'a>, DecodeError> {
    let callparams = rules::compiled(ctx.desc.func).callparams & super::bit(i) != 0;
    parse_as(desc, bytes, ctx.version, callparams)
}

/// `bytes` as `desc` in `version` (`parse_with`) or as the decoder guesses (`parse`); a
/// LINECALLPARAMS field (`callparams`) over [`callparams::CP_OPEN`], which gives the same.
#[inline(always)]
fn parse_as<'a>(
    desc: &'static StructDesc,
    bytes: &'a [u8],
    version: Option<Version>,
    callparams: bool,
) -> Result<Raw<'a>, DecodeError> {
    if callparams {
        return Raw::parse_pairs(desc, bytes, version, &callparams::CP_OPEN);
    }
    match version {
        Some(v) => Raw::parse_with(desc, bytes, v),
        None => Raw::parse(desc, bytes),
    }
}

/// The result of one check.
pub(super) enum Outcome {
    /// The request satisfies the rule (or the rule could not be evaluated: no state).
    Pass,
    /// The request violates the rule.
    Fail(Option<DecodeError>),
}

use Outcome::{Fail, Pass};

impl Outcome {
    fn from_bool(violated: bool) -> Outcome {
        if violated { Fail(None) } else { Pass }
    }
}

#[inline(always)]
pub(super) fn guard_holds(guard: Guard, ctx: &Ctx<'_>) -> bool {
    match guard {
        Guard::Always => true,
        Guard::Present(i) => ctx.get(i) != ABSENT,
        Guard::Eq(i, v) => ctx.get(i) == v,
        Guard::Any(i, m) => ctx.get(i) & m != 0,
        Guard::NonZero(i) => ctx.get(i) != 0,
        Guard::If(p) => p(ctx),
    }
}

/// One rule of a block as [`super::validate_call_into`] runs it: without a state, a stateful
/// rule passes and is not run; a `Decodes` rule is not run when an earlier layout rule already
/// failed on its field (`broken`, one bit per field: one report per defect), and every
/// layout violation marks its field. Inlined into each block's compiled `run`
/// ([`rules::runner`]), where `rule` is a constant.
#[inline(always)]
pub(super) fn step<'a>(
    rule: &'static Rule,
    ctx: &Ctx<'a>,
    state: Option<&dyn ServerState>,
    memo: &mut Memo<'a>,
    broken: &mut u16,
    sink: &mut dyn FnMut(Violation),
) {
    if state.is_none() && rule.check.needs_state() {
        return;
    }
    if let Check::Decodes(i) = rule.check {
        if *broken & super::bit(i) != 0 {
            return;
        }
    }
    run(rule, ctx, state, memo, &mut |v| {
        if let Some(i) = v.layout_field() {
            *broken |= super::bit(i);
        }
        sink(v)
    });
}

/// Runs `rule` against `ctx`, handing any violation to `sink`.
#[inline(always)]
pub(super) fn run<'a>(
    rule: &'static Rule,
    ctx: &Ctx<'a>,
    state: Option<&dyn ServerState>,
    memo: &mut Memo<'a>,
    sink: &mut dyn FnMut(Violation),
) {
    if !guard_holds(rule.guard, ctx) {
        return;
    }
    // The rule's `VersionSource` is already folded into `ctx.version` (see `version_for`).
    if let Check::CallParams(field, _) = rule.check {
        // The usual case, from the bytes alone and here, in the block's runner: no rule of
        // the LINECALLPARAMS block can fail.
        match callparams::passes_at_once(ctx, field) {
            callparams::AtOnce::Passes => memo.empty |= super::bit(field),
            callparams::AtOnce::RulesPass => {}
            callparams::AtOnce::Unknown => callparams::run(rule, ctx, memo, field, sink),
        }
        return;
    }
    // Most rules compare fields with constants: those are decided here, without a detail;
    // the others (references, structures, state) in `eval`.
    if let Some(violated) = value(rule.check, ctx) {
        if violated {
            sink(Violation {
                rule,
                via: None,
                detail: None,
            });
        }
        return;
    }
    if let Fail(detail) = eval(rule.check, ctx, state, memo) {
        sink(Violation {
            rule,
            via: None,
            detail,
        });
    }
}

/// Whether `rule` certainly passes when validating without a state, decided from the fixed
/// DWORDs and the bytes by the common cases of the resolvers and the checks from the bytes
/// alone ([`VarData`]'s `*_fast`, [`field_opens_empty`], [`callparams::passes_at_once`]): no
/// memo, no detail, no violation to hand over. `false` when the rule fails or this cannot
/// tell; then the block's full rules run ([`step`]) and give every violation. Where this
/// says `true`, [`run`] with no state hands over no violation for the rule (each arm below
/// takes the passing case of the arm [`run`] and [`eval`] take), so that a request every rule
/// of which passes here needs nothing else. Inlined into each block's stateless runner with
/// `rule` a constant.
#[inline(always)]
pub(super) fn passes_stateless(rule: &'static Rule, ctx: &Ctx<'_>, decoded: &mut u16) -> bool {
    // Without a state the stateful rules pass (`eval`), and a rule whose guard does not hold
    // is not run.
    if rule.check.needs_state() || !guard_holds(rule.guard, ctx) {
        return true;
    }
    if let Check::CallParams(field, _) = rule.check {
        return match callparams::passes_at_once(ctx, field) {
            callparams::AtOnce::Passes => {
                *decoded |= super::bit(field);
                true
            }
            callparams::AtOnce::RulesPass => true,
            callparams::AtOnce::Unknown => false,
        };
    }
    if let Some(violated) = value(rule.check, ctx) {
        return !violated;
    }
    // The resolvers' common cases (`VarData::*_fast`: where they give a value, the resolver
    // gives the same, so `reference` passes); 0xFFFFFFFF fails, as in `reference`.
    let raw = |i: FieldIndex| Some(ctx.get(i)).filter(|r| *r != ABSENT);
    let var = ctx.var;
    match rule.check {
        Check::StrAligned(i) => raw(i).is_some_and(|r| bytes_at(var, r, 0, Align::Wchar)),
        Check::StrWithin(i) => raw(i).is_some_and(|r| bytes_at(var, r, 0, Align::Byte)),
        Check::StrTerminated(i) => raw(i).is_some_and(|r| string_at(var, r, Align::Byte)),
        Check::Str(i) => raw(i).is_some_and(|r| string_at(var, r, Align::Wchar)),
        Check::AlignedWithin(i) => raw(i).is_some_and(|r| bytes_at(var, r, 0, Align::Dword)),
        Check::Extent(i, s) => raw(i).is_some_and(|r| bytes_at(var, r, ctx.get(s), Align::Byte)),
        Check::Block(i, s) => raw(i).is_some_and(|r| bytes_at(var, r, ctx.get(s), Align::Dword)),
        // `fits_checked`: the structure resolves, and VarData holds its fixed part.
        Check::Fits(i, desc) => raw(i).is_some_and(|r| {
            structure_at(var, r, Align::Byte)
                && bytes_at(var, r, super::struct_size(desc, ctx.version), Align::Byte)
        }),
        Check::Resolves(i) => {
            use crate::requests::Role;
            match ctx.desc.fields.get(i as usize).map(|f| f.role) {
                Some(Role::String { .. }) => {
                    raw(i).is_some_and(|r| string_at(var, r, Align::Wchar))
                }
                Some(Role::Bytes { size, .. }) => match ctx.dwords.get(size) {
                    Some(&size) => raw(i).is_some_and(|r| bytes_at(var, r, size, Align::Dword)),
                    None => false,
                },
                Some(Role::Structure { .. }) => {
                    raw(i).is_some_and(|r| structure_at(var, r, Align::Dword))
                }
                Some(_) => true,
                None => false,
            }
        }
        // A list that opens with no entries fails no check (`Memo::forward_fails`).
        Check::Forward(i, _) => field_opens_empty(ctx, i),
        // Not a structure, absent, or opening with no item holding data (`embedded::decodes`).
        Check::Decodes(i) => match ctx.desc.fields.get(i as usize).map(|f| f.role) {
            Some(crate::requests::Role::Structure { .. }) => {
                ctx.get(i) == ABSENT
                    || *decoded & super::bit(i) != 0
                    || field_opens_empty(ctx, i)
                    || field_validates_fast(ctx, i)
            }
            Some(_) => true,
            None => false,
        },
        // Decided above (`value`, `needs_state`, CallParams) or only in their own tables:
        // `eval` passes them.
        Check::VarDataAtLeast(_)
        | Check::AtLeast(..)
        | Check::AtMost(..)
        | Check::MultipleOf(..)
        | Check::NonZero(_)
        | Check::Equals(..)
        | Check::Bits(..)
        | Check::Version(..)
        | Check::NotGreater(..)
        | Check::VersionBetween(..)
        | Check::Custom(_)
        | Check::Handle(..)
        | Check::DeviceId(..)
        | Check::ProxyRegistered(_)
        | Check::ProxyHandles(_)
        | Check::Fact(_)
        | Check::WithState(_)
        | Check::CallParams(..)
        | Check::Cp(_)
        | Check::Call(_) => true,
    }
}

/// `size` bytes at `r` in [`VarData::bytes_fast`]'s common case.
#[inline(always)]
fn bytes_at(var: VarData<'_>, r: u32, size: u32, align: Align) -> bool {
    matches!(var.bytes_fast(r, size, align), Some(Some(_)))
}

/// A string at `r` in [`VarData::string_fast`]'s common case
/// ([`VarData::string_resolves_fast`]).
#[inline(always)]
fn string_at(var: VarData<'_>, r: u32, align: Align) -> bool {
    var.string_resolves_fast(r, align)
}

/// A structure at `r` in [`VarData::structure_fast`]'s common case.
#[inline(always)]
fn structure_at(var: VarData<'_>, r: u32, align: Align) -> bool {
    matches!(var.structure_fast(r, align), Some(Some(_)))
}

/// Resolves a reference with `resolve` (one of [`VarData`]'s resolvers without the origin:
/// the failed check alone) and fails when the resolver reports an error `fails` recognises,
/// with the error the resolver with the field's origin gives (`Origin::error` of the same
/// kind: the origin is built only when the rule fails). 0xFFFFFFFF fails: a rule whose
/// sentence or packet allows it carries a [`Guard::Present`].
#[inline(always)]
fn reference<'a, T>(
    ctx: &Ctx<'a>,
    i: FieldIndex,
    resolve: impl FnOnce(VarData<'a>, u32) -> Result<T, DecodeErrorKind>,
    fails: fn(&DecodeErrorKind) -> bool,
) -> Outcome {
    let raw = ctx.get(i);
    if raw == ABSENT {
        return Fail(None);
    }
    match resolve(ctx.var, raw) {
        Ok(_) => Pass,
        Err(kind) if fails(&kind) => Fail(Some(ctx.origin(i).error(kind))),
        Err(_) => Pass,
    }
}

fn misaligned(k: &DecodeErrorKind) -> bool {
    matches!(k, DecodeErrorKind::Misaligned { .. })
}

fn outside(k: &DecodeErrorKind) -> bool {
    matches!(k, DecodeErrorKind::OffsetOutOfBounds { .. })
}

fn misaligned_or_outside(k: &DecodeErrorKind) -> bool {
    misaligned(k) || outside(k)
}

fn beyond(k: &DecodeErrorKind) -> bool {
    matches!(
        k,
        DecodeErrorKind::Overflow { .. } | DecodeErrorKind::SizeOutOfBounds { .. }
    )
}

fn outside_or_beyond(k: &DecodeErrorKind) -> bool {
    outside(k) || beyond(k)
}

fn unterminated(k: &DecodeErrorKind) -> bool {
    matches!(k, DecodeErrorKind::Unterminated { .. })
}

fn any(_: &DecodeErrorKind) -> bool {
    true
}

fn bound(ctx: &Ctx<'_>, b: Bound) -> u32 {
    match b {
        Bound::Const(v) => v,
        Bound::Field(i) => ctx.get(i),
        Bound::Struct(d) => super::struct_size(d, ctx.version),
    }
}

/// Whether `v` relates to the constant set `mask` as `how` requires.
pub(super) fn bits_ok(v: u32, mask: u32, how: Bits) -> bool {
    let one = v.is_power_of_two() && v & !mask == 0;
    match how {
        Bits::One => one,
        Bits::ZeroOrOne => v == 0 || one,
        Bits::Subset => v & !mask == 0,
        Bits::NonZeroSubset => v != 0 && v & !mask == 0,
    }
}

/// The structure at `raw` resolves (its dwTotalSize, at least 4, lies inside VarData) and
/// VarData holds at least `min` bytes from `raw` (its fixed portion): the failed check
/// alone, without the origin.
#[inline(always)]
fn fits_checked(var: VarData<'_>, raw: u32, min: u32) -> Result<(), DecodeErrorKind> {
    var.structure_checked(raw, Align::Byte)?;
    var.bytes_checked(raw, min, Align::Byte).map(|_| ())
}

fn structure_too_small(k: &DecodeErrorKind) -> bool {
    matches!(k, DecodeErrorKind::StructureTooSmall { .. })
}

/// The checks on the fixed DWORDs alone (no reference, structure or state): `Some(true)`
/// when violated, `None` for the other shapes.
#[inline(always)]
fn value(check: Check, ctx: &Ctx<'_>) -> Option<bool> {
    Some(match check {
        Check::VarDataAtLeast(b) => ctx.capacity < u64::from(bound(ctx, b)),
        Check::AtLeast(i, b) => ctx.get(i) < bound(ctx, b),
        Check::AtMost(i, max) => ctx.get(i) > max,
        Check::MultipleOf(i, n) => n != 0 && ctx.get(i) % n != 0,
        Check::NonZero(i) => ctx.get(i) == 0,
        Check::Equals(i, v) => ctx.get(i) != v,
        Check::Bits(i, mask, how) => !bits_ok(ctx.get(i), mask, how),
        Check::Version(i, set) => !set.contains(&ctx.get(i)),
        Check::NotGreater(a, b) => ctx.get(a) > ctx.get(b),
        Check::VersionBetween(lo, hi) => {
            let (lo, hi) = (ctx.get(lo), ctx.get(hi));
            !consts::TAPI_VERSIONS.iter().any(|v| (lo..=hi).contains(v))
        }
        Check::Custom(p) => p(ctx),
        _ => return None,
    })
}

#[inline(always)]
fn eval<'a>(
    check: Check,
    ctx: &Ctx<'a>,
    state: Option<&dyn ServerState>,
    memo: &mut Memo<'a>,
) -> Outcome {
    if let Some(violated) = value(check, ctx) {
        return Outcome::from_bool(violated);
    }
    match check {
        Check::StrAligned(i) => reference(
            ctx,
            i,
            |v, r| v.bytes_checked(r, 0, Align::Wchar),
            misaligned,
        ),
        Check::StrWithin(i) => {
            reference(ctx, i, |v, r| v.bytes_checked(r, 0, Align::Byte), outside)
        }
        Check::StrTerminated(i) => reference(
            ctx,
            i,
            #[inline(always)]
            |v, r| v.string_checked(r, Align::Byte),
            unterminated,
        ),
        Check::Str(i) => reference(
            ctx,
            i,
            #[inline(always)]
            |v, r| v.string_checked(r, Align::Wchar),
            any,
        ),
        Check::AlignedWithin(i) => reference(
            ctx,
            i,
            |v, r| v.bytes_checked(r, 0, Align::Dword),
            misaligned_or_outside,
        ),
        Check::Extent(i, s) => {
            let size = ctx.get(s);
            reference(ctx, i, |v, r| v.bytes_checked(r, size, Align::Byte), beyond)
        }
        Check::Block(i, s) => {
            let size = ctx.get(s);
            reference(ctx, i, |v, r| v.bytes_checked(r, size, Align::Dword), any)
        }
        Check::Fits(i, desc) => reference(
            ctx,
            i,
            #[inline(always)]
            |v, r| fits_checked(v, r, super::struct_size(desc, ctx.version)),
            |k| outside_or_beyond(k) || structure_too_small(k),
        ),
        Check::Resolves(i) => {
            use crate::requests::Role;
            let role = ctx.desc.fields[(i as usize).min(14)].role;
            match role {
                Role::String { .. } => reference(
                    ctx,
                    i,
                    #[inline(always)]
                    |v, r| v.string_checked(r, Align::Wchar).map(|_| ()),
                    any,
                ),
                Role::Bytes { size, .. } => {
                    let size = ctx.dwords[size];
                    reference(
                        ctx,
                        i,
                        |v, r| v.bytes_checked(r, size, Align::Dword).map(|_| ()),
                        any,
                    )
                }
                Role::Structure { .. } => reference(
                    ctx,
                    i,
                    |v, r| v.structure_checked(r, Align::Dword).map(|_| ()),
                    any,
                ),
                _ => Pass,
            }
        }
        // Decided by `value`.
        Check::VarDataAtLeast(_)
        | Check::AtLeast(..)
        | Check::AtMost(..)
        | Check::MultipleOf(..)
        | Check::NonZero(_)
        | Check::Equals(..)
        | Check::Bits(..)
        | Check::Version(..)
        | Check::NotGreater(..)
        | Check::VersionBetween(..)
        | Check::Custom(_) => Pass,
        Check::Handle(i, kind, optional) => match state {
            Some(s) => {
                let v = ctx.get(i);
                Outcome::from_bool(!(s.handle_valid(kind, v) || optional && v == 0))
            }
            None => Pass,
        },
        Check::DeviceId(i, device) => match state {
            Some(s) => Outcome::from_bool(!s.device_id_valid(device, ctx.get(i))),
            None => Pass,
        },
        Check::ProxyRegistered(i) => match state {
            Some(s) => Outcome::from_bool(!s.proxy_registered(HLine(ctx.get(i)))),
            None => Pass,
        },
        Check::ProxyHandles(i) => match state {
            Some(s) => Outcome::from_bool(!s.proxy_handles(HLine(ctx.get(i)), ctx.desc.func)),
            None => Pass,
        },
        Check::Fact(f) => match (state, f(ctx)) {
            (Some(s), Some(fact)) => Outcome::from_bool(!s.holds(fact)),
            _ => Pass,
        },
        Check::WithState(p) => match state {
            Some(s) => Outcome::from_bool(p(ctx, s)),
            None => Pass,
        },
        Check::Forward(i, f) => {
            if memo.forward_fails(ctx, i, f) {
                // The detail, as the check alone gives it.
                match embedded::forward(ctx, memo, i, f) {
                    Some(detail) => Fail(detail),
                    None => Pass,
                }
            } else {
                Pass
            }
        }
        Check::Decodes(i) => match embedded::decodes(ctx, memo, i) {
            Ok(()) => Pass,
            Err(e) => Fail(Some(e)),
        },
        // Run by `run` (CallParams) or only inside their own tables.
        Check::CallParams(..) | Check::Cp(_) | Check::Call(_) => Pass,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handles::TAPI_VERSIONS;

    /// Every catalogue structure `opens_empty` may pass holds every version's fixed part (and
    /// the oldest) within its newest, `desc.size`.
    #[test]
    fn newest_fixed_part_holds_every_version() {
        for desc in crate::structures::ALL {
            assert!(desc.min_size <= desc.size, "{}", desc.name);
            for v in TAPI_VERSIONS {
                assert!(desc.fixed_size(v) <= desc.size, "{} {v:?}", desc.name);
            }
        }
    }

    /// Where `opens_empty` says so, the structure opens in every version and as guessed, and
    /// no item holds data: random structures of every catalogue structure around its fixed
    /// sizes, with sizes 0 or not.
    #[test]
    fn opens_empty_is_an_empty_open() {
        let mut next = crate::test_rng::xorshift(0x2545_F491_4F6C_DD1Du64);
        let (mut passed, mut refused) = (0, 0);
        for desc in crate::structures::ALL {
            for _ in 0..400 {
                let total = desc.size.saturating_sub(8) + (next() % 24) as usize;
                let mut bytes = vec![0u8; total.max(4)];
                let dense = next() % 2 == 0;
                for b in bytes.iter_mut() {
                    // Zero, or mostly zero with a random byte here and there.
                    if dense && next() % 16 == 0 {
                        *b = next() as u8;
                    }
                }
                let head = if next() % 8 == 0 {
                    next() as u32 % 400
                } else {
                    total as u32
                };
                bytes[..4].copy_from_slice(&head.to_le_bytes());
                if desc.name == "LINECALLPARAMS" {
                    assert_eq!(
                        callparams::opens_empty(&bytes).is_some(),
                        opens_empty(desc, &bytes)
                    );
                }
                if !opens_empty(desc, &bytes) {
                    refused += 1;
                    continue;
                }
                passed += 1;
                let raw = Raw::parse(desc, &bytes).expect("opens as guessed");
                assert_eq!(callparams::items_with_data(&raw), 0, "{}", desc.name);
                for v in TAPI_VERSIONS {
                    let raw = Raw::parse_with(desc, &bytes, v).expect("opens in the version");
                    assert_eq!(callparams::items_with_data(&raw), 0, "{} {v:?}", desc.name);
                }
            }
        }
        assert!(passed > 100 && refused > 1000, "{passed} {refused}");
    }
}
