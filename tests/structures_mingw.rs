//! An independent layout check against the MinGW-w64 `tapi.h` (Debian package
//! mingw-w64-common), compiled by `i686-w64-mingw32-gcc` (gcc-mingw-w64-i686-win32).
//!
//! `tests/structures_layout.rs` compares the catalogue with the Windows SDK as the `windows-sys`
//! crate publishes it, which stops at TAPI 2.2. `tapi.h` declares the TAPI 3.1 layouts
//! (`TAPI_CURRENT_VERSION 0x00030001`), so it also covers the members windows-sys lacks:
//! LINEDEVCAPS from `dwAddressTypes` on (`ProtocolGuid`, `dwAvailableTracking`), LINECALLINFO's
//! five `dw...IDAddressType` members, LINECALLPARAMS' `dwAddressType`, LINEFORWARD's
//! `dwCallerAddressType`/`dwDestAddressType`, and the sizes that follow from them.
//!
//! The test writes one C constant per fact (each structure's `sizeof`, each member's `offsetof`
//! and `sizeof`, each LINEPROXYREQUEST union member's offset, each LINEERR_/PHONEERR_/TAPIERR_
//! value), compiles the file to assembly and reads the constants back; nothing runs on
//! Windows. Declarations the header cannot satisfy (a structure or member it does not declare)
//! are dropped after the first compilation and must be exactly the ones listed in
//! [`NOT_IN_HEADER`]; every other fact must agree with the catalogue, except the recorded
//! disagreements in [`DISAGREEMENTS`] (see spec-notes/structures.md).
//!
//! The compiler is `$MSTRP_MINGW_CC` or `i686-w64-mingw32-gcc`. Without it the test fails
//! when `CI` or `MSTRP_REQUIRE_MINGW` is set (`.ci/run` installs the compiler and sets the
//! latter) and otherwise prints that it was skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use mstrp::errors::{LineErr, PhoneErr, TapiErr};
use mstrp::structures::{self, proxy};

/// What the header does not declare: the structures that only client and service exchange
/// (they are not in the TAPI API), and the protocol-only result code.
const NOT_IN_HEADER: &[&str] = &[
    "AVAILABLEPROVIDERENTRY",
    "AVAILABLEPROVIDERLIST",
    "DEVICEINFO",
    "DEVICEINFOLIST",
    "TAPISERVERCONFIG",
    "TAPIERR_INVALRPCCONTEXT",
];

/// Members the header spells differently from the spec: (structure, spec name, header
/// designator). spec-notes/structures.md section 8.
const HEADER_SPELLING: &[(&str, &str, &str)] = &[
    (
        "LINEDEVCAPS",
        "dwGenerateToneMaxFreq",
        "dwGenerateToneMaxNumFreq",
    ),
    ("LINEAGENTGROUPENTRY", "dwGroupID1", "GroupID.dwGroupID1"),
    ("LINEAGENTGROUPENTRY", "dwGroupID2", "GroupID.dwGroupID2"),
    ("LINEAGENTGROUPENTRY", "dwGroupID3", "GroupID.dwGroupID3"),
    ("LINEAGENTGROUPENTRY", "dwGroupID4", "GroupID.dwGroupID4"),
    // The spec's copy-paste slip in the GetAgentGroupList alternative (section 7).
    (
        "LINEPROXYREQUEST",
        "GroupListGETAGENTACTIVITYLIST",
        "GetAgentGroupList.GroupList",
    ),
];

/// (fact, catalogue value, header value) where the catalogue's fixed part deliberately
/// differs from the C declaration: the header declares a trailing variable member inline,
/// which on the wire is variable data (spec-notes/structures.md section 10).
const DISAGREEMENTS: &[(&str, u64, u64)] = &[
    // `LINEFORWARD ForwardList[1]`: the C array declares one 32-byte entry; the wire carries
    // dwNumEntries of them right after the 8-byte fixed part.
    ("sizeof LINEFORWARDLIST", 8, 40),
    // The C union of the 20 request alternatives is as large as the largest,
    // GetAgentSessionInfo (hAgentSession + a 76-byte LINEAGENTSESSIONINFO = 80 bytes); on the
    // wire only the alternative dwRequestType selects follows the 7 DWORDs, sized by dwSize.
    ("sizeof LINEPROXYREQUEST", 28, 108),
];

fn header_member(structure: &str, member: &str) -> String {
    HEADER_SPELLING
        .iter()
        .find(|(s, m, _)| *s == structure && *m == member)
        .map_or_else(|| member.to_string(), |(_, _, h)| h.to_string())
}

/// One fact to compare: a name, the C expression that computes it, the catalogue's value.
struct Probe {
    fact: String,
    expr: String,
    expected: u64,
}

fn probes() -> Vec<Probe> {
    let mut out = Vec::new();
    let mut add = |fact: String, expr: String, expected: usize| {
        out.push(Probe {
            fact,
            expr,
            expected: expected as u64,
        })
    };
    for d in structures::ALL {
        let s = d.name;
        add(format!("sizeof {s}"), format!("sizeof({s})"), d.size);
        for f in d.fields {
            let m = f.name;
            let h = header_member(s, m);
            add(
                format!("offsetof {s}.{m}"),
                format!("offsetof({s}, {h})"),
                f.offset,
            );
            add(
                format!("sizeof {s}.{m}"),
                format!("sizeof((({s} *)0)->{h})"),
                f.size,
            );
        }
    }
    // The LINEPROXYREQUEST union: alternatives are named after the request kind, members after
    // the spec's name without the kind suffix (dwAddressIDSETAGENTGROUP -> SetAgentGroup.dwAddressID).
    for v in proxy::VARIANTS {
        let alt = format!("{:?}", v.kind);
        let suffix = v.kind.name().trim_start_matches("LINEPROXYREQUEST_");
        let mut member = |name: &str, at: usize| {
            let h = match header_member("LINEPROXYREQUEST", name) {
                h if h != name => h,
                _ => format!("{alt}.{}", name.strip_suffix(suffix).unwrap_or(name)),
            };
            add(
                format!("offsetof LINEPROXYREQUEST.{name}"),
                format!("offsetof(LINEPROXYREQUEST, {h})"),
                proxy::UNION_OFFSET + at,
            );
        };
        for &(name, at, _) in v.members {
            member(name, at);
        }
        if let Some((name, at, _)) = v.structure {
            member(name, at);
        }
        for &(_, size_name, size_at, offset_name, offset_at) in v.strings {
            member(size_name, size_at);
            member(offset_name, offset_at);
        }
        if let Some((name, _, at)) = v.params {
            member(name, at);
        }
    }
    for c in LineErr::ALL {
        add(c.name().into(), c.name().into(), c.value() as usize);
    }
    for c in PhoneErr::ALL {
        add(c.name().into(), c.name().into(), c.value() as usize);
    }
    for c in TapiErr::ALL {
        add(c.name().into(), c.name().into(), c.value() as usize);
    }
    out
}

fn compiler() -> Option<String> {
    let cc = std::env::var("MSTRP_MINGW_CC").unwrap_or_else(|_| "i686-w64-mingw32-gcc".into());
    Command::new(&cc)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| cc)
}

/// The C source: line `FIRST + i` declares probe `i` (unless `skip` holds it).
const FIRST: usize = 5;

fn source(probes: &[Probe], skip: &BTreeSet<usize>) -> String {
    let mut c = String::from(
        "#include <windows.h>\n#include <stddef.h>\n#include <tapi.h>\n/* generated by tests/structures_mingw.rs */\n",
    );
    for (i, p) in probes.iter().enumerate() {
        if skip.contains(&i) {
            c.push('\n');
        } else {
            writeln!(
                c,
                "const unsigned int mstrp_probe_{i} = (unsigned int)({});",
                p.expr
            )
            .unwrap();
        }
    }
    c
}

/// Compiles `src` to assembly: `Ok(assembly)` or `Err(lines with errors)`.
fn compile(cc: &str, dir: &std::path::Path, src: &str) -> Result<String, BTreeSet<usize>> {
    let c = dir.join("probe.c");
    let s = dir.join("probe.s");
    std::fs::write(&c, src).unwrap();
    let out = Command::new(cc)
        .args([
            "-std=gnu11",
            "-O0",
            "-S",
            "-fno-zero-initialized-in-bss",
            "-o",
        ])
        .arg(&s)
        .arg(&c)
        .output()
        .expect("run the compiler");
    if out.status.success() {
        return Ok(std::fs::read_to_string(&s).unwrap());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let prefix = format!("{}:", c.display());
    let lines: BTreeSet<usize> = stderr
        .lines()
        .filter(|l| l.contains(": error:"))
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|l| l.split(':').next()?.parse().ok())
        .collect();
    assert!(!lines.is_empty(), "the compiler failed:\n{stderr}");
    Err(lines)
}

/// The constants `mstrp_probe_N` of an assembly listing (`.long V` or `.space 4` for 0).
fn constants(asm: &str) -> BTreeMap<usize, u64> {
    let mut out = BTreeMap::new();
    let mut current = None;
    for line in asm.lines() {
        let line = line.trim();
        if let Some(label) = line.strip_suffix(':') {
            current = label
                .trim_start_matches('_')
                .strip_prefix("mstrp_probe_")
                .and_then(|n| n.parse::<usize>().ok());
            continue;
        }
        let Some(i) = current else { continue };
        let value = if let Some(v) = line.strip_prefix(".long") {
            let v = v.trim();
            match v.strip_prefix('-') {
                Some(neg) => (neg.parse::<i64>().unwrap().wrapping_neg()) as u32 as u64,
                None => v.parse::<u64>().unwrap(),
            }
        } else if line == ".space\t4" || line == ".space 4" || line == ".zero\t4" {
            0
        } else {
            continue;
        };
        out.insert(i, value);
        current = None;
    }
    out
}

#[test]
fn layout_matches_mingw_tapi_h() {
    let Some(cc) = compiler() else {
        assert!(
            std::env::var_os("CI").is_none() && std::env::var_os("MSTRP_REQUIRE_MINGW").is_none(),
            "CI needs i686-w64-mingw32-gcc (apt-get install mingw-w64-common gcc-mingw-w64-i686-win32)"
        );
        eprintln!(
            "skipped: i686-w64-mingw32-gcc not found (set MSTRP_MINGW_CC or install gcc-mingw-w64-i686-win32)"
        );
        return;
    };
    let probes = probes();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mingw-tapi");
    std::fs::create_dir_all(&dir).unwrap();
    let mut skip = BTreeSet::new();
    let asm = loop {
        match compile(&cc, &dir, &source(&probes, &skip)) {
            Ok(asm) => break asm,
            Err(lines) => {
                let before = skip.len();
                skip.extend(
                    lines
                        .iter()
                        .filter_map(|l| l.checked_sub(FIRST))
                        .filter(|i| *i < probes.len()),
                );
                assert!(skip.len() > before, "errors outside the probes: {lines:?}");
            }
        }
    };
    let values = constants(&asm);
    // A fact the header cannot give is reported by what is missing: the structure when its
    // sizeof fails too, otherwise the member or code.
    let missing_structs: BTreeSet<&str> = skip
        .iter()
        .filter_map(|&i| probes[i].fact.strip_prefix("sizeof "))
        .filter(|f| !f.contains('.'))
        .collect();
    let missing: BTreeSet<&str> = skip
        .iter()
        .map(|&i| {
            let fact = probes[i].fact.as_str();
            let subject = fact.rsplit(' ').next().unwrap_or(fact);
            let structure = subject.split('.').next().unwrap_or(subject);
            if missing_structs.contains(structure) {
                structure
            } else {
                fact
            }
        })
        .collect();
    let mut report = String::new();
    let mut compared = 0;
    let mut disagreements = Vec::new();
    for (i, p) in probes.iter().enumerate() {
        if skip.contains(&i) {
            continue;
        }
        let got = *values
            .get(&i)
            .unwrap_or_else(|| panic!("no constant for {} in the assembly", p.fact));
        compared += 1;
        if got != p.expected {
            disagreements.push((p.fact.as_str(), p.expected, got));
        }
    }
    for m in &missing {
        writeln!(report, "not in tapi.h: {m}").unwrap();
    }
    for (f, ours, theirs) in &disagreements {
        writeln!(report, "disagree: {f}: catalogue {ours}, tapi.h {theirs}").unwrap();
    }
    eprintln!("{compared} facts compared with tapi.h\n{report}");
    let expected_missing: BTreeSet<&str> = NOT_IN_HEADER.iter().copied().collect();
    assert_eq!(missing, expected_missing, "\n{report}");
    let expected: BTreeSet<(&str, u64, u64)> = DISAGREEMENTS.iter().copied().collect();
    let found: BTreeSet<(&str, u64, u64)> = disagreements.iter().copied().collect();
    assert_eq!(found, expected, "\n{report}");
}
