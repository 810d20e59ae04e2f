//! DCE/RPC PDUs typed by hand from the layouts of C706 12.6 and the worked example of
//! ../shared/design/rpc-and-session.md (section 1), independent of mstrp's builders: a bind
//! of tapsrv over NDR20, its bind_ack, and the ClientRequest of Close (Req_Func 9, hLine
//! 0x00010203, 2.2.4.1.2.1) with its response. `#[path]`-included by the tests that feed
//! them to text2pcap and tshark.
#![allow(dead_code)]

/// bind (PTYPE 11), call_id 1, FIRST|LAST, max_xmit/max_recv 4280, one presentation
/// context: id 0, tapsrv 2f5f6520-ca46-1067-b319-00dd010662da v1.0, NDR20 v2. 72 bytes.
pub const BIND: &str = concat!(
    "05000b03",
    "10000000",
    "4800",
    "0000",
    "01000000", // header, frag_length 72
    "b810",
    "b810",
    "00000000", // max_xmit, max_recv, assoc_group
    "01",
    "000000", // n_context_elem, reserved
    "0000",
    "01",
    "00", // p_cont_id 0, n_transfer_syn 1, reserved
    "20655f2f46ca6710b31900dd010662da",
    "0100",
    "0000", // tapsrv v1.0
    "045d888aeb1cc9119fe808002b104860",
    "0200",
    "0000", // NDR20 v2
);

/// bind_ack (PTYPE 12), call_id 1: max frags 4280, assoc_group 0xf053, secondary address
/// "4444" (5 bytes with the NUL), one pad byte, one result: acceptance with NDR20. 60 bytes.
pub const BIND_ACK: &str = concat!(
    "05000c03",
    "10000000",
    "3c00",
    "0000",
    "01000000", // header, frag_length 60
    "b810",
    "b810",
    "53f00000", // max_xmit, max_recv, assoc_group
    "0500",
    "3434343400",
    "00", // sec_addr length 5, "4444\0", pad to 4
    "01",
    "000000", // n_results, reserved
    "0000",
    "0000", // result acceptance, reason 0
    "045d888aeb1cc9119fe808002b104860",
    "02000000", // NDR20 v2
);

/// The 60-byte Close TAPI32_MSG of the worked example: Req_Func 9, Reserved1 0, hLine
/// 0x00010203, then Reserved2..13 zero.
pub const CLOSE_MSG: &str = concat!(
    "09000000",
    "00000000",
    "03020100",
    "000000000000000000000000000000000000000000000000",
    "000000000000000000000000000000000000000000000000",
);

/// request (PTYPE 0), call_id 3, alloc_hint 100, context 0, opnum 1 (ClientRequest): the
/// context handle 00000000 0102..10, pBuffer max 60 offset 0 actual 60, the Close message,
/// lNeededSize 60, *plUsedSize 60. 124 bytes.
pub const CLOSE_REQUEST: &str = concat!(
    "05000003",
    "10000000",
    "7c00",
    "0000",
    "03000000", // header, frag_length 124
    "64000000",
    "0000",
    "0100", // alloc_hint 100, p_cont_id 0, opnum 1
    "00000000",
    "0102030405060708090a0b0c0d0e0f10", // phContext
    "3c000000",
    "00000000",
    "3c000000", // max_count, offset, actual_count
    "09000000",
    "00000000",
    "03020100",
    "000000000000000000000000000000000000000000000000",
    "000000000000000000000000000000000000000000000000",
    "3c000000",
    "3c000000", // lNeededSize, *plUsedSize
);

/// response (PTYPE 2), call_id 3, alloc_hint 76: pBuffer max 60 offset 0 actual 60 with
/// Ack_ReturnValue 0, then *plUsedSize 60. 100 bytes.
pub const CLOSE_RESPONSE: &str = concat!(
    "05000203",
    "10000000",
    "6400",
    "0000",
    "03000000", // header, frag_length 100
    "4c000000",
    "0000",
    "00",
    "00", // alloc_hint 76, p_cont_id 0, cancel_count, reserved
    "3c000000",
    "00000000",
    "3c000000",
    "00000000",
    "00000000",
    "03020100",
    "000000000000000000000000000000000000000000000000",
    "000000000000000000000000000000000000000000000000",
    "3c000000", // *plUsedSize
);

/// fault (PTYPE 3), call_id 4, status nca_s_op_rng_error 0x1c010002 (C706 appendix E). 32
/// bytes.
pub const OP_RNG_FAULT: &str = concat!(
    "05000303", "10000000", "2000", "0000", "04000000", // header, frag_length 32
    "00000000", "0000", "00", "00", // alloc_hint, p_cont_id, cancel_count, reserved
    "0200011c", "00000000", // status, reserved
);

/// request (PTYPE 0), call_id 4, opnum 7: an opnum tapsrv does not have. 24 bytes.
pub const BAD_OPNUM_REQUEST: &str = concat!(
    "05000003", "10000000", "1800", "0000", "04000000", "00000000", "0000", "0700",
);

/// Bytes of a hex string (no separators).
pub fn bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}
