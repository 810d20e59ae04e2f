#!/usr/bin/env python3
"""Generates src/structures/catalogue.rs, the table of the 49 data structures of [MS-TRP] 2.2.6.

Run from the repository root: python3 tools/gen_structures.py > src/structures/catalogue.rs
(then prepend nothing: the header is part of the output), and
python3 tools/gen_structures.py --layout-test ~/.cargo/registry/src/*/windows-sys-0.61.2/src/Windows/Win32/Devices/Tapi/mod.rs > tests/structures_layout.rs
The output was reviewed by hand; the per-structure decisions that the diagrams cannot give
(header kind, what each (size, offset) pair points at, entry counts) are the tables below.

Field sizes come from the field descriptions ("(4 bytes)", "(16 bytes)"), never from the
diagrams' bit ranges: the diagrams draw 16-byte members as 96 bits and variable members as 64
bits (see spec-notes/structures.md).
"""
import re, sys

SPEC = 'spec/MS-TRP/MS-TRP.md'
import os
for cand in ['/work/shared/spec/MS-TRP/MS-TRP.md', '../shared/spec/MS-TRP/MS-TRP.md', SPEC]:
    if os.path.exists(cand):
        SPEC = cand
        break
src = open(SPEC).read().split('\n')

def snake(n):
    n = n.replace('IDs', 'Ids').replace('UUI', 'Uui')
    s = re.sub(r'(?<=[a-z0-9])(?=[A-Z])', '_', n)
    s = re.sub(r'(?<=[A-Z])(?=[A-Z][a-z])', '_', s)
    return s.lower()

# Header kind: full = dwTotalSize, dwNeededSize, dwUsedSize; total = dwTotalSize only;
# size = dwSize only (LINEPROXYREQUEST); plain = a fixed-size element of another structure.
HEADER = {'LINECALLPARAMS': 'total', 'LINEFORWARDLIST': 'total', 'LINEPROXYREQUEST': 'size'}
FORMAT = {'LINEDEVCAPS', 'PHONECAPS', 'VARSTRING'}
# The TAPI version that introduced each member newer than TAPI 1.3 (the oldest version, and
# the version of every member not listed). Taken from the member descriptions ("available only
# if the negotiated TAPI version is 2.0 or higher") and the range notes after them ("The members
# X through Y are available only to ... 2.0, 2.1, ..."), see spec_versions(); the table below
# holds only what the spec leaves out, each cross-checked against the Windows SDK tapi.h
# guards (`#if (TAPI_CURRENT_VERSION >= 0x00020000)`, `// TAPI v1.4` comments), see
# spec-notes/structures.md section 11.
VERSION_OVERRIDES = {
    # Spec omission: 2.2.6.20 marks only dwAddressType; the SDK guards these by >= 2.0.
    **{('LINECALLPARAMS', f): '2.0' for f in (
        'dwPredictiveAutoTransferStates', 'dwTargetAddressSize', 'dwTargetAddressOffset',
        'dwSendingFlowspecSize', 'dwSendingFlowspecOffset', 'dwReceivingFlowspecSize',
        'dwReceivingFlowspecOffset', 'dwDeviceClassSize', 'dwDeviceClassOffset',
        'dwDeviceConfigSize', 'dwDeviceConfigOffset', 'dwCallDataSize', 'dwCallDataOffset',
        'dwNoAnswerTimeout', 'dwCallingPartyIDSize', 'dwCallingPartyIDOffset')},
    # Spec silent; SDK: `#if (TAPI_CURRENT_VERSION >= 0x00020002)`.
    ('PHONECAPS', 'PermanentPhoneGuid'): '2.2',
    # TAPI 1.4 members at the end of a 1.3 fixed part (SDK: `// TAPI v1.4`, no guard; 2.2.6.41
    # says of dwButtonState only "older applications are compiled without this field").
    ('LINEDEVCAPS', 'dwLineFeatures'): '1.4',
    ('LINEADDRESSCAPS', 'dwAddressFeatures'): '1.4',
    ('PHONEBUTTONINFO', 'dwButtonState'): '1.4',
}
VERSION_IDENT = {'1.3': 'TAPI_1_3', '1.4': 'TAPI_1_4', '2.0': 'TAPI_2_0', '2.1': 'TAPI_2_1',
                 '2.2': 'TAPI_2_2', '3.0': 'TAPI_3_0', '3.1': 'TAPI_3_1'}


def spec_versions(text):
    """The versions a structure's section gives its members: {member: 'X.Y'}."""
    found = {}
    for d in re.finditer(r'^\*\*(\w+) \([^)]*\):\*\*(.*)$', text, re.M):
        v = re.search(r'available only if the negotiated (?:TAPI version|version of TAPI) is '
                      r'(\d\.\d)|exposed only if a TAPI version of (\d\.\d)', d.group(2))
        if v:
            found[d.group(1)] = v.group(1) or v.group(2)
    for r in re.finditer(r'(?:members|fields) \**(\w+)\** (through|and) \**(\w+)\** are '
                         r'available only[^.\n]*?(\d\.\d)', text):
        found.setdefault(('range', r.group(2)), []).append((r.group(1), r.group(3), r.group(4)))
    for r in re.finditer(r'The \*\*(\w+)\*\* member is available only[^.\n]*?(\d\.\d)', text):
        found[r.group(1)] = r.group(2)
    return found
# What (size, offset) pairs point at; default text.
KIND = {
    'DevSpecific': 'bytes',
    ('AVAILABLEPROVIDERLIST', 'ProviderList'): 'entries(AVAILABLEPROVIDERENTRY, dw_num_provider_list_entries)',
    ('DEVICEINFO', 'Addresses'): 'multi_text', ('DEVICEINFO', 'DomainUserNames'): 'multi_text',
    ('DEVICEINFO', 'FriendlyUserNames'): 'multi_text',
    ('DEVICEINFOLIST', 'DeviceInfo'): 'entries(DEVICEINFO, dw_num_device_info_entries)',
    ('TAPISERVERCONFIG', 'Administrators'): 'multi_text',
    ('LINEADDRESSCAPS', 'CompletionMsgText'): 'text_table(dw_completion_msg_text_entry_size)',
    ('LINEADDRESSCAPS', 'CallTreatmentList'): 'entries(LINECALLTREATMENTENTRY, dw_num_call_treatments)',
    ('LINEADDRESSCAPS', 'DeviceClasses'): 'multi_text',
    ('LINEADDRESSSTATUS', 'Forward'): 'entries(LINEFORWARD, dw_forward_num_entries)',
    ('LINEADDRESSSTATUS', 'TerminalModes'): 'dwords',
    ('LINEAGENTSTATUS', 'GroupList'): 'entries(LINEAGENTGROUPENTRY, dw_num_entries)',
    ('LINEAGENTACTIVITYLIST', 'List'): 'entries(LINEAGENTACTIVITYENTRY, dw_num_entries)',
    ('LINEAGENTGROUPLIST', 'List'): 'entries(LINEAGENTGROUPENTRY, dw_num_entries)',
    ('LINEAGENTCAPS', 'AgentExtensionIDList'): 'entries(LINEEXTENSIONID, dw_num_agent_extension_ids)',
    ('LINEAGENTSESSIONLIST', 'List'): 'entries(LINEAGENTSESSIONENTRY, dw_num_entries)',
    ('LINECALLINFO', 'UserUserInfo'): 'bytes', ('LINECALLINFO', 'HighLevelComp'): 'bytes',
    ('LINECALLINFO', 'LowLevelComp'): 'bytes', ('LINECALLINFO', 'ChargingInfo'): 'bytes',
    ('LINECALLINFO', 'TerminalModes'): 'dwords', ('LINECALLINFO', 'CallData'): 'bytes',
    ('LINECALLINFO', 'SendingFlowspec'): 'bytes', ('LINECALLINFO', 'ReceivingFlowspec'): 'bytes',
    ('LINECALLPARAMS', 'UserUserInfo'): 'bytes', ('LINECALLPARAMS', 'HighLevelComp'): 'bytes',
    ('LINECALLPARAMS', 'LowLevelComp'): 'bytes', ('LINECALLPARAMS', 'SendingFlowspec'): 'bytes',
    ('LINECALLPARAMS', 'ReceivingFlowspec'): 'bytes', ('LINECALLPARAMS', 'DeviceClass'): 'ascii',
    ('LINECALLPARAMS', 'DeviceConfig'): 'bytes', ('LINECALLPARAMS', 'CallData'): 'bytes',
    ('LINECALLPARAMS', 'CallingPartyID'): 'ascii',
    ('LINECALLLIST', 'Calls'): 'dwords',
    ('LINEDEVCAPS', 'TerminalCaps'): 'entries(LINETERMCAPS, dw_num_terminals)',
    ('LINEDEVCAPS', 'TerminalText'): 'text_table(dw_terminal_text_entry_size)', ('LINEDEVCAPS', 'DeviceClasses'): 'multi_text',
    ('LINEDEVSTATUS', 'TerminalModes'): 'dwords',
    ('LINEDEVSTATUS', 'AppInfo'): 'entries(LINEAPPINFO, dw_num_opens)',
    ('LINEPROVIDERLIST', 'ProviderList'): 'entries(LINEPROVIDERENTRY, dw_num_providers)',
    ('LINEPROXYREQUESTLIST', 'List'): 'dwords',
    ('LINEQUEUELIST', 'List'): 'entries(LINEQUEUEENTRY, dw_num_entries)',
    ('PHONECAPS', 'ButtonModes'): 'dwords', ('PHONECAPS', 'ButtonFunctions'): 'dwords',
    ('PHONECAPS', 'LampModes'): 'dwords', ('PHONECAPS', 'SetData'): 'dwords',
    ('PHONECAPS', 'GetData'): 'dwords', ('PHONECAPS', 'DeviceClasses'): 'multi_text',
    ('PHONESTATUS', 'LampModes'): 'dwords',
}

heads = [(i, l) for i, l in enumerate(src) if l.startswith('#')]
out = []
for idx, (i, l) in enumerate(heads):
    m = re.match(r'#+ (2\.2\.6\.\d+) (.*)', l)
    if not m:
        continue
    sec, name = m.group(1), m.group(2).strip()
    end = heads[idx + 1][0] if idx + 1 < len(heads) else len(src)
    text = '\n'.join(src[i:end])
    diagram = re.search(r'```mermaid\npacket-beta\n(.*?)```', text, re.S).group(1)
    fields = []
    for fl in diagram.strip().split('\n'):
        x = re.match(r'\s*(\d+)-(\d+): "(.*)"', fl)
        label = x.group(3)
        fm = re.match(r'(\w+)(?: \((.*)\))?$', label)
        fname, notes = fm.group(1), (fm.group(2) or '')
        if fname == 'VarData' or 'variable' in notes and fname != 'dwListOffset':
            continue  # variable parts are not fixed members (ForwardList, the union members)
        if name == 'LINEPROXYREQUEST' and fields and len(fields) >= 7:
            continue  # the union after dwRequestType is described separately
        if '16 bytes' in notes or '72 bytes' in notes or '52 bytes' in notes:
            ty = {'DialParams': 'dial_params', 'MinDialParams': 'dial_params',
                  'MaxDialParams': 'dial_params', 'DefaultDialParams': 'dial_params',
                  'tStateEntryTime': 'system_time'}.get(fname, 'guid')
        elif fname.startswith('cy'):
            ty = 'currency'
        elif fname.startswith('date'):
            ty = 'date'
        else:
            ty = 'dword'
        fields.append((fname, ty, 'optional' in notes))
    # Each member's version: its description, a range note, or the overrides; a member the
    # spec marks "(optional)" must have one.
    sv = spec_versions(text)
    names_ = [f[0] for f in fields]
    version = {f: sv[f] for f in names_ if f in sv}
    for kind in ('through', 'and'):
        for a, b, v in sv.get(('range', kind), []):
            ia, ib = names_.index(a), names_.index(b)
            for f in (names_[ia:ib + 1] if kind == 'through' else [a, b]):
                version.setdefault(f, v)
    for (st, f), v in VERSION_OVERRIDES.items():
        if st == name:
            assert f not in version, (name, f, 'the spec gives it; drop the override')
            version[f] = v
    fixed, optional = [], []
    last = '1.3'
    for f, ty, marked in fields:
        v = version.get(f, '1.3')
        assert not marked or v != '1.3', (name, f, 'marked (optional) without a version')
        assert v >= last, (name, f, 'members must be in version order', v, last)
        last = v
        if v == '1.3':
            assert not optional, (name, f)
            fixed.append((f, ty, v))
        else:
            optional.append((f, ty, v))
    names = [f[0] for f in fields]
    var = []
    for f in names:
        if f.endswith('Offset'):
            stem = f[2:-6]
            sz = 'dw' + stem + 'Size'
            if sz in names:
                kind = KIND.get((name, stem), KIND.get(stem, 'text'))
                var.append((stem, sz, f, kind))
    out.append((sec, name, fixed, optional, var))

LAYOUT = len(sys.argv) > 2 and sys.argv[1] == '--layout-test'
w = (lambda s: None) if LAYOUT else sys.stdout.write
w('''//! The catalogue of the 49 data structures of [MS-TRP] 2.2.6, each described once.
//!
//! Generated by `tools/gen_structures.py` from the spec diagrams and field descriptions, then
//! reviewed by hand. Each entry gives the structure's name and section, its header kind
//! (`full`: dwTotalSize/dwNeededSize/dwUsedSize, `total`: dwTotalSize only, `size`: dwSize,
//! `plain`: an element of another structure), where its strings' format comes from, the
//! members of its fixed part (`fixed`: present in every TAPI version from 1.3 on, `optional`:
//! newer members, each `@` the TAPI version that introduced it, which an older server leaves
//! out), and its (size, offset) pairs with what they point at. Field sizes follow the
//! descriptions, not the diagrams' bit ranges; versions follow the member descriptions and
//! range notes, and the SDK's `TAPI_CURRENT_VERSION` guards where the spec is silent
//! (spec-notes/structures.md section 11).

#[allow(unused_imports)]
use super::*;

crate::structures::define_structures! {
''')
for sec, name, fixed, optional, var in out:
    header = HEADER.get(name, 'full' if fixed[:3] and [f[0] for f in fixed[:3]] == ['dwTotalSize', 'dwNeededSize', 'dwUsedSize'] else 'plain')
    fmt = 'dw_string_format' if name in FORMAT else 'unicode'
    w(f'    /// {name}, [MS-TRP] {sec}.\n')
    w(f'    {name} = "{sec}", {header}, {fmt} {{\n')
    w('        fixed {\n')
    for f, ty, _ in fixed:
        w(f'            {snake(f)} "{f}": {ty},\n')
    w('        }\n        optional {\n')
    for f, ty, v in optional:
        w(f'            {snake(f)} "{f}": {ty} @ {VERSION_IDENT[v]},\n')
    w('        }\n        var {\n')
    if name == 'LINEFORWARDLIST':
        w('            forward_list "ForwardList" (dw_num_entries "dwNumEntries", dw_num_entries ""): inline_entries(LINEFORWARD),\n')
    for stem, sz, off, kind in var:
        m = re.match(r'entries\((\w+), (\w+)\)', kind)
        if m:
            cnt = [f[0] for f in fixed + optional if snake(f[0]) == m.group(2)][0]
            kind = f'entries({m.group(1)}, {m.group(2)} "{cnt}")'
        m = re.match(r'text_table\((\w+)\)', kind)
        if m:
            es = [f[0] for f in fixed + optional if snake(f[0]) == m.group(1)][0]
            kind = f'text_table({m.group(1)} "{es}")'
        w(f'            {snake(stem)} "{stem}" ({snake(sz)} "{sz}", {snake(off)} "{off}"): {kind},\n')
    w('        }\n    }\n\n')
w('}\n')


def layout_test(ws_path):
    """Emits tests/structures_layout.rs: every member offset and structure size against the
    Windows SDK layouts in windows-sys, every LINEERR_/PHONEERR_/TAPIERR_ value too."""
    ws = open(ws_path).read()
    wsstructs = {}
    for m in re.finditer(r'pub struct (\w+) \{\n(.*?)\n\}', ws, re.S):
        wsstructs[m.group(1)] = re.findall(r'pub (\w+): ([\w:]+)', m.group(2))
    codes = re.findall(r'pub const ((?:LINEERR|PHONEERR|TAPIERR)_\w+): \w+ = ', ws)
    w('''//! Generated by `python3 tools/gen_structures.py --layout-test <windows-sys Tapi/mod.rs>`.
//!
//! An independent check of the catalogue: every member offset and structure size against the
//! Windows SDK definitions as published in the `windows-sys` crate (which carries the TAPI 2.2
//! layouts: where the SDK structure is shorter, its size must be where our newer members
//! start, and a structure cut there must decode with those members absent), the
//! LINEPROXYREQUEST union alternatives, and every LINEERR_/PHONEERR_/TAPIERR_ value.
#![allow(clippy::identity_op, clippy::unnecessary_cast)]

use core::mem::{offset_of, size_of};

use mstrp::errors::ErrorCode;
use mstrp::structures::{self, StructBuilder};
use windows_sys::Win32::Devices::Tapi as ws;

fn offset(desc: &structures::StructDesc, name: &str) -> usize {
    desc.field(name).unwrap_or_else(|| panic!("{}.{name} missing", desc.name)).offset
}

/// Cuts a newest-version structure at the SDK's size and checks that the members beyond read
/// as absent and the ones before as present.
fn older_version(desc: &'static structures::StructDesc, sdk_size: usize) {
    let bytes = StructBuilder::new(desc).fixed_len(sdk_size).to_vec();
    let raw = structures::decode_any(desc.name, &bytes).unwrap().unwrap().raw();
    for (f, v) in raw.fields() {
        assert_eq!(v.is_some(), f.offset + f.size <= sdk_size, "{}.{}", desc.name, f.name);
    }
}
''')
    special = {('LINEAGENTGROUPENTRY', 'dwGroupID%d' % i): 'offset_of!(ws::LINEAGENTGROUPENTRY, GroupID) + offset_of!(ws::LINEAGENTGROUPENTRY_0, dwGroupID%d)' % i for i in range(1, 5)}
    # [MS-TRP] spells one LINEDEVCAPS member differently from the SDK (same position).
    special[('LINEDEVCAPS', 'dwGenerateToneMaxFreq')] = 'offset_of!(ws::LINEDEVCAPS, dwGenerateToneMaxNumFreq)'
    absent = []
    for sec, name, fixed, optional, var in out:
        if name not in wsstructs:
            absent.append(name)
            continue
        wsf = [f for f, _ in wsstructs[name]]
        ours = [f[0] for f in fixed + optional]
        w(f'\n/// {name} ({sec}) against the SDK.\n#[test]\nfn layout_{name.lower()}() {{\n')
        w(f'    let d = structures::{name}::DESC;\n')
        common = []
        for f in ours:
            if (name, f) in special:
                w(f'    assert_eq!(offset(d, "{f}"), {special[(name, f)]}, "{f}");\n')
                common.append(f)
            elif f in wsf:
                w(f'    assert_eq!(offset(d, "{f}"), offset_of!(ws::{name}, {f}), "{f}");\n')
                common.append(f)
        skip = {('LINEAGENTGROUPENTRY', 'GroupID'), ('LINEPROXYREQUEST', 'Anonymous'),
                ('LINEDEVCAPS', 'dwGenerateToneMaxNumFreq'), ('LINEFORWARDLIST', 'ForwardList')}
        extra_ws = [f for f in wsf if f not in ours and (name, f) not in skip]
        assert not extra_ws, (name, extra_ws)
        if extra_ws:
            w(f'    // SDK members not in [MS-TRP]: {extra_ws}\n')
        newer = [f for f in ours if f not in common]
        if name == 'LINEFORWARDLIST':
            w('    // ForwardList: the inline LINEFORWARD array starts right after the fixed part, and\n')
            w('    // the SDK declares one element of the TAPI 2.2 LINEFORWARD (our oldest entry size).\n')
            w('    assert_eq!(offset_of!(ws::LINEFORWARDLIST, ForwardList), d.size);\n')
            w('    let fwd = d.var("ForwardList").and_then(|v| v.kind.entry()).unwrap();\n')
            w('    assert_eq!(size_of::<ws::LINEFORWARDLIST>(), d.size + fwd.min_size);\n')
        elif name == 'LINEPROXYREQUEST':
            w(f'    assert_eq!(offset_of!(ws::LINEPROXYREQUEST, Anonymous), structures::proxy::UNION_OFFSET);\n')
        elif not newer:
            w(f'    assert_eq!(d.size, size_of::<ws::{name}>());\n')
        else:
            w(f'    // Newer than the SDK (TAPI 2.2) layout: {newer}\n')
            w(f'    assert_eq!(offset(d, "{newer[0]}"), size_of::<ws::{name}>());\n')
            w(f'    older_version(d, size_of::<ws::{name}>());\n')
        w('}\n')
    w(f'\n/// Structures the SDK does not publish (tapsrv-internal or MMC ones): {absent}.\n')
    w('#[test]\nfn structures_without_sdk_definition() {\n')
    w(f'    let absent = {absent!r};\n'.replace("'", '"').replace('[', '&[', 1))
    w('    assert_eq!(structures::ALL.len(), 49);\n')
    w('    for name in absent {\n        assert!(structures::desc_by_name(name).is_some());\n    }\n}\n')
    # LINEPROXYREQUEST union alternatives.
    union = re.search(r'pub union LINEPROXYREQUEST_0 \{\n(.*?)\n\}', ws, re.S).group(1)
    alts = re.findall(r'pub (\w+): (LINEPROXYREQUEST_0_\d+)', union)
    w('\n/// The LINEPROXYREQUEST union alternatives (2.2.6.28) against the SDK union.\n#[test]\nfn layout_lineproxyrequest_union() {\n')
    w('    use structures::proxy::{ProxyRequestKind as K, VARIANTS};\n')
    w('    let member = |k: K, name: &str| VARIANTS.iter().find(|v| v.kind == k).and_then(|v| v.members.iter().find(|m| m.0 == name).map(|m| m.1).or(v.structure.filter(|s| s.0 == name).map(|s| s.1)).or(v.params.filter(|p| p.0 == name).map(|p| p.2))).unwrap_or_else(|| panic!("{name}"));\n')
    suffix = {'GetAgentGroupList': 'GETAGENTACTIVITYLIST'}
    for alt, ty in alts:
        for f, _ in wsstructs[ty]:
            suf = alt.upper()
            ours = f + suf
            if alt == 'GetAgentGroupList' and f == 'GroupList':
                ours = 'GroupListGETAGENTACTIVITYLIST'
            w(f'    assert_eq!(member(K::{alt}, "{ours}"), offset_of!(ws::{ty}, {f}), "{ours}");\n')
    w('}\n')
    w('\n/// Every LINEERR_/PHONEERR_/TAPIERR_ value against the SDK.\n#[test]\nfn result_codes_match_sdk() {\n')
    w('    let sdk: &[(&str, u32)] = &[\n')
    for c in codes:
        w(f'        ("{c}", ws::{c} as u32),\n')
    w('    ];\n')
    w('''    let mut missing = Vec::new();
    for (name, value) in sdk {
        match ErrorCode::from_name(name) {
            Some(c) => assert_eq!(c.value(), *value, "{name}"),
            None => missing.push(*name),
        }
    }
    // Codes the SDK defines and [MS-TRP] 2.2.3 does not: the TAPIERR_ codes of Assisted
    // Telephony (tapiRequestMakeCall, ...), a local API, not a protocol result.
    assert!(missing.iter().all(|n| n.starts_with("TAPIERR_")), "SDK codes missing from the crate: {missing:?}");
    let all = mstrp::errors::LineErr::ALL.iter().map(|c| c.name())
        .chain(mstrp::errors::PhoneErr::ALL.iter().map(|c| c.name()))
        .chain(mstrp::errors::TapiErr::ALL.iter().map(|c| c.name()));
    for name in all {
        // TAPIERR_INVALRPCCONTEXT (2.2.5.2) belongs to the protocol only.
        if name == "TAPIERR_INVALRPCCONTEXT" {
            continue;
        }
        assert!(sdk.iter().any(|(n, _)| *n == name), "{name} is not in the SDK");
    }
}
''')


if LAYOUT:
    w = sys.stdout.write
    layout_test(sys.argv[2])
