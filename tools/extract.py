#!/usr/bin/env python3
"""Extracts from the [MS-TRP] markdown the data the generators need, into tools/data/.

  python3 tools/extract.py [--spec PATH] [--out DIR | --check] [--report]

--spec defaults to ../shared/spec/MS-TRP/MS-TRP.md relative to the repository root. Writes
(relative to the repository root, or to --out DIR):

  tools/data/requests.json   the 132 request packets of 2.2.4.1: section, name, group, Req_Func
                             (from "This value MUST be set to N"), the diagram fields (first bit,
                             last bit, label), the first sentence-line of each "**name (N bytes):**"
                             description, the VarData description, and two sync/async hints.
                             Read by gen_catalogue.py and gen_kat.py.
  tools/data/events.json     the completion packets of 2.2.4.2.1 and the special-case completions
                             of 2.2.4.2.2/2.2.4.2.3: section, name, fixed diagram fields (VarData
                             left out) and the Msg value. Read by gen_events.py.
  tools/data/constants.json  the 2.2.3.1/2.2.3.2 *_Constants tables (name, value). Read by
                             gen_events.py.

--check compares with the committed data instead of writing (exit 1 on drift). --report
prints one line per request packet with what looks irregular (field count, widths, fields
without a description, unclear sync/async); the errata this finds are in spec-notes/errata.md.
"""
import json
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
import genlib  # noqa: E402


def requests(src):
    heads = [(i, l) for i, l in enumerate(src) if l.startswith('#')]

    def sec_of(line):
        m = re.match(r'#+ ([\d.]+) (.*)', line)
        return (m.group(1), m.group(2).strip()) if m else (None, None)
    out = []
    groups = {}
    for idx, (i, l) in enumerate(heads):
        s, t = sec_of(l)
        if not s:
            continue
        if re.fullmatch(r'2\.2\.4\.1\.\d', s):
            groups[s] = t
        if not re.fullmatch(r'2\.2\.4\.1\.\d\.\d+', s):
            continue
        end = heads[idx + 1][0] if idx + 1 < len(heads) else len(src)
        text = '\n'.join(src[i:end])
        fields = []
        m = re.search(r'```mermaid\npacket-beta\n(.*?)```', text, re.S)
        for fl in m.group(1).strip().split('\n'):
            mm = re.match(r'\s*(\d+)-(\d+): "(.*)"', fl)
            fields.append((int(mm.group(1)), int(mm.group(2)), mm.group(3)))
        rf = re.search(r'This value MUST be set to (\d+)', text)
        desc = {}
        for mm in re.finditer(r'^\*\*(\w+) \((\d+) bytes\):\*\* (.*)$', text, re.M):
            desc.setdefault(mm.group(1), mm.group(3))
        vd = re.search(r'^\*\*VarData \(variable\):\*\* (.*)$', text, re.M)
        sync = 'synchronously' in text and 'MUST complete this call synchronously' in text
        asyncp = ('positive request identifier' in text or 'request ID value indicates' in text
                  or 'complete asynchronously' in text)
        out.append(dict(section=s, name=t, group=groups[s.rsplit('.', 1)[0]],
                        req_func=int(rf.group(1)) if rf else None, fields=fields, desc=desc,
                        vardata=vd.group(1) if vd else None, sync=sync, asyncp=asyncp))
    return out


def events(src):
    """Every mermaid diagram under a 2.2.4.2.1.N / 2.2.4.2.2.N / 2.2.4.2.3.N heading."""
    res = []
    sec = None
    i = 0
    while i < len(src):
        l = src[i]
        m = re.match(r'^#+ (2\.2\.4\.2\.[123]\.\d+) (\w+)', l)
        if m:
            sec = (m.group(1), m.group(2))
        elif l.startswith('#'):
            sec = None
        if l.startswith('```mermaid') and sec:
            j = i + 2
            f = []
            while not src[j].startswith('```'):
                mm = re.match(r'\s*(\d+)-(\d+): "(.*)"', src[j])
                if mm and 'vardata' not in mm.group(3).lower():
                    f.append(mm.group(3))
                j += 1
            body = '\n'.join(src[i:j + 60])
            msg = re.search(r'\*\*Msg \(4 bytes\):\*\*.*?(0x[0-9A-Fa-f]{8})', body)
            res.append(dict(section=sec[0], name=sec[1], fields=f,
                            msg=int(msg.group(1), 16) if msg else None))
            i = j
        i += 1
    return res


def constants(src):
    """The rows `| NAME 0xVALUE | description |` of every 2.2.3.1.N/2.2.3.2.N X_Constants section."""
    secs = []
    cur = None
    for l in src:
        m = re.match(r'^#+ (2\.2\.3\.[12]\.\d+) (\w+)_Constants', l)
        if m:
            cur = dict(section=m.group(1), name=m.group(2), values=[])
            secs.append(cur)
            continue
        if l.startswith('#'):
            cur = None
        if cur:
            m = re.match(r'^\| (\w+) (0x[0-9A-Fa-f]+) \|', l)
            if m:
                cur['values'].append((m.group(1), int(m.group(2), 16)))
    return secs


def extract(spec):
    src = Path(spec).read_text(encoding='utf-8').split('\n')
    return dict(requests=requests(src), events=events(src), constants=constants(src))


def report(reqs):
    for p in reqs:
        names = [f[2] for f in p['fields']]
        nfix = len([f for f in p['fields'] if 'VarData' not in f[2]])
        flags = []
        if nfix != 15:
            flags.append(f'NFIX={nfix}')
        if any(f[1] - f[0] != 31 for f in p['fields'] if 'VarData' not in f[2]):
            flags.append('WIDTH')
        missing = [n for n in names if n not in p['desc'] and 'VarData' not in n]
        if missing:
            flags.append('NODESC:' + ','.join(missing))
        if p['sync'] == p['asyncp']:
            flags.append(f"SYNC?{p['sync']},{p['asyncp']}")
        print(p['section'], p['name'], p['req_func'], p['group'], ' '.join(flags))


def main():
    p = genlib.parser(__doc__.split('\n\n')[0], data=False)
    p.add_argument('--spec', type=Path, default=genlib.DEFAULT_SPEC, metavar='PATH',
                   help='the [MS-TRP] markdown (default: ../shared/spec/MS-TRP/MS-TRP.md '
                        'relative to the repository root)')
    p.add_argument('--report', action='store_true', help='print the per-packet irregularities')
    args = p.parse_args()
    if not args.spec.exists():
        sys.exit(f'{args.spec}: spec not found (pass --spec PATH)')
    data = extract(args.spec)
    if args.report:
        report(data['requests'])
    files = {f'tools/data/{k}.json': json.dumps(v, indent=1) + '\n' for k, v in data.items()}
    if not args.check:
        print(', '.join(f'{len(v)} {k}' for k, v in data.items()))
    return genlib.emit(args, files)


if __name__ == '__main__':
    sys.exit(main())
