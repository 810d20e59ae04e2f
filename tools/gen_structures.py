#!/usr/bin/env python3
"""Generates src/structures/catalogue.rs, the table of the 49 data structures of [MS-TRP] 2.2.6.

Run from the repository root: python3 tools/gen_structures.py > src/structures/catalogue.rs
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
# Fields that the diagram does not mark (optional) but whose text says they are newer.
EXTRA_OPTIONAL = {('LINEFORWARD', 'dwCallerAddressType')}
# What (size, offset) pairs point at; default text.
KIND = {
    'DevSpecific': 'bytes',
    ('AVAILABLEPROVIDERLIST', 'ProviderList'): 'entries(AVAILABLEPROVIDERENTRY, dw_num_provider_list_entries)',
    ('DEVICEINFO', 'Addresses'): 'multi_text', ('DEVICEINFO', 'DomainUserNames'): 'multi_text',
    ('DEVICEINFO', 'FriendlyUserNames'): 'multi_text',
    ('DEVICEINFOLIST', 'DeviceInfo'): 'entries(DEVICEINFO, dw_num_device_info_entries)',
    ('TAPISERVERCONFIG', 'Administrators'): 'multi_text',
    ('LINEADDRESSCAPS', 'CompletionMsgText'): 'bytes',
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
    ('LINEDEVCAPS', 'TerminalText'): 'bytes', ('LINEDEVCAPS', 'DeviceClasses'): 'multi_text',
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
        opt = 'optional' in notes or (name, fname) in EXTRA_OPTIONAL
        fields.append((fname, ty, opt))
    # Everything after the first optional member is newer too.
    seen = False
    fixed, optional = [], []
    for f in fields:
        seen = seen or f[2]
        (optional if seen else fixed).append(f)
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

w = sys.stdout.write
w('''//! The catalogue of the 49 data structures of [MS-TRP] 2.2.6, each described once.
//!
//! Generated by `tools/gen_structures.py` from the spec diagrams and field descriptions, then
//! reviewed by hand. Each entry gives the structure's name and section, its header kind
//! (`full`: dwTotalSize/dwNeededSize/dwUsedSize, `total`: dwTotalSize only, `size`: dwSize,
//! `plain`: an element of another structure), where its strings' format comes from, the
//! members of its fixed part (`fixed`: present in every TAPI version, `optional`: newer members
//! that an older server leaves out), and its (size, offset) pairs with what they point at.
//! Field sizes follow the descriptions, not the diagrams' bit ranges.

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
    for f, ty, _ in optional:
        w(f'            {snake(f)} "{f}": {ty},\n')
    w('        }\n        var {\n')
    if name == 'LINEFORWARDLIST':
        w('            forward_list "ForwardList" (dw_num_entries "dwNumEntries", dw_num_entries ""): inline_entries(LINEFORWARD),\n')
    for stem, sz, off, kind in var:
        m = re.match(r'entries\((\w+), (\w+)\)', kind)
        if m:
            cnt = [f[0] for f in fixed + optional if snake(f[0]) == m.group(2)][0]
            kind = f'entries({m.group(1)}, {m.group(2)} "{cnt}")'
        w(f'            {snake(stem)} "{stem}" ({snake(sz)} "{sz}", {snake(off)} "{off}"): {kind},\n')
    w('        }\n    }\n\n')
w('}\n')
