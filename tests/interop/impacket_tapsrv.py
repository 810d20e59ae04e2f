#!/usr/bin/env python3
"""An independent tapsrv client: impacket marshals every NDR stub itself.

[MS-TRP] 6.2 (tapsrv IDL) is restated here in impacket's NDR classes, and every TAPI32_MSG
is laid out with struct.pack from the packet diagrams of [MS-TRP] 2.2.4.1, so nothing in
this file comes from mstrp. Two modes:

  impacket_tapsrv.py stubs DIR [--ndr64]
      Write the request stubs impacket marshals (ClientAttach, ClientRequest with
      Initialize, ClientDetach) to DIR as <name>.bin, without any network. mstrp's NDR
      decoder must read them (tests/rpc_impacket.rs).

  impacket_tapsrv.py session HOST PORT [--ndr64]
      Bind to tapsrv over ncacn_ip_tcp and run ClientAttach, Initialize,
      NegotiateAPIVersion, Open, MakeCall, GetAsyncEvents, Close, Shutdown and
      ClientDetach, printing one JSON object per step (tests/serve_impacket.rs checks
      them against the spec).
"""

import json
import os
import struct
import sys

from impacket.dcerpc.v5 import transport
from impacket.dcerpc.v5.dtypes import LONG, NULL, WSTR
from impacket.dcerpc.v5.ndr import NDRCALL, NDRSTRUCT, NDRUniConformantVaryingArray
from impacket.dcerpc.v5.rpcrt import DCERPC_v5
from impacket.uuid import uuidtup_to_bin

# [MS-TRP] 6.2
TAPSRV = uuidtup_to_bin(("2F5F6520-CA46-1067-B319-00DD010662DA", "1.0"))
NDR20 = ("8a885d04-1ceb-11c9-9fe8-08002b104860", "2.0")
NDR64 = ("71710533-BEBA-4937-8319-B5DBEF9CCC36", "1.0")


class CONTEXT_HANDLE(NDRSTRUCT):
    """[context_handle] void *: 20 bytes on the wire ([MS-RPCE] 2.2.5.2.1)."""

    structure = (("Data", "20s=b''"),)

    def getAlignment(self):
        return 4


class BYTE_CV_ARRAY(NDRUniConformantVaryingArray):
    """[length_is(*plUsedSize), size_is(lNeededSize)] unsigned char *pBuffer."""

    item = "c"


class ClientAttach(NDRCALL):
    opnum = 0
    structure = (
        ("lProcessID", LONG),
        ("pszDomainUser", WSTR),
        ("pszMachine", WSTR),
    )


class ClientAttachResponse(NDRCALL):
    structure = (
        ("pphContext", CONTEXT_HANDLE),
        ("phAsyncEventsEvent", LONG),
        ("ErrorCode", LONG),
    )


class ClientRequest(NDRCALL):
    opnum = 1
    structure = (
        ("phContext", CONTEXT_HANDLE),
        ("pBuffer", BYTE_CV_ARRAY),
        ("lNeededSize", LONG),
        ("plUsedSize", LONG),
    )


class ClientRequestResponse(NDRCALL):
    structure = (
        ("pBuffer", BYTE_CV_ARRAY),
        ("plUsedSize", LONG),
    )


class ClientDetach(NDRCALL):
    opnum = 2
    structure = (("pphContext", CONTEXT_HANDLE),)


class ClientDetachResponse(NDRCALL):
    # void ClientDetach: the response is the [in, out] handle alone (6.2).
    structure = (("pphContext", CONTEXT_HANDLE),)


def u32(v):
    return v & 0xFFFFFFFF


def msg(req_func, dwords, var_data=b""):
    """A TAPI32_MSG ([MS-TRP] 2.2.5.2): Req_Func, Reserved1 = 0, then 13 DWORDs."""
    body = list(dwords) + [0] * (13 - len(dwords))
    assert len(body) == 13
    return struct.pack("<15I", req_func, 0, *[u32(d) for d in body]) + var_data


def utf16z(text):
    data = (text + "\0").encode("utf-16-le")
    return data + b"\0" * (-len(data) % 4)


NO_DATA = 0xFFFFFFFF


def initialize():
    # 2.2.4.1.1.1: hLineApp, hInstance, InitContext, dwFriendlyNameOffset, dwNumDevs,
    # dwModuleNameOffset, dwAPIVersion
    name = utf16z("IMPACKET")
    return msg(47, [0, 0, 0x1234, 0, 0, 0, 0x00030001], name)


def negotiate_api_version(h_line_app, device):
    # 2.2.4.1.1.2: VarData is 16 bytes (a LINEEXTENSIONID)
    return msg(52, [h_line_app, device, 0x00010004, 0x00030001, NO_DATA, NO_DATA, 16], b"\0" * 16)


def open_line(h_line_app, device, version):
    # 2.2.4.1.1.5: LINECALLPRIVILEGE_NONE (1), LINEMEDIAMODE_INTERACTIVEVOICE (4)
    return msg(54, [h_line_app, device, 0, version, 0, 0x5678, 1, 4, NO_DATA, 0, 0, 0])


def make_call(h_line, dest):
    # 2.2.4.1.3.43: dwRequestID 0 (the server assigns one), lpContext, hLine,
    # lphCallContext, lpszDestAddress at VarData offset 0, dwCountryCode, no call params
    return msg(48, [0, 0x9ABC, h_line, 0xDEF0, 0, 0, NO_DATA, 0], utf16z(dest))


def get_async_events(size):
    # 2.2.4.1.8.1: dwTotalBufferSize
    return msg(0, [size, 0, 0], b"\0" * size)


def close_line(h_line):
    return msg(9, [h_line])  # 2.2.4.1.2.1


def shutdown(h_line_app):
    return msg(86, [h_line_app])  # 2.2.4.1.2.2


def client_attach():
    req = ClientAttach()
    req["lProcessID"] = -1
    # A non-empty pszDomainUser asks for the pull model (3.1.4.1): events by GetAsyncEvents.
    req["pszDomainUser"] = "IMPACKET\\tester\0"
    req["pszMachine"] = "IMPACKET\0"
    return req


def client_request(handle, buffer, needed):
    req = ClientRequest()
    req["phContext"] = handle
    req["pBuffer"] = [bytes([b]) for b in buffer]
    req.fields["pBuffer"].fields["MaximumCount"] = needed
    req["lNeededSize"] = needed
    req["plUsedSize"] = len(buffer)
    return req


def client_detach(handle):
    req = ClientDetach()
    req["pphContext"] = handle
    return req


def handle_bytes(value):
    """impacket hands a one-field structure back as its bytes or as the structure."""
    return bytes(value) if isinstance(value, (bytes, bytearray)) else bytes(value["Data"])


def stub_bytes(req, ndr64):
    if ndr64:
        req.changeTransferSyntax(uuidtup_to_bin(NDR64))
    return req.getData()


def write_stubs(directory, ndr64):
    os.makedirs(directory, exist_ok=True)
    handle = bytes(range(1, 21))
    stubs = {
        "client_attach": client_attach(),
        "client_request_initialize": client_request(handle, initialize(), 1024),
        "client_detach": client_detach(handle),
    }
    for name, req in stubs.items():
        with open(os.path.join(directory, name + ".bin"), "wb") as f:
            f.write(stub_bytes(req, ndr64))


def session(host, port, ndr64):
    rpc = transport.DCERPCTransportFactory("ncacn_ip_tcp:%s[%d]" % (host, port))
    dce = rpc.get_dce_rpc()
    dce.connect()
    dce.bind(TAPSRV, transfer_syntax=NDR64 if ndr64 else NDR20)
    out = []

    def emit(step, **fields):
        record = {"step": step}
        record.update(fields)
        out.append(record)
        print(json.dumps(record), flush=True)

    resp = dce.request(client_attach(), checkError=False)
    handle = handle_bytes(resp["pphContext"])
    emit("ClientAttach", return_value=u32(resp["ErrorCode"]),
         phAsyncEventsEvent=u32(resp["phAsyncEventsEvent"]), handle=handle.hex())

    def request(step, buffer, needed=1024):
        r = dce.request(client_request(handle, buffer, needed), checkError=False)
        data = b"".join(r["pBuffer"])
        max_count = r.fields["pBuffer"].fields.get("MaximumCount")
        dwords = struct.unpack_from("<15I", data) if len(data) >= 60 else ()
        emit(step, return_value=dwords[0] if dwords else None, used=u32(r["plUsedSize"]),
             max_count=max_count, dwords=list(dwords), var_data=data[60:].hex())
        return dwords, data

    d, _ = request("Initialize", initialize())
    h_line_app, num_devs = d[2], d[6]
    d, _ = request("NegotiateAPIVersion", negotiate_api_version(h_line_app, 0))
    version = d[6]
    d, _ = request("Open", open_line(h_line_app, 0, version))
    h_line = d[4]
    request("MakeCall", make_call(h_line, "5550100"))
    request("GetAsyncEvents", get_async_events(512), needed=60 + 512)
    request("Close", close_line(h_line))
    request("Shutdown", shutdown(h_line_app))
    r = dce.request(client_detach(handle), checkError=False)
    emit("ClientDetach", handle=handle_bytes(r["pphContext"]).hex())
    dce.disconnect()
    return num_devs


def main(argv):
    ndr64 = "--ndr64" in argv
    args = [a for a in argv[1:] if a != "--ndr64"]
    if len(args) == 2 and args[0] == "stubs":
        write_stubs(args[1], ndr64)
    elif len(args) == 3 and args[0] == "session":
        session(args[1], int(args[2]), ndr64)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
