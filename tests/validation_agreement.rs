//! The decoder and the validator never disagree about an embedded structure (issue 9).
//!
//! For each request that carries a structure in VarData (LINECALLPARAMS in MakeCall and Open,
//! LINEFORWARDLIST in Forward, LINEAGENTGROUPLIST in SetAgentGroup, LINECALLHUBTRACKINGINFO,
//! PHONEBUTTONINFO, DEVICEINFOLIST, TAPISERVERCONFIG), structures are generated with the
//! structure builders, then corrupted (DWORDs overwritten with values that matter: small
//! offsets and sizes, odd values, 0xFFFFFFFF, the structure's length), and embedded in a
//! request. Then:
//!
//! * if the decoder rejects the structure (`StructRef::decode()` fails, or the decoded view's
//!   `validate()` finds an item that does not resolve), at least one of the request's
//!   stateless layout rules about that field fails;
//! * if the decoder accepts it, every layout rule about that field passes, except the one
//!   place where 3.1.4.2 is stricter than the decoder on purpose: an item offset that is
//!   WCHAR- but not DWORD-aligned ("not DWORD-aligned", CP.5 and 17.7/17.9), see
//!   spec-notes/validation.md.
//!
//! Each case is validated under one of the seven TAPI versions or none (`validate_with`), and
//! the decoder reads the structure in the version validation resolves for the request
//! (`version_for`: the given one, else Open's dwNegotiatedVersion): `decode_any_with` with a
//! version, `decode_any` without. Structures are laid out by the builder for one of the
//! versions (`for_version`) or the newest, independently of the version validated under, so
//! older structures read in newer sessions (and the reverse) are generated.
//!
//! Layout rules are those whose check is about alignment, bounds, sizes, offsets, extents or
//! decoding ([`mstrp::validation::Rule::is_layout`]); value rules (dwBearerMode bits,
//! dwForwardMode, dwCurrentTracking, ...) are about members the decoder does not judge.

use mstrp::encoding::Payload;
use mstrp::errors::DecodeErrorKind;
use mstrp::handles::{TAPI_VERSIONS, Version};
use mstrp::requests::{FuncId, Request, Resolved};
use mstrp::structures::{self, StructBuilder, StructDesc, VarKind};
use mstrp::validation::{self, Violation};
use proptest::prelude::*;

/// A request that embeds a structure: the function, the field, extra fields to set (so the
/// field's rules apply), and the structure.
struct Host {
    func: FuncId,
    field: &'static str,
    extra: &'static [(&'static str, u32)],
    structure: &'static str,
}

const HOSTS: &[Host] = &[
    Host {
        func: FuncId::LineMakeCall,
        field: "lpCallParams",
        extra: &[],
        structure: "LINECALLPARAMS",
    },
    Host {
        func: FuncId::LineOpen,
        field: "pCallParams",
        // LINEOPENOPTION_PROXY | LINECALLPRIVILEGE_OWNER: the LINECALLPARAMS rules apply;
        // TAPI 3.1 so that CP.7 applies without a server state.
        extra: &[
            ("dwPrivileges", 0x4000_0004),
            ("dwNegotiatedVersion", 0x0003_0001),
        ],
        structure: "LINECALLPARAMS",
    },
    Host {
        func: FuncId::LineForward,
        field: "lpForwardList",
        extra: &[("lpCallParams", 0xFFFF_FFFF)],
        structure: "LINEFORWARDLIST",
    },
    Host {
        func: FuncId::LineSetAgentGroup,
        field: "lpAgentGroupList",
        extra: &[],
        structure: "LINEAGENTGROUPLIST",
    },
    Host {
        func: FuncId::LineSetCallHubTracking,
        field: "lpTrackingInfo",
        extra: &[],
        structure: "LINECALLHUBTRACKINGINFO",
    },
    Host {
        func: FuncId::PhoneSetButtonInfo,
        field: "lpButtonInfo",
        extra: &[],
        structure: "PHONEBUTTONINFO",
    },
    Host {
        func: FuncId::SetLineInfo,
        field: "lpDeviceInfoList",
        extra: &[],
        structure: "DEVICEINFOLIST",
    },
    Host {
        func: FuncId::SetServerConfig,
        field: "dwServerConfigOffset",
        extra: &[],
        structure: "TAPISERVERCONFIG",
    },
];

/// What to put in each variable item: `None` leaves it empty.
#[derive(Debug, Clone)]
struct Fill {
    /// Per item: the length of its data (in characters, bytes, DWORDs or entries).
    lens: Vec<Option<u8>>,
    /// Fill byte / character.
    byte: u8,
    /// Lay the structure and its entries out as TAPI `layout` defines them (`for_version`; an
    /// older client's: a 112-byte LINECALLPARAMS for 1.x, 24-byte LINEFORWARD entries before
    /// 3.1); `None`: the newest layout.
    layout: Option<Version>,
}

/// No version, or one of the seven TAPI versions.
fn version() -> impl Strategy<Value = Option<Version>> {
    prop_oneof![
        Just(None),
        prop::sample::select(TAPI_VERSIONS.to_vec()).prop_map(Some)
    ]
}

fn fill() -> impl Strategy<Value = Fill> {
    (
        prop::collection::vec(prop::option::weighted(0.6, 1u8..6), 16),
        any::<u8>(),
        version(),
    )
        .prop_map(|(lens, byte, layout)| Fill { lens, byte, layout })
}

/// A builder for `desc` with its items filled as `f` says (entries filled the same way, one
/// level deep), and the members the layout rules do not judge left valid.
fn build(desc: &'static StructDesc, f: &Fill, depth: u8) -> StructBuilder {
    let mut b = StructBuilder::new(desc);
    if let Some(v) = f.layout {
        b = b.for_version(v);
    }
    if desc.field("dwForwardMode").is_some() {
        b = b.try_set("dwForwardMode", 1).expect("the member exists");
    }
    let ch = char::from(b'a' + f.byte % 26);
    for (i, v) in desc.vars.iter().enumerate() {
        let Some(Some(n)) = f.lens.get(i).copied() else {
            continue;
        };
        let n = n as usize;
        b = match v.kind {
            VarKind::Text => b.payload(v.name, Payload::text(&ch.to_string().repeat(n))),
            VarKind::Ascii => {
                let mut s = vec![f.byte | 1; n];
                s.push(0);
                b.payload(v.name, Payload::Bytes(s))
            }
            VarKind::MultiText => {
                let s: Vec<u8> = ch
                    .to_string()
                    .repeat(n)
                    .encode_utf16()
                    .chain([0, 0])
                    .flat_map(u16::to_le_bytes)
                    .collect();
                b.payload(v.name, Payload::Bytes(s))
            }
            VarKind::TextTable { .. } => {
                let texts: Vec<String> = (0..n).map(|_| ch.to_string()).collect();
                let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                b.text_table(v.name, 4, &refs)
            }
            VarKind::Bytes => b.payload(v.name, Payload::Bytes(vec![f.byte; n])),
            VarKind::Dwords => b.dwords(v.name, &vec![u32::from(f.byte); n]),
            VarKind::Entries { entry, .. } | VarKind::InlineEntries { entry } => {
                if depth > 0 {
                    continue;
                }
                let entries = (0..n.min(3)).map(|_| build(entry, f, depth + 1)).collect();
                b.entries(v.name, entries)
            }
        };
    }
    b
}

/// DWORD values that matter for layout.
fn value() -> impl Strategy<Value = u32> {
    prop_oneof![
        0u32..300,
        Just(0xFFFF_FFFF),
        Just(0x7FFF_FFFF),
        any::<u32>(),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    host: usize,
    fill: Fill,
    /// (DWORD index in the structure, value, relative to the structure's length?)
    corrupt: Vec<(usize, u32, bool)>,
    /// DWORDs of padding before the structure in VarData, bytes after it.
    lead: usize,
    trail: usize,
    /// The negotiated version given to `validate_with` (`None`: not known).
    version: Option<Version>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        0..HOSTS.len(),
        fill(),
        prop::collection::vec((0usize..64, value(), any::<bool>()), 0..3),
        0usize..3,
        0usize..8,
        version(),
    )
        .prop_map(|(host, fill, corrupt, lead, trail, version)| Case {
            host,
            fill,
            corrupt,
            lead,
            trail,
            version,
        })
}

/// The request bytes and the structure's bytes as embedded.
fn request(c: &Case) -> (Vec<u8>, Vec<u8>) {
    let h = &HOSTS[c.host];
    let desc = structures::desc_by_name(h.structure).unwrap();
    let mut s = build(desc, &c.fill, 0).to_vec();
    for &(i, v, rel) in &c.corrupt {
        let at = 4 * (i % (s.len() / 4).max(1));
        let v = if rel {
            (s.len() as u32).wrapping_add(v % 9).wrapping_sub(4)
        } else {
            v
        };
        if let Some(d) = s.get_mut(at..at + 4) {
            d.copy_from_slice(&v.to_le_bytes());
        }
    }
    let mut var = vec![0u8; 4 * c.lead];
    var.extend_from_slice(&s);
    var.extend(std::iter::repeat_n(0xEE, c.trail));
    let func = h.func;
    let idx = |n: &str| func.desc().field(n).unwrap().0;
    let mut d = [0u32; 15];
    d[0] = func as u32;
    for (n, v) in h.extra {
        d[idx(n)] = *v;
    }
    d[idx(h.field)] = 4 * c.lead as u32;
    let mut bytes: Vec<u8> = d.iter().flat_map(|v| v.to_le_bytes()).collect();
    bytes.extend_from_slice(&var);
    (bytes, s)
}

/// The decoder's verdict on the structure at the host's field, read in `version` (the version
/// validation resolves for the request): the reference resolves (`StructRef`), the structure
/// decodes (`decode_any_with`, or `decode_any` without a version) and the view's `validate()`.
fn decoder_accepts(req: &Request<'_>, h: &Host, version: Option<Version>) -> Result<(), String> {
    let i = h.func.desc().field(h.field).unwrap().0;
    let r = req
        .references()
        .find(|r| r.index == i)
        .expect("a reference field");
    let bytes = match r.value.map_err(|e| e.to_string())? {
        Some(Resolved::Structure(b)) => b,
        other => return Err(format!("not a structure: {other:?}")),
    };
    let decoded = match version {
        Some(v) => structures::decode_any_with(h.structure, bytes, v),
        None => structures::decode_any(h.structure, bytes),
    };
    let s = decoded
        .expect("a catalogue structure")
        .map_err(|e| e.to_string())?;
    s.raw().validate().map_err(|e| e.to_string())
}

/// The stateless layout violations about the host's field (directly or through the
/// LINECALLPARAMS block applied to it).
fn layout_violations(req: &Request<'_>, h: &Host, version: Option<Version>) -> Vec<Violation> {
    validation::validate_with(req, None, version)
        .into_iter()
        .filter(|v| v.rule.is_layout())
        .filter(|v| v.via.unwrap_or(v.rule).field == h.field)
        .collect()
}

/// The rules 3.1.4.2 makes stricter than the decoder: an item offset that is not
/// DWORD-aligned.
fn dword_alignment_only(v: &Violation) -> bool {
    let rule = v.rule.id.starts_with("CP.5") || v.rule.id == "17.7" || v.rule.id == "17.9";
    let misaligned = matches!(
        v.detail.map(|d| d.kind),
        Some(DecodeErrorKind::Misaligned { align: 4, .. })
    );
    rule && misaligned
}

fn check(c: &Case) -> Result<(), TestCaseError> {
    let h = &HOSTS[c.host];
    let (bytes, s) = request(c);
    let req = Request::parse(&bytes).unwrap();
    let version = validation::version_for(&req, None, c.version);
    let decoded = decoder_accepts(&req, h, version);
    let layout = layout_violations(&req, h, c.version);
    match decoded {
        Err(e) => prop_assert!(
            !layout.is_empty(),
            "{:?}.{} under {version:?}: the decoder rejects ({e}) but no layout rule fails; structure {:02x?}",
            h.func,
            h.field,
            s
        ),
        Ok(()) => {
            let bad: Vec<String> = layout
                .iter()
                .filter(|v| !dword_alignment_only(v))
                .map(|v| v.to_string())
                .collect();
            prop_assert!(
                bad.is_empty(),
                "{:?}.{} under {version:?}: the decoder accepts but {bad:?}; structure {:02x?}",
                h.func,
                h.field,
                s
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn decoder_and_validator_agree(c in case()) {
        check(&c)?;
    }
}

/// Under each of the seven TAPI versions (and none), separately: the property holds for 300
/// cases each, so every version is covered whatever the sampling above does.
#[test]
fn decoder_and_validator_agree_under_each_version() {
    use proptest::test_runner::{Config, TestRunner};
    for v in std::iter::once(None).chain(TAPI_VERSIONS.iter().copied().map(Some)) {
        let mut runner = TestRunner::new(Config {
            failure_persistence: None,
            ..Config::with_cases(300)
        });
        let strategy = case().prop_map(move |mut c| {
            c.version = v;
            c
        });
        if let Err(e) = runner.run(&strategy, |c| check(&c)) {
            panic!("under {v:?}: {e}");
        }
    }
}

/// The uncorrupted builder output is accepted by both, for every host, laid out for each
/// version and validated under that version (or none).
#[test]
fn built_structures_pass() {
    let layouts = std::iter::once(None).chain(TAPI_VERSIONS.iter().copied().map(Some));
    for layout in layouts {
        for input in [None, layout] {
            for (host, h) in HOSTS.iter().enumerate() {
                for n in 0..4u8 {
                    let c = Case {
                        host,
                        fill: Fill {
                            lens: vec![Some(n / 2 + 1); 16],
                            byte: n,
                            layout,
                        },
                        corrupt: vec![],
                        lead: 1,
                        trail: 0,
                        version: input,
                    };
                    let (bytes, _) = request(&c);
                    let req = Request::parse(&bytes).unwrap();
                    let version = validation::version_for(&req, None, input);
                    // Open's dwNegotiatedVersion (3.1) is the request's version when none is
                    // given: a structure laid out for an older version is then not a 3.1 one.
                    if layout.is_some() && version.is_some() && version != layout {
                        continue;
                    }
                    assert_eq!(
                        decoder_accepts(&req, h, version),
                        Ok(()),
                        "{:?} laid out for {layout:?} under {version:?}",
                        h.func
                    );
                    let v = layout_violations(&req, h, input);
                    assert!(
                        v.is_empty(),
                        "{:?} laid out for {layout:?} under {version:?}: {v:?}",
                        h.func
                    );
                }
            }
        }
    }
}

/// Each direction happens in the generated cases (the property is not vacuous).
#[test]
fn both_verdicts_are_generated() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut accepted, mut rejected) = (0, 0);
    for _ in 0..500 {
        let c = case().new_tree(&mut runner).unwrap().current();
        let (bytes, _) = request(&c);
        let req = Request::parse(&bytes).unwrap();
        let version = validation::version_for(&req, None, c.version);
        match decoder_accepts(&req, &HOSTS[c.host], version) {
            Ok(()) => accepted += 1,
            Err(_) => rejected += 1,
        }
    }
    assert!(accepted > 50 && rejected > 50, "{accepted} / {rejected}");
}
