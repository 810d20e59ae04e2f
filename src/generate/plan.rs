//! Generation plans, worked out once from the catalogues (issue 12, generator throughput).
//!
//! What the generator asks of the catalogues for every value it draws does not change between
//! draws: which rules of a function constrain a DWORD, which embedded structure a reference
//! holds, which members of a structure are drawn and how. The first call works that out for
//! every function and every structure (two [`OnceLock`] tables); every later draw reads the
//! table instead of scanning the rule block or comparing member names. The plans only select;
//! the values are drawn by the same code, in the same order, as without them, so a seed gives
//! the same bytes.

use alloc::vec::Vec;
use std::sync::OnceLock;

use crate::header::HEADER_DWORDS;
use crate::requests::{FuncId, Role};
use crate::structures::{FieldType, Header, StructDesc, VarKind};
use crate::validation::{self, Bits, CALLPARAMS_RULES, Check, CpCheck};

/// What the generator needs to know about one function's packet.
#[derive(Debug)]
pub(super) struct FuncPlan {
    /// Per DWORD, the checks of the function's rules (in block order) that may give it a
    /// value (see `constrains`).
    checks: [Vec<Check>; HEADER_DWORDS],
    /// Per DWORD, the structure plan (index into [`structs`]) of a `Role::Structure` field.
    structs: [Option<usize>; HEADER_DWORDS],
    /// Per DWORD, the structure an `Role::OutSize` field sizes.
    out_structs: [Option<&'static StructDesc>; HEADER_DWORDS],
}

impl FuncPlan {
    /// The checks that may give DWORD `i` a value, in rule order.
    pub(super) fn checks(&self, i: usize) -> &[Check] {
        self.checks.get(i).map_or(&[], Vec::as_slice)
    }

    /// The plan of the structure reference field `i` holds, if it names a known one.
    pub(super) fn structure(&self, i: usize) -> Option<&'static StructPlan> {
        let k = (*self.structs.get(i)?)?;
        structs().get(k)
    }

    /// The structure output-size field `i` sizes, if it names a known one.
    pub(super) fn out_structure(&self, i: usize) -> Option<&'static StructDesc> {
        *self.out_structs.get(i)?
    }
}

/// Whether `check` can give field `i` a value on its own: exactly the checks for which
/// `super::value_for_check` does something for `i` (it returns `None`, drawing nothing, for
/// every other one, so leaving them out of the plan changes no draw).
pub(super) fn constrains(check: &Check, i: usize) -> bool {
    let me = |f: u8| usize::from(f) == i;
    match *check {
        Check::Bits(f, ..)
        | Check::Version(f, _)
        | Check::Equals(f, _)
        | Check::AtMost(f, _)
        | Check::MultipleOf(f, _)
        | Check::NonZero(f)
        | Check::AtLeast(f, _) => me(f),
        Check::NotGreater(a, b) | Check::VersionBetween(a, b) => me(a) || me(b),
        _ => false,
    }
}

/// The plan of `func` (built with every other one on first use).
pub(super) fn func(func: FuncId) -> &'static FuncPlan {
    static FUNCS: OnceLock<Vec<Option<FuncPlan>>> = OnceLock::new();
    let table = FUNCS.get_or_init(|| {
        let len = FuncId::ALL
            .iter()
            .map(|f| *f as usize + 1)
            .max()
            .unwrap_or(0);
        let mut table: Vec<Option<FuncPlan>> = (0..len).map(|_| None).collect();
        for f in FuncId::ALL {
            if let Some(slot) = table.get_mut(*f as usize) {
                *slot = Some(func_plan(*f));
            }
        }
        table
    });
    match table.get(func as usize) {
        Some(Some(p)) => p,
        // Every FuncId is in FuncId::ALL; a plan built here is never reached.
        _ => alloc::boxed::Box::leak(alloc::boxed::Box::new(func_plan(func))),
    }
}

fn func_plan(func: FuncId) -> FuncPlan {
    let rules = validation::rules_for(func);
    let desc = func.desc();
    let mut p = FuncPlan {
        checks: Default::default(),
        structs: [None; HEADER_DWORDS],
        out_structs: [None; HEADER_DWORDS],
    };
    for i in 0..HEADER_DWORDS {
        p.checks[i] = rules
            .iter()
            .map(|r| r.check)
            .filter(|c| constrains(c, i))
            .collect();
    }
    for (i, f) in desc.fields.iter().enumerate().take(HEADER_DWORDS) {
        match f.role {
            Role::Structure { name, .. } => p.structs[i] = struct_index(name),
            Role::OutSize { structure } => {
                p.out_structs[i] = struct_index(structure).map(|k| structs()[k].desc)
            }
            _ => {}
        }
    }
    p
}

/// How one member of a structure's fixed part is drawn (members not listed are left zero
/// and draw nothing).
#[derive(Debug, Clone, Copy)]
pub(super) enum Member {
    /// `dwStringFormat`: STRINGFORMAT_UNICODE.
    Const { at: usize, value: u32 },
    /// A LINECALLPARAMS member a CP rule constrains ([`CpCheck::Bits`]); `bearer` for the
    /// member of CP.3 ([`CpCheck::BearerOneBit`]), one bit at most up to TAPI 2.0.
    CpBits {
        at: usize,
        mask: u32,
        how: Bits,
        bearer: bool,
    },
    /// Any other DWORD: zero half of the time, else a boundary value.
    ZeroOrBoundary { at: usize },
    /// A GUID: 16 bytes drawn.
    Guid { at: usize },
}

/// What the generator needs to know about one structure.
#[derive(Debug, Clone)]
pub(super) struct StructPlan {
    /// The structure.
    pub(super) desc: &'static StructDesc,
    /// The members drawn, in wire order.
    pub(super) members: Vec<Member>,
    /// Per variable item of an entries kind, the plan (index into [`structs`]) of its entry.
    pub(super) entries: Vec<Option<usize>>,
}

/// Every structure's plan: the catalogue's ([`crate::structures::ALL`], in its order), then
/// any entry structure not among them.
pub(super) fn structs() -> &'static [StructPlan] {
    static STRUCTS: OnceLock<Vec<StructPlan>> = OnceLock::new();
    STRUCTS.get_or_init(|| {
        let mut descs: Vec<&'static StructDesc> = crate::structures::ALL.to_vec();
        let mut k = 0;
        while let Some(d) = descs.get(k).copied() {
            for v in d.vars {
                if let Some(e) = entry_of(v.kind) {
                    if !descs.iter().any(|x| x.name == e.name) {
                        descs.push(e);
                    }
                }
            }
            k += 1;
        }
        descs
            .iter()
            .map(|d| StructPlan {
                desc: d,
                members: members(d),
                entries: d
                    .vars
                    .iter()
                    .map(|v| {
                        let e = entry_of(v.kind)?;
                        descs.iter().position(|x| x.name == e.name)
                    })
                    .collect(),
            })
            .collect()
    })
}

/// The plan of the structure called `name`, as an index into [`structs`].
pub(super) fn struct_index(name: &str) -> Option<usize> {
    structs().iter().position(|p| p.desc.name == name)
}

/// A plan for `desc`: the table's when `desc` is a catalogue structure, else worked out now
/// (a description built by the caller).
pub(super) fn struct_plan(desc: &'static StructDesc) -> alloc::borrow::Cow<'static, StructPlan> {
    match struct_index(desc.name).and_then(|k| structs().get(k)) {
        Some(p) if core::ptr::eq(p.desc, desc) || same_desc(p.desc, desc) => {
            alloc::borrow::Cow::Borrowed(p)
        }
        _ => alloc::borrow::Cow::Owned(StructPlan {
            desc,
            members: members(desc),
            entries: desc.vars.iter().map(|_| None).collect(),
        }),
    }
}

/// Whether two descriptions describe the same layout (the catalogue's `const`s may sit at
/// different addresses).
fn same_desc(a: &StructDesc, b: &StructDesc) -> bool {
    a.name == b.name
        && a.size == b.size
        && a.fields.len() == b.fields.len()
        && a.vars.len() == b.vars.len()
}

fn entry_of(kind: VarKind) -> Option<&'static StructDesc> {
    match kind {
        VarKind::Entries { entry, .. } | VarKind::InlineEntries { entry } => Some(entry),
        _ => None,
    }
}

/// The member values the LINECALLPARAMS block of 3.1.4.2 constrains
/// ([`CpCheck::Bits`]): (byte offset, mask, how).
fn cp_bits() -> impl Iterator<Item = (usize, u32, Bits)> {
    CALLPARAMS_RULES.iter().filter_map(|r| match r.check {
        Check::Cp(CpCheck::Bits(at, mask, how)) => Some((at, mask, how)),
        _ => None,
    })
}

/// Whether LINECALLPARAMS member `name` is the one of [`CpCheck::BearerOneBit`] (CP.3, "more
/// than one bit ... is valid for API versions greater than 0x00020000").
fn is_bearer_member(name: &str) -> bool {
    CALLPARAMS_RULES
        .iter()
        .any(|r| matches!(r.check, Check::Cp(CpCheck::BearerOneBit)) && r.field == name)
}

/// Whether member `name` of `desc` is laid out by the builder (a size, offset, count or entry
/// size of a variable item, or the size header).
fn is_layout_member(desc: &StructDesc, name: &str) -> bool {
    matches!(
        name,
        "dwTotalSize" | "dwNeededSize" | "dwUsedSize" | "dwSize"
    ) && desc.header != Header::Plain
        || desc.vars.iter().any(|v| {
            v.size_field == name
                || v.offset_field == name
                || matches!(v.kind, VarKind::Entries { count_field: Some(c), .. } if c == name)
                || matches!(v.kind, VarKind::TextTable { entry_size_field, .. } if entry_size_field == name)
        })
}

/// The members of `desc` the generator draws, in wire order.
fn members(desc: &StructDesc) -> Vec<Member> {
    let is_cp = desc.name == "LINECALLPARAMS";
    let mut out = Vec::new();
    for m in desc.fields {
        match m.ty {
            FieldType::Dword if !is_layout_member(desc, m.name) => {
                let at = m.offset;
                if Some(at) == desc.string_format_at {
                    out.push(Member::Const {
                        at,
                        value: crate::structures::STRINGFORMAT_UNICODE,
                    });
                } else if let Some((_, mask, how)) = cp_bits().find(|(o, _, _)| is_cp && *o == at) {
                    out.push(Member::CpBits {
                        at,
                        mask,
                        how,
                        bearer: is_bearer_member(m.name),
                    });
                } else if !is_cp {
                    out.push(Member::ZeroOrBoundary { at });
                }
                // Other LINECALLPARAMS DWORDs stay zero, drawing nothing.
            }
            FieldType::Guid => out.push(Member::Guid { at: m.offset }),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan leaves out only checks that give the field nothing: for every rule of every
    /// function and every DWORD, a check `constrains` rejects makes `value_for_check` return
    /// `None` without reading a byte (so the plan cannot change what a seed draws).
    #[test]
    fn left_out_checks_draw_nothing() {
        let bytes = [0xA5u8; 64];
        let mut left_out = 0;
        for f in FuncId::ALL {
            for r in validation::rules_for(*f) {
                for i in 0..HEADER_DWORDS {
                    if constrains(&r.check, i) {
                        continue;
                    }
                    left_out += 1;
                    let mut u = arbitrary::Unstructured::new(&bytes);
                    let v = super::super::value_for_check(&mut u, &r.check, i, None);
                    assert!(matches!(v, Ok(None)), "{} field {i}: {v:?}", r.id);
                    assert_eq!(u.len(), bytes.len(), "{} field {i} read bytes", r.id);
                }
            }
        }
        assert!(left_out > 0);
    }

    /// Every checked value a plan keeps is one `value_for_check` draws for that field, and
    /// every request structure and output size names a planned structure.
    #[test]
    fn plans_cover_the_catalogue() {
        let bytes = [0x5Au8; 64];
        for f in FuncId::ALL {
            let p = func(*f);
            for (i, field) in f.desc().fields.iter().enumerate() {
                for c in p.checks(i) {
                    let mut u = arbitrary::Unstructured::new(&bytes);
                    let drew = super::super::value_for_check(&mut u, c, i, None);
                    // AtLeast with a field bound is the one kept check that gives no value.
                    let field_bound = matches!(c, Check::AtLeast(_, validation::Bound::Field(_)));
                    assert!(
                        matches!(drew, Ok(Some(_))) || field_bound,
                        "{f:?} field {i}: {c:?}"
                    );
                }
                match field.role {
                    Role::Structure { name, .. } => {
                        assert_eq!(p.structure(i).map(|s| s.desc.name), Some(name))
                    }
                    Role::OutSize { structure } => {
                        assert_eq!(p.out_structure(i).map(|s| s.name), Some(structure))
                    }
                    _ => {}
                }
            }
        }
        assert!(structs().len() >= crate::structures::ALL.len());
    }
}
