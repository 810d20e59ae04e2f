//! The libFuzzer dictionaries under fuzz/dict/ are what fuzz/dictgen.rs derives from the
//! catalogues (a drift check), and every fuzz target of fuzz/Cargo.toml has one.
//! `MSTRP_BLESS=1` rewrites them.

#[path = "../fuzz/dictgen.rs"]
mod dictgen;

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `[[bin]]` names of fuzz/Cargo.toml (what `cargo fuzz list` prints).
fn fuzz_targets() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
    let mut out = Vec::new();
    let mut in_bin = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if let (true, Some(v)) = (in_bin, line.strip_prefix("name = ")) {
            out.push(v.trim_matches('"').to_string());
        }
    }
    out
}

#[test]
fn every_target_has_its_committed_dictionary() {
    let targets = fuzz_targets();
    assert!(targets.len() >= 7, "{targets:?}");
    let bless = std::env::var_os("MSTRP_BLESS").is_some();
    for t in &targets {
        let want = dictgen::dictionary_for(t)
            .unwrap_or_else(|| panic!("fuzz target {t} has no dictionary in fuzz/dictgen.rs"));
        let path = root().join("fuzz/dict").join(format!("{t}.dict"));
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{} differs from fuzz/dictgen.rs; regenerate with MSTRP_BLESS=1 cargo test --all-features --test fuzz_dict",
            path.display()
        );
    }
}

#[test]
fn dictionaries_hold_known_tokens_in_libfuzzer_syntax() {
    let d = dictgen::dictionary(dictgen::Kind::Tapi);
    // Initialize is Req_Func 47 (2.2.4.1.1.1), LINE_REPLY is Msg 12 (2.2.4.2.1.25), TAPI 2.0 is
    // 0x00020000 (2.2.2): as little-endian DWORDs.
    assert!(d.contains("=\"\\x2F\\x00\\x00\\x00\""), "Req_Func 47");
    // (Tokens are unique by value: LINE_REPLY's 12 is listed once, under the first name.)
    assert!(d.contains("=\"\\x0C\\x00\\x00\\x00\""), "Msg 12");
    assert!(d.contains("=\"\\x00\\x00\\x02\\x00\""), "TAPI 2.0");
    assert!(d.contains("absent=\"\\xFF\\xFF\\xFF\\xFF\""));
    for line in d.lines().filter(|l| !l.starts_with('#')) {
        let (name, value) = line.split_once('=').unwrap();
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{line}"
        );
        assert!(value.starts_with('"') && value.ends_with('"'), "{line}");
    }
    let r = dictgen::dictionary(dictgen::Kind::Rpc);
    // A DCE/RPC request PDU header (C706 12.6.3.1: version 5.0, PTYPE 0, first|last, LE).
    assert!(r.contains("=\"\\x05\\x00\\x00\\x03\\x10\\x00\\x00\\x00\""));
    assert!(r.len() > d.len());
}
