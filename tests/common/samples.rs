//! The request packets of the [MS-TRP] section 4 exchanges, shipped under `samples/requests/`
//! as regression fixtures (our builders write them; they are not independent known answers).
//!
//! Shared by `examples/write_samples.rs` (which writes the files) and `tests/samples.rs`
//! (which checks that the shipped files are exactly what this module builds).

use bytes::BytesMut;
use mstrp::handles::{HCall, HLine, HLineApp, RequestId, Version};
use mstrp::requests::builders;

/// `hLineApp` the server returned from Initialize in this session.
pub const H_LINE_APP: HLineApp = HLineApp(0x0001_0001);
/// `hLine` the server returned from Open.
pub const H_LINE: HLine = HLine(0x0002_0001);
/// `hCall` from the MakeCall completion (LINE_REPLY).
pub const H_CALL: HCall = HCall(0x0003_0001);
/// LINECALLPRIVILEGE_OWNER (2.2.3.1.26).
pub const LINECALLPRIVILEGE_OWNER: u32 = 0x0000_0004;
/// LINEMEDIAMODE_INTERACTIVEVOICE (2.2.3.1.44).
pub const LINEMEDIAMODE_INTERACTIVEVOICE: u32 = 0x0000_0004;
/// Size of LINEEXTENSIONID (2.2.6.45): four DWORDs.
pub const LINEEXTENSIONID_SIZE: u32 = 16;

/// `(file name, section, packet)` for every shipped request sample, in exchange order.
pub fn request_samples() -> Vec<(&'static str, &'static str, BytesMut)> {
    let num_lines = 2u32;
    vec![
        (
            "4.1-1-initialize.bin",
            "4.1",
            builders::LineInitialize::new()
                .init_context(0x0000_0001)
                .dw_friendly_name_offset("WORKSTATION1")
                .dw_module_name_offset("WORKSTATION1")
                .dw_api_version(Version::TAPI_3_1)
                .to_bytes(),
        ),
        (
            "4.1-2-negotiate-api-version-for-all-devices.bin",
            "4.1",
            builders::NegotiateAPIVersionForAllDevices::new()
                .h_line_app(H_LINE_APP)
                .dw_num_line_devices(num_lines)
                .dw_num_phone_devices(0)
                .dw_api_high_version(Version::TAPI_3_1)
                .dw_line_api_version_list_offset(0)
                .dw_line_api_version_list_size(4 * num_lines)
                .dw_line_extension_id_list_offset(0)
                .dw_line_extension_id_list_size(LINEEXTENSIONID_SIZE * num_lines)
                .dw_phone_api_version_list_offset(0)
                .dw_phone_api_version_list_size(0)
                .dw_phone_extension_id_list_offset(0)
                .dw_phone_extension_id_list_size(0)
                .var_data_len((4 + LINEEXTENSIONID_SIZE as usize) * num_lines as usize)
                .to_bytes(),
        ),
        (
            "4.1-3-get-dev-caps.bin",
            "4.1",
            builders::LineGetDevCaps::new()
                .h_line_app(H_LINE_APP)
                .dw_device_id(0)
                .dw_tspi_version(Version::TAPI_3_1)
                .dw_ext_version(0)
                .lp_line_dev_caps(1024)
                .var_data_len(1024)
                .to_bytes(),
        ),
        (
            "4.1-4-get-address-caps.bin",
            "4.1",
            builders::LineGetAddressCaps::new()
                .h_line_app(H_LINE_APP)
                .dw_device_id(0)
                .dw_address_id(0)
                .dw_tspi_version(Version::TAPI_3_1)
                .dw_ext_version(0)
                .lp_address_caps(1024)
                .var_data_len(1024)
                .to_bytes(),
        ),
        (
            "4.1-5-open.bin",
            "4.1",
            builders::LineOpen::new()
                .h_line_app(H_LINE_APP)
                .dw_device_id(0)
                .h_line(0xFFFF_FFFF)
                .dw_negotiated_version(Version::TAPI_3_1)
                .dw_ext_version(0)
                .open_context(0)
                .dw_privileges(LINECALLPRIVILEGE_OWNER)
                .dw_media_modes(LINEMEDIAMODE_INTERACTIVEVOICE)
                .p_call_params(None::<&[u8]>)
                .dw_ascii_call_params_code_page(0xFFFF_FFFF)
                .p_get_call_params(0)
                .h_remote_line(0x0000_0001)
                .to_bytes(),
        ),
        (
            "4.3-1-make-call.bin",
            "4.3",
            builders::LineMakeCall::new()
                .dw_request_id(RequestId(0))
                .lp_context(0x0000_0010)
                .h_line(H_LINE)
                .lph_call_context(0x0000_0011)
                .lpsz_dest_address("+14255550100")
                .dw_country_code(0)
                .lp_call_params(None::<&[u8]>)
                .dw_call_params_code_page(0xFFFF_FFFF)
                .to_bytes(),
        ),
        (
            "4.3-2-drop.bin",
            "4.3",
            builders::LineDrop::new()
                .dw_request_id(RequestId(0))
                .h_call(H_CALL)
                .lps_user_user_info(None::<&[u8]>)
                .to_bytes(),
        ),
        (
            "4.3-3-deallocate-call.bin",
            "4.3",
            builders::LineDeallocateCall::new()
                .h_call(H_CALL)
                .to_bytes(),
        ),
    ]
}

/// One packet of every request kind, every reference present and resolving: the seeds of the
/// `decode_request` fuzz corpus (`fuzz/corpus/decode_request/`).
pub fn one_of_every_kind() -> Vec<(String, BytesMut)> {
    use mstrp::encoding::Payload;
    use mstrp::requests::RequestBuilder;
    use mstrp::requests::{FuncId, Role};
    FuncId::ALL
        .iter()
        .map(|&func| {
            let mut b = RequestBuilder::new(func);
            for (i, f) in func.desc().fields.iter().enumerate().skip(2) {
                match f.role {
                    Role::String { .. } => {
                        b.set_payload(i, Payload::text("line1"));
                    }
                    Role::Bytes { .. } => {
                        b.set_payload(i, Payload::Bytes(vec![0x11; 6]));
                    }
                    Role::Structure { .. } => {
                        b.set_payload(i, Payload::Bytes(vec![12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0]));
                    }
                    _ => {
                        b.set(i, i as u32);
                    }
                }
            }
            (format!("{:03}-{:?}.bin", func as u32, func), b.to_bytes())
        })
        .collect()
}

/// Hostile seeds: short, undocumented, misaligned, overflowing, unterminated.
pub fn hostile_seeds() -> Vec<(String, Vec<u8>)> {
    let mut make_call = one_of_every_kind()
        .into_iter()
        .find(|(n, _)| n.starts_with("048-"))
        .map(|(_, b)| b.to_vec())
        .unwrap_or_default();
    let mut seeds = vec![
        ("hostile-short.bin".to_string(), vec![0x30; 59]),
        ("hostile-unknown-28.bin".to_string(), {
            let mut b = vec![0; 64];
            b[0] = 28;
            b
        }),
        ("hostile-unknown-ffffffff.bin".to_string(), vec![0xFF; 60]),
    ];
    // MakeCall with lpszDestAddress (byte 24) misaligned, then past VarData.
    make_call[24..28].copy_from_slice(&1u32.to_le_bytes());
    seeds.push(("hostile-misaligned.bin".into(), make_call.clone()));
    make_call[24..28].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    seeds.push(("hostile-past-vardata.bin".into(), make_call));
    seeds
}
