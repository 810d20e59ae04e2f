//! docs/spec-map.md, the table from [MS-TRP] section to Rust type on the crate's front page
//! (`#![doc = include_str!("../docs/spec-map.md")]` in src/lib.rs), is what the catalogues
//! give (a drift check): the request catalogue (one row per Req_Func), the events and
//! special-case completions, the 2.2.6 structures and the six RPC methods. Every row is
//! generated, so the table is complete by construction. `MSTRP_BLESS=1` rewrites the file:
//! `MSTRP_BLESS=1 cargo test --test spec_map`.

use std::fmt::Write as _;
use std::path::Path;

use mstrp::events::Msg;
use mstrp::events::completions::SpecialCompletion;
use mstrp::requests::FuncId;
use mstrp::rpc::methods::METHODS;

/// `2.2.4.1.3.43` as numbers, so that 2.2.6.10 sorts after 2.2.6.9.
fn section_key(s: &str) -> Vec<u32> {
    s.split('.').map(|p| p.parse().unwrap()).collect()
}

/// An intra-doc link to `path` (from the crate root), shown as its last segments.
fn link(shown: &str, path: &str) -> String {
    format!("[`{shown}`](crate::{path})")
}

fn spec_map() -> String {
    let mut out = String::new();
    out.push_str(
        "\
## From [MS-TRP] section to Rust type

Generated from the catalogues by `tests/spec_map.rs` (`MSTRP_BLESS=1 cargo test --test
spec_map` rewrites `docs/spec-map.md`; the test fails when the file and the catalogues
differ), so every packet, event, structure and method of the specification has its row.
",
    );

    // 2.2.4.1: the request catalogue, one row per Req_Func.
    let mut requests: Vec<_> = FuncId::ALL.iter().map(|f| f.desc()).collect();
    requests.sort_by_key(|d| section_key(d.section));
    writeln!(
        out,
        "\n### Requests (2.2.4.1): {} functions\n\n\
         | Section | Function | Req_Func | Request view | Builder | Reply view |\n\
         | --- | --- | --- | --- | --- | --- |",
        requests.len()
    )
    .unwrap();
    for d in &requests {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            d.section,
            d.name,
            d.func as u32,
            link(d.ident, &format!("requests::{}", d.ident)),
            link(
                &format!("builders::{}", d.ident),
                &format!("requests::builders::{}", d.ident)
            ),
            link(
                &format!("views::{}", d.ident),
                &format!("replies::views::{}", d.ident)
            ),
        )
        .unwrap();
    }

    // 2.2.4.2.1: the events (ASYNCEVENTMSG), one row per Msg.
    let mut events: Vec<_> = Msg::ALL.iter().map(|m| m.desc()).collect();
    events.sort_by_key(|d| section_key(d.section));
    writeln!(
        out,
        "\n### Events (2.2.4.2.1): {} kinds\n\n\
         | Section | Event | Msg | View | Builder |\n\
         | --- | --- | --- | --- | --- |",
        events.len()
    )
    .unwrap();
    for d in &events {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            d.section,
            d.name,
            d.msg,
            link(d.ident, &format!("events::{}", d.ident)),
            link(
                &format!("builders::{}", d.ident),
                &format!("events::builders::{}", d.ident)
            ),
        )
        .unwrap();
    }

    // 2.2.4.2.2: the special-case completions (LINE_REPLY with a function's layout).
    let mut completions: Vec<_> = SpecialCompletion::ALL.to_vec();
    completions.sort_by_key(|d| section_key(d.section));
    writeln!(
        out,
        "\n### Special-case completions (2.2.4.2.2, 2.2.4.2.3): {} functions\n\n\
         | Section | Completion of | View | Builder |\n\
         | --- | --- | --- | --- |",
        completions.len()
    )
    .unwrap();
    for d in &completions {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            d.section,
            d.name,
            link(d.ident, &format!("events::completions::{}", d.ident)),
            link(
                &format!("builders::{}", d.ident),
                &format!("events::completions::builders::{}", d.ident)
            ),
        )
        .unwrap();
    }

    // 2.2.6: the structures inside VarData.
    let mut structures: Vec<_> = mstrp::structures::ALL.to_vec();
    structures.sort_by_key(|d| section_key(d.section));
    writeln!(
        out,
        "\n### Structures (2.2.6): {} structures\n\n\
         | Section | Structure | View | Metadata |\n\
         | --- | --- | --- | --- |",
        structures.len()
    )
    .unwrap();
    for d in &structures {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            d.section,
            d.name,
            link(d.name, &format!("structures::{}", d.name)),
            link(
                &format!("descs::{}", d.name),
                &format!("structures::descs::{}", d.name)
            ),
        )
        .unwrap();
    }

    // 3.1.4 and 3.3.4: the RPC methods (IDL in section 6).
    let mut methods: Vec<_> = METHODS.iter().collect();
    methods.sort_by_key(|d| section_key(d.section));
    writeln!(
        out,
        "\n### RPC methods (3.1.4, 3.3.4): {} methods\n\n\
         | Section | Interface | Opnum | Method |\n\
         | --- | --- | --- | --- |",
        methods.len()
    )
    .unwrap();
    for d in &methods {
        let variant = format!("{:?}", d.method);
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            d.section,
            d.interface,
            d.opnum,
            link(
                &format!("Method::{variant}"),
                &format!("rpc::methods::Method::{variant}")
            ),
        )
        .unwrap();
    }
    out
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_spec_map_is_what_the_catalogues_give() {
    let want = spec_map();
    let path = root().join("docs/spec-map.md");
    if std::env::var_os("MSTRP_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/spec-map.md differs from the catalogues; regenerate with MSTRP_BLESS=1 cargo test --test spec_map"
    );
}

// Known counts from the spec's section headings: 132 request packets under 2.2.4.1, 32 events
// under 2.2.4.2.1, 25 line completions under 2.2.4.2.2 and the phone one of 2.2.4.2.3 (the
// 58 kinds issue 14 counts), 49 structures 2.2.6.1 to 2.2.6.49, and the six methods of 3.1.4
// and 3.3.4 (IDL in 6.1 and 6.2, three per interface).
#[test]
fn the_map_has_a_row_for_every_section_the_spec_lists() {
    let map = spec_map();
    let rows = |prefix: &str| {
        map.lines()
            .filter(|l| l.starts_with(&format!("| {prefix}")))
            .count()
    };
    assert_eq!(rows("2.2.4.1."), 132);
    assert_eq!(rows("2.2.4.2.1."), 32);
    assert_eq!(rows("2.2.4.2.2."), 25);
    assert_eq!(rows("2.2.4.2.3."), 1);
    assert_eq!(rows("3.1.4.") + rows("3.3.4."), 6);
    assert_eq!(rows("2.2.6."), 49);
    // MakeCall, 2.2.4.1.3.43, Req_Func 48.
    assert!(
        map.contains(
            "| 2.2.4.1.3.43 | MakeCall | 48 | [`LineMakeCall`](crate::requests::LineMakeCall) |"
        ),
        "{map}"
    );
    // LINE_CALLSTATE, 2.2.4.2.1.8, Msg 2.
    assert!(map.contains("| 2.2.4.2.1.8 | LINE_CALLSTATE | 2 |"));
    // LINEDEVCAPS, 2.2.6.23.
    assert!(map.contains("| 2.2.6.23 | LINEDEVCAPS |"));
    assert!(map.contains("| 3.1.4.2 | tapsrv | 1 |"));
    // No section appears twice within a table (the 58 events share none).
    let sections: Vec<_> = map
        .lines()
        .filter(|l| l.starts_with("| 2.") || l.starts_with("| 3."))
        .map(|l| l.split('|').nth(1).unwrap().trim())
        .collect();
    let mut unique = sections.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), sections.len());
}
