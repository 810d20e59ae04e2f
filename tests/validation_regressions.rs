//! Regression tests for issue 9 ("one source of truth"): validation takes every size and layout
//! from the structure catalogue, walks embedded structures through the decoder's views,
//! reports each (rule, field) once, and names fields at compile time.
//!
//! Known answers come from the spec text and the decisions recorded in spec-notes (not from the
//! code under test): structure sizes from the 2.2.6 diagrams with the member sizes of
//! spec-notes/structures.md (16-byte GUIDs and LINEDIALPARAMS, 8-byte CURRENCY and DATE,
//! oldest fixed part = the members before the first optional one).

use std::collections::BTreeMap;

use mstrp::encoding::Payload;
use mstrp::requests::RequestBuilder;
use mstrp::requests::{FuncId, Request};
use mstrp::validation::{self, Bound, Check, CpCheck, Report};

const ABSENT: u32 = 0xFFFF_FFFF;

/// A request of `func` with the named fields set, VarData `var`.
fn packet(func: FuncId, fields: &[(&str, u32)], var: &[u8]) -> Vec<u8> {
    let mut d = [0u32; 15];
    d[0] = func as u32;
    for (name, v) in fields {
        let (i, _) = func
            .desc()
            .field(name)
            .unwrap_or_else(|| panic!("{func:?} has no {name}"));
        d[i] = *v;
    }
    let mut out: Vec<u8> = d.iter().flat_map(|v| v.to_le_bytes()).collect();
    out.extend_from_slice(var);
    out
}

fn ids(bytes: &[u8]) -> Vec<(String, String)> {
    let req = Request::parse(bytes).expect("a whole TAPI32_MSG");
    validation::validate(&req, None)
        .iter()
        .map(|v| (v.id().to_string(), v.error().name().to_string()))
        .collect()
}

fn has(bytes: &[u8], id: &str) -> bool {
    ids(bytes).iter().any(|(i, _)| i == id)
}

// ---- defect 1: sizes come from the structure catalogue ----

/// The oldest fixed size of every structure a size rule names, from the 2.2.6 diagrams
/// (spec-notes/structures.md sections 1-4). LINEAGENTINFO, LINEAGENTSESSIONINFO: 8-byte
/// CURRENCY/DATE members (section 3: 56 and 76, not the 52 and 68 of the literal text);
/// LINEAGENTSESSIONLIST: dwListOffset is a DWORD (section 2: 24, not 20).
const KNOWN_SIZES: &[(&str, u32)] = &[
    ("AVAILABLEPROVIDERLIST", 24),
    ("DEVICEINFOLIST", 24),
    ("TAPISERVERCONFIG", 48),
    ("LINEADDRESSCAPS", 180),
    ("LINEADDRESSSTATUS", 64),
    ("LINEAGENTSTATUS", 56),
    ("LINEAGENTACTIVITYLIST", 24),
    ("LINEAGENTGROUPLIST", 24),
    ("LINEAGENTCAPS", 56),
    ("LINEAGENTSESSIONLIST", 24),
    ("LINEAGENTSESSIONINFO", 76),
    ("LINECALLSTATUS", 36),
    ("LINECALLHUBTRACKINGINFO", 20),
    ("LINECALLINFO", 296),
    ("LINECALLPARAMS", 176),
    ("LINECALLLIST", 24),
    ("LINEDEVCAPS", 240),
    ("LINEDEVSTATUS", 76),
    ("LINEGENERATETONE", 16),
    ("LINEQUEUEINFO", 52),
    ("LINEFORWARDLIST", 8),
    ("LINEPROVIDERLIST", 24),
    ("LINEPROXYREQUESTLIST", 24),
    ("LINEQUEUELIST", 24),
    ("PHONEBUTTONINFO", 40),
    ("PHONECAPS", 144),
    ("PHONEEXTENSIONID", 16),
    ("LINEEXTENSIONID", 16),
    ("VARSTRING", 24),
    ("LINEAGENTINFO", 56),
    ("PHONESTATUS", 100),
];

/// 148.2: GetAgentInfo with lpAgentInfo = 55 is one byte short of LINEAGENTINFO (56 bytes):
/// LINEERR_STRUCTURETOOSMALL. 56 passes. Same for 149.2 (LINEAGENTSESSIONINFO, 76) and
/// 150.2 (LINEAGENTSESSIONLIST, 24).
#[test]
fn agent_buffers_shorter_than_the_catalogue_sizes_fail() {
    for (func, field, rule, size) in [
        (FuncId::LineGetAgentInfo, "lpAgentInfo", "148.2", 56),
        (
            FuncId::LineGetAgentSessionInfo,
            "lpAgentSessionInfo",
            "149.2",
            76,
        ),
        (
            FuncId::LineGetAgentSessionList,
            "lpAgentSessionList",
            "150.2",
            24,
        ),
    ] {
        let short = packet(func, &[(field, size - 1)], &[]);
        assert!(
            ids(&short).contains(&(rule.to_string(), "LINEERR_STRUCTURETOOSMALL".to_string())),
            "{rule}: {field} = {} must fail, got {:?}",
            size - 1,
            ids(&short)
        );
        let exact = packet(func, &[(field, size)], &[]);
        assert!(!has(&exact, rule), "{rule}: {field} = {size} must pass");
        // Stateless validation of these packets has no other rule to break.
        assert!(ids(&exact).is_empty(), "{rule}: {:?}", ids(&exact));
    }
}

/// Every rule that compares with "the size of the X packet" uses X's oldest fixed size.
#[test]
fn every_size_rule_uses_the_known_structure_size() {
    let known: BTreeMap<&str, u32> = KNOWN_SIZES.iter().copied().collect();
    let mut checked = 0;
    for r in validation::all_rules() {
        let n = match r.check {
            Check::AtLeast(_, Bound::Const(n)) | Check::VarDataAtLeast(Bound::Const(n)) => n,
            Check::Fits(_, n) => n,
            _ => continue,
        };
        if r.text.contains("GUID") {
            assert_eq!(n, 16, "{}: a GUID is 16 bytes ([MS-DTYP] 2.3.4)", r.id);
            continue;
        }
        // The longest structure name the sentence (or, for packet-section rules, the
        // field text) names.
        let name = known
            .keys()
            .filter(|k| r.text.contains(**k))
            .max_by_key(|k| k.len())
            .unwrap_or_else(|| panic!("{}: no known structure in {:?}", r.id, r.text));
        assert_eq!(n, known[name], "{} compares with {name}", r.id);
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} size rules");
}

// ---- defect 2: LINEFORWARDLIST through the decoder's view ----

/// A LINEFORWARDLIST of two 24-byte LINEFORWARD entries (an older client's, 2.2.6.30 without
/// the TAPI 3.1 address types) with their destination addresses right after the array.
fn older_forward_list() -> Vec<u8> {
    let mut l = Vec::new();
    let dw = |l: &mut Vec<u8>, v: u32| l.extend_from_slice(&v.to_le_bytes());
    dw(&mut l, 72); // dwTotalSize: 8 + 2 * 24 + 2 * 8
    dw(&mut l, 2); // dwNumEntries
    // Entry 1: LINEFORWARDMODE_UNCOND (0x1) to "100" at 56.
    for v in [0x1, 0, 0, 0, 8, 56] {
        dw(&mut l, v);
    }
    // Entry 2: LINEFORWARDMODE_BUSY (0x10) to "200" at 64.
    for v in [0x10, 0, 0, 0, 8, 64] {
        dw(&mut l, v);
    }
    for s in ["100", "200"] {
        l.extend(s.encode_utf16().chain([0]).flat_map(u16::to_le_bytes));
    }
    assert_eq!(l.len(), 72);
    l
}

fn forward_with(list: &[u8]) -> Vec<u8> {
    let func = FuncId::LineForward;
    let idx = |n: &str| func.desc().field(n).unwrap().0;
    let mut b = RequestBuilder::new(func);
    b.set_payload(idx("lpForwardList"), Payload::Bytes(list.to_vec()));
    b.set_payload(idx("lpCallParams"), Payload::Absent);
    b.to_bytes().to_vec()
}

#[test]
fn forward_with_two_24_byte_entries_passes_17_6_to_17_10() {
    let list = older_forward_list();
    // The decoder reads it as two 24-byte entries.
    let view = mstrp::structures::LINEFORWARDLIST::parse(&list).unwrap();
    let entries = view.forward_list().unwrap();
    assert_eq!((entries.len(), entries.stride()), (2, 24));
    let bytes = forward_with(&list);
    let got = ids(&bytes);
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn forward_rules_still_fire_on_24_byte_entries() {
    // Entry 2's mode (byte 32) 0x3: two bits of LINEFORWARDMODE.
    let mut list = older_forward_list();
    list[32..36].copy_from_slice(&3u32.to_le_bytes());
    assert!(has(&forward_with(&list), "17.6"));
    // Entry 2's destination (size at 48, offset at 52) 16 bytes at 64: beyond the 72 bytes.
    // (No reading of the list is then consistent, and the decoder falls back to 32-byte
    // entries; validation reads what the decoder reads, and an extent rule fails.)
    let mut list = older_forward_list();
    list[48..52].copy_from_slice(&16u32.to_le_bytes());
    let got = ids(&forward_with(&list));
    assert!(got.iter().any(|(i, _)| i == "17.10"), "{got:?}");
    // Entry 2's destination at 66: WCHAR- but not DWORD-aligned (17.9 says DWORD).
    let mut list = older_forward_list();
    list[52..56].copy_from_slice(&66u32.to_le_bytes());
    list[48..52].copy_from_slice(&4u32.to_le_bytes());
    assert!(has(&forward_with(&list), "17.9"));
    // dwNumEntries 3: three 24-byte entries do not fit in 72 - 8 bytes with their strings.
    let mut list = older_forward_list();
    list[4..8].copy_from_slice(&3u32.to_le_bytes());
    assert!(has(&forward_with(&list), "17.P1"));
}

// ---- defect 3: one report per (rule, field) ----

#[test]
fn undocumented_req_func_reports_cr4_once() {
    assert!(
        FuncId::from_u32(121).is_none(),
        "121 is not a documented Req_Func"
    );
    let bytes = packet_raw(121);
    let report = Report::for_call(&bytes, bytes.len() as i32, bytes.len() as i32, None);
    let cr4: Vec<_> = report
        .violations
        .iter()
        .filter(|v| v.id() == "CR.4")
        .collect();
    assert_eq!(cr4.len(), 1, "{:?}", report.violations);
    assert_eq!(cr4[0].error().name(), "LINEERR_OPERATIONUNAVAIL");
    assert!(!report.valid);
    // What `trp validate` combines: the ClientRequest checks and the request's rules.
    let mut both = validation::check_client_request(&bytes, 60, 60);
    both.extend(validation::validate(&Request::parse(&bytes).unwrap(), None));
    assert_eq!(both.iter().filter(|v| v.id() == "CR.4").count(), 1);
}

/// A report never holds the same (rule, field) twice, whatever is fed to it.
#[test]
fn report_keeps_each_rule_once() {
    let bytes = packet_raw(121);
    let req = Request::parse(&bytes).unwrap();
    let v = validation::validate(&req, None);
    let doubled = v.iter().chain(v.iter()).copied();
    let report = Report::from_violations(doubled);
    assert_eq!(report.violations.len(), v.len());
}

fn packet_raw(req_func: u32) -> Vec<u8> {
    let mut b = vec![0u8; 60];
    b[..4].copy_from_slice(&req_func.to_le_bytes());
    b
}

#[cfg(feature = "cli")]
#[test]
fn trp_validate_lists_cr4_once() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let hex: String = packet_raw(121).iter().map(|b| format!("{b:02x}")).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_trp"))
        .args(["validate", "--as", "request", "--hex", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(hex.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("CR.4").count(), 1, "{text}");
}

// ---- defect 4: names checked at compile time ----

/// The LINECALLPARAMS rules name members and items that the catalogue has, at the place the
/// catalogue puts them (their offsets are Rust paths, their `field` the spec name).
#[test]
fn callparams_rules_name_catalogue_members() {
    let desc = mstrp::structures::LINECALLPARAMS::DESC;
    for r in validation::CALLPARAMS_RULES {
        let Check::Cp(c) = r.check else { panic!() };
        match c {
            CpCheck::Bits(at, ..) => {
                let f = desc.fields.iter().find(|f| f.offset == at).unwrap();
                assert_eq!(f.name, r.field, "{}", r.id);
            }
            CpCheck::Offset(v) | CpCheck::Extent(v) | CpCheck::ExtentV2(v) => {
                assert_eq!(v.offset_field, r.field, "{}", r.id);
                assert!(desc.vars.contains(v));
            }
            CpCheck::TotalSize | CpCheck::BearerOneBit => {}
        }
    }
    // dwBearerMode at byte 4, dwAddressType at 176 (2.2.6.20 with the 16-byte DialParams).
    let at = |id: &str| match validation::CALLPARAMS_RULES
        .iter()
        .find(|r| r.id == id)
        .unwrap()
        .check
    {
        Check::Cp(CpCheck::Bits(at, ..)) => at,
        _ => panic!(),
    };
    assert_eq!((at("CP.2"), at("CP.4e")), (4, 176));
}

/// A LINECALLPARAMS shorter than 176 bytes (2.2.6.20 without dwAddressType) breaks CP.1 in
/// MakeCall; 176 passes.
#[test]
fn callparams_fixed_size_is_176() {
    let func = FuncId::LineMakeCall;
    let idx = |n: &str| func.desc().field(n).unwrap().0;
    for (len, fails) in [(175u32, true), (176, false)] {
        let mut cp = vec![0u8; len as usize];
        cp[..4].copy_from_slice(&len.to_le_bytes());
        let mut b = RequestBuilder::new(func);
        b.set_payload(idx("lpCallParams"), Payload::Bytes(cp));
        b.set_payload(idx("lpszDestAddress"), Payload::text("1"));
        b.var_data_len(512);
        let bytes = b.to_bytes().to_vec();
        assert_eq!(has(&bytes, "CP.1"), fails, "{len}: {:?}", ids(&bytes));
    }
    let _ = ABSENT;
}
