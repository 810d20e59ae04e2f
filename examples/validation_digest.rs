//! Verdict digest of the validator (issue 13): every violation (rule id, `via`, detail, in
//! order) over many inputs, hashed, so that a change meant to keep verdicts can be checked to
//! keep them byte for byte.
//!
//! ```text
//! cargo run --release --features arbitrary --example validation_digest -- [--count N]
//! ```
//!
//! Sources, `N` inputs each (default 100,000): structure-aware requests alternating valid
//! ones and targeted violations of every breakable rule and resolver check
//! (`generate::coverage::structured`); raw random bytes; raw bytes with a documented
//! `Req_Func`; structure-aware requests generated under a random TAPI version and then hit by
//! one to four bit flips. Each input that parses is validated under no version and under each
//! of the seven TAPI versions, without a state and with a deterministic `ServerState` (whose
//! handles, devices, proxies and versions depend on the values), through
//! `validation::validate_into_with`, and every input also through `Report::for_call` (with an
//! `lNeededSize` drawn from the input). The output is one FNV-1a 64 digest per source and
//! one over everything: identical output before and after a change means identical verdicts.

use std::fmt::Write as _;

use mstrp::generate::{self, SplitMix64, coverage};
use mstrp::handles::{HLine, HandleKind, TAPI_VERSIONS, Version};
use mstrp::requests::{FuncId, Request};
use mstrp::validation::{self, Device, Fact, Report, ServerState, Violation};

/// A state whose answers depend only on the values asked about.
struct State;

impl ServerState for State {
    fn handle_valid(&self, kind: HandleKind, value: u32) -> bool {
        (value ^ kind as u32) % 3 != 0
    }
    fn device_id_valid(&self, device: Device, id: u32) -> bool {
        (id ^ device as u32) % 5 != 1
    }
    fn proxy_registered(&self, h_line: HLine) -> bool {
        h_line.0 % 2 == 0
    }
    fn proxy_handles(&self, h_line: HLine, func: FuncId) -> bool {
        (h_line.0 ^ func as u32) % 4 != 3
    }
    fn holds(&self, fact: Fact) -> bool {
        // Facts carry DWORDs of the request: hash their rendering.
        fnv(0, format!("{fact:?}").as_bytes()) % 7 != 0
    }
    fn api_version(&self, kind: HandleKind, value: u32) -> Option<Version> {
        let k = (value ^ kind as u32) % 9;
        TAPI_VERSIONS.get(k as usize).copied()
    }
}

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    if h == 0 {
        h = 0xcbf2_9ce4_8422_2325;
    }
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn render(out: &mut String, v: &Violation) {
    let _ = write!(
        out,
        "{}|{}|{:?}|{};",
        v.rule.id,
        v.via.map_or("-", |r| r.id),
        v.detail,
        v.detail.as_ref().map(|d| d.to_string()).unwrap_or_default()
    );
}

/// Every verdict on `bytes`, rendered into `out`.
fn judge(out: &mut String, bytes: &[u8], salt: u64) {
    out.clear();
    let state = State;
    if let Ok(r) = Request::parse(bytes) {
        for st in [None, Some(&state as &dyn ServerState)] {
            for v in std::iter::once(None).chain(TAPI_VERSIONS.iter().copied().map(Some)) {
                out.push('[');
                validation::validate_into_with(&r, st, v, &mut |x| render(out, &x));
                out.push(']');
            }
        }
        let _ = write!(
            out,
            "v{:?}",
            validation::version_for(&r, Some(&state), None)
        );
    } else {
        out.push_str("unparsed");
    }
    let needed = (salt % 2048) as i32 - 8;
    for st in [None, Some(&state as &dyn ServerState)] {
        let rep = Report::for_call(bytes, needed, 0, st);
        let _ = write!(out, "{{{}:", rep.valid);
        for v in &rep.violations {
            render(out, v);
        }
        out.push('}');
    }
}

fn main() {
    let mut count = 100_000u64;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        if a == "--count" {
            count = it.next().and_then(|s| s.parse().ok()).expect("--count N");
        }
    }
    let targets = coverage::violation_targets();
    let mut out = String::new();
    let mut all = 0u64;
    let mut violations = 0u64;
    for source in ["structured", "raw", "raw-documented", "flipped"] {
        let mut h = 0u64;
        let mut inputs = 0u64;
        for i in 0..count {
            let bytes = match source {
                "structured" => coverage::structured(i, &targets).bytes,
                "raw" => Some(coverage::raw(1, i, false)),
                "raw-documented" => Some(coverage::raw(2, i, true)),
                _ => {
                    let mut rng = SplitMix64(i.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 3);
                    let version = match rng.next_u64() % 8 {
                        7 => None,
                        k => Some(TAPI_VERSIONS[k as usize]),
                    };
                    generate::from_seed(i, |u| generate::request(u, None, version))
                        .ok()
                        .map(|mut b| {
                            let flips = 1 + rng.next_u64() % 4;
                            for _ in 0..flips {
                                if b.is_empty() {
                                    break;
                                }
                                let bit = rng.next_u64() % (b.len() as u64 * 8);
                                b[(bit / 8) as usize] ^= 1 << (bit % 8);
                            }
                            b
                        })
                }
            };
            let Some(bytes) = bytes else { continue };
            inputs += 1;
            judge(&mut out, &bytes, i);
            violations += out.matches(';').count() as u64;
            h = fnv(h, out.as_bytes());
            h = fnv(h, b"\n");
        }
        all = fnv(all, &h.to_le_bytes());
        println!("{source}: {inputs} inputs, digest {h:016x}");
    }
    println!("violations rendered: {violations}");
    println!("all: {all:016x}");
}
