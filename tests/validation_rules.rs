//! One test per rule of 3.1.4.2 (table-driven): for every rule, a valid packet of the
//! function (with the rule's condition switched on) passes, and the otherwise-identical
//! packet with one field or one VarData byte range changed violates exactly that rule (plus
//! the companions listed in `COMPANIONS`, rules a packet cannot break alone).
//!
//! Violating packets are made by a mutator that knows the rule *shapes* (misalign an offset,
//! push it past VarData, grow a size, clear a NUL, flip a bit outside a constant set, declare
//! a handle invalid in the test's server state ...). The shapes of custom predicates are
//! mutated by hand in `custom_mutation`.

use std::collections::BTreeSet;

use mstrp::encoding::Payload;
use mstrp::handles::{HandleKind, Version};
use mstrp::requests::RequestBuilder;
use mstrp::requests::{FuncId, Request, Role};
use mstrp::validation::{
    self, Bits, Block, Bound, CALLPARAMS_RULES, CLIENT_REQUEST_RULES, Check, Device, Fact, Guard,
    Rule, ServerState, VersionSource,
};

const ABSENT: u32 = 0xFFFF_FFFF;

/// The size a constant or structure bound stands for when no version is known (the
/// structure's oldest fixed part).
fn bound_size(b: Bound) -> u32 {
    match b {
        Bound::Const(n) => n,
        Bound::Struct(d) => validation::struct_size(d, None),
        Bound::Field(_) => unreachable!(),
    }
}

#[derive(Default, Clone)]
struct TestState {
    bad_handles: Vec<(HandleKind, u32)>,
    bad_devices: Vec<(Device, u32)>,
    no_proxy: Vec<u32>,
    proxy_refuses: Vec<u32>,
    denied: Vec<Fact>,
    version: Option<u32>,
}

impl ServerState for TestState {
    fn handle_valid(&self, kind: HandleKind, value: u32) -> bool {
        !self.bad_handles.contains(&(kind, value))
    }
    fn device_id_valid(&self, device: Device, id: u32) -> bool {
        !self.bad_devices.contains(&(device, id))
    }
    fn proxy_registered(&self, h: mstrp::handles::HLine) -> bool {
        !self.no_proxy.contains(&h.0)
    }
    fn proxy_handles(&self, h: mstrp::handles::HLine, _func: FuncId) -> bool {
        !self.proxy_refuses.contains(&h.0)
    }
    fn holds(&self, fact: Fact) -> bool {
        !self.denied.contains(&fact)
    }
    fn api_version(&self, _kind: HandleKind, _value: u32) -> Option<Version> {
        self.version.map(Version)
    }
}

/// Fixed size of a 2.2.6 structure by name: the structure catalogue's oldest fixed part (what
/// the rules compare against); LINECALLPARAMS with its optional dwAddressType.
fn struct_size(name: &str) -> u32 {
    let d = mstrp::structures::desc_by_name(name).unwrap_or_else(|| panic!("no {name}"));
    if name == "LINECALLPARAMS" {
        d.size as u32
    } else {
        d.min_size as u32
    }
}

/// A structure payload: dwTotalSize (and for structures the server fills, dwNeededSize and
/// dwUsedSize) = its size, the rest zero; LINECALLPARAMS with dwAddressMode =
/// LINEADDRESSMODE_ADDRESSID (what Open with SINGLEADDRESS needs).
fn structure(name: &str) -> Vec<u8> {
    let n = struct_size(name) as usize;
    let mut v = vec![0u8; n];
    v[..4].copy_from_slice(&(n as u32).to_le_bytes());
    let d = mstrp::structures::desc_by_name(name).unwrap();
    if d.header == mstrp::structures::Header::Full {
        v[4..8].copy_from_slice(&(n as u32).to_le_bytes());
        v[8..12].copy_from_slice(&(n as u32).to_le_bytes());
    }
    if name == "LINECALLPARAMS" {
        v[24..28].copy_from_slice(&1u32.to_le_bytes());
    }
    v
}

/// A packet under test: the fifteen DWORDs and VarData, editable.
#[derive(Clone, Debug)]
struct Pkt {
    func: FuncId,
    d: [u32; 15],
    var: Vec<u8>,
}

impl Pkt {
    fn idx(&self, name: &str) -> usize {
        self.func
            .desc()
            .field(name)
            .unwrap_or_else(|| panic!("{:?} has no {name}", self.func))
            .0
    }
    fn get(&self, name: &str) -> u32 {
        self.d[self.idx(name)]
    }
    fn set(&mut self, name: &str, v: u32) {
        let i = self.idx(name);
        self.d[i] = v;
    }
    fn bytes(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self.d.iter().flat_map(|d| d.to_le_bytes()).collect();
        out.extend_from_slice(&self.var);
        out
    }
    fn put(&mut self, at: usize, v: u32) {
        if self.var.len() < at + 4 {
            self.var.resize(at + 4, 0);
        }
        self.var[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
    /// Appends bytes at a DWORD boundary; returns their offset.
    fn append(&mut self, b: &[u8]) -> u32 {
        while self.var.len() % 4 != 0 {
            self.var.push(0);
        }
        let at = self.var.len();
        self.var.extend_from_slice(b);
        at as u32
    }
    fn violations(&self, state: &TestState) -> BTreeSet<String> {
        let bytes = self.bytes();
        let req = Request::parse(&bytes).expect("60 bytes");
        validation::validate(&req, Some(state))
            .iter()
            .map(|v| v.rule.id.to_string())
            .collect()
    }
}

/// The valid packet of `func`: handles distinct and valid, versions valid, every reference
/// resolvable, out-buffer sizes the structure's size, VarData 512 bytes at least, and the
/// values each constant-set rule of the function requires.
fn base(func: FuncId) -> Pkt {
    let desc = func.desc();
    let mut b = RequestBuilder::new(func);
    for (i, f) in desc.fields.iter().enumerate().skip(2) {
        match f.role {
            Role::Handle(_) => {
                b.set(i, 0x1000 + i as u32);
            }
            Role::Version => {
                b.set(i, 0x0002_0000);
            }
            Role::String { .. } => {
                b.set_payload(i, Payload::text("x"));
            }
            Role::Bytes { .. } => {
                b.set_payload(i, Payload::Bytes(vec![0xAB; 16]));
            }
            Role::Structure { name, .. } => {
                b.set_payload(i, Payload::Bytes(structure(name)));
            }
            Role::OutSize { structure } => {
                b.set(i, struct_size(structure));
            }
            _ => {}
        }
    }
    b.var_data_len(512);
    let bytes = b.to_bytes();
    let mut p = Pkt {
        func,
        d: Request::parse(&bytes).unwrap().dwords(),
        var: bytes[60..].to_vec(),
    };
    // Values the constant-set rules need.
    for r in validation::rules_for(func) {
        match r.check {
            Check::Bits(i, mask, how) => {
                let v = p.d[i as usize];
                if !ok_bits(v, mask, how) {
                    p.d[i as usize] = 1 << mask.trailing_zeros();
                }
            }
            Check::Equals(i, v) => p.d[i as usize] = v,
            Check::NonZero(i) => p.d[i as usize] = 1,
            Check::AtLeast(i, b @ (Bound::Const(_) | Bound::Struct(_)))
                if p.d[i as usize] < bound_size(b) =>
            {
                p.d[i as usize] = bound_size(b)
            }
            _ => {}
        }
    }
    match func {
        FuncId::LineOpen => p.set("dwPrivileges", 0x4),
        FuncId::LineNegotiateAPIVersion | FuncId::PhoneNegotiateAPIVersion => {
            p.set("dwVersion", 0x0001_0003);
            p.set("dwVersionCurrent", 0x0003_0001);
        }
        FuncId::LineSetCallTreatment => p.set("dwTreatment", 1),
        FuncId::LineSetAgentSessionState => p.set("dwAgentSessionState", 1),
        FuncId::LineSetAgentState | FuncId::LineSetAgentStateEx => p.set("dwAgentState", 1),
        FuncId::LineGetID | FuncId::LineSetMediaControl | FuncId::LineSetTerminal => {
            p.set("dwSelect", 1)
        }
        FuncId::LineGetAgentCaps | FuncId::LineGetProxyStatus => {
            p.set("dwAppAPIVersion", 0x0002_0000)
        }
        _ => {}
    }
    p
}

fn ok_bits(v: u32, mask: u32, how: Bits) -> bool {
    let one = v.count_ones() == 1 && v & !mask == 0;
    match how {
        Bits::One => one,
        Bits::ZeroOrOne => v == 0 || one,
        Bits::Subset => v & !mask == 0,
        Bits::NonZeroSubset => v != 0 && v & !mask == 0,
    }
}

fn name_of(func: FuncId, i: u8) -> &'static str {
    func.desc().fields[i as usize].name
}

/// Switches the rule's guard on.
fn satisfy_guard(r: &Rule, p: &mut Pkt) {
    match r.guard {
        Guard::Always | Guard::Present(_) | Guard::NonZero(_) => {}
        Guard::Eq(i, v) => p.d[i as usize] = v,
        Guard::Any(i, m) => p.d[i as usize] |= 1 << m.trailing_zeros(),
        Guard::If(_) => {
            // The dwSelect-dependent handle rules: LINECALLSELECT_CALL for hCall.
            if r.field == "hCall" {
                p.set("dwSelect", 4);
            }
        }
    }
    // GetUIDllName and TUISPIDLLCallback: the admin rules depend on dwObjectType.
    match (r.id, r.field) {
        ("1.1", _) | ("2.3", _) => p.set("dwObjectType", 1),
        ("1.2", "dwObjectType") => p.set("dwObjectType", 3),
        ("20.P1", _) => p.set("dwToneMode", 2),
        ("55.P1", _) => p.set("dwParkMode", 2),
        _ => {}
    }
    if r.id == "54.6" || r.id == "54.9" {
        p.d[p.idx("dwPrivileges")] = 0x8000_0004;
    }
}

/// The rules of 3.1.4.2 that no packet can break alone, with the rules that necessarily
/// break with them.
const COMPANIONS: &[(&str, &[&str])] = &[
    // dwVersion > dwVersionCurrent leaves no version between them.
    ("52.4", &["52.5"]),
    ("108.4", &["108.5"]),
    // 13.1 and 13.5 are the same sentence.
    ("13.1", &["13.5"]),
    ("13.5", &["13.1"]),
    // VarData shorter than the structure is shorter than the out buffer that holds it.
    ("21.4", &["21.2"]),
    ("140.3", &["140.1"]),
    ("152.3", &[]),
    ("132.2", &["132.1"]),
    ("133.2", &["133.1"]),
    ("134.2", &["134.1"]),
];

fn companions(id: &str) -> Vec<&'static str> {
    COMPANIONS
        .iter()
        .find(|(r, _)| *r == id)
        .map(|(_, c)| c.to_vec())
        .unwrap_or_default()
}

/// Mutations for rules whose check is a custom predicate: (rule id, field, mutation).
fn custom_mutation(r: &Rule, p: &mut Pkt, s: &mut TestState) {
    match r.id {
        "54.3" => p.set("dwPrivileges", 0x1 | 0x4),
        "54.6" => {
            let at = p.get("pCallParams") as usize;
            p.put(at + 24, 2);
        }
        "11.4" => p.set("hConsultCall", p.get("hCall")),
        "87.3" => p.set("hHeldCall", p.get("hActiveCall")),
        "18.4" => {
            p.set("lpsDigitsContext", 7);
            p.set("dwNumDigits", 0);
        }
        "20.1" => p.set("dwNumTones", 1000),
        "75.2" => p.set("dwTreatment", 0),
        "155.2" => {
            p.set("dwAgentSessionState", 0);
            p.set("dwNextAgentSessionState", 0);
        }
        "68.2" | "157.2" => {
            p.set("dwAgentState", 0);
            p.set("dwNextAgentState", 0);
        }
        "117.5" => {
            p.set("dwButtonModes", 1);
            p.set("dwButtonStates", 0);
        }
        "93.1" => p.set("lpButtonInfo", p.var.len() as u32 + 4),
        "143.4" => {
            let at = p.get("lpTrackingInfo") as usize;
            p.put(at + 16, 3);
        }
        "130.1" => {
            p.set("dwNumLineDevices", 100);
            p.set("dwLineAPIVersionListSize", 400);
            p.set("dwLineExtensionIDListSize", 1600);
        }
        "130.3" => p.set("dwLineAPIVersionListSize", 4),
        "130.4" => p.set("dwPhoneAPIVersionListSize", 4),
        "130.5" => p.set("dwLineExtensionIDListSize", 16),
        "130.6" => p.set("dwPhoneExtensionIDListSize", 16),
        "80.2" => {
            s.version = Some(0x0002_0001);
            p.set("dwMediaMode", 0x4 | 0x8);
        }
        "17.P1" | "17.6" | "17.7" | "17.8" | "17.9" | "17.10" => {
            // A LINEFORWARDLIST with one 32-byte LINEFORWARD appended to VarData.
            let mut list = vec![0u8; 8 + 32 + 8];
            list[..4].copy_from_slice(&(48u32).to_le_bytes());
            list[4..8].copy_from_slice(&1u32.to_le_bytes());
            list[8..12].copy_from_slice(&1u32.to_le_bytes()); // UNCOND
            list[16..20].copy_from_slice(&40u32.to_le_bytes()); // caller offset
            list[28..32].copy_from_slice(&40u32.to_le_bytes()); // dest offset
            let mut valid = p.clone();
            let at = valid.append(&list);
            valid.set("lpForwardList", at);
            assert!(
                valid.violations(s).is_empty(),
                "forward base {:?}",
                valid.violations(s)
            );
            let e = at as usize + 8;
            match r.id {
                "17.P1" => valid.put(at as usize + 4, 2),
                "17.6" => valid.put(e, 3),
                // An item of size 0 is absent: its offset is not checked. A 2-byte caller
                // address at 42: WCHAR-aligned (the decoder accepts it) but not DWORD-aligned.
                "17.7" => {
                    valid.put(e + 4, 2);
                    valid.put(e + 8, 42);
                }
                "17.8" => valid.put(e + 4, 16),
                "17.9" => {
                    valid.put(e + 16, 2);
                    valid.put(e + 20, 42);
                }
                "17.10" => valid.put(e + 16, 16),
                _ => unreachable!(),
            }
            *p = valid;
        }
        other => panic!("no mutation for custom rule {other}"),
    }
}

/// Makes the structure at field `i` undecodable in a way no 3.1.4.2 rule reports: an odd-sized
/// Unicode string (LINECALLPARAMS OrigAddress, LINEFORWARD CallerAddress), or dwUsedSize
/// greater than dwTotalSize (the structures with dwNeededSize/dwUsedSize).
fn decodes_mutation(p: &mut Pkt, i: usize) {
    let Role::Structure { name, .. } = p.func.desc().fields[i].role else {
        panic!("{:?} field {i} is not a structure", p.func)
    };
    let at = p.d[i] as usize;
    match name {
        "LINECALLPARAMS" => {
            // dwOrigAddressSize (byte 48) = 3, dwOrigAddressOffset (byte 52) = 176: inside the
            // 180-byte structure, after the oldest fixed part, DWORD-aligned, odd-sized.
            p.put(at + 48, 3);
            p.put(at + 52, 176);
        }
        "LINEFORWARDLIST" => {
            // One 24-byte LINEFORWARD whose 3-byte caller address starts at 32.
            let mut list = vec![0u8; 36];
            list[..4].copy_from_slice(&36u32.to_le_bytes());
            list[4..8].copy_from_slice(&1u32.to_le_bytes());
            list[8..12].copy_from_slice(&1u32.to_le_bytes());
            list[12..16].copy_from_slice(&3u32.to_le_bytes());
            list[16..20].copy_from_slice(&32u32.to_le_bytes());
            let o = p.append(&list);
            p.d[i] = o;
        }
        _ => {
            let total = u32::from_le_bytes(p.var[at..at + 4].try_into().unwrap());
            p.put(at + 8, total + 1);
        }
    }
}

/// Makes `p` (valid, guard on) violate `r`.
fn mutate(r: &Rule, p: &mut Pkt, s: &mut TestState) {
    let func = p.func;
    match r.check {
        Check::StrAligned(i) => {
            let at = p.append(&[0x41, 0x42, 0x00, 0x00, 0x00, 0x00, 0, 0]);
            p.d[i as usize] = at + 1;
        }
        Check::StrWithin(i) | Check::Str(i) => p.d[i as usize] = p.var.len() as u32 + 2,
        Check::StrTerminated(i) => {
            let at = p.append(&[0x41, 0x00]);
            p.d[i as usize] = at;
        }
        Check::AlignedWithin(i) => {
            // A copy of the referenced data at an offset that is 2 mod 4.
            let o = p.d[i as usize] as usize;
            let copy = p.var[o..].to_vec();
            let mut moved = vec![0u8, 0];
            moved.extend_from_slice(&copy);
            let at = p.append(&moved);
            p.d[i as usize] = at + 2;
        }
        Check::Extent(_, s) | Check::Block(_, s) => p.d[s as usize] = 0xFFFF_FF00,
        Check::Fits(i, _) => {
            let at = p.d[i as usize] as usize;
            p.put(at, 0x7FFF_FFFF);
        }
        Check::VarDataAtLeast(b @ (Bound::Const(_) | Bound::Struct(_))) => {
            p.var.truncate(bound_size(b) as usize - 4)
        }
        Check::VarDataAtLeast(Bound::Field(i)) => p.d[i as usize] = p.var.len() as u32 + 4,
        Check::AtLeast(i, b @ (Bound::Const(_) | Bound::Struct(_))) => {
            p.d[i as usize] = bound_size(b) - 1
        }
        Check::AtLeast(..) => unreachable!(),
        Check::AtMost(i, max) => p.d[i as usize] = max + 1,
        Check::MultipleOf(i, _) => {
            let o = p.d[i as usize] as usize;
            let mut moved = vec![0u8, 0];
            moved.extend_from_slice(&p.var[o..]);
            let at = p.append(&moved);
            p.d[i as usize] = at + 2;
        }
        Check::NonZero(i) => p.d[i as usize] = 0,
        Check::Resolves(i) => p.d[i as usize] += 1,
        Check::Equals(i, v) => p.d[i as usize] = v + 1,
        Check::Bits(i, mask, how) => {
            let outside = 1u32 << (!mask).trailing_zeros();
            p.d[i as usize] = match how {
                Bits::One | Bits::ZeroOrOne | Bits::Subset | Bits::NonZeroSubset => {
                    p.d[i as usize] | outside
                }
            };
        }
        Check::Version(i, _) => p.d[i as usize] = 0x0004_0000,
        Check::NotGreater(a, b) => p.d[a as usize] = p.d[b as usize] + 1,
        Check::VersionBetween(a, b) => {
            p.d[a as usize] = 0x0004_0000;
            p.d[b as usize] = 0x0004_0000;
        }
        Check::Handle(i, kind, _) => s.bad_handles.push((kind, p.d[i as usize])),
        Check::DeviceId(i, d) => s.bad_devices.push((d, p.d[i as usize])),
        Check::ProxyRegistered(i) => s.no_proxy.push(p.d[i as usize]),
        Check::ProxyHandles(i) => s.proxy_refuses.push(p.d[i as usize]),
        Check::Fact(f) => {
            let bytes = p.bytes();
            let req = Request::parse(&bytes).unwrap();
            let ctx = mstrp::validation::Ctx {
                desc: func.desc(),
                dwords: req.dwords(),
                var: req.var_data(),
                capacity: req.var_data().len() as u64,
                version: None,
            };
            let fact = f(&ctx).unwrap_or_else(|| panic!("rule {} yields no fact", r.id));
            s.denied.push(fact);
        }
        Check::Custom(_) | Check::WithState(_) | Check::Forward(..) => custom_mutation(r, p, s),
        Check::Decodes(i) => decodes_mutation(p, i as usize),
        Check::CallParams(i, _) => {
            // An invalid dwBearerMode in the LINECALLPARAMS: CP.2 via this rule.
            let at = p.d[i as usize] as usize;
            p.put(at + 4, 0x100);
        }
        Check::Cp(_) | Check::Call(_) => unreachable!(),
    }
    let _ = name_of;
}

/// Every function rule: valid base passes, the mutation violates exactly the rule.
#[test]
fn every_function_rule_fires_alone() {
    let mut count = 0;
    for func in FuncId::ALL {
        for r in validation::rules_for(*func) {
            let mut p = base(*func);
            satisfy_guard(r, &mut p);
            let mut s = TestState::default();
            let valid = p.violations(&s);
            assert!(
                valid.is_empty(),
                "{} ({:?}): valid base violates {valid:?}",
                r.id,
                func
            );
            mutate(r, &mut p, &mut s);
            let got = p.violations(&s);
            let mut want: BTreeSet<String> =
                companions(r.id).into_iter().map(String::from).collect();
            if matches!(r.check, Check::CallParams(..)) {
                want.insert("CP.2".into());
            } else {
                want.insert(r.id.to_string());
            }
            assert_eq!(got, want, "rule {} ({:?}, field {})", r.id, func, r.field);
            // The violation names the rule's field, section and error.
            let bytes = p.bytes();
            let req = Request::parse(&bytes).unwrap();
            let v = validation::validate(&req, Some(&s));
            let mine = v
                .iter()
                .find(|v| v.rule.id == r.id || v.via.is_some_and(|via| via.id == r.id))
                .unwrap_or_else(|| panic!("rule {} not reported", r.id));
            assert_eq!(mine.section(), r.section());
            if !matches!(r.check, Check::CallParams(..)) {
                assert_eq!(mine.field(), r.field);
                assert_eq!(mine.error(), r.error);
            }
            count += 1;
        }
    }
    assert!(count >= 400, "only {count} function rules");
}

/// Stateless validation skips exactly the stateful rules.
#[test]
fn stateless_validation_skips_stateful_rules() {
    for func in FuncId::ALL {
        for r in validation::rules_for(*func)
            .iter()
            .filter(|r| r.is_stateful())
        {
            let mut p = base(*func);
            satisfy_guard(r, &mut p);
            let mut s = TestState::default();
            mutate(r, &mut p, &mut s);
            let bytes = p.bytes();
            let req = Request::parse(&bytes).unwrap();
            assert!(
                validation::is_valid(&req, None),
                "rule {} fired without state",
                r.id
            );
        }
    }
}

/// Each LINECALLPARAMS rule, through MakeCall (version from the state) and Open (version
/// from dwNegotiatedVersion).
#[test]
fn every_callparams_rule_fires_alone() {
    for r in CALLPARAMS_RULES {
        let Check::Cp(check) = r.check else { panic!() };
        for host in [FuncId::LineMakeCall, FuncId::LineOpen] {
            let mut p = base(host);
            let mut s = TestState::default();
            let field = if host == FuncId::LineOpen {
                p.set("dwPrivileges", 0x4000_0004);
                "pCallParams"
            } else {
                "lpCallParams"
            };
            let at = p.get(field) as usize;
            let mut version = 0x0002_0000;
            use mstrp::validation::CpCheck;
            match check {
                CpCheck::TotalSize => p.put(at, 100),
                CpCheck::Bits(off, mask, _) => {
                    let outside = 1u32 << (!mask).trailing_zeros();
                    p.put(at + off, outside);
                    // dwAddressType (byte 176) is a TAPI 3.0 member (spec-notes/structures.md
                    // section 11): a TAPI 2.0 reading does not see it.
                    if off == 176 {
                        version = 0x0003_0000;
                    }
                }
                // dwBearerMode is at byte 4 (2.2.6.20).
                CpCheck::BearerOneBit => p.put(at + 4, 0x3),
                // A 2-byte item at offset 2: not DWORD-aligned (and inside the fixed part).
                CpCheck::Offset(v) => {
                    p.put(at + v.size_at, 2);
                    p.put(at + v.offset_at, 2);
                }
                // 400 bytes at 180, the end of the 180-byte structure.
                CpCheck::Extent(v) => {
                    p.put(at + v.offset_at, 180);
                    p.put(at + v.size_at, 400);
                }
                CpCheck::ExtentV2(v) => {
                    version = 0x0003_0000;
                    p.put(at + v.offset_at, 180);
                    p.put(at + v.size_at, 400);
                }
            }
            if host == FuncId::LineOpen {
                p.set("dwNegotiatedVersion", version);
            } else {
                s.version = Some(version);
            }
            let got = p.violations(&s);
            let want: BTreeSet<String> = [r.id.to_string()].into();
            assert_eq!(got, want, "{} via {:?}", r.id, host);
            // Without the version the version-dependent rules stay silent (MakeCall); an item
            // beyond the structure still keeps it from decoding (48.P1).
            if check.is_stateful() && host == FuncId::LineMakeCall {
                s.version = None;
                let want: BTreeSet<String> = match check {
                    CpCheck::ExtentV2(_) => ["48.P1".to_string()].into(),
                    _ => BTreeSet::new(),
                };
                assert_eq!(p.violations(&s), want, "{} without version", r.id);
            }
        }
    }
}

#[test]
fn client_request_rules() {
    let ok = base(FuncId::LineClose).bytes();
    assert!(validation::check_client_request(&ok, ok.len() as i32, ok.len() as i32).is_empty());
    let ids = |v: Vec<validation::Violation>| v.iter().map(|v| v.rule.id).collect::<Vec<_>>();
    assert_eq!(
        ids(validation::check_client_request(&ok, 59, ok.len() as i32)),
        ["CR.1"]
    );
    assert_eq!(
        ids(validation::check_client_request(&ok, ok.len() as i32, 3)),
        ["CR.2"]
    );
    let mut unknown = ok.clone();
    unknown[0] = 28; // a gap in the Req_Func numbering
    // A whole TAPI32_MSG: validate() reports the undocumented Req_Func (CR.4), and
    // check_client_request() leaves it to validate() so that running both reports it once.
    let req = Request::parse(&unknown).unwrap();
    assert_eq!(ids(validation::validate(&req, None)), ["CR.4"]);
    assert!(
        validation::check_client_request(&unknown, ok.len() as i32, ok.len() as i32).is_empty()
    );
    // A buffer too short to be a request: check_client_request() checks Req_Func itself.
    assert_eq!(
        ids(validation::check_client_request(&unknown[..8], 60, 8)),
        ["CR.4"]
    );
    assert_eq!(CLIENT_REQUEST_RULES.len(), 3);
}

/// The rule count reported in the README, and the structure of the table.
#[test]
fn rule_count_and_table_shape() {
    let all: Vec<&Rule> = validation::all_rules().collect();
    let functions = all
        .iter()
        .filter(|r| matches!(r.block, Block::Function(_)))
        .count();
    let packet = all
        .iter()
        .filter(|r| matches!(r.block, Block::Packet(_)))
        .count();
    let cp = all.iter().filter(|r| r.block == Block::CallParams).count();
    let stateful = all.iter().filter(|r| r.is_stateful()).count();
    println!(
        "rules: {} total = {functions} function + {packet} packet-section + {cp} LINECALLPARAMS + 3 ClientRequest; {stateful} stateful",
        all.len()
    );
    assert_eq!(all.len(), functions + packet + cp + 3);
    assert_eq!(cp, 38);
    // Every function has a block.
    for f in FuncId::ALL {
        assert!(!validation::rules_for(*f).is_empty(), "{f:?} has no rules");
    }
    // Ids are unique per (id, field).
    let mut seen = BTreeSet::new();
    for r in &all {
        assert!(
            seen.insert((r.id, r.field)),
            "duplicate rule {} {}",
            r.id,
            r.field
        );
    }
    let _ = (VersionSource::Field(0), ABSENT);
}
