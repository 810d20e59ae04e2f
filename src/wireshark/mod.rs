//! A Wireshark/tshark Lua dissector for [MS-TRP], generated from the crate's catalogues
//! (feature `wireshark`; `trp wireshark` writes it).
//!
//! [`lua_dissector`] emits one Lua 5.2 file for Wireshark 4.0 and later: tables generated from
//! the request catalogue (the 132 functions, every DWORD's name and role, the reply role of
//! each field), [`crate::requests::known_as`], the result codes of [`crate::errors`], the event
//! catalogue (the ASYNCEVENTMSG kinds and the special-case completions), the 49 structures of
//! 2.2.6, the stateless validation rules of 3.1.4.2 whose check a table can express, and the
//! six methods and two interfaces of [`crate::rpc`]; then a fixed engine that walks them.
//!
//! The engine is a post-dissector: it reads what Wireshark's DCE/RPC dissector found (packet
//! type, call id, context id, opnum, the bind's abstract and accepted transfer syntaxes, and the
//! stub bytes, `dcerpc.payload_stub_data` when Wireshark's own `tapi` dissector runs,
//! `dcerpc.stub_data` when it is disabled or for remotesp) and parses the NDR20 or NDR64 stub
//! of the six methods itself. It therefore works whether or not `tapi` is enabled, over TCP and
//! over SMB2 named pipes.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::errors::{LineErr, PhoneErr, TapiErr};
use crate::events::completions::SpecialCompletion;
use crate::events::{ASYNC_EVENT_MSG, EventDesc, EventRole, Msg, VarDataDesc};
use crate::replies::{ReplyRole, reply_role};
use crate::requests::known_as::KNOWN_AS;
use crate::requests::{Completion, FuncId, Role};
use crate::rpc::methods::{Interface, METHODS};
use crate::rpc::uuid::NDR64;
use crate::structures::{self, FieldType, Header, VarKind};
use crate::validation::{self, Bits, Block, Bound, Check, Guard, consts::TAPI_VERSIONS};

/// The engine: fixed Lua that walks the generated tables.
const ENGINE: &str = include_str!("engine.lua");

/// Field abbreviations the engine registers itself; a catalogue name equal to one of them
/// is not registered twice.
const ENGINE_FIELDS: &[&str] = &[
    "function",
    "req_func",
    "known_as",
    "return_value",
    "result",
    "event",
    "completion",
    "interface",
    "method",
    "direction",
    "syntax",
    "structure",
    "rule",
    "error",
    "data",
    "var_data",
    "phContext",
    "lNeededSize",
    "plUsedSize",
    "lSize",
    "lProcessID",
    "pszDomainUser",
    "pszMachine",
    "phAsyncEventsEvent",
    "rpc_return",
];

/// Kinds of rule check the generated Lua evaluates; the others are listed by
/// [`unexpressed_rules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RuleSupport {
    /// The rule is checked by the Lua dissector.
    Checked,
    /// The rule needs the server's state (handles, devices, proxies).
    Stateful,
    /// The rule's check or guard is a Rust predicate, or walks an embedded structure
    /// (LINECALLPARAMS, LINEFORWARDLIST, "the structure decodes") or the ClientRequest call.
    NotExpressible,
}

/// How the Lua dissector treats `rule`.
pub fn rule_support(rule: &validation::Rule) -> RuleSupport {
    if rule.is_stateful() {
        return RuleSupport::Stateful;
    }
    if lua_rule(rule).is_some() {
        RuleSupport::Checked
    } else {
        RuleSupport::NotExpressible
    }
}

/// The function a rule belongs to, for the rules of a function block or packet section.
fn rule_func(rule: &validation::Rule) -> Option<FuncId> {
    match rule.block {
        Block::Function(f) | Block::Packet(f) => Some(f),
        _ => None,
    }
}

fn bound(b: Bound) -> (&'static str, u32) {
    match b {
        Bound::Const(v) => ("const", v),
        Bound::Field(i) => ("field", u32::from(i)),
        Bound::Struct(d) => ("const", validation::struct_size(d, None)),
    }
}

/// The Lua check and guard of `rule`, if a table can express them.
fn lua_rule(rule: &validation::Rule) -> Option<(String, Option<String>)> {
    let func = rule_func(rule)?;
    let check = match rule.check {
        Check::StrAligned(i) => format!("{{\"str_aligned\", {i}}}"),
        Check::StrWithin(i) => format!("{{\"str_within\", {i}}}"),
        Check::StrTerminated(i) => format!("{{\"str_terminated\", {i}}}"),
        Check::Str(i) => format!("{{\"str\", {i}}}"),
        Check::AlignedWithin(i) => format!("{{\"aligned_within\", {i}}}"),
        Check::Extent(i, s) => format!("{{\"extent\", {i}, {s}}}"),
        Check::Block(i, s) => format!("{{\"block\", {i}, {s}}}"),
        Check::Fits(i, d) => format!(
            "{{\"fits\", {i}, {}}}",
            validation::struct_size(d, None).max(4)
        ),
        Check::Resolves(i) => match func.desc().fields.get(usize::from(i))?.role {
            Role::String { .. } => format!("{{\"resolves_string\", {i}}}"),
            Role::Bytes { size, .. } => format!("{{\"resolves_bytes\", {i}, {size}}}"),
            Role::Structure { .. } => format!("{{\"resolves_structure\", {i}}}"),
            _ => return None,
        },
        Check::VarDataAtLeast(b) => {
            let (k, v) = bound(b);
            format!("{{\"var_data_at_least\", \"{k}\", {v}}}")
        }
        Check::AtLeast(i, b) => {
            let (k, v) = bound(b);
            format!("{{\"at_least\", {i}, \"{k}\", {v}}}")
        }
        Check::AtMost(i, v) => format!("{{\"at_most\", {i}, {v}}}"),
        Check::MultipleOf(i, v) => format!("{{\"multiple_of\", {i}, {v}}}"),
        Check::NonZero(i) => format!("{{\"nonzero\", {i}}}"),
        Check::Equals(i, v) => format!("{{\"equals\", {i}, {v}}}"),
        Check::Bits(i, mask, how) => {
            let how = match how {
                Bits::One => "one",
                Bits::ZeroOrOne => "zero_or_one",
                Bits::Subset => "subset",
                Bits::NonZeroSubset => "nonzero_subset",
            };
            format!("{{\"bits\", {i}, {mask}, \"{how}\"}}")
        }
        Check::Version(i, set) => {
            let list: Vec<String> = set.iter().map(|v| format!("{v}")).collect();
            format!("{{\"version\", {i}, {{{}}}}}", list.join(", "))
        }
        Check::NotGreater(a, b) => format!("{{\"not_greater\", {a}, {b}}}"),
        Check::VersionBetween(a, b) => format!("{{\"version_between\", {a}, {b}}}"),
        _ => return None,
    };
    let guard = match rule.guard {
        Guard::Always => None,
        Guard::Present(i) => Some(format!("{{\"present\", {i}}}")),
        Guard::Eq(i, v) => Some(format!("{{\"eq\", {i}, {v}}}")),
        Guard::Any(i, v) => Some(format!("{{\"any\", {i}, {v}}}")),
        Guard::NonZero(i) => Some(format!("{{\"nonzero\", {i}}}")),
        Guard::If(_) => return None,
    };
    Some((check, guard))
}

/// The stateless rules the Lua dissector does not check ([`RuleSupport::NotExpressible`]).
pub fn unexpressed_rules() -> impl Iterator<Item = &'static validation::Rule> {
    validation::all_rules().filter(|r| rule_support(r) == RuleSupport::NotExpressible)
}

/// A Lua string literal.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The kind of ProtoField a catalogue name gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    U32,
    Str,
    Bytes,
    Guid,
}

impl Kind {
    fn lua(self) -> &'static str {
        match self {
            Kind::U32 => "u32",
            Kind::Str => "string",
            Kind::Bytes => "bytes",
            Kind::Guid => "guid",
        }
    }
}

/// Every field name the catalogues use, with its ProtoField kind, in first-seen order. A name
/// that two catalogues give different kinds keeps the first (requests, then events, then
/// structures); the engine labels the other uses as text.
fn spec_fields() -> Vec<(&'static str, Kind)> {
    let mut order: Vec<(&'static str, Kind)> = Vec::new();
    let mut seen: BTreeMap<&'static str, Kind> = BTreeMap::new();
    let mut add = |name: &'static str, kind: Kind| {
        if ENGINE_FIELDS.contains(&name) || name == "Req_Func" || seen.contains_key(name) {
            return;
        }
        seen.insert(name, kind);
        order.push((name, kind));
    };
    for f in FuncId::ALL {
        for field in &f.desc().fields[1..] {
            let kind = match field.role {
                Role::String { .. } => Kind::Str,
                _ => Kind::U32,
            };
            add(field.name, kind);
        }
    }
    for p in 1..=13 {
        let name: &'static str = PARAMS[p - 1];
        add(name, Kind::U32);
    }
    for d in Msg::ALL
        .iter()
        .map(|m| m.desc())
        .chain(SpecialCompletion::ALL.iter().copied())
    {
        for field in d.fields {
            add(field.name, Kind::U32);
        }
    }
    for field in ASYNC_EVENT_MSG.fields {
        add(field.name, Kind::U32);
    }
    for s in structures::ALL {
        for m in s.fields {
            let kind = match m.ty {
                FieldType::Dword => Kind::U32,
                FieldType::Guid => Kind::Guid,
                _ => Kind::Bytes,
            };
            add(m.name, kind);
        }
        for v in s.vars {
            let kind = match v.kind {
                VarKind::Text | VarKind::Ascii | VarKind::MultiText | VarKind::TextTable { .. } => {
                    Kind::Str
                }
                VarKind::Bytes | VarKind::Dwords => Kind::Bytes,
                VarKind::Entries { .. } | VarKind::InlineEntries { .. } => continue,
            };
            add(v.name, kind);
        }
    }
    order
}

/// The names of an undocumented packet's thirteen parameters.
const PARAMS: [&str; 13] = [
    "Param1", "Param2", "Param3", "Param4", "Param5", "Param6", "Param7", "Param8", "Param9",
    "Param10", "Param11", "Param12", "Param13",
];

fn event_fields(d: &EventDesc) -> String {
    let names: Vec<String> = d.fields.iter().map(|f| q(f.name)).collect();
    format!("{{{}}}", names.join(", "))
}

fn event_var(d: &EventDesc) -> String {
    match d.var {
        VarDataDesc::None => "nil".into(),
        VarDataDesc::Wchars { count } => format!("{{\"wchars\", {count}}}"),
        VarDataDesc::StringAt { offset, size } => format!("{{\"string_at\", {offset}, {size}}}"),
        VarDataDesc::Structure(name) => format!("{{\"structure\", {}}}", q(name)),
        VarDataDesc::Sized { size, structure } => match structure {
            Some(s) => format!("{{\"sized\", {size}, {}}}", q(s)),
            None => format!("{{\"sized\", {size}}}"),
        },
    }
}

/// The Lua dissector: generated tables, then the engine.
pub fn lua_dissector() -> String {
    let mut o = String::new();
    let w = &mut o;
    let _ = writeln!(
        w,
        "-- mstrp.lua: a Wireshark/tshark (4.0 and later, Lua 5.2) dissector for [MS-TRP],\n\
         -- generated by `trp wireshark` from the catalogues of the mstrp crate {}.\n\
         -- Do not edit: regenerate it. Load it with `tshark -X lua_script:mstrp.lua` or copy it\n\
         -- into Wireshark's personal Lua plugins folder. Protocol `mstrp`, fields `mstrp.*`.\n",
        env!("CARGO_PKG_VERSION")
    );

    // Result codes (2.2.3).
    let _ = writeln!(w, "local ERRORS = {{");
    for c in LineErr::ALL {
        let _ = writeln!(w, "  [0x{:08x}] = {},", c.value(), q(c.name()));
    }
    for c in PhoneErr::ALL {
        let _ = writeln!(w, "  [0x{:08x}] = {},", c.value(), q(c.name()));
    }
    for c in TapiErr::ALL {
        let _ = writeln!(w, "  [0x{:08x}] = {},", c.value(), q(c.name()));
    }
    let _ = writeln!(w, "}}\n");

    let versions: Vec<String> = TAPI_VERSIONS.iter().map(|v| format!("0x{v:08x}")).collect();
    let _ = writeln!(w, "local TAPI_VERSIONS = {{{}}}\n", versions.join(", "));

    // Interfaces and methods (rpc).
    let _ = writeln!(w, "local INTERFACES = {{");
    for i in Interface::ALL {
        let name = match i {
            Interface::Tapsrv => "tapsrv",
            Interface::Remotesp => "remotesp",
        };
        let _ = writeln!(w, "  [{}] = {},", q(&hex(&i.syntax_id().uuid.0)), q(name));
    }
    let _ = writeln!(w, "}}");
    let _ = writeln!(w, "local NDR64_UUID = {}", q(&hex(&NDR64.uuid.0)));
    let _ = writeln!(w, "local METHODS = {{ tapsrv = {{}}, remotesp = {{}} }}");
    for m in &METHODS {
        let iface = match m.interface {
            Interface::Tapsrv => "tapsrv",
            Interface::Remotesp => "remotesp",
        };
        let _ = writeln!(w, "METHODS.{iface}[{}] = {}", m.opnum, q(m.name));
    }
    let _ = writeln!(w);

    // Requests (2.2.4.1) and their replies.
    let _ = writeln!(
        w,
        "-- FUNCS[Req_Func]: fields[i] describes DWORD i (1..14): {{name, request role, argument,\n\
         -- reply role, reply argument}}; argument indexes are DWORD indexes (0 = Req_Func)."
    );
    let _ = writeln!(w, "local FUNCS = {{}}");
    for f in FuncId::ALL {
        let d = f.desc();
        let _ = writeln!(
            w,
            "FUNCS[{}] = {{ name = {}, ident = {}, section = {}, async = {}, fields = {{",
            *f as u32,
            q(d.name),
            q(d.ident),
            q(d.section),
            d.completion == Completion::Async
        );
        for (i, field) in d.fields.iter().enumerate().skip(1) {
            let (kind, arg) = match field.role {
                Role::String { .. } => ("string", "nil".to_string()),
                Role::Bytes { size, .. } => ("bytes", size.to_string()),
                Role::Structure { name, .. } => ("structure", q(name)),
                Role::Handle(h) => ("handle", q(h.spec_name())),
                _ => ("value", "nil".to_string()),
            };
            let (rrole, rarg) = match reply_role(d, i) {
                ReplyRole::Structure { name } => ("struct", q(name)),
                ReplyRole::Data { size } => ("data", size.to_string()),
                ReplyRole::Filled => ("filled", "nil".into()),
                ReplyRole::ReturnValue | ReplyRole::Echo => ("echo", "nil".into()),
            };
            let _ = writeln!(
                w,
                "  {{{}, {}, {arg}, {}, {rarg}}},",
                q(field.name),
                q(kind),
                q(rrole)
            );
        }
        let _ = writeln!(w, "}} }}");
    }
    let _ = write!(w, "local UNKNOWN_FIELDS = {{ {{\"Reserved1\", \"value\"}}");
    for p in PARAMS {
        let _ = write!(w, ", {{{}, \"value\"}}", q(p));
    }
    let _ = writeln!(w, " }}");
    let _ = writeln!(w, "local KNOWN_AS = {{");
    for k in KNOWN_AS {
        let _ = writeln!(w, "  [{}] = {},", k.req_func, q(k.name));
    }
    let _ = writeln!(w, "}}\n");

    // Events (2.2.4.2).
    let _ = writeln!(w, "local EVENTS = {{}}");
    for m in Msg::ALL {
        let d = m.desc();
        let reply_id = if SpecialCompletion::ALL.iter().any(|s| s.msg == d.msg) {
            d.fields
                .iter()
                .position(|f| f.role == EventRole::RequestId)
                .map_or("nil".to_string(), |i| i.to_string())
        } else {
            "nil".to_string()
        };
        let _ = writeln!(
            w,
            "EVENTS[0x{:08x}] = {{ name = {}, section = {}, reply_id = {reply_id}, fields = {}, var = {} }}",
            d.msg,
            q(d.name),
            q(d.section),
            event_fields(d),
            event_var(d)
        );
    }
    let _ = writeln!(w, "local SPECIAL = {{}}");
    for d in SpecialCompletion::ALL {
        let Some(f) = d.func() else { continue };
        let _ = writeln!(
            w,
            "SPECIAL[{}] = {{ name = {}, section = {}, fields = {}, var = {} }}",
            f as u32,
            q(d.name),
            q(d.section),
            event_fields(d),
            event_var(d)
        );
    }
    let _ = writeln!(
        w,
        "local TEMPLATE_FIELDS = {}\n",
        event_fields(&ASYNC_EVENT_MSG)
    );

    // Structures (2.2.6).
    let _ = writeln!(w, "local STRUCTS = {{}}");
    for s in structures::ALL {
        let _ = writeln!(
            w,
            "STRUCTS[{}] = {{ name = {}, section = {}, self_sized = {}, min = {}, size = {}, fields = {{",
            q(s.name),
            q(s.name),
            q(s.section),
            !matches!(s.header, Header::Plain),
            s.min_size,
            s.size
        );
        for m in s.fields {
            let ty = match m.ty {
                FieldType::Dword => "dword",
                FieldType::Guid => "guid",
                _ => "bytes",
            };
            let _ = writeln!(
                w,
                "  {{{}, {}, {}, {}, {}}},",
                q(m.name),
                m.offset,
                m.size,
                q(ty),
                m.optional
            );
        }
        let _ = writeln!(w, "}}, vars = {{");
        for v in s.vars {
            let mut extra = String::new();
            match v.kind {
                VarKind::TextTable { entry_size_at, .. } => {
                    let _ = write!(extra, ", entry_size_at = {entry_size_at}");
                }
                VarKind::Entries {
                    entry, count_at, ..
                } => {
                    let _ = write!(extra, ", entry = {}", q(entry.name));
                    if let Some(c) = count_at {
                        let _ = write!(extra, ", count_at = {c}");
                    }
                }
                VarKind::InlineEntries { entry } => {
                    let _ = write!(extra, ", entry = {}", q(entry.name));
                }
                _ => {}
            }
            let _ = writeln!(
                w,
                "  {{ name = {}, size_at = {}, off_at = {}, kind = {}{extra} }},",
                q(v.name),
                v.size_at,
                v.offset_at,
                q(v.kind.name())
            );
        }
        let _ = writeln!(w, "}} }}");
    }
    let _ = writeln!(w);

    // Validation (3.1.4.2), the rules a table can express.
    let _ = writeln!(w, "local RULES = {{}}");
    let mut by_func: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for r in validation::all_rules() {
        if r.is_stateful() {
            continue;
        }
        let (Some(func), Some((check, guard))) = (rule_func(r), lua_rule(r)) else {
            continue;
        };
        by_func.entry(func as u32).or_default().push(format!(
            "  {{ id = {}, field = {}, section = {}, err = {}, errv = 0x{:08x}, check = {check}, guard = {} }},",
            q(r.id),
            q(r.field),
            q(r.section()),
            q(r.error.name()),
            r.error.value(),
            guard.unwrap_or_else(|| "nil".into())
        ));
    }
    for (func, rules) in by_func {
        let _ = writeln!(w, "RULES[{func}] = {{\n{}\n}}", rules.join("\n"));
    }
    let _ = writeln!(w);

    // Field names.
    let _ = writeln!(w, "local SPEC_FIELDS = {{");
    for (name, kind) in spec_fields() {
        let _ = writeln!(w, "  {{{}, {}}},", q(name), q(kind.lua()));
    }
    let _ = writeln!(w, "}}\n");

    o.push_str(ENGINE);
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_name_is_a_valid_abbreviation() {
        for (name, _) in spec_fields() {
            assert!(
                name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{name}"
            );
        }
    }

    #[test]
    fn every_function_is_in_the_table() {
        let lua = lua_dissector();
        for f in FuncId::ALL {
            assert!(lua.contains(&format!("FUNCS[{}] = ", *f as u32)), "{f:?}");
        }
    }
}
