import re, json, sys
src = open('../shared/spec/MS-TRP/MS-TRP.md').read().split('\n')
heads = [(i, l) for i, l in enumerate(src) if l.startswith('#')]
def sec_of(line):
    m = re.match(r'#+ ([\d.]+) (.*)', line)
    return (m.group(1), m.group(2).strip()) if m else (None, None)
out = []
groups = {}
for idx, (i, l) in enumerate(heads):
    s, t = sec_of(l)
    if not s: continue
    if re.fullmatch(r'2\.2\.4\.1\.\d', s): groups[s] = t
    if not re.fullmatch(r'2\.2\.4\.1\.\d\.\d+', s): continue
    end = heads[idx+1][0] if idx+1 < len(heads) else len(src)
    body = src[i:end]
    text = '\n'.join(body)
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
    asyncp = 'positive request identifier' in text or 'request ID value indicates' in text or 'complete asynchronously' in text
    out.append(dict(section=s, name=t, group=groups[s.rsplit('.',1)[0]], req_func=int(rf.group(1)) if rf else None,
        fields=fields, desc=desc, vardata=vd.group(1) if vd else None, sync=sync, asyncp=asyncp))
json.dump(out, open('tools/requests.json','w'), indent=1)
print(len(out))
for p in out:
    names=[f[2] for f in p['fields']]
    nfix = len([f for f in p['fields'] if 'VarData' not in f[2]])
    flags=[]
    if nfix!=15: flags.append(f'NFIX={nfix}')
    if any(f[1]-f[0]!=31 for f in p['fields'] if 'VarData' not in f[2]): flags.append('WIDTH')
    missing=[n for n in names if n not in p['desc'] and 'VarData' not in n]
    if missing: flags.append('NODESC:'+','.join(missing))
    if p['sync']==p['asyncp']: flags.append(f"SYNC?{p['sync']},{p['asyncp']}")
    print(p['section'], p['name'], p['req_func'], p['group'], ' '.join(flags))
