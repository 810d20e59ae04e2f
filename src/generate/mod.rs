//! Structure-aware generation of [MS-TRP] packets for fuzzing campaigns (issue 12, feature
//! `arbitrary`).
//!
//! Every generator is driven by an [`arbitrary::Unstructured`], so that libFuzzer steers it
//! from its input bytes, and can be driven by a `u64` seed for reproducible corpora
//! ([`from_seed`]: a SplitMix64 stream fills the bytes the `Unstructured` reads).
//!
//! Nothing here is written per packet: the generators read the catalogues.
//!
//! * [`request`]: any of the 132 requests (2.2.4.1), laid out by
//!   [`crate::requests::RequestBuilder`] from the request catalogue's roles: strings are
//!   NUL-terminated UTF-16, (offset, size) pairs match, embedded 2.2.6 structures are built by
//!   [`crate::structures::StructBuilder`] with their own variable parts and valid
//!   `dwTotalSize`/`dwNeededSize`/`dwUsedSize`, optional references are sometimes
//!   0xFFFFFFFF. Plain DWORDs come from the constant sets the rule table (3.1.4.2) attaches to
//!   them ([`crate::validation::Check::Bits`], `Version`, `Equals`, `AtLeast`, ...) and from
//!   boundary values otherwise; the result is then checked with
//!   [`crate::validation::validate_with`] and the fields a stateless rule rejects are redrawn
//!   from their rule-derived values, so that a generated request passes every stateless rule.
//! * [`request_violating`]: the same with one thing broken on purpose ([`Violate`]): one rule
//!   of the table by id, or one check of the VarData resolver ([`VarCheck`]). The packet is
//!   built valid, then mutated (first by the rule's [`crate::validation::Check`] shape, then
//!   by a search over boundary values written into the rule's field or the structure it
//!   names), each candidate checked with the validator; the candidate that breaks the rule
//!   with the fewest other stateless rules broken wins (none, for every rule not listed in
//!   [`crate::validation::rules::NOT_BREAKABLE_ALONE`]).
//! * [`reply`], [`events`], [`structure`]: replies to a `Req_Func`, event buffers of any of
//!   the 58 event kinds (the 32 `Msg` packets of 2.2.4.2.1 and the 26 special completions),
//!   and each of the 49 structures of 2.2.6.
//! * [`sequence`]: request sequences valid by construction from the session model, with
//!   mutation points, and the sequence file format (`[u32 LE length][TAPI32_MSG]` records).
//! * [`files`]: batches of files, deterministic per seed, named by what they hold (what
//!   `trp gen` writes; with fuzz-target framing, the seed corpora of `fuzz/`).

use alloc::vec;
use alloc::vec::Vec;

use arbitrary::{Result, Unstructured};

use crate::encoding::Payload;
use crate::events::completions::SpecialCompletion;
use crate::events::{EventBufferBuilder, EventBuilder, EventDesc, EventRole, Msg, VarDataDesc};
use crate::handles::{TAPI_VERSIONS, Version};
use crate::header::{HEADER_DWORDS, HEADER_LEN};
use crate::replies::{ReplyBuilder, ReplyRole, ReturnValue, reply_role};
use crate::requests::{FuncId, PacketDesc, Request, RequestBuilder, Role};
use crate::structures::{StructBuilder, StructDesc, VarKind, desc_by_name};
use crate::validation::{self, Bits, Block, Bound, Check, CpCheck, Guard, Rule, Violation};
use crate::vardata::ABSENT;

pub mod coverage;
pub mod files;
mod plan;
pub mod sequence;

/// What [`request_violating`] breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Violate {
    /// Nothing: a request that passes every stateless rule.
    Nothing,
    /// The rule of [`crate::validation::rules::all`] with this id (e.g. `"48.2"`, `"CP.2"`,
    /// `"CR.4"`).
    Rule(&'static str),
    /// One check of the VarData resolver ([`crate::vardata`]).
    Check(VarCheck),
}

/// The resolver checks [`Violate::Check`] can break (the [`crate::errors::DecodeErrorKind`]
/// each one produces is named).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum VarCheck {
    /// An offset that is not WCHAR- (strings) or DWORD-aligned (blocks, structures):
    /// `Misaligned`.
    Misaligned,
    /// An offset past the end of VarData: `OffsetOutOfBounds`.
    OutOfBounds,
    /// `offset + size` overflows 32 bits: `Overflow`.
    Overflow,
    /// A string with no NUL unit before the end of VarData: `Unterminated`.
    MissingNul,
    /// A size field that runs past the end of VarData: `SizeOutOfBounds`.
    SizePastVarData,
    /// An embedded structure whose `dwTotalSize` is under 4: `StructureTooSmall`.
    StructTooSmall,
}

impl VarCheck {
    /// Every check, in declaration order.
    pub const ALL: [VarCheck; 6] = [
        VarCheck::Misaligned,
        VarCheck::OutOfBounds,
        VarCheck::Overflow,
        VarCheck::MissingNul,
        VarCheck::SizePastVarData,
        VarCheck::StructTooSmall,
    ];

    /// The name used on the command line (`misaligned`, `out-of-bounds`, `overflow`,
    /// `missing-nul`, `size-past-vardata`, `struct-too-small`).
    pub const fn name(self) -> &'static str {
        match self {
            VarCheck::Misaligned => "misaligned",
            VarCheck::OutOfBounds => "out-of-bounds",
            VarCheck::Overflow => "overflow",
            VarCheck::MissingNul => "missing-nul",
            VarCheck::SizePastVarData => "size-past-vardata",
            VarCheck::StructTooSmall => "struct-too-small",
        }
    }

    /// The check called `name` (see [`VarCheck::name`]).
    pub fn from_name(name: &str) -> Option<VarCheck> {
        VarCheck::ALL.into_iter().find(|c| c.name() == name)
    }
}

// ---------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): the 64-bit state advances by 0x9E3779B97F4A7C15 and each output is the state
/// mixed by two xor-shift-multiply rounds. Small, fast, and the same on every platform, so a
/// seed names the same corpus everywhere.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64-bit output.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Fills `out` with the next outputs, little-endian.
    pub fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// The bytes an `Unstructured` reads for `seed`: 16 KiB of [`SplitMix64`] output, enough for
/// any one generated value (an exhausted `Unstructured` yields the smallest choices, so a
/// longer value is still generated, only less varied).
pub fn seed_bytes(seed: u64) -> Vec<u8> {
    let mut out = vec![0; 16 * 1024];
    SplitMix64(seed).fill(&mut out);
    out
}

/// Runs `generate` on an `Unstructured` over [`seed_bytes`]`(seed)`: the same seed gives the
/// same value.
pub fn from_seed<T>(
    seed: u64,
    generate: impl FnOnce(&mut Unstructured<'_>) -> Result<T>,
) -> Result<T> {
    let bytes = seed_bytes(seed);
    generate(&mut Unstructured::new(&bytes))
}

// ---------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------

/// Boundary values for a DWORD the catalogue and the rules say nothing about.
pub const BOUNDARY: [u32; 12] = [
    0,
    1,
    2,
    3,
    4,
    0x10,
    0xFF,
    0xFFFF,
    0x7FFF_FFFF,
    0x8000_0000,
    0xFFFF_FFFE,
    0xFFFF_FFFF,
];

fn versions_u32() -> [u32; 7] {
    TAPI_VERSIONS.map(|v| v.0)
}

/// A version of the seven, or `version` when one is given.
fn gen_version(u: &mut Unstructured<'_>, version: Option<Version>) -> Result<u32> {
    match version {
        Some(v) => Ok(v.0),
        None => Ok(*u.choose(&versions_u32())?),
    }
}

/// The bits of `mask`, lowest first.
fn bits_of(mask: u32) -> impl Iterator<Item = u32> {
    (0..32).map(|b| 1u32 << b).filter(move |b| mask & b != 0)
}

/// Bit `k` (counting from 0) of the bits set in `mask`, lowest first: `bits_of(mask).nth(k)`
/// without collecting them.
fn nth_bit(mut mask: u32, k: usize) -> u32 {
    for _ in 0..k {
        mask &= mask.wrapping_sub(1);
    }
    mask & mask.wrapping_neg()
}

/// One bit of `mask`, drawn as `u.choose` over the bits of `mask` would (0 for no bits).
fn one_bit(u: &mut Unstructured<'_>, mask: u32) -> Result<u32> {
    match mask.count_ones() as usize {
        0 => Ok(0),
        n => Ok(nth_bit(mask, u.choose_index(n)?)),
    }
}

/// A value related to `mask` as `how` requires.
fn gen_bits(u: &mut Unstructured<'_>, mask: u32, how: Bits) -> Result<u32> {
    Ok(match how {
        Bits::One => one_bit(u, mask)?,
        Bits::ZeroOrOne => {
            if u.ratio(1, 4)? {
                0
            } else {
                one_bit(u, mask)?
            }
        }
        Bits::Subset => mask & u.arbitrary::<u32>()?,
        Bits::NonZeroSubset => {
            let v = mask & u.arbitrary::<u32>()?;
            if v == 0 { one_bit(u, mask)? } else { v }
        }
    })
}

/// A value for plain DWORD `i` of a request planned by `p`: from the constant set a stateless rule
/// of the function attaches to it, else a boundary value or any value.
fn gen_value(
    u: &mut Unstructured<'_>,
    p: &plan::FuncPlan,
    i: usize,
    version: Option<Version>,
) -> Result<u32> {
    let checks = p.checks(i);
    // The values of the checks on field `i`, on the stack (a field has a few at most).
    let mut stack = [0u32; 16];
    let mut heap = Vec::new();
    let mut n = 0;
    for c in checks {
        let Some(v) = value_for_check(u, c, i, version)? else {
            continue;
        };
        match stack.get_mut(n) {
            Some(slot) => *slot = v,
            None => {
                if heap.is_empty() {
                    heap.extend_from_slice(&stack);
                }
                heap.push(v);
            }
        }
        n += 1;
    }
    if n > 0 {
        let choices = if heap.is_empty() {
            &stack[..n]
        } else {
            &heap[..]
        };
        return Ok(*u.choose(choices)?);
    }
    if u.ratio(3, 4)? {
        Ok(*u.choose(&BOUNDARY)?)
    } else {
        u.arbitrary()
    }
}

/// The value check `c` accepts for field `i`, if `c` constrains field `i` on its own.
fn value_for_check(
    u: &mut Unstructured<'_>,
    c: &Check,
    i: usize,
    version: Option<Version>,
) -> Result<Option<u32>> {
    let me = |f: u8| usize::from(f) == i;
    Ok(match *c {
        Check::Bits(f, mask, how) if me(f) => Some(gen_bits(u, mask, how)?),
        Check::Version(f, set) if me(f) => Some(*u.choose(set)?),
        Check::Equals(f, v) if me(f) => Some(v),
        Check::AtMost(f, n) if me(f) => Some(u.int_in_range(0..=n)?),
        Check::MultipleOf(f, n) if me(f) => Some(n.saturating_mul(u.int_in_range(0..=4)?)),
        Check::NonZero(f) if me(f) => Some(u.int_in_range(1..=0x100)?),
        Check::AtLeast(f, b) if me(f) => Some(match b {
            Bound::Const(n) => n.saturating_add(4 * u.int_in_range(0..=4)?),
            Bound::Struct(d) => {
                validation::struct_size(d, version).saturating_add(4 * u.int_in_range(0..=8)?)
            }
            Bound::Field(_) => return Ok(None),
        }),
        Check::NotGreater(a, _) | Check::VersionBetween(a, _) if me(a) => {
            Some(gen_version(u, version)?)
        }
        Check::NotGreater(_, b) | Check::VersionBetween(_, b) if me(b) => {
            Some(gen_version(u, version)?)
        }
        _ => None,
    })
}

/// A string of 0 to 12 non-NUL UTF-16 units (printable ASCII most of the time).
fn gen_text(u: &mut Unstructured<'_>) -> Result<Vec<u16>> {
    let n = u.int_in_range(0..=12)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(gen_unit(u)?);
    }
    Ok(out)
}

fn gen_unit(u: &mut Unstructured<'_>) -> Result<u16> {
    Ok(if u.ratio(7, 8)? {
        u16::from(u.int_in_range(0x20u8..=0x7E)?)
    } else {
        u.int_in_range(1u16..=0xFFFF)?
    })
}

/// [`gen_text`] appended to `out` as UTF-16LE (the same draws); whether it was empty.
fn gen_text_le(u: &mut Unstructured<'_>, out: &mut Vec<u8>) -> Result<bool> {
    let n = u.int_in_range(0..=12)?;
    out.reserve(2 * n + 4);
    for _ in 0..n {
        out.extend_from_slice(&gen_unit(u)?.to_le_bytes());
    }
    Ok(n == 0)
}

fn gen_bytes(u: &mut Unstructured<'_>, max: usize) -> Result<Vec<u8>> {
    let n = u.int_in_range(0..=max)?;
    let mut out = vec![0; n];
    u.fill_buffer(&mut out)?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Structures (2.2.6)
// ---------------------------------------------------------------------------------------

/// Every structure of the catalogue (the 49 of 2.2.6).
pub fn structures() -> &'static [&'static StructDesc] {
    crate::structures::ALL
}

/// A structure `desc` under construction with every member drawn and every variable item
/// present or not, each item consistent with its kind (`depth` limits entries of entries).
pub fn structure_builder(
    u: &mut Unstructured<'_>,
    desc: &'static StructDesc,
    version: Option<Version>,
) -> Result<StructBuilder> {
    structure_at_depth(u, &plan::struct_plan(desc), version, 0)
}

/// The texts of a text-table item (LINEADDRESSCAPS `CompletionMsgText`, LINEDEVCAPS
/// `TerminalText`): 1 to 3 entries.
const TABLE_TEXTS: [&str; 3] = ["T0", "T1", "T2"];

fn structure_at_depth(
    u: &mut Unstructured<'_>,
    p: &plan::StructPlan,
    version: Option<Version>,
    depth: u8,
) -> Result<StructBuilder> {
    let desc = p.desc;
    let mut b = StructBuilder::new(desc);
    for m in &p.members {
        match *m {
            plan::Member::Const { at, value } => b = b.put_at(at, &value.to_le_bytes()),
            plan::Member::CpBits {
                at,
                mask,
                how,
                bearer,
            } => {
                // CP.3: one bit only up to TAPI 2.0; the version a request is validated
                // under may come from the request (Open's dwNegotiatedVersion), so
                // without a version one bit is drawn.
                let how = if bearer && version.is_none_or(|v| v.0 <= 0x0002_0000) {
                    Bits::ZeroOrOne
                } else {
                    how
                };
                let v = gen_bits(u, mask, how)?;
                b = b.put_at(at, &v.to_le_bytes());
            }
            plan::Member::ZeroOrBoundary { at } => {
                // The fixed part starts zeroed: a zero is not written.
                if !u.ratio(1, 2)? {
                    let v = *u.choose(&BOUNDARY)?;
                    b = b.put_at(at, &v.to_le_bytes());
                }
            }
            plan::Member::Guid { at } => {
                let mut g = [0u8; 16];
                u.fill_buffer(&mut g)?;
                b = b.put_at(at, &g);
            }
        }
    }
    for (j, v) in desc.vars.iter().enumerate() {
        if !u.ratio(2, 3)? {
            continue;
        }
        b = match v.kind {
            VarKind::Text | VarKind::MultiText => {
                // UTF-16LE with its NUL, as the builder writes a `Payload::Text`.
                let mut text = Vec::new();
                gen_text_le(u, &mut text)?;
                if matches!(v.kind, VarKind::MultiText) {
                    // Strings separated by NULs; the final NUL of the last string, and one
                    // more ends the list.
                    text.extend_from_slice(&[0, 0]);
                    if !gen_text_le(u, &mut text)? {
                        text.extend_from_slice(&[0, 0]);
                    }
                }
                text.extend_from_slice(&[0, 0]);
                b.payload_of(v, Payload::Bytes(text))
            }
            VarKind::Ascii => {
                let n = u.int_in_range(0..=12)?;
                let mut s = Vec::with_capacity(n + 1);
                for _ in 0..n {
                    s.push(u.int_in_range(0x20u8..=0x7E)?);
                }
                s.push(0);
                b.payload_of(v, Payload::Bytes(s))
            }
            VarKind::TextTable { .. } => {
                let n: usize = u.int_in_range(1..=3)?;
                b.text_table_of(v, 8, &TABLE_TEXTS[..n])
            }
            VarKind::Bytes => b.payload_of(v, Payload::Bytes(gen_bytes(u, 16)?)),
            VarKind::Dwords => {
                let n = u.int_in_range(0..=4)?;
                let mut d = Vec::with_capacity(n);
                for _ in 0..n {
                    d.push(u.arbitrary()?);
                }
                b.dwords_of(v, &d)
            }
            VarKind::Entries { entry, .. } | VarKind::InlineEntries { entry } => {
                if depth > 0 {
                    continue;
                }
                let entry_plan = match p.entries.get(j).copied().flatten() {
                    Some(k) => alloc::borrow::Cow::Borrowed(&plan::structs()[k]),
                    None => plan::struct_plan(entry),
                };
                let n = u.int_in_range(0..=2)?;
                let mut list = Vec::with_capacity(n);
                for _ in 0..n {
                    let e = structure_at_depth(u, &entry_plan, version, depth + 1)?;
                    list.push(match version {
                        Some(ver) => e.for_version(ver),
                        None => e,
                    });
                }
                b.entries_of(v, list)
            }
        };
    }
    if let Some(ver) = version {
        b = b.for_version(ver);
    }
    Ok(b)
}

/// A structure `desc` (one of [`structures`]) laid out: fixed part, variable part, sizes.
pub fn structure(
    u: &mut Unstructured<'_>,
    desc: &'static StructDesc,
    version: Option<Version>,
) -> Result<Vec<u8>> {
    Ok(structure_builder(u, desc, version)?.to_vec())
}

// ---------------------------------------------------------------------------------------
// Requests (2.2.4.1)
// ---------------------------------------------------------------------------------------

/// The stateless violations of `bytes` (under `version`).
pub fn stateless_violations(bytes: &[u8], version: Option<Version>) -> Vec<Violation> {
    match Request::parse(bytes) {
        Ok(r) => validation::validate_with(&r, None, version),
        Err(_) => Vec::new(),
    }
}

/// Draws the payload of reference field `i` (role `role`) of a request planned by `p`;
/// `present` forces a present one.
fn gen_payload(
    u: &mut Unstructured<'_>,
    p: &plan::FuncPlan,
    i: usize,
    role: Role,
    version: Option<Version>,
    present: bool,
) -> Result<Payload> {
    let optional = match role {
        Role::String { optional }
        | Role::Bytes { optional, .. }
        | Role::Structure { optional, .. } => optional,
        _ => false,
    };
    if optional && !present && u.ratio(1, 3)? {
        return Ok(Payload::Absent);
    }
    Ok(match role {
        Role::String { .. } => Payload::Text(gen_text(u)?),
        Role::Bytes { .. } => Payload::Bytes(gen_bytes(u, 24)?),
        Role::Structure { .. } => match p.structure(i) {
            Some(s) => Payload::Bytes(structure_at_depth(u, s, version, 0)?.to_vec()),
            None => Payload::Bytes(gen_bytes(u, 24)?),
        },
        _ => Payload::Absent,
    })
}

/// A request builder for `desc` with every field drawn (see the module documentation); the
/// fields in `present` get a present payload.
fn draw_request(
    u: &mut Unstructured<'_>,
    desc: &'static PacketDesc,
    version: Option<Version>,
    present: u16,
) -> Result<RequestBuilder> {
    let p = plan::func(desc.func);
    let mut b = RequestBuilder::new(desc.func);
    let mut var_min = 0usize;
    for (i, f) in desc.fields.iter().enumerate().skip(1) {
        match f.role {
            Role::ReqFunc => {}
            Role::Reserved => {
                b.set(i, 0);
            }
            Role::RequestId => {
                b.set(i, u.int_in_range(1..=0x7FFF_FFFF)?);
            }
            Role::Handle(_) => {
                b.set(i, u.int_in_range(1..=0xFFFF)?);
            }
            Role::Version => {
                let v = match value_for_rules(u, p.checks(i), i, version)? {
                    Some(v) => v,
                    None => gen_version(u, version)?,
                };
                b.set(i, v);
            }
            Role::Value => {
                let v = gen_value(u, p, i, version)?;
                b.set(i, v);
            }
            Role::OutSize { .. } => {
                let fixed = p.out_structure(i).map_or(0, |d| match version {
                    Some(v) => d.fixed_size(v),
                    None => d.size,
                });
                let size = fixed + 4 * u.int_in_range(0..=16)?;
                b.set(i, u32::try_from(size).unwrap_or(u32::MAX));
                var_min = var_min.max(size);
            }
            Role::OutOffset { .. } => {
                b.set(i, 0);
            }
            Role::String { .. } | Role::Bytes { .. } | Role::Structure { .. } => {
                let payload = gen_payload(u, p, i, f.role, version, present & (1 << i) != 0)?;
                b.set_payload(i, payload);
            }
        }
    }
    // Sizes of output data (OutOffset's size field) count as buffer space the client gives.
    for f in desc.fields.iter() {
        if let Role::OutOffset { size } = f.role {
            let n = b.get(size).unwrap_or(0) as usize;
            var_min = var_min.max(n.min(4096));
        }
    }
    b.var_data_len(var_min.min(64 * 1024));
    Ok(b)
}

/// The value of the first of `checks` that gives field `i` one.
fn value_for_rules(
    u: &mut Unstructured<'_>,
    checks: &[Check],
    i: usize,
    version: Option<Version>,
) -> Result<Option<u32>> {
    for c in checks {
        if let Some(v) = value_for_check(u, c, i, version)? {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// The index of the request field a rule is about, if it names one.
fn rule_field(desc: &PacketDesc, rule: &Rule) -> Option<usize> {
    desc.field(rule.field).map(|(i, _)| i)
}

/// Redraws the fields whose stateless rules fail until none does (or gives up after a few
/// rounds, returning the last attempt).
fn repair(
    u: &mut Unstructured<'_>,
    b: RequestBuilder,
    version: Option<Version>,
    present: u16,
) -> Result<Vec<u8>> {
    try_repair(u, b, version, present).map(|(bytes, _)| bytes)
}

/// [`repair`], also telling whether the bytes pass every stateless rule (`false`: it gave
/// up).
fn try_repair(
    u: &mut Unstructured<'_>,
    mut b: RequestBuilder,
    version: Option<Version>,
    present: u16,
) -> Result<(Vec<u8>, bool)> {
    // Taken out of the thread's slot (and put back) rather than borrowed, so that nothing
    // depends on what the rounds call.
    let mut scratch = SCRATCH.with(|s| core::mem::take(&mut *s.borrow_mut()));
    let out = repair_rounds(u, &mut b, version, present, &mut scratch);
    SCRATCH.with(|s| *s.borrow_mut() = scratch);
    out
}

std::thread_local! {
    /// The buffer the rounds of [`try_repair`] emit into, grown to the longest packet and
    /// kept: a round costs no allocation, and the packet that passes is copied out once.
    static SCRATCH: core::cell::RefCell<Vec<u8>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// The rounds of [`try_repair`], each packet emitted into `scratch`.
fn repair_rounds(
    u: &mut Unstructured<'_>,
    b: &mut RequestBuilder,
    version: Option<Version>,
    present: u16,
    scratch: &mut Vec<u8>,
) -> Result<(Vec<u8>, bool)> {
    let desc = b.desc();
    let p = plan::func(desc.func);
    // Rounds that began with the input exhausted: an exhausted input draws the same value
    // every round, so those rounds walk the boundary values from the first instead, however
    // late the input ran out, and the walk may go past the twelfth round (SetMediaMode under
    // TAPI 1.3 with the input exhausted at round 9: 80.2 rejects 0 and 1 and accepts 2,
    // UNKNOWN, which the walk reaches only at round 11 and checks at round 12).
    // The last resort (rounds past the ninth, `resort` of them so far) sets every plain value
    // to zero and the failing field to the lowest of its single bits or, when no rule gives
    // it a constant set, to the next boundary value from the first: zeros satisfy the rules
    // relating several fields (NegotiateAPIVersionForAllDevices' list sizes, 4 and 16 times
    // a count, with the input exhausted from the start), and the walk reaches a value a
    // custom rule accepts (SetMediaMode's 80.2 under TAPI 1.3 with an input drawing 0 and
    // 0xFF in turn). Twelve rounds, and more while a walk has boundary values left.
    let mut walk = 0usize;
    let mut resort = 0usize;
    for round in 0..12 + BOUNDARY.len() {
        let exhausted = u.is_empty();
        let last_resort = round > 8;
        if round >= 12 && !((exhausted && walk < BOUNDARY.len()) || resort < BOUNDARY.len()) {
            break;
        }
        let bytes = emit_into(b, scratch);
        let bad = stateless_rejections(bytes, version);
        if bad.is_empty() {
            return Ok((bytes.to_vec(), true));
        }
        let bytes_len = bytes.len();
        for v in bad {
            let rule = v.via.unwrap_or(v.rule);
            let Some(i) = rule_field(desc, rule).or_else(|| rule_field(desc, v.rule)) else {
                // VarData too small: give the request more room.
                let len = bytes_len - HEADER_LEN;
                b.var_data_len(len + 64);
                continue;
            };
            if round > 6 {
                // The rule keeps failing: turn its condition off instead.
                match rule.guard {
                    Guard::Any(f, m) => {
                        let old = b.get(usize::from(f)).unwrap_or(0);
                        b.set(usize::from(f), old & !m);
                    }
                    Guard::NonZero(f) => {
                        b.set(usize::from(f), 0);
                    }
                    // GenerateTone's lpTones rules hold only for LINETONEMODE_CUSTOM, which
                    // an exhausted input keeps choosing while it cannot give lpTones data.
                    Guard::Eq(f, v) => {
                        b.set(usize::from(f), u32::from(v == 0));
                    }
                    _ => {}
                }
            }
            let role = desc.fields[i].role;
            if role.is_reference() {
                let force = present & (1 << i) != 0;
                let payload = if round > 4 && !force && is_optional(role) {
                    Payload::Absent
                } else {
                    gen_payload(u, p, i, role, version, force)?
                };
                b.set_payload(i, payload);
            } else if last_resort {
                // Last resort: every plain value to zero (rules relating several fields,
                // e.g. a list size that must be 4 times a count).
                for (j, f) in desc.fields.iter().enumerate() {
                    if f.role == Role::Value {
                        b.set(j, 0);
                    }
                }
                let lowest = single_bits(desc.func, i)
                    .first()
                    .copied()
                    .unwrap_or(BOUNDARY[resort % BOUNDARY.len()]);
                b.set(i, lowest);
            } else if round > 4 && !single_bits(desc.func, i).is_empty() {
                let v = *u.choose(&single_bits(desc.func, i))?;
                b.set(i, v);
            } else {
                let v = match role {
                    Role::Version => gen_version(u, version)?,
                    // An exhausted input draws the same value every round (the smallest
                    // choice): walk the boundary values instead (75.2 rejects 0, accepts 1).
                    _ if exhausted => BOUNDARY[walk % BOUNDARY.len()],
                    _ => gen_value(u, p, i, version)?,
                };
                b.set(i, v);
            }
            // A size field of a block: regenerate the block (its size follows).
            for (j, f) in desc.fields.iter().enumerate() {
                if let Role::Bytes { size, .. } = f.role {
                    if size == i {
                        let payload = if round > 2 {
                            // Sizes with a lower bound (a GUID, a structure): a longer block.
                            let mut d = vec![0u8; 16 + 4 * round];
                            u.fill_buffer(&mut d)?;
                            Payload::Bytes(d)
                        } else {
                            gen_payload(u, p, j, f.role, version, true)?
                        };
                        b.set_payload(j, payload);
                    }
                }
            }
        }
        walk += usize::from(exhausted);
        resort += usize::from(last_resort);
    }
    // The last round's redraws are checked too.
    let bytes = emit_into(b, scratch);
    let valid = stateless_rejections(bytes, version).is_empty();
    Ok((bytes.to_vec(), valid))
}

/// The packet `b` lays out, written by [`RequestBuilder::emit`] at the start of `scratch`
/// (emit writes every byte of the packet, padding included). The buffer grows only when emit
/// says it is too short, so the packet is laid out once per round, not also to size it.
fn emit_into<'s>(b: &RequestBuilder, scratch: &'s mut Vec<u8>) -> &'s [u8] {
    let n = match b.emit(scratch) {
        Ok(n) => n,
        Err(e) => {
            scratch.resize(e.needed, 0);
            match b.emit(scratch) {
                Ok(n) => n,
                // Not reached: the buffer is as long as emit asked.
                Err(_) => {
                    scratch.clear();
                    scratch.extend_from_slice(&b.to_bytes());
                    scratch.len()
                }
            }
        }
    };
    &scratch[..n]
}

/// The stateless rules `bytes` breaks under `version` (none allocated when it breaks none,
/// the usual case).
fn stateless_rejections(bytes: &[u8], version: Option<Version>) -> Vec<Violation> {
    let mut bad = Vec::new();
    if let Ok(r) = Request::parse(bytes) {
        validation::validate_into_with(&r, None, version, &mut |v| {
            if !v.rule.is_stateful() {
                bad.push(v);
            }
        });
    }
    bad
}

/// The single bits of the constant sets the function's rules attach to field `i`.
fn single_bits(func: FuncId, i: usize) -> Vec<u32> {
    validation::rules_for(func)
        .iter()
        .filter_map(|r| match r.check {
            Check::Bits(f, mask, _) if usize::from(f) == i => Some(mask),
            _ => None,
        })
        .flat_map(bits_of)
        .collect()
}

fn is_optional(role: Role) -> bool {
    matches!(
        role,
        Role::String { optional: true }
            | Role::Bytes { optional: true, .. }
            | Role::Structure { optional: true, .. }
    )
}

/// A request of `func` (any of the 132 when `None`) that passes every stateless rule under
/// `version` (see the module documentation). `version` also sets the layout of the embedded
/// structures and the version fields; `None` draws the version fields from the seven TAPI
/// versions and lays structures out in their newest form. Fails with
/// [`arbitrary::Error::IncorrectFormat`] in the rare case where redrawing the rejected fields
/// does not converge within its rounds (it never returns a request a stateless rule rejects).
pub fn request(
    u: &mut Unstructured<'_>,
    func: Option<FuncId>,
    version: Option<Version>,
) -> Result<Vec<u8>> {
    let func = match func {
        Some(f) => f,
        None => *u.choose(FuncId::ALL)?,
    };
    let b = draw_request(u, func.desc(), version, 0)?;
    match try_repair(u, b, version, 0)? {
        (bytes, true) => Ok(bytes),
        // `repair` gave up: what it returns is not known to be valid.
        (_, false) => Err(arbitrary::Error::IncorrectFormat),
    }
}

/// A request with one thing broken (see [`Violate`] and the module documentation). For
/// [`Violate::Rule`], `func` is ignored when the rule belongs to one function's block; for a
/// LINECALLPARAMS rule (`CP.*`) it picks the request that embeds the structure (any that does
/// when `None`). Fails with [`arbitrary::Error::IncorrectFormat`] for an unknown rule id, a
/// stateful rule, a rule listed in [`crate::validation::rules::NOT_BREAKABLE_ALONE`] as not
/// breakable in a packet at all, and when the search finds no packet breaking the rule.
pub fn request_violating(
    u: &mut Unstructured<'_>,
    func: Option<FuncId>,
    version: Option<Version>,
    violate: Violate,
) -> Result<Vec<u8>> {
    match violate {
        Violate::Nothing => request(u, func, version),
        Violate::Rule(id) => {
            let rule = validation::all_rules()
                .find(|r| r.id == id)
                .ok_or(arbitrary::Error::IncorrectFormat)?;
            violate_rule(u, rule, func, version)
        }
        Violate::Check(c) => violate_check(u, func, version, c),
    }
}

/// The functions whose block applies the LINECALLPARAMS block, with the field index.
fn callparams_funcs() -> Vec<(FuncId, usize)> {
    FuncId::ALL
        .iter()
        .filter_map(|f| {
            validation::rules_for(*f)
                .iter()
                .find_map(|r| match r.check {
                    Check::CallParams(i, _) => Some((*f, usize::from(i))),
                    _ => None,
                })
        })
        .collect()
}

/// Reads DWORD `i` of a packet.
fn dword(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn put(bytes: &mut [u8], at: usize, v: u32) {
    if let Some(d) = bytes.get_mut(at..at + 4) {
        d.copy_from_slice(&v.to_le_bytes());
    }
}

/// How many stateless rules other than `rule` the packet breaks, if it breaks `rule`.
fn score(bytes: &[u8], rule: &Rule, version: Option<Version>) -> Option<usize> {
    let vs = stateless_violations(bytes, version);
    let hit = |v: &Violation| v.rule == rule || v.via == Some(rule);
    if !vs.iter().any(hit) {
        return None;
    }
    let mut others: Vec<&str> = vs
        .iter()
        .filter(|v| !hit(v) && !v.rule.is_stateful())
        .map(|v| v.rule.id)
        .collect();
    others.sort_unstable();
    others.dedup();
    Some(others.len())
}

/// Makes `rule`'s guard hold on the packet's DWORDs, where the guard is a plain condition.
fn satisfy_guard(u: &mut Unstructured<'_>, b: &mut RequestBuilder, guard: Guard) -> Result<()> {
    match guard {
        Guard::Eq(f, v) => {
            b.set(usize::from(f), v);
        }
        Guard::Any(f, mask) => {
            let bit = *u.choose(&bits_of(mask).collect::<Vec<_>>())?;
            let old = b.get(usize::from(f)).unwrap_or(0);
            b.set(usize::from(f), old | bit);
        }
        Guard::NonZero(f) if b.get(usize::from(f)) == Some(0) => {
            b.set(usize::from(f), 1);
        }
        _ => {}
    }
    Ok(())
}

fn guard_field(g: Guard) -> Option<usize> {
    match g {
        Guard::Present(f) => Some(usize::from(f)),
        _ => None,
    }
}

/// Fields the check needs present (its references).
fn present_mask(desc: &PacketDesc, rule: &Rule) -> u16 {
    let mut m = 0u16;
    if let Some(i) = rule_field(desc, rule) {
        if desc.fields[i].role.is_reference() {
            m |= 1 << i;
        }
    }
    if let Some(i) = guard_field(rule.guard) {
        m |= 1 << i;
    }
    if let Some(i) = rule.check.structure_field() {
        m |= 1 << i;
    }
    m
}

/// The shape mutations of a check: candidate packets derived from `base` that break it.
fn shape_mutations(
    base: &[u8],
    desc: &PacketDesc,
    rule: &Rule,
    cp_field: Option<usize>,
    version: Option<Version>,
) -> Vec<Vec<u8>> {
    let var_len = base.len().saturating_sub(HEADER_LEN) as u32;
    let off_of = |i: u8| dword(base, 4 * usize::from(i));
    let with = |i: usize, v: u32| {
        let mut b = base.to_vec();
        put(&mut b, 4 * i, v);
        b
    };
    let unterminated = |i: u8| {
        let mut b = base.to_vec();
        put(&mut b, 4 * usize::from(i), var_len);
        b.extend_from_slice(&[b'A', 0, b'A', 0]);
        b
    };
    let mut out = Vec::new();
    match rule.check {
        Check::StrAligned(i) => out.push(with(usize::from(i), off_of(i) | 1)),
        Check::StrWithin(i) => {
            out.push(with(usize::from(i), var_len));
            out.push(with(usize::from(i), var_len + 2));
        }
        Check::StrTerminated(i) => out.push(unterminated(i)),
        Check::Str(i) => {
            out.push(unterminated(i));
            out.push(with(usize::from(i), off_of(i) | 1));
            out.push(with(usize::from(i), var_len + 2));
        }
        Check::AlignedWithin(i) | Check::Resolves(i) | Check::Fits(i, _) => {
            out.push(with(usize::from(i), var_len + 4));
            out.push(with(usize::from(i), off_of(i).wrapping_add(2)));
            let o = off_of(i) as usize;
            let mut b = base.to_vec();
            put(&mut b, HEADER_LEN + o, var_len.saturating_sub(o as u32) + 4);
            out.push(b);
            let mut b = base.to_vec();
            put(&mut b, HEADER_LEN + o, 2);
            out.push(b);
        }
        Check::Extent(i, s) | Check::Block(i, s) => {
            let o = off_of(i);
            out.push(with(usize::from(s), var_len.saturating_sub(o) + 4));
            out.push(with(usize::from(s), u32::MAX));
            out.push(with(usize::from(i), o.wrapping_add(2)));
            out.push(with(usize::from(i), var_len + 4));
        }
        Check::VarDataAtLeast(bound) => {
            let need = match bound {
                Bound::Const(n) => n,
                Bound::Field(f) => off_of(f),
                Bound::Struct(d) => validation::struct_size(d, version),
            } as usize;
            let mut b = base.to_vec();
            b.truncate(HEADER_LEN + need.saturating_sub(4));
            out.push(b);
            if let Bound::Field(f) = bound {
                out.push(with(usize::from(f), var_len + 4));
            }
        }
        Check::AtLeast(i, bound) => {
            let n = match bound {
                Bound::Const(n) => n,
                Bound::Field(f) => off_of(f),
                Bound::Struct(d) => validation::struct_size(d, version),
            };
            out.push(with(usize::from(i), n.saturating_sub(1)));
            out.push(with(usize::from(i), 0));
        }
        Check::AtMost(i, n) => out.push(with(usize::from(i), n.saturating_add(1))),
        Check::MultipleOf(i, n) => out.push(with(
            usize::from(i),
            off_of(i).wrapping_add(1).max(1).max(n / 2 + 1),
        )),
        Check::NonZero(i) => out.push(with(usize::from(i), 0)),
        Check::Equals(i, v) => out.push(with(usize::from(i), v.wrapping_add(1))),
        Check::Bits(i, mask, how) => {
            let outside = !mask & 0x8000_0000 | (!mask & mask.wrapping_add(1));
            let outside = if outside & !mask == 0 {
                !mask & outside.max(1)
            } else {
                outside & !mask
            };
            let two: u32 = bits_of(mask).take(2).fold(0, |a, b| a | b);
            match how {
                Bits::One => {
                    out.push(with(usize::from(i), 0));
                    out.push(with(usize::from(i), two));
                }
                Bits::ZeroOrOne => out.push(with(usize::from(i), two)),
                Bits::NonZeroSubset => out.push(with(usize::from(i), 0)),
                Bits::Subset => {}
            }
            for b in bits_of(!mask).take(4) {
                out.push(with(usize::from(i), (off_of(i) & mask) | b));
            }
            if outside != 0 {
                out.push(with(usize::from(i), outside));
            }
        }
        Check::Version(i, _) => {
            for v in [0, 0x0001_0002, 0x0004_0000, u32::MAX] {
                out.push(with(usize::from(i), v));
            }
        }
        Check::NotGreater(a, b) => {
            let mut x = with(usize::from(a), versions_u32()[6]);
            put(&mut x, 4 * usize::from(b), versions_u32()[0]);
            out.push(x);
        }
        Check::VersionBetween(a, b) => {
            let mut x = with(usize::from(a), 0x0001_0000);
            put(&mut x, 4 * usize::from(b), 0x0001_0001);
            out.push(x);
            let mut x = with(usize::from(a), 0x0004_0000);
            put(&mut x, 4 * usize::from(b), 0x0004_0001);
            out.push(x);
        }
        Check::Cp(cp) => {
            if let Some(i) = cp_field {
                let o = dword(base, 4 * i) as usize;
                let s = HEADER_LEN + o;
                match cp {
                    CpCheck::TotalSize => {
                        let mut b = base.to_vec();
                        put(&mut b, s, 8);
                        out.push(b);
                    }
                    CpCheck::Bits(at, mask, how) => {
                        let mut cands = Vec::new();
                        if matches!(how, Bits::One | Bits::NonZeroSubset) {
                            cands.push(0);
                        }
                        cands.push(bits_of(mask).take(2).fold(0, |a, b| a | b));
                        cands.extend(bits_of(!mask).take(4));
                        for v in cands {
                            let mut b = base.to_vec();
                            put(&mut b, s + at, v);
                            out.push(b);
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    let _ = desc;
    out
}

/// A packet that breaks `rule` (see [`request_violating`]).
fn violate_rule(
    u: &mut Unstructured<'_>,
    rule: &'static Rule,
    func: Option<FuncId>,
    version: Option<Version>,
) -> Result<Vec<u8>> {
    if rule.is_stateful()
        || (version.is_none() && validation::rules::not_breakable_alone(rule.id).is_some())
        || rule.id.starts_with("CR.") && rule.id != "CR.4"
    {
        return Err(arbitrary::Error::IncorrectFormat);
    }
    let (func, cp_field) = match rule.block {
        Block::Function(f) | Block::Packet(f) => (f, None),
        Block::CallParams => {
            let all = callparams_funcs();
            let (f, i) = match func.and_then(|f| all.iter().find(|(g, _)| *g == f)) {
                Some(x) => *x,
                None => *u.choose(&all)?,
            };
            (f, Some(i))
        }
        Block::ClientRequest => {
            // CR.4, the only one a packet can break: an undocumented Req_Func.
            let mut bytes = request(u, func, version)?;
            let mut v = u.int_in_range(0..=255u32)?;
            while FuncId::from_u32(v).is_some() {
                v = v.wrapping_add(1);
            }
            put(&mut bytes, 0, v);
            return Ok(bytes);
        }
    };
    let desc = func.desc();
    let mut present = present_mask(desc, rule);
    if let Some(i) = cp_field {
        present |= 1 << i;
    }
    let mut best: Option<(usize, Vec<u8>)> = None;
    for attempt in 0..48u32 {
        let mut b = draw_request(u, desc, version, present)?;
        satisfy_guard(u, &mut b, rule.guard)?;
        if let Some(i) = cp_field {
            // The function rule that applies the LINECALLPARAMS block has a guard too.
            if let Some(r) = validation::rules_for(func)
                .iter()
                .find(|r| matches!(r.check, Check::CallParams(..)))
            {
                satisfy_guard(u, &mut b, r.guard)?;
            }
            let _ = i;
        }
        let base = repair_keeping(u, b, version, present, rule, cp_field)?;
        let mut cands = shape_mutations(&base, desc, rule, cp_field, version);
        // The search: boundary values into the rule's field, its guard's field, or a DWORD of
        // the structure the rule reads.
        for _ in 0..(if attempt < 4 { 16 } else { 48 }) {
            cands.push(search_mutation(u, &base, desc, rule, cp_field)?);
        }
        for c in cands {
            if let Some(n) = score(&c, rule, version) {
                if n == 0 {
                    return Ok(c);
                }
                if best.as_ref().is_none_or(|(m, _)| n < *m) {
                    best = Some((n, c));
                }
            }
        }
        if best.is_some() && attempt >= 8 {
            break;
        }
        if u.is_empty() {
            break;
        }
    }
    best.map(|(_, b)| b)
        .ok_or(arbitrary::Error::IncorrectFormat)
}

/// [`repair`], keeping the guard of `rule` (and of the LINECALLPARAMS rule) satisfied.
fn repair_keeping(
    u: &mut Unstructured<'_>,
    b: RequestBuilder,
    version: Option<Version>,
    present: u16,
    rule: &Rule,
    cp_field: Option<usize>,
) -> Result<Vec<u8>> {
    let bytes = repair(u, b, version, present)?;
    // If repairing undid the guard, set it again on the bytes.
    let mut bytes = bytes;
    let guards = core::iter::once(rule.guard).chain(cp_field.and_then(|_| {
        let f = FuncId::from_u32(dword(&bytes, 0))?;
        validation::rules_for(f)
            .iter()
            .find(|r| matches!(r.check, Check::CallParams(..)))
            .map(|r| r.guard)
    }));
    let guards: Vec<Guard> = guards.collect();
    for g in guards {
        match g {
            Guard::Eq(f, v) => put(&mut bytes, 4 * usize::from(f), v),
            Guard::Any(f, mask) => {
                let i = 4 * usize::from(f);
                if dword(&bytes, i) & mask == 0 {
                    let bit = *u.choose(&bits_of(mask).collect::<Vec<_>>())?;
                    let v = dword(&bytes, i) | bit;
                    put(&mut bytes, i, v);
                }
            }
            Guard::NonZero(f) => {
                let i = 4 * usize::from(f);
                if dword(&bytes, i) == 0 {
                    put(&mut bytes, i, 1);
                }
            }
            _ => {}
        }
    }
    Ok(bytes)
}

/// One random mutation for the search: a boundary value (or a value near the VarData length)
/// written into the rule's field, another field, or a DWORD of an embedded structure.
fn search_mutation(
    u: &mut Unstructured<'_>,
    base: &[u8],
    desc: &PacketDesc,
    rule: &Rule,
    cp_field: Option<usize>,
) -> Result<Vec<u8>> {
    let var_len = base.len().saturating_sub(HEADER_LEN) as u32;
    let mut b = base.to_vec();
    let n = u.int_in_range(1..=2u8)?;
    for _ in 0..n {
        let target = rule_field(desc, rule);
        let structure = cp_field
            .or(rule.check.structure_field().map(usize::from))
            .or(target.filter(|i| matches!(desc.fields[*i].role, Role::Structure { .. })));
        let at = match u.int_in_range(0..=3u8)? {
            0 | 1 if structure.is_some() => {
                let s = structure.unwrap_or(0);
                let o = dword(base, 4 * s) as usize;
                let total = dword(base, HEADER_LEN + o) as usize;
                let words = total.min(base.len().saturating_sub(HEADER_LEN + o)) / 4;
                if words == 0 {
                    4 * s
                } else {
                    HEADER_LEN + o + 4 * u.int_in_range(0..=words - 1)?
                }
            }
            0..=2 if target.is_some() => 4 * target.unwrap_or(1),
            _ => 4 * u.int_in_range(1..=HEADER_DWORDS - 1)?,
        };
        let v = match u.int_in_range(0..=5u8)? {
            0 => var_len,
            1 => var_len
                .wrapping_add(4 * u.int_in_range(0..=4u32)?)
                .wrapping_sub(8),
            2 => 1u32 << u.int_in_range(0..=31u32)?,
            3 => dword(&b, at).wrapping_add(u.int_in_range(1..=4u32)?),
            4 => u.arbitrary()?,
            _ => *u.choose(&BOUNDARY)?,
        };
        put(&mut b, at, v);
    }
    Ok(b)
}

/// A packet that breaks resolver check `c` on one reference (see [`VarCheck`]).
fn violate_check(
    u: &mut Unstructured<'_>,
    func: Option<FuncId>,
    version: Option<Version>,
    c: VarCheck,
) -> Result<Vec<u8>> {
    let fits = |r: Role| match c {
        VarCheck::Misaligned | VarCheck::OutOfBounds => r.is_reference(),
        VarCheck::MissingNul => matches!(r, Role::String { .. }),
        VarCheck::Overflow | VarCheck::SizePastVarData => matches!(r, Role::Bytes { .. }),
        VarCheck::StructTooSmall => matches!(r, Role::Structure { .. }),
    };
    let candidates: Vec<(FuncId, usize)> = FuncId::ALL
        .iter()
        .filter(|f| func.is_none_or(|g| g == **f))
        .flat_map(|f| {
            f.desc()
                .fields
                .iter()
                .enumerate()
                .filter(|(_, d)| fits(d.role))
                .map(move |(i, _)| (*f, i))
        })
        .collect();
    let (func, i) = *u.choose(&candidates)?;
    let desc = func.desc();
    let b = draw_request(u, desc, version, 1 << i)?;
    let mut bytes = repair(u, b, version, 1 << i)?;
    let var_len = (bytes.len() - HEADER_LEN) as u32;
    let off = dword(&bytes, 4 * i);
    match c {
        VarCheck::Misaligned => {
            let v = if matches!(desc.fields[i].role, Role::String { .. }) {
                off | 1
            } else {
                (off & !3) | 2
            };
            put(&mut bytes, 4 * i, v);
        }
        VarCheck::OutOfBounds => put(&mut bytes, 4 * i, var_len + 4),
        VarCheck::MissingNul => {
            put(&mut bytes, 4 * i, var_len);
            bytes.extend_from_slice(&[b'A', 0, b'A', 0]);
        }
        VarCheck::Overflow | VarCheck::SizePastVarData => {
            let Role::Bytes { size, .. } = desc.fields[i].role else {
                return Err(arbitrary::Error::IncorrectFormat);
            };
            let mut off = off.min(var_len) & !3;
            if c == VarCheck::Overflow && off == 0 {
                // `offset + size` overflows only from a non-zero offset (from 0, u32::MAX
                // is the largest size): make room for one.
                if var_len < 4 {
                    bytes.extend_from_slice(&[0; 4]);
                }
                off = 4;
            }
            let var_len = (bytes.len() - HEADER_LEN) as u32;
            put(&mut bytes, 4 * i, off);
            let s = if c == VarCheck::Overflow {
                (u32::MAX - off) + 1
            } else {
                var_len - off + 4
            };
            put(&mut bytes, 4 * size, s);
        }
        VarCheck::StructTooSmall => {
            let off = off.min(var_len.saturating_sub(4));
            put(&mut bytes, 4 * i, off);
            put(
                &mut bytes,
                HEADER_LEN + off as usize,
                u.int_in_range(0..=3)?,
            );
        }
    }
    Ok(bytes)
}

// ---------------------------------------------------------------------------------------
// Replies and events
// ---------------------------------------------------------------------------------------

/// A reply to `func` (any when `None`): a success with every returned structure generated
/// (valid sizes and variable part), returned data of the size the request field says, and
/// filled DWORDs drawn; or, one time in four, an error code (LINEERR/PHONEERR of the
/// function's group) or a request id for an asynchronous function.
pub fn reply(
    u: &mut Unstructured<'_>,
    func: Option<FuncId>,
    version: Option<Version>,
) -> Result<Vec<u8>> {
    let func = match func {
        Some(f) => f,
        None => *u.choose(FuncId::ALL)?,
    };
    let desc = func.desc();
    let mut b = ReplyBuilder::new(func);
    if u.ratio(1, 4)? {
        let v = if desc.completion == crate::requests::Completion::Async && u.arbitrary()? {
            u.int_in_range(1..=0x7FFF_FFFF)?
        } else if desc.group.is_phone() {
            0x9000_0000 | u.int_in_range(1..=0x40)?
        } else {
            0x8000_0000 | u.int_in_range(1..=0x60)?
        };
        return Ok(b
            .return_value(ReturnValue::classify(func, v))
            .to_bytes()
            .to_vec());
    }
    for (i, f) in desc.fields.iter().enumerate().skip(1) {
        match reply_role(desc, i) {
            ReplyRole::Structure { name } => {
                let data = match desc_by_name(name) {
                    Some(d) if u.ratio(7, 8)? => Some(structure(u, d, version)?),
                    _ => None,
                };
                b = b.output(f.name, data.as_deref());
            }
            ReplyRole::Data { .. } => {
                let data = gen_bytes(u, 32)?;
                b = b.output(f.name, Some(&data));
            }
            ReplyRole::Filled => b = b.set(f.name, *u.choose(&BOUNDARY)?),
            ReplyRole::Echo => {
                let v = match f.role {
                    Role::Version => gen_version(u, version)?,
                    Role::Handle(_) => u.int_in_range(1..=0xFFFF)?,
                    Role::String { .. } | Role::Bytes { .. } | Role::Structure { .. } => ABSENT,
                    _ => *u.choose(&BOUNDARY)?,
                };
                b = b.set(f.name, v);
            }
            ReplyRole::ReturnValue => {}
        }
    }
    Ok(b.to_bytes().to_vec())
}

/// Every event kind: the 32 `Msg` packets of 2.2.4.2.1 and the special completions of
/// 2.2.4.2.2.
pub fn event_kinds() -> Vec<&'static EventDesc> {
    Msg::ALL
        .iter()
        .map(|m| m.desc())
        .chain(SpecialCompletion::ALL.iter().copied())
        .collect()
}

/// One event of kind `desc`: DWORDs drawn by role (constants from their 2.2.3 set), VarData of
/// the packet's kind (a generated structure where the packet carries one).
pub fn event(
    u: &mut Unstructured<'_>,
    desc: &'static EventDesc,
    version: Option<Version>,
) -> Result<EventBuilder> {
    let mut b = EventBuilder::new(desc);
    for (i, f) in desc.fields.iter().enumerate().skip(1) {
        let v = match f.role {
            EventRole::TotalSize | EventRole::Msg => continue,
            EventRole::VarSize | EventRole::VarOffset | EventRole::FixedSize => continue,
            EventRole::Constant(kind) => {
                let values = kind.values();
                if values.is_empty() || u.ratio(1, 8)? {
                    u.arbitrary()?
                } else {
                    u.choose(values)?.1
                }
            }
            EventRole::RequestId => u.int_in_range(1..=0x7FFF_FFFF)?,
            EventRole::Result => {
                if u.ratio(3, 4)? {
                    0
                } else {
                    0x8000_0000 | u.int_in_range(1..=0x60)?
                }
            }
            EventRole::Handle(_) => u.int_in_range(1..=0xFFFF)?,
            _ => *u.choose(&BOUNDARY)?,
        };
        b.set(i, v);
    }
    match desc.var {
        VarDataDesc::None => {}
        VarDataDesc::Wchars { .. } => {
            let t = gen_text(u)?;
            let bytes: Vec<u8> = t.iter().flat_map(|c| c.to_le_bytes()).collect();
            b.set_var_data(&bytes);
        }
        VarDataDesc::StringAt { .. } => {
            let mut t = gen_text(u)?;
            t.push(0);
            let bytes: Vec<u8> = t.iter().flat_map(|c| c.to_le_bytes()).collect();
            b.set_var_data(&bytes);
        }
        VarDataDesc::Structure(name)
        | VarDataDesc::Sized {
            structure: Some(name),
            ..
        } => {
            let data = match desc_by_name(name) {
                Some(d) => structure(u, d, version)?,
                None => gen_bytes(u, 16)?,
            };
            b.set_var_data(&data);
        }
        VarDataDesc::Sized {
            structure: None, ..
        } => {
            let data = gen_bytes(u, 16)?;
            b.set_var_data(&data);
        }
    }
    Ok(b)
}

/// An event buffer of 1 to 4 events of any kinds.
pub fn events(u: &mut Unstructured<'_>, version: Option<Version>) -> Result<Vec<u8>> {
    let kinds = event_kinds();
    let n = u.int_in_range(1..=4)?;
    let mut buf = EventBufferBuilder::new();
    for _ in 0..n {
        let d = *u.choose(&kinds)?;
        buf.push(event(u, d, version)?);
    }
    Ok(buf.to_bytes().to_vec())
}
