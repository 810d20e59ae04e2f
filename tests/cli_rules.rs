//! `trp rules [--json]` (issue 12): every rule of the table, once, with known answers from
//! the spec text.
#![cfg(feature = "cli")]

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Output};

use serde_json::Value;

fn trp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trp"))
        .args(args)
        .output()
        .unwrap()
}

fn rules_json() -> Vec<Value> {
    let out = trp(&["rules", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array().unwrap().clone()
}

fn rule<'a>(all: &'a [Value], id: &str) -> &'a Value {
    all.iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

#[test]
fn every_rule_once() {
    let all = rules_json();
    assert_eq!(all.len(), mstrp::validation::all_rules().count());
    // An id names one bullet of 3.1.4.2; a bullet that checks two fields is two entries with
    // the same id and different fields (spec-notes/validation.md, "A sentence about two
    // handles depending on dwSelect": GetID 37.4, SetMediaControl 79.9, SetTerminal 83.1,
    // SetUpConference 84.1, and GetUIDllName's bullet 2 of two sentences, 1.2). So
    // (id, field) is unique, and exactly those five ids appear twice.
    let pairs: BTreeSet<(&str, &str)> = all
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["field"].as_str().unwrap()))
        .collect();
    assert_eq!(pairs.len(), all.len(), "(id, field) is unique");
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &all {
        *count.entry(r["id"].as_str().unwrap()).or_default() += 1;
    }
    let shared: Vec<&str> = count
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(shared, ["1.2", "37.4", "79.9", "83.1", "84.1"]);
    assert!(count.values().all(|n| *n <= 2));
    // Text output: one line per rule, each starting with its id.
    let out = trp(&["rules", "--color", "never"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), all.len());
    for (line, r) in lines.iter().zip(&all) {
        let id = r["id"].as_str().unwrap();
        assert_eq!(line.split_whitespace().next(), Some(id), "{line}");
    }
}

/// [MS-TRP] 3.1.4.2, "When Req_Func is equal to 48 (MakeCall):", second bullet
/// (MS-TRP.md line 18563): "The server MUST fail if the string pointed to by lpszDestAddress
/// is not WCHAR-aligned, not NULL-terminated, or lies outside VarData." A bad pointer is
/// LINEERR_INVALPOINTER ("One or more of the specified pointer parameters ... are invalid",
/// 2.2.3.1.38, line 1832); the issue gives this very object as the model.
#[test]
fn makecall_dest_address() {
    let all = rules_json();
    let r = rule(&all, "48.2");
    assert_eq!(r["section"], "3.1.4.2");
    assert_eq!(r["function"], "MakeCall");
    assert_eq!(r["req_func"], 48);
    assert_eq!(r["field"], "lpszDestAddress");
    assert_eq!(r["error"], "LINEERR_INVALPOINTER");
    assert_eq!(r["stateful"], false);
    assert_eq!(
        r["text"],
        "The server MUST fail if the string pointed to by lpszDestAddress is not \
         WCHAR-aligned, not NULL-terminated, or lies outside VarData."
    );
}

/// 3.1.4.2, MakeCall block, first bullet (line 18562): "The server MUST fail if hLine is an
/// invalid handle." Whether a handle is valid is the server's state, so the rule is
/// stateful; MakeCall's return values (2.2.4.1.3.43, line 6345) name LINEERR_INVALLINEHANDLE.
#[test]
fn makecall_line_handle() {
    let all = rules_json();
    let r = rule(&all, "48.1");
    assert_eq!(r["function"], "MakeCall");
    assert_eq!(r["field"], "hLine");
    assert_eq!(r["error"], "LINEERR_INVALLINEHANDLE");
    assert_eq!(r["stateful"], true);
    assert_eq!(
        r["text"],
        "The server MUST fail if hLine is an invalid handle."
    );
}

/// 3.1.4.2, the ClientRequest checks before the Req_Func blocks, first bullet (line 18033):
/// "Fail the request if lNeededSize is less than the size of the structure TAPI32_MSG." It
/// belongs to no function, and a packet alone cannot break it (lNeededSize is an argument of
/// the call, not a byte of the packet).
#[test]
fn client_request_needed_size() {
    let all = rules_json();
    let r = rule(&all, "CR.1");
    assert_eq!(r["section"], "3.1.4.2");
    assert_eq!(r["function"], Value::Null);
    assert_eq!(r["block"], "client_request");
    assert_eq!(r["field"], "lNeededSize");
    assert_eq!(
        r["text"],
        "Fail the request if lNeededSize is less than the size of the structure TAPI32_MSG."
    );
    assert!(r["not_breakable_alone"].is_string());
}
