//! `trp explain`: what a rule id, a function or a constant is, read from the catalogues.
//!
//! [`explain`] takes what an analyst types — a validation rule id (`48.2`, `CR.1`, `CP.3`,
//! `17.P1`), a function (`MakeCall`, `LineMakeCall`, `48`), a result code or constant by
//! name (`LINEERR_STRUCTURETOOSMALL`, `LINECALLSTATE_OFFERING`, `LINE_CALLSTATE`) or by value
//! (`0x8000004D`) — and returns every match, so an ambiguous input lists them all. Nothing is
//! restated: rules come from [`crate::validation::rules::all`], layouts from the request
//! catalogue, result codes from [`crate::errors`], constants from
//! [`crate::events::constants::ConstKind`] and event names from [`crate::events::Msg`].

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;

use crate::errors::{ErrorCode, LineErr, PhoneErr, TapiErr};
use crate::events::Msg;
use crate::events::constants::ConstKind;
use crate::requests::{Completion, FuncId, LookupError, Role};
use crate::validation::{Block, rules};

/// One fixed DWORD of a function's TAPI32_MSG.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldLayout {
    /// Byte offset in the packet.
    pub offset: usize,
    /// The name as the spec diagram spells it.
    pub name: String,
    /// What the DWORD is ([`Role::name`]).
    pub role: String,
    /// For a reference: what it points at in VarData (`string`, `bytes sized by
    /// dwSizeField`, `LINECALLPARAMS`), else `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points_at: Option<String>,
}

/// One thing an input names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Explained {
    /// A validation rule of 3.1.4.2 (or of a packet's own section).
    Rule {
        /// The rule id, e.g. `48.2`.
        id: String,
        /// The spec section of the sentence.
        section: String,
        /// The function whose block holds the rule, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        function: Option<String>,
        /// The field checked, spelled as in the packet diagram.
        field: String,
        /// The error a conforming server returns, by name.
        error: String,
        /// Its value.
        error_value: u32,
        /// The sentence.
        text: String,
        /// How this crate reads the sentence, when it deviates.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A ClientRequest function and its TAPI32_MSG layout.
    Function {
        /// The unique Rust name, e.g. `LineMakeCall`.
        ident: String,
        /// The section title, e.g. `MakeCall`.
        name: String,
        /// `Req_Func`.
        req_func: u32,
        /// The packet's section.
        section: String,
        /// The group's title.
        group: String,
        /// `sync`, or `async` (answered with a request id and a completion event).
        completion: String,
        /// The fifteen fixed DWORDs.
        fields: Vec<FieldLayout>,
    },
    /// A result code (LINEERR_, PHONEERR_, TAPIERR_).
    ResultCode {
        /// The name, e.g. `LINEERR_STRUCTURETOOSMALL`.
        name: String,
        /// The value.
        value: u32,
        /// The spec's description.
        description: String,
    },
    /// A constant of a 2.2.3 set (LINECALLSTATE_OFFERING, ...).
    Constant {
        /// The name.
        name: String,
        /// The value.
        value: u32,
        /// The set, e.g. `LINECALLSTATE`.
        set: String,
        /// The set's section.
        section: String,
    },
    /// An event `Msg` (LINE_CALLSTATE, ...).
    Event {
        /// The name.
        name: String,
        /// The `Msg` value.
        msg: u32,
        /// The packet's section.
        section: String,
        /// The fixed DWORDs' names, in wire order.
        fields: Vec<String>,
    },
}

/// Everything `query` names (empty when nothing does). A decimal number names a `Req_Func`
/// when one is documented with it, else result codes and constants of that value; a `0x`
/// number names all three.
pub fn explain(query: &str) -> Vec<Explained> {
    let q = query.trim();
    let mut out = Vec::new();
    out.extend(
        rules::all()
            .filter(|r| r.id.eq_ignore_ascii_case(q))
            .map(rule),
    );
    let hex = q
        .strip_prefix("0x")
        .or_else(|| q.strip_prefix("0X"))
        .and_then(|h| u32::from_str_radix(h, 16).ok());
    let number = hex.or_else(|| q.parse::<u32>().ok());
    match FuncId::lookup(q) {
        Ok(f) => out.push(function(f)),
        Err(LookupError::Ambiguous { candidates, .. }) => {
            out.extend(candidates.into_iter().map(function));
        }
        Err(_) => {}
    }
    let by_value = match (hex, number) {
        (Some(_), Some(v)) => Some(v),
        (None, Some(v)) if FuncId::from_u32(v).is_none() => Some(v),
        _ => None,
    };
    if let Some(v) = by_value {
        out.extend(result_codes().filter(|c| c.value() == v).map(result_code));
        for kind in ConstKind::ALL {
            for (name, value) in kind.values() {
                if *value == v {
                    out.push(constant(*kind, name, *value));
                }
            }
        }
    } else if number.is_none() {
        out.extend(
            result_codes()
                .filter(|c| c.name().eq_ignore_ascii_case(q))
                .map(result_code),
        );
        for kind in ConstKind::ALL {
            for (name, value) in kind.values() {
                if name.eq_ignore_ascii_case(q) {
                    out.push(constant(*kind, name, *value));
                }
            }
        }
        out.extend(
            Msg::ALL
                .iter()
                .filter(|m| m.name().eq_ignore_ascii_case(q))
                .map(|m| event(*m)),
        );
    }
    out
}

fn result_codes() -> impl Iterator<Item = ErrorCode> {
    LineErr::ALL
        .iter()
        .map(|c| ErrorCode::Line(*c))
        .chain(PhoneErr::ALL.iter().map(|c| ErrorCode::Phone(*c)))
        .chain(TapiErr::ALL.iter().map(|c| ErrorCode::Tapi(*c)))
}

fn description(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Line(c) => c.description(),
        ErrorCode::Phone(c) => c.description(),
        ErrorCode::Tapi(c) => c.description(),
    }
}

fn result_code(code: ErrorCode) -> Explained {
    Explained::ResultCode {
        name: code.name().into(),
        value: code.value(),
        description: description(code).into(),
    }
}

fn constant(kind: ConstKind, name: &str, value: u32) -> Explained {
    Explained::Constant {
        name: name.into(),
        value,
        set: kind.prefix().into(),
        section: kind.section().into(),
    }
}

fn event(m: Msg) -> Explained {
    let d = m.desc();
    Explained::Event {
        name: d.name.into(),
        msg: d.msg,
        section: d.section.into(),
        fields: d.fields.iter().map(|f| f.name.to_string()).collect(),
    }
}

fn rule(r: &crate::validation::Rule) -> Explained {
    let function = match r.block {
        Block::Function(f) | Block::Packet(f) => Some(f.desc().ident.to_string()),
        Block::ClientRequest => Some("ClientRequest".into()),
        Block::CallParams => Some("LINECALLPARAMS".into()),
    };
    Explained::Rule {
        id: r.id.into(),
        section: r.section().into(),
        function,
        field: r.field.into(),
        error: r.error.name().into(),
        error_value: r.error.value(),
        text: r.text.into(),
        note: r.note.map(Into::into),
    }
}

fn function(f: FuncId) -> Explained {
    let d = f.desc();
    let fields = d
        .fields
        .iter()
        .map(|fd| FieldLayout {
            offset: fd.offset,
            name: fd.name.into(),
            role: fd.role.name().into(),
            points_at: match fd.role {
                Role::String { optional } => Some(format!(
                    "string in VarData{}",
                    if optional { ", or 0xFFFFFFFF" } else { "" }
                )),
                Role::Bytes { size, optional } => Some(format!(
                    "bytes in VarData, size in {}{}",
                    d.fields[size].name,
                    if optional { ", or 0xFFFFFFFF" } else { "" }
                )),
                Role::Structure { name, optional } => Some(format!(
                    "{name} in VarData{}",
                    if optional { ", or 0xFFFFFFFF" } else { "" }
                )),
                Role::OutSize { structure } => Some(format!("returned {structure} (reply)")),
                Role::OutOffset { size } => {
                    Some(format!("returned data, size in {}", d.fields[size].name))
                }
                _ => None,
            },
        })
        .collect();
    Explained::Function {
        ident: d.ident.into(),
        name: d.name.into(),
        req_func: f as u32,
        section: d.section.into(),
        group: d.group.title().into(),
        completion: match d.completion {
            Completion::Sync => "sync",
            Completion::Async => "async",
        }
        .into(),
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values are the spec's: [MS-TRP] 2.2.3.1.38 (LINEERR_STRUCTURETOOSMALL =
    // 0x8000004D), 2.2.4.1.3.43 (MakeCall, Req_Func 48, lpszDestAddress at byte 24), 3.1.4.2
    // "When Req_Func is equal to 48" bullet 2.

    #[test]
    fn a_result_code_by_value_and_by_name() {
        let expected = Explained::ResultCode {
            name: "LINEERR_STRUCTURETOOSMALL".into(),
            value: 0x8000_004D,
            description: description(ErrorCode::Line(LineErr::STRUCTURETOOSMALL)).into(),
        };
        assert!(explain("0x8000004D").contains(&expected));
        assert_eq!(explain("lineerr_structuretoosmall"), [expected]);
    }

    #[test]
    fn a_function_by_name_and_number() {
        let by_name = explain("MakeCall");
        assert_eq!(by_name, explain("48"));
        let [
            Explained::Function {
                ident,
                req_func,
                section,
                fields,
                ..
            },
        ] = by_name.as_slice()
        else {
            panic!("{by_name:?}")
        };
        assert_eq!((ident.as_str(), *req_func), ("LineMakeCall", 48));
        assert_eq!(section, "2.2.4.1.3.43");
        let dest = fields.iter().find(|f| f.name == "lpszDestAddress").unwrap();
        assert!(dest.points_at.as_deref().unwrap().starts_with("string"));
    }

    #[test]
    fn a_rule_by_id() {
        let r = explain("48.2");
        let [
            Explained::Rule {
                function, section, ..
            },
        ] = r.as_slice()
        else {
            panic!("{r:?}")
        };
        assert_eq!(function.as_deref(), Some("LineMakeCall"));
        assert_eq!(section, "3.1.4.2");
    }

    #[test]
    fn an_ambiguous_name_lists_every_match() {
        let r = explain("GetDevCaps");
        let idents: Vec<_> = r
            .iter()
            .filter_map(|e| match e {
                Explained::Function { ident, .. } => Some(ident.as_str()),
                _ => None,
            })
            .collect();
        assert!(idents.contains(&"LineGetDevCaps") && idents.contains(&"PhoneGetDevCaps"));
    }

    #[test]
    fn constants_and_events_by_name() {
        assert!(explain("LINECALLSTATE_OFFERING").iter().any(|e| matches!(e,
            Explained::Constant { value: 2, set, .. } if set == "LINECALLSTATE")));
        assert!(
            explain("LINE_CALLSTATE")
                .iter()
                .any(|e| matches!(e, Explained::Event { msg: 2, .. }))
        );
    }

    #[test]
    fn nothing_matches_an_unknown_word() {
        assert!(explain("NoSuchThing").is_empty());
    }
}
