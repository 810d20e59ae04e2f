#!/usr/bin/env python3
"""Generates src/requests/catalogue.rs, the table of the 132 request packets of [MS-TRP] 2.2.4.1.

Run from anywhere: python3 tools/gen_catalogue.py [--data DIR | --spec PATH] [--out DIR | --check]

Reads tools/data/requests.json (written by tools/extract.py; --spec PATH extracts it in memory
instead). Field names and order come from the diagrams, Req_Func, names and groups from the
packet text. The roles of references cannot all be read off the field names, so the review
that settled them is recorded in the tables below (BYTES: which size field gives a byte
buffer's length; STRUCTS: which 2.2.6 structure a reference carries; OUTSIZE / OUTOFFSET:
output buffers; OPTIONAL: references whose 0xFFFFFFFF exception only 3.1.4.2 states). With
them the output is the reviewed src/requests/catalogue.rs byte for byte; it is not run
through rustfmt (`cargo fmt` leaves the macro body as written).
"""
import re, sys

sys.dont_write_bytecode = True
import genlib  # noqa: E402

GROUP = {'Create Session for Line Device':'LineSession','Terminate Session for Line Device':'LineTerminate',
 'Line Device Requests':'Line','Create Session for Phone Device':'PhoneSession',
 'Terminate Session for Phone Device':'PhoneTerminate','Phone Device Requests':'Phone','MMC Requests':'Mmc','Generic Requests':'Generic'}
PREFIX = {'LineSession':'Line','LineTerminate':'Line','Line':'Line','PhoneSession':'Phone','PhoneTerminate':'Phone','Phone':'Phone','Mmc':'','Generic':''}
STRINGS = {'dwFriendlyNameOffset','dwModuleNameOffset','dwProviderFilenameOffset'}
BYTES = {(4,'lpsUserUserInfo'):'dwSize',(6,'lpParams'):'dwSize',(7,'lpsUserUserInfo'):'dwSize',(147,'lpGroupID'):'dwSize',
 (13,'lpParams'):'dwSize',(14,'lpParams'):'dwSize',(16,'lpsUserUserInfo'):'dwSize',(22,'lpsAddress'):'dwSize',
 (153,'pGroupID'):'cbGUID',(65,'lpsUserUserInfo'):'dwSize',(71,'lpCallData'):'dwSize',(72,'lpDialParams'):'dwSize',
 (74,'lpSendingFlowspec'):'dwSendingFlowspecSize',(74,'lpReceivingFlowspec'):'dwReceivingFlowspecSize',
 (79,'lpDigitList'):'dwDigitNumEntries',(79,'lpMediaList'):'dwMediaNumEntries',(79,'lpToneList'):'dwToneNumEntries',
 (79,'lpCallStateList'):'dwCallStateNumEntries',(92,'lpParams'):'dwSize',(111,'lpData'):'dwSize',(112,'lpsDisplay'):'dwSize',
 (2,'dwParamsInOffset'):'dwParamsInSize',(51,'lpToneList'):'dwNumEntries',(20,'lpTones'):'dwSize',(77,'lpDeviceConfig'):'dwSize'}
STRUCTS = {(54,'pCallParams'):'LINECALLPARAMS',(127,'lpCallParams'):'LINECALLPARAMS',(17,'lpForwardList'):'LINEFORWARDLIST',
 (17,'lpCallParams'):'LINECALLPARAMS',(48,'lpCallParams'):'LINECALLPARAMS',(57,'lpCallParams'):'LINECALLPARAMS',
 (84,'lpCallParams'):'LINECALLPARAMS',(85,'lpCallParams'):'LINECALLPARAMS',(67,'lpAgentGroupList'):'LINEAGENTGROUPLIST',
 (143,'lpTrackingInfo'):'LINECALLHUBTRACKINGINFO',(110,'lpButtonInfo'):'PHONEBUTTONINFO',(135,'lpDeviceInfoList'):'DEVICEINFOLIST',
 (136,'lpDeviceInfoList'):'DEVICEINFOLIST',(137,'dwServerConfigOffset'):'TAPISERVERCONFIG'}
OUTSIZE = {(34,'lpLineDevCaps'):'LINEDEVCAPS',(21,'lpAddressCaps'):'LINEADDRESSCAPS',(23,'lpAddressStatus'):'LINEADDRESSSTATUS',
 (24,'lpAgentActivityList'):'LINEAGENTACTIVITYLIST',(25,'lpAgentCapsSize'):'LINEAGENTCAPS',(26,'lpAgentGroupListSize'):'LINEAGENTGROUPLIST',
 (152,'lpAgentGroupListSize'):'LINEAGENTGROUPLIST',(148,'lpAgentInfo'):'LINEAGENTINFO',(149,'lpAgentSessionInfo'):'LINEAGENTSESSIONINFO',
 (150,'lpAgentSessionList'):'LINEAGENTSESSIONLIST',(27,'lpAgentStatusSize'):'LINEAGENTSTATUS',(140,'lpTrackingInfo'):'LINECALLHUBTRACKINGINFO',
 (30,'lpCallInfo'):'LINECALLINFO',(31,'lpCallStatus'):'LINECALLSTATUS',(35,'lpDeviceConfig'):'VARSTRING',(37,'lpDeviceID'):'VARSTRING',
 (99,'lpDeviceID'):'VARSTRING',(38,'lpLineDevStatus'):'LINEDEVSTATUS',(39,'pCallList'):'LINECALLLIST',
 (158,'lpLineProxyRequestList'):'LINEPROXYREQUESTLIST',(151,'lpQueueInfo'):'LINEQUEUEINFO',(153,'lpQueueList'):'LINEQUEUELIST',
 (55,'lpNonDirAddress'):'VARSTRING',(95,'lpPhoneCaps'):'PHONECAPS',(93,'lpButtonInfo'):'PHONEBUTTONINFO',(96,'lpDisplay'):'VARSTRING',
 (103,'lpPhoneStatus'):'PHONESTATUS',(131,'lpProviderList'):'AVAILABLEPROVIDERLIST',(42,'lpProviderList'):'LINEPROVIDERLIST',
 (134,'lpProviderList'):'TAPISERVERCONFIG',(132,'lpDeviceInfoList'):'DEVICEINFOLIST',(133,'lpDeviceInfoList'):'DEVICEINFOLIST'}
OUTOFFSET = {(52,'ExtensionID'):'dwSize',(108,'ExtensionID'):'dwSize',(94,'lpData'):'dwSize',(1,'dwUIDllNameOffset'):'dwUIDllNameSize',
 (2,'dwParamsOutOffset'):'dwParamsOutSize',(130,'dwLineAPIVersionListOffset'):'dwLineAPIVersionListSize',
 (130,'dwLineExtensionIDListOffset'):'dwLineExtensionIDListSize',(130,'dwPhoneAPIVersionListOffset'):'dwPhoneAPIVersionListSize',
 (130,'dwPhoneExtensionIDListOffset'):'dwPhoneExtensionIDListSize'}
# References whose 0xFFFFFFFF exception the packet's field text omits but its 3.1.4.2 rules
# state ("If lpszDestAddress is not set to 0xffffffff ..."): see spec-notes/errata.md.
OPTIONAL = {(17,'lpForwardList'),(17,'lpCallParams'),(51,'lpToneList'),(20,'lpTones'),(56,'lpszDestAddress'),
 (56,'lpszGroupID'),(19,'lpszDigits')}
VERSIONS = {'dwAPIVersion','dwVersion','dwVersionCurrent','dwNegotiatedVersion','dwTSPIVersion','dwExtVersion','dwAppAPIVersion','dwLowVersion','dwHighVersion','dwAPIHighVersion'}
HANDLES = {'HLINEAPP':'HLineApp','HLINE':'HLine','HCALL':'HCall','HPHONEAPP':'HPhoneApp','HPHONE':'HPhone'}
def snake(n):
    n = n.replace('IDs', 'Ids')
    s = re.sub(r'(?<=[a-z0-9])(?=[A-Z])', '_', n)
    s = re.sub(r'(?<=[A-Z])(?=[A-Z][a-z])', '_', s)
    return s.lower()
def absent_ok(desc):
    return bool(re.search(r'0xFFFFFFFF|TAPI_NO_DATA|-1|0xffffffff', desc))
hdr = '''//! The request catalogue: every request packet of [MS-TRP] 2.2.4.1, described once.
//!
//! Each entry gives the Rust name, the Req_Func value, the section title and number, the
//! group, whether the server completes the request synchronously or answers with a request
//! id, and the 13 parameter DWORDs that follow `Req_Func` and `Reserved1` (field names spelled
//! exactly as in the spec diagram) with their role. Everything else - the zerocopy layouts,
//! the typed views, the builders, the metadata used for JSON, pretty-printing and validation -
//! is derived from this table: [`for_each_request!`] hands it to one macro per layer (`ids.rs`:
//! `FuncId` and the descriptions; `views.rs`: layouts and views; `builders.rs`: builders;
//! `replies/views.rs`: reply views), so each layer derives its part without importing the
//! layers above it.
//!
//! Generated once from the spec diagrams by `tools/gen_catalogue.py`, then reviewed by hand;
//! the roles of references (string, bytes with their size field, structure, output buffer)
//! follow the field text of each packet section and the rules of 3.1.4.2.

/// Calls `$callback! { table }` with the whole request catalogue; the callback must be in
/// scope where this is invoked.
macro_rules! for_each_request {
    ($callback:ident) => {
        $callback! {
'''

FOOTER = '''        }
    };
}

pub(crate) use for_each_request;
'''


def generate(d):
    out = []
    seen = set()
    for p in d:
        g = GROUP[p['group']]
        ident = PREFIX[g] + p['name']
        rf = p['req_func']
        fields = [f[2] for f in p['fields'] if not f[2].upper().startswith('VARDATA')][2:]
        note = ''
        if len(fields) > 13:
            note = f'diagram lists {len(fields)+2} DWORDs before VarData; the trailing {fields[-1]} is dropped so VarData starts at byte 60 (spec-notes/errata.md)'
            fields = fields[:13]
        while len(fields) < 13:
            note = f'diagram lists {len(fields)+2} DWORDs before VarData; a Reserved DWORD is added at byte 56 so VarData starts at byte 60 (spec-notes/errata.md)'
            # synthesize next reserved name
            last = max(int(x[8:]) for x in fields if x.startswith('Reserved'))
            fields.append(f'Reserved{last+1}')
        asyncp = 'dwRequestID' in fields
        lines = []
        for n in fields:
            desc = p['desc'].get(n, '')
            key = (rf, n)
            seen.add(key)
            if n.startswith('Reserved'): role = 'reserved'
            elif n == 'dwRequestID': role = 'request_id'
            elif key in BYTES: role = f'bytes({snake(BYTES[key])})'
            elif key in STRUCTS: role = f'structure("{STRUCTS[key]}")'
            elif key in OUTSIZE: role = f'out_size("{OUTSIZE[key]}")'
            elif key in OUTOFFSET: role = f'out_offset({snake(OUTOFFSET[key])})'
            elif n.startswith('lpsz') or n in STRINGS: role = 'string'
            elif n in VERSIONS: role = 'version'
            elif n in ('hAgent',): role = 'handle(HAgent)'
            elif n in ('hAgentSession',): role = 'handle(HAgentSession)'
            else:
                m = re.match(r'An? \[?(HLINEAPP|HLINE|HCALL|HPHONEAPP|HPHONE)\]?', desc)
                if m: role = f'handle({HANDLES[m.group(1)]})'
                elif n in ('hCall','hLine','hPhone','hConsultCall','hHeldCall'): role = {'hCall':'handle(HCall)','hLine':'handle(HLine)','hPhone':'handle(HPhone)','hConsultCall':'handle(HCall)','hHeldCall':'handle(HCall)'}[n]
                else: role = 'value'
            if role.startswith(('bytes','string','structure')):
                role = role.replace('bytes(', 'bytes(').rstrip()
                if absent_ok(desc) or key in OPTIONAL: role = 'opt_' + role
            lines.append(f'        {snake(n)} "{n}": {role},')
        # sanity: size partner exists
        for l in lines:
            m = re.search(r'(?:bytes|out_offset)\((\w+)\)', l)
            if m: assert any(x.strip().startswith(m.group(1)+' ') for x in lines), (ident, l)
        doc = f'    /// {p["name"]} ({p["group"]}), [MS-TRP] {p["section"]}.'
        if note: doc += f'\n    ///\n    /// Erratum: the {note}.'
        out.append(f'{doc}\n    {ident} = {rf}, "{p["name"]}", "{p["section"]}", {g}, {"Async" if asyncp else "Sync"} {{\n' + '\n'.join(lines) + '\n    }')
    # A review entry that names no field of the data (a renamed field, a changed Req_Func) is stale.
    for table in ('BYTES', 'STRUCTS', 'OUTSIZE', 'OUTOFFSET', 'OPTIONAL'):
        stale = sorted(k for k in globals()[table] if k not in seen)
        assert not stale, f'{table} entries match no request field: {stale}'
    return hdr + '\n\n'.join(out) + '\n' + FOOTER


def main():
    args = genlib.parser(__doc__.split('\n\n')[0]).parse_args()
    return genlib.emit(args, {'src/requests/catalogue.rs': generate(genlib.load(args, 'requests'))})


if __name__ == '__main__':
    sys.exit(main())
