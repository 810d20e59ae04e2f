//! Known answers from bytes that code outside this project produced (issue 9).
//!
//! Every vector below was produced by public code that is not ours, most of it code that sent
//! the bytes to the real Windows Telephony service: two public proof-of-concept exploits for
//! CVE-2024-26230 (a use-after-free in tapsrv's TUISPIDLLCallback) and the MS-TRP wire-shape
//! tests of the Manticore project. Sources, licences, how each vector was derived and every
//! disagreement are in `spec-notes/public-sources.md`; only facts (bytes, values, sizes) were
//! taken, never code.
//!
//! How the bytes were derived, per source:
//!
//! * **Wa1nut4/CVE-2024-26230** (`exp/exp.cpp`, commit 15c63688): the PoC zeroes a 1024-byte
//!   buffer, writes `Req_Func` into DWORD 0 and its "parameter n" into DWORD `1 + n` (its own
//!   helpers `write_func_offset` and `write_parament`), and calls `ClientRequest(ctx, buffer,
//!   1024, &use)` with `use = 60` (90 for the copy request). `pBuffer` is
//!   `length_is(*plUsedSize)`, so the bytes on the wire are the first `use` bytes; those are the
//!   vectors. The values are literals in the source.
//! * **kiwids0220/CVE-2024-26230** (`CVE-2024-26230.cpp`, `CVE-2024-26230.h`, commit 674f6892,
//!   the last code change): the PoC fills a zeroed `std::vector` the size of one of its own
//!   structs (nine DWORDs and 256 bytes = 292 bytes, or fifteen DWORDs and 256 bytes = 316
//!   bytes) and sends all of it (`lNeededSize` = `plUsedSize` = the vector's size, except the
//!   two calls that pass `lNeededSize` 0x40000000). Laid out per the source's struct: field k
//!   is DWORD k, the byte array follows. Values are literals in the source except a dialog
//!   instance handle the server returned at run time (`object_index`); for it we use
//!   0x00010000, the value Wa1nut4's PoC notes in a comment.
//! * **TheManticoreProject/Manticore** (GPL-3.0; `functions_test.go` of the tapsrv and remotesp
//!   interfaces): literal NDR stub bytes of ClientRequest and RemoteSPEventProc. Their
//!   `pBuffer`s are 3 or 4 bytes, shorter than any packet: they pin the wire shape, and here
//!   they pin that our decoders reject them the way [MS-TRP] says a server must.
//!
//! Expected values come from the sources (and, where a source says nothing, from [MS-TRP]), not
//! from our code.

use mstrp::errors::DecodeErrorKind;
use mstrp::events::EventBuffer;
use mstrp::replies::{Reply, ReplyRole, reply_role};
use mstrp::requests::known_as::known_as;
use mstrp::requests::{FuncId, Request};
use mstrp::validation::consts::TUISPIDLL_OBJECT_PROVIDERID;
use mstrp::validation::{Report, validate};

/// Bytes from hex, whitespace ignored.
fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    assert_eq!(digits.len() % 2, 0, "odd number of hex digits");
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(core::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

/// `prefix` followed by zero bytes up to `len`: the sources build each request in a zeroed
/// buffer and set only some DWORDs.
fn zero_filled(prefix: &str, len: usize) -> Vec<u8> {
    let mut v = hex(prefix);
    assert!(v.len() <= len);
    v.resize(len, 0);
    v
}

/// Ids of the rules a stateless validation reports.
fn violations(req: &Request<'_>) -> Vec<&'static str> {
    validate(req, None).iter().map(|v| v.rule.id).collect()
}

/// Ids of the ClientRequest-level rules that fire for the call's arguments.
fn call_violations(buffer: &[u8], l_needed_size: i32, pl_used_size: i32) -> Vec<&'static str> {
    Report::for_call(buffer, l_needed_size, pl_used_size, None)
        .violations
        .iter()
        .map(|v| v.rule.id)
        .filter(|id| id.starts_with("CR."))
        .collect()
}

/// The dialog instance handle a server returned at run time in kiwids0220's PoC; we use the
/// value Wa1nut4's PoC notes next to its FreeDialogInstance call.
const HT_DLG_INST: u32 = 0x0001_0000;

// ---------------------------------------------------------------------------------------------
// Wa1nut4/CVE-2024-26230, exp/exp.cpp (commit 15c6368854451c34bf2701966a2d69f04a803c9d).
// Table in the source: GetAsyncEvents 0x0, GetUIDllName 0x8, TUISPIDLLCallback 0x10,
// FreeDialogInstance 0x18, TRequestMakeCall 0x3C8, each divided by 8 before it is written.
// ---------------------------------------------------------------------------------------------

/// `create_gold`: GetUIDllName, parameter 1 = 1, parameter 2 = 3, parameter 5 = -1; 60 used
/// bytes of 1024. The PoC then reads the server's answer from parameter 7 (DWORD 8).
const WA1NUT4_GET_UI_DLL_NAME: &str =
    "01000000 00000000 01000000 03000000 00000000 00000000 ffffffff";

#[test]
fn wa1nut4_create_gold_get_ui_dll_name() {
    let bytes = zero_filled(WA1NUT4_GET_UI_DLL_NAME, 60);
    let req = Request::parse(&bytes).unwrap();
    let Request::GetUIDllName(v) = req else {
        panic!("dispatched elsewhere: {:?}", req.func())
    };
    assert_eq!(v.dw_object_id(), 1);
    assert_eq!(v.dw_object_type(), TUISPIDLL_OBJECT_PROVIDERID);
    assert_eq!(v.dw_ui_dll_name_offset(), 0);
    assert_eq!(v.dw_ui_dll_name_size(), 0);
    // Parameter 5 = -1: "no provider file name" (0xFFFFFFFF, 3.1.4.2 GetUIDllName bullet 3).
    assert_eq!(v.dw_provider_filename_offset().raw(), 0xFFFF_FFFF);
    assert!(v.dw_provider_filename_offset().is_absent());
    assert!(matches!(
        v.dw_provider_filename_offset().resolve(),
        Ok(None)
    ));
    assert_eq!(v.b_remove_provider(), 0);
    // The PoC reads the dialog instance the server created from parameter 7 = DWORD 8, which
    // is htDlgInst, a field the server fills in the reply.
    let desc = req.desc().unwrap();
    assert_eq!(
        (desc.fields[8].name, desc.fields[8].offset),
        ("htDlgInst", 32)
    );
    assert_eq!(reply_role(desc, 8), ReplyRole::Filled);
    // The server accepted the request (it created the dialog instance): stateless validation
    // and the ClientRequest checks agree.
    assert_eq!(violations(&req), Vec::<&str>::new());
    assert_eq!(call_violations(&bytes, 1024, 60), Vec::<&str>::new());
}

/// `free_gold`: FreeDialogInstance, parameter 1 = the dialog instance (the source's comment:
/// 0x00010000).
#[test]
fn wa1nut4_free_gold_free_dialog_instance() {
    let bytes = zero_filled("03000000 00000000 00000100", 60);
    let req = Request::parse(&bytes).unwrap();
    let Request::FreeDialogInstance(v) = req else {
        panic!("dispatched elsewhere: {:?}", req.func())
    };
    assert_eq!(v.ht_dlg_inst(), 0x0001_0000);
    assert_eq!(v.l_ui_dll_result(), 0);
    assert_eq!(violations(&req), Vec::<&str>::new());
    assert_eq!(call_violations(&bytes, 1024, 60), Vec::<&str>::new());
}

/// `reuse_uaf`: TRequestMakeCall (0x3C8 / 8 = 121), no parameters, 60 used bytes. 121 is not
/// in [MS-TRP]; the Windows service processes it (the exploit depends on it allocating the
/// registry value it reads).
#[test]
fn wa1nut4_reuse_uaf_t_request_make_call() {
    let bytes = zero_filled("79000000", 60);
    let req = Request::parse(&bytes).unwrap();
    let Request::Unknown(u) = req else {
        panic!("121 is undocumented, yet dispatched to {:?}", req.func())
    };
    assert_eq!(u.req_func(), 0x3C8 / 8);
    assert!((1..=13).all(|n| u.param(n) == Some(0)));
    assert!(u.var_data().is_empty());
    assert_eq!(known_as(121).map(|k| k.name), Some("TRequestMakeCall"));
    let strict = Request::parse_strict(&bytes).unwrap_err();
    assert_eq!(strict.kind, DecodeErrorKind::UnknownFunction(121));
    // Disagreement (spec-notes/public-sources.md, D1): [MS-TRP] 3.1.4.2 says a server MUST fail
    // a Req_Func that is "not a valid value", and this crate, modelling a conforming server,
    // takes the 132 documented values as the valid ones; Windows processes 121.
    assert_eq!(call_violations(&bytes, 1024, 60), vec!["CR.4"]);
}

/// `trigger_uaf`: TUISPIDLLCallback, parameter 1 = 0x40000018, parameter 2 = 3; 60 used bytes,
/// so VarData is empty and dwParamsInOffset = dwParamsInSize = 0. The service processes it: the
/// PoC reads the leaked value from DWORD 0 (Ack_ReturnValue) of the answer.
#[test]
fn wa1nut4_trigger_uaf_tuispidll_callback() {
    let bytes = zero_filled("02000000 00000000 18000040 03000000", 60);
    let req = Request::parse(&bytes).unwrap();
    let Request::TUISPIDLLCallback(v) = req else {
        panic!("dispatched elsewhere: {:?}", req.func())
    };
    assert_eq!(v.dw_object_id(), 0x4000_0018);
    assert_eq!(v.dw_object_type(), TUISPIDLL_OBJECT_PROVIDERID);
    assert_eq!(v.dw_params_in_size(), 0);
    assert_eq!(v.dw_params_out_offset(), 0);
    assert_eq!(v.dw_params_out_size(), 0);
    assert!(v.var_data().is_empty());
    // An empty block at offset 0 of an empty VarData: the server took it.
    assert_eq!(v.dw_params_in_offset().resolve(), Ok(Some(&[][..])));
    assert_eq!(violations(&req), Vec::<&str>::new());
    assert_eq!(call_violations(&bytes, 1024, 60), Vec::<&str>::new());
}

/// The copy loop: TUISPIDLLCallback with `use = 90`, parameter 1 = 0x40000018 + 3n, parameter
/// 2 = 3, parameter 4 = 3 (dwParamsInSize), and at byte 60 (VarData) the next 3 bytes of the
/// UTF-16LE string `C:\Users\SRHla\AppData\Roaming\hack.dll`. n = 0 and n = 1.
#[test]
fn wa1nut4_copy_loop_tuispidll_callback() {
    let cases: [(&str, u32, [u8; 3]); 2] = [
        ("18000040", 0x4000_0018, [0x43, 0x00, 0x3A]), // 'C' 00 ':'
        ("1b000040", 0x4000_001B, [0x00, 0x5C, 0x00]), // 00 '\' 00
    ];
    for (object_id_hex, object_id, chunk) in cases {
        let mut bytes = zero_filled(
            &format!("02000000 00000000 {object_id_hex} 03000000 00000000 03000000"),
            60,
        );
        bytes.extend_from_slice(&chunk);
        bytes.resize(90, 0);
        let req = Request::parse(&bytes).unwrap();
        let Request::TUISPIDLLCallback(v) = req else {
            panic!("dispatched elsewhere: {:?}", req.func())
        };
        assert_eq!(v.dw_object_id(), object_id);
        assert_eq!(v.dw_object_type(), TUISPIDLL_OBJECT_PROVIDERID);
        assert_eq!(v.dw_params_in_offset().raw(), 0);
        assert_eq!(v.dw_params_in_size(), 3);
        assert_eq!(v.var_data().len(), 30);
        assert_eq!(v.dw_params_in_offset().resolve(), Ok(Some(&chunk[..])));
        // The server copied the 3 bytes: nothing for a conforming server to reject either.
        assert_eq!(violations(&req), Vec::<&str>::new());
        assert_eq!(call_violations(&bytes, 1024, 90), Vec::<&str>::new());
    }
}

// ---------------------------------------------------------------------------------------------
// kiwids0220/CVE-2024-26230 (commit 674f68926fb2b1ccf298f54251ab453413ce9478; files
// CVE-2024-26230.cpp and CVE-2024-26230.h). Function numbers from the source's enum GaFuncs:
// GetUIDllName = 1, TUISPIDLLCallback = 2, FreeDialogInstance = 3, TRequestMakeCall = 121.
// ---------------------------------------------------------------------------------------------

/// `GetUIDLLName(GetUIDllName, 1, 1, 3)` in a `TAPI_GetUIDllName` (292 bytes): int_index0 = 1,
/// int_index1 = 1 (this is Reserved1 on the wire), int_index2 = 1, switchacse_index3 = 3,
/// int_index6 = -1 ("has to equal to 0xFFFFFFFF"), int_index7 = 0 ("has to be 0"),
/// object_index = 0, then 256 zero bytes. The server returns the dialog instance in
/// object_index (DWORD 8).
#[test]
fn kiwids0220_get_ui_dll_name() {
    let bytes = zero_filled(
        "01000000 01000000 01000000 03000000 00000000 00000000 ffffffff 00000000 00000000",
        292,
    );
    let req = Request::parse(&bytes).unwrap();
    let Request::GetUIDllName(v) = req else {
        panic!("dispatched elsewhere: {:?}", req.func())
    };
    // Reserved1 = 1: "MUST be set to zero when sent and MUST be ignored on receipt" (2.2.5.2);
    // read as it is, and no rule fires on it.
    assert_eq!(req.dwords()[1], 1);
    assert_eq!(v.dw_object_id(), 1);
    assert_eq!(v.dw_object_type(), TUISPIDLL_OBJECT_PROVIDERID);
    assert!(v.dw_provider_filename_offset().is_absent());
    assert_eq!(v.b_remove_provider(), 0);
    assert_eq!(v.ht_dlg_inst(), 0);
    assert_eq!(v.var_data().len(), 292 - 60);
    let desc = req.desc().unwrap();
    assert_eq!(desc.fields[8].name, "htDlgInst");
    assert_eq!(reply_role(desc, 8), ReplyRole::Filled);
    assert_eq!(violations(&req), Vec::<&str>::new());
    assert_eq!(call_violations(&bytes, 292, 292), Vec::<&str>::new());
}

/// `FreeDiagInstance(ctx, handles, FreeDialogInstance, 1, 1, 3)` in a `TAPI_FreeDiagInstance`
/// (292 bytes): int_index0 = 3, int_index1 = 1, int_index2 = object_index (the dialog
/// instance), switchacse_index3 = 3, int_index6 = -1, object_index = the dialog instance.
#[test]
fn kiwids0220_free_dialog_instance() {
    let bytes = zero_filled(
        "03000000 01000000 00000100 03000000 00000000 00000000 ffffffff 00000000 00000100",
        292,
    );
    let req = Request::parse(&bytes).unwrap();
    let Request::FreeDialogInstance(v) = req else {
        panic!("dispatched elsewhere: {:?}", req.func())
    };
    assert_eq!(v.ht_dlg_inst(), HT_DLG_INST);
    assert_eq!(v.l_ui_dll_result(), 3);
    // Reserved fields the PoC sets (DWORD 1 = 1, DWORD 6 = 0xFFFFFFFF, DWORD 8 = the handle):
    // read as they are and ignored by validation, as 2.2.4.1.7.11 says a server does.
    assert_eq!(req.dwords()[1], 1);
    assert_eq!(req.field_names()[6], "Reserved4");
    assert_eq!(req.dwords()[6], 0xFFFF_FFFF);
    assert_eq!(req.field_names()[8], "Reserved6");
    assert_eq!(req.dwords()[8], HT_DLG_INST);
    assert_eq!(violations(&req), Vec::<&str>::new());
    assert_eq!(call_violations(&bytes, 292, 292), Vec::<&str>::new());
}

/// `TUISPIDLLCallback_CVE(ctx, handles, TUISPIDLLCallback, 1, 0x40000000, 0)` in a
/// `TAPI_TUISPIDLLCallback` (316 bytes): int_index0 = 2, int_index1 = 1, int_index2 = 0x40000000
/// ("RCX"), switchacse_index3 = 3, int_index4 = 0x30000000, int_index5 = 0 ("R9"),
/// int_index6 = -1, int_index7 = 0, object_index = the dialog instance. The service processed
/// it: the PoC prints the value it leaked into Ack_ReturnValue and uses it.
#[test]
fn kiwids0220_tuispidll_callback_leak() {
    let bytes = zero_filled(
        "02000000 01000000 00000040 03000000 00000030 00000000 ffffffff 00000000 00000100",
        316,
    );
    let req = Request::parse(&bytes).unwrap();
    let Request::TUISPIDLLCallback(v) = req else {
        panic!("dispatched elsewhere: {:?}", req.func())
    };
    assert_eq!(v.dw_object_id(), 0x4000_0000);
    assert_eq!(v.dw_object_type(), TUISPIDLL_OBJECT_PROVIDERID);
    assert_eq!(v.dw_params_in_offset().raw(), 0x3000_0000);
    assert_eq!(v.dw_params_in_size(), 0);
    assert_eq!(v.dw_params_out_offset(), 0xFFFF_FFFF);
    assert_eq!(v.dw_params_out_size(), 0);
    assert_eq!(v.var_data().len(), 256);
    // dwParamsInOffset lies far outside the 256 bytes of VarData.
    let err = v.dw_params_in_offset().resolve().unwrap_err();
    assert_eq!(err.field, "dwParamsInOffset");
    assert_eq!(err.kind_name(), "offset_out_of_bounds");
    // Disagreement (D2): [MS-TRP] 3.1.4.2 says the server MUST fail this request (the offset
    // does not lie within VarData, bullet 1); the Windows build the PoC ran against processed
    // it. The crate follows the spec. It reports the failure once, under bullet 1: bullet 2
    // (offset + size beyond VarData) is kept for an offset inside VarData whose block runs
    // past its end, so one bad offset is not counted twice.
    let found = validate(&req, None);
    assert_eq!(violations(&req), vec!["2.1"]);
    assert!(
        found
            .iter()
            .all(|v| v.error().name() == "LINEERR_INVALPOINTER")
    );
    assert_eq!(call_violations(&bytes, 316, 316), Vec::<&str>::new());
}

/// `TUISPIDLLCallback_CVE_CopyString(..., TUISPIDLLCallback, 1, address, 3, 0, "C:\")`: like
/// the leak request but int_index2 = the target address (run time; here 0x40000000, the size
/// the PoC asked VirtualAlloc for), int_index4 = 0, int_index5 = 3, and the first 3 bytes of
/// the ASCII path `C:\users\kiwi\desktop\test.dll` at byte 60 (the struct's char array).
/// Sent with lNeededSize 0x40000000 and plUsedSize 316.
#[test]
fn kiwids0220_tuispidll_callback_copy_string() {
    let mut bytes = zero_filled(
        "02000000 01000000 00000040 03000000 00000000 03000000 ffffffff 00000000 00000100",
        60,
    );
    bytes.extend_from_slice(b"C:\\");
    bytes.resize(316, 0);
    let req = Request::parse(&bytes).unwrap();
    let Request::TUISPIDLLCallback(v) = req else {
        panic!("dispatched elsewhere: {:?}", req.func())
    };
    assert_eq!(v.dw_params_in_offset().raw(), 0);
    assert_eq!(v.dw_params_in_size(), 3);
    assert_eq!(v.dw_params_in_offset().resolve(), Ok(Some(&b"C:\\"[..])));
    assert_eq!(violations(&req), Vec::<&str>::new());
    assert_eq!(
        call_violations(&bytes, 0x4000_0000, 316),
        Vec::<&str>::new()
    );
}

/// `TRequestMakeCall_HeapAlloc(..., TRequestMakeCall, 0xe0, 0xe0, 0xe0, index7)` in a
/// `TAPI_TUISPIDLLCallback` (316 bytes): int_index0 = 121, int_index1..int_index6 = 0xE0,
/// int_index7 = 0 or 0xFFFFFFFC, object_index = the dialog instance. Sent in pairs, hundreds of
/// times, and processed by the service (it is the exploit's heap spray).
#[test]
fn kiwids0220_t_request_make_call_heap_alloc() {
    for (index7_hex, index7) in [("00000000", 0u32), ("fcffffff", 0xFFFF_FFFC)] {
        let bytes = zero_filled(
            &format!(
                "79000000 e0000000 e0000000 e0000000 e0000000 e0000000 e0000000 {index7_hex} 00000100"
            ),
            316,
        );
        let req = Request::parse(&bytes).unwrap();
        let Request::Unknown(u) = req else {
            panic!("121 is undocumented, yet dispatched to {:?}", req.func())
        };
        assert_eq!(u.req_func(), 121);
        assert_eq!(u.reserved1(), 0xE0);
        assert!((1..=5).all(|n| u.param(n) == Some(0xE0)));
        assert_eq!(u.param(6), Some(index7));
        assert_eq!(u.param(7), Some(HT_DLG_INST));
        assert!((8..=13).all(|n| u.param(n) == Some(0)));
        assert_eq!(u.var_data().len(), 256);
        assert_eq!(req.func(), None);
        assert_eq!(
            known_as(u.req_func()).map(|k| k.name),
            Some("TRequestMakeCall")
        );
        // D1 again: a conforming server rejects 121; Windows does not.
        assert_eq!(call_violations(&bytes, 316, 316), vec!["CR.4"]);
    }
}

// ---------------------------------------------------------------------------------------------
// TheManticoreProject/Manticore (GPL-3.0), literal NDR stub bytes from
// network/dcerpc/interfaces/2f5f6520-ca46-1067-b319-00dd010662da/1.0/functions/functions_test.go
// and .../2f5f6521-ca47-1068-b319-00dd010662db/1.0/functions/functions_test.go
// (commit 5bb016e3f749d9adf9302c78abb4ceaddf1c398b).
// ---------------------------------------------------------------------------------------------

/// A little-endian u32 at `at`.
fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

/// The conformant-varying byte array at `at` of a stub: (maximum_count, offset, the bytes),
/// and the offset just past it, rounded up to 4.
fn cva(stub: &[u8], at: usize) -> (u32, u32, &[u8], usize) {
    let (max, offset, actual) = (u32_at(stub, at), u32_at(stub, at + 4), u32_at(stub, at + 8));
    let data = &stub[at + 12..at + 12 + actual as usize];
    let end = (at + 12 + actual as usize).next_multiple_of(4);
    (max, offset, data, end)
}

/// `TestClientRequest_BufferWireShape`: ClientRequest's request stub with a 4-byte pBuffer
/// (01 02 03 04), lNeededSize 8, plUsedSize 4.
#[test]
fn manticore_client_request_stub() {
    let stub = hex(concat!(
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", // phContext
        "08000000 00000000 04000000 01020304",      // pBuffer
        "08000000 04000000",                        // lNeededSize, plUsedSize
    ));
    let (max, offset, buffer, end) = cva(&stub, 20);
    let (l_needed_size, pl_used_size) = (u32_at(&stub, end), u32_at(&stub, end + 4));
    assert_eq!((max, offset, buffer.len()), (8, 0, 4));
    assert_eq!((l_needed_size, pl_used_size), (8, 4));
    assert_eq!(end + 8, stub.len());
    // Four bytes are not a TAPI32_MSG.
    let err = Request::parse(buffer).unwrap_err();
    assert_eq!(
        err.kind,
        DecodeErrorKind::Truncated {
            needed: 60,
            actual: 4
        }
    );
    // 3.1.4.2: lNeededSize 8 < 60 fails; plUsedSize 4 is not below a 4-byte ULONG_PTR; the
    // Req_Func 0x04030201 is not a function.
    assert_eq!(
        call_violations(buffer, l_needed_size as i32, pl_used_size as i32),
        vec!["CR.1", "CR.4"]
    );
}

/// `TestClientRequest_ResponseRoundTrip`: ClientRequest's response stub, pBuffer DE AD BE
/// (maximum_count 8, actual_count 3), one pad byte, plUsedSize 3.
#[test]
fn manticore_client_request_response_stub() {
    let stub = hex("08000000 00000000 03000000 deadbe 00 03000000");
    let (max, offset, buffer, end) = cva(&stub, 0);
    assert_eq!((max, offset, buffer), (8, 0, &[0xDE, 0xAD, 0xBE][..]));
    assert_eq!(u32_at(&stub, end), 3);
    // Three bytes are not a reply either, whatever the function.
    let err = Reply::parse(FuncId::GetAsyncEvents, buffer).unwrap_err();
    assert_eq!(
        err.kind,
        DecodeErrorKind::Truncated {
            needed: 60,
            actual: 3
        }
    );
}

/// `TestRemoteSPEventProc_BufferWireShape`: RemoteSPEventProc's request stub, pBuffer
/// 11 22 33 44, lSize 4.
#[test]
fn manticore_remote_sp_event_proc_stub() {
    let stub = hex(concat!(
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", // phContext
        "04000000 00000000 04000000 11223344",      // pBuffer
        "04000000",                                 // lSize
    ));
    let (max, offset, buffer, end) = cva(&stub, 20);
    let l_size = u32_at(&stub, end) as i32;
    assert_eq!((max, offset, buffer.len(), l_size), (4, 0, 4, 4));
    // lSize fits the bytes, but 4 bytes hold no event: an ASYNCEVENTMSG's fixed part is 40
    // bytes (2.2.4.2), so the buffer's size itself is refused, before any event.
    let events = EventBuffer::with_l_size(buffer, l_size).unwrap();
    let first = events.iter().next().expect("one item").unwrap_err();
    assert_eq!((first.index, first.offset), (0, 0));
    assert_eq!(first.error.field, "lSize");
    assert_eq!(first.error.kind, DecodeErrorKind::BufferSize { len: 4 });
    assert_eq!(events.iter().count(), 1);
    // A larger lSize than the bytes is refused.
    assert!(EventBuffer::with_l_size(buffer, 5).is_err());
}

// ---------------------------------------------------------------------------------------------
// kiwids0220/CVE-2024-26230 at commit 0bec0450ec911b25a0da761b1f3e2be0683f4f97 ("first
// crash!"): the first version that reached the bug. Same 292-byte `TAPI_GetUIDllName` layout
// (its first field was then called `index0`); its GetUIDllName request is byte for byte the one
// in `kiwids0220_get_ui_dll_name`, the other two differ.
// ---------------------------------------------------------------------------------------------

/// `FreeDiagInstance(FreeDialogInstance, 1, 1, 3)`: index0 = 3, int_index1 = 1, int_index2 =
/// 0xFFFFCCCC (a literal dialog instance handle), switchacse_index3 = 3, int_index6 = -1.
#[test]
fn kiwids0220_first_crash_free_dialog_instance() {
    let bytes = zero_filled(
        "03000000 01000000 ccccffff 03000000 00000000 00000000 ffffffff 00000000 00000000",
        292,
    );
    let req = Request::parse(&bytes).unwrap();
    let Request::FreeDialogInstance(v) = req else {
        panic!("dispatched elsewhere: {:?}", req.func())
    };
    assert_eq!(v.ht_dlg_inst(), 0xFFFF_CCCC);
    assert_eq!(v.l_ui_dll_result(), 3);
    assert_eq!(req.dwords()[6], 0xFFFF_FFFF);
    assert_eq!(v.var_data().len(), 232);
    // Whether 0xFFFFCCCC names a dialog instance is server state (rule 3.1); stateless
    // validation has nothing to say.
    assert_eq!(violations(&req), Vec::<&str>::new());
    assert_eq!(call_violations(&bytes, 292, 292), Vec::<&str>::new());
}

/// `TUISPIDLLCallback_CVE(TUISPIDLLCallback, 1, 1, 3)`: index0 = 2, int_index1 = 1,
/// int_index2 = 1 (dwObjectID), switchacse_index3 = 3 (dwObjectType), int_index6 = -1
/// (dwParamsOutOffset), the rest zero.
#[test]
fn kiwids0220_first_crash_tuispidll_callback() {
    let bytes = zero_filled(
        "02000000 01000000 01000000 03000000 00000000 00000000 ffffffff 00000000 00000000",
        292,
    );
    let req = Request::parse(&bytes).unwrap();
    let Request::TUISPIDLLCallback(v) = req else {
        panic!("dispatched elsewhere: {:?}", req.func())
    };
    assert_eq!(v.dw_object_id(), 1);
    assert_eq!(v.dw_object_type(), TUISPIDLL_OBJECT_PROVIDERID);
    assert_eq!(v.dw_params_in_size(), 0);
    assert_eq!(v.dw_params_in_offset().resolve(), Ok(Some(&[][..])));
    // dwParamsOutOffset is an output offset the server fills; the request's value is not
    // checked by 3.1.4.2.
    assert_eq!(v.dw_params_out_offset(), 0xFFFF_FFFF);
    let desc = req.desc().unwrap();
    assert_eq!(
        (desc.fields[6].name, reply_role(desc, 6)),
        ("dwParamsOutOffset", ReplyRole::Data { size: 7 })
    );
    assert_eq!(violations(&req), Vec::<&str>::new());
    assert_eq!(call_violations(&bytes, 292, 292), Vec::<&str>::new());
}

// ---------------------------------------------------------------------------------------------
// PT Security, "Who's on the line? Exploiting RCE in Windows Telephony Service
// (CVE-2026-20931)", as summarised in HackTricks-wiki/hacktricks
// (src/windows-hardening/windows-local-privilege-escalation/
// telephony-tapsrv-arbitrary-dword-write-to-rce.md): the Req_Func values of the sequence the
// write-up sends to \pipe\tapsrv, with the names it gives them. Values, not bytes.
// ---------------------------------------------------------------------------------------------

#[test]
fn pt_security_sequence_req_funcs() {
    // Documented: Initialize (47), GetAsyncEvents (0), Shutdown (86).
    for (value, func) in [
        (47, FuncId::LineInitialize),
        (0, FuncId::GetAsyncEvents),
        (86, FuncId::LineShutDown),
    ] {
        assert_eq!(FuncId::from_u32(value), Some(func));
        assert!(known_as(value).is_none());
    }
    // Undocumented, named by the write-up.
    for (value, name) in [
        (61, "LRegisterRequestRecipient"),
        (121, "TRequestMakeCall"),
        (69, "LSetAppPriority"),
    ] {
        assert_eq!(FuncId::from_u32(value), None);
        assert_eq!(known_as(value).map(|k| k.name), Some(name));
        let bytes = zero_filled(&format!("{value:02x}000000"), 60);
        assert!(matches!(Request::parse(&bytes), Ok(Request::Unknown(_))));
    }
    // The GetUIDllName the write-up sends as an administrator: dwObjectType =
    // TUISPIDLL_OBJECT_PROVIDERID and a provider path at dwProviderFilenameOffset; DWORDs 3 and
    // 6 of the packet.
    let desc = FuncId::GetUIDllName.desc();
    assert_eq!(desc.fields[3].name, "dwObjectType");
    assert_eq!(desc.fields[6].name, "dwProviderFilenameOffset");
}
