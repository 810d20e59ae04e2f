//! tshark as an independent peer (design note rpc-and-session.md section 3): PDUs are written
//! as a text2pcap hex dump, turned into a TCP capture on port 4444, and decoded by tshark's
//! DCE/RPC dissector; the test compares tshark's fields with ours.
//!
//! `#[path]`-included by the tests that use it. Without `tshark` or `text2pcap` on PATH the
//! helpers report a skip, unless `MSTRP_REQUIRE_TSHARK=1`, which makes that a failure.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Which way a PDU travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// Client to server (bind, request): text2pcap `I`, 10.0.0.1:50000 -> 10.0.0.2:4444.
    ToServer,
    /// Server to client (bind_ack, response): text2pcap `O`.
    ToClient,
}

/// The program `name` if it is on PATH.
pub fn find(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// True when both tools are present; otherwise prints a skip message and returns false, or
/// panics when `MSTRP_REQUIRE_TSHARK=1`.
pub fn available(test: &str) -> bool {
    tools_available(test, &["tshark", "text2pcap"])
}

/// True when every tool in `names` is on PATH; otherwise prints a skip message and returns
/// false, or panics when `MSTRP_REQUIRE_TSHARK=1`.
pub fn tools_available(test: &str, names: &[&str]) -> bool {
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|t| find(t).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let required = std::env::var("MSTRP_REQUIRE_TSHARK").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "{test}: {missing:?} not found and MSTRP_REQUIRE_TSHARK=1"
    );
    println!(
        "skipped {test}: {missing:?} not found (set MSTRP_REQUIRE_TSHARK=1 to make this a failure)"
    );
    false
}

/// One `I 000000 <hex>` / `O 000000 <hex>` line per PDU.
pub fn text2pcap_input(pdus: &[(Dir, Vec<u8>)]) -> String {
    let mut s = String::new();
    for (dir, bytes) in pdus {
        s.push_str(match dir {
            Dir::ToServer => "I 000000",
            Dir::ToClient => "O 000000",
        });
        for b in bytes {
            s.push_str(&format!(" {b:02x}"));
        }
        s.push('\n');
    }
    s
}

fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tshark");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!(
        "{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Writes the PDUs as a capture (one TCP segment each) and returns its path.
pub fn capture(pdus: &[(Dir, Vec<u8>)]) -> PathBuf {
    let txt = scratch("in.txt");
    let pcap = scratch("out.pcapng");
    std::fs::write(&txt, text2pcap_input(pdus)).unwrap();
    let out = Command::new("text2pcap")
        .args(["-q", "-D", "-T", "50000,4444", "-4", "10.0.0.1,10.0.0.2"])
        .arg(&txt)
        .arg(&pcap)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "text2pcap failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    pcap
}

/// Runs tshark on `pcap` with port 4444 decoded as DCE/RPC, the extra options, and one
/// `-e` per field; returns one row per frame, one string per field.
pub fn fields(pcap: &Path, extra: &[&str], fields: &[&str]) -> Vec<Vec<String>> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-r")
        .arg(pcap)
        .args([
            "-d",
            "tcp.port==4444,dcerpc",
            "-T",
            "fields",
            "-E",
            "occurrence=a",
        ])
        .args(extra);
    for f in fields {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// Lower-case hex without separators, as tshark prints FT_BYTES fields.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
