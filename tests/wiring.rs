//! Requests and replies hand out the 2.2.6 structures they carry, typed (issue 5, point 4).

use mstrp::handles::HLine;
use mstrp::replies::Reply;
use mstrp::requests::{FuncId, Request, Role, builders};
use mstrp::structures::{self, AnyStructure};

#[test]
fn every_structure_the_catalogue_names_exists() {
    for &f in FuncId::ALL {
        for field in &f.desc().fields {
            if let Role::Structure { name, .. } | Role::OutSize { structure: name } = field.role {
                assert!(
                    structures::desc_by_name(name).is_some(),
                    "{f:?}.{}: {name}",
                    field.name
                );
            }
        }
    }
}

#[test]
fn make_call_hands_out_its_linecallparams() {
    let params = structures::LINECALLPARAMS::builder()
        .dw_bearer_mode(1)
        .dw_media_mode(4)
        .displayable_address("Front desk")
        .to_vec();
    let bytes = builders::LineMakeCall::new()
        .h_line(HLine(7))
        .lpsz_dest_address("100")
        .lp_call_params(params.clone())
        .to_bytes();
    let Request::LineMakeCall(call) = Request::parse(&bytes).unwrap() else {
        panic!()
    };
    let Some(AnyStructure::LINECALLPARAMS(p)) = call.lp_call_params().decode().unwrap() else {
        panic!("not a LINECALLPARAMS")
    };
    assert_eq!(p.raw().root_bytes(), &params[..]);
    assert_eq!(
        p.raw().dword(
            structures::LINECALLPARAMS::DESC
                .field("dwMediaMode")
                .unwrap()
                .offset
        ),
        Some(4)
    );
    let absent = builders::LineMakeCall::new()
        .lp_call_params(None::<&[u8]>)
        .to_bytes();
    let Request::LineMakeCall(call) = Request::parse(&absent).unwrap() else {
        panic!()
    };
    assert!(call.lp_call_params().decode().unwrap().is_none());
}

#[test]
fn get_id_reply_hands_out_its_varstring() {
    // The reply to GetID (2.2.4.1.3.35): Ack_ReturnValue 0, lpDeviceID now the offset of the
    // VARSTRING in VarData (here 0).
    let mut vs = Vec::new();
    for d in [40u32, 40, 40, 3, 14, 24] {
        vs.extend_from_slice(&d.to_le_bytes());
    }
    vs.extend(
        "String"
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes),
    );
    vs.extend([0, 0]);
    let mut reply = builders::LineGetID::new()
        .lp_device_id(0)
        .to_bytes()
        .to_vec();
    reply[..4].copy_from_slice(&0u32.to_le_bytes());
    reply.extend_from_slice(&vs);
    let r = Reply::parse(FuncId::LineGetID, &reply).unwrap();
    let out = r.output_named("lpDeviceID").unwrap();
    let Some(AnyStructure::VARSTRING(v)) = out.structure().unwrap() else {
        panic!()
    };
    let text = v.raw().var_items().next().unwrap().text().unwrap().unwrap();
    assert_eq!(text.to_string(), "String");
}

#[test]
fn typed_reply_views_per_function() {
    use mstrp::replies::{ReplyRole, ReturnValue, views};
    // Initialize (2.2.4.1.1.1) answered: Ack 0, hLineApp and dwNumDevs filled by the server.
    let mut b = builders::LineInitialize::new()
        .dw_friendly_name_offset("HOST")
        .dw_module_name_offset("HOST")
        .to_bytes()
        .to_vec();
    b[..4].copy_from_slice(&0u32.to_le_bytes()); // Ack_ReturnValue: success
    b[8..12].copy_from_slice(&0x0001_0001u32.to_le_bytes()); // hLineApp
    b[24..28].copy_from_slice(&3u32.to_le_bytes()); // dwNumDevs
    let r = views::LineInitialize::parse(&b).unwrap();
    assert_eq!(r.return_value(), ReturnValue::Success);
    assert_eq!(
        (r.h_line_app().raw, r.h_line_app().role),
        (0x0001_0001, ReplyRole::Filled)
    );
    assert_eq!(
        (r.dw_num_devs().raw, r.dw_num_devs().field.name),
        (3, "dwNumDevs")
    );
    // GetID (2.2.4.1.3.35): lpDeviceID is the offset of the returned VARSTRING.
    let r = views::LineGetID::parse(&b).unwrap();
    assert!(matches!(
        r.lp_device_id().role,
        ReplyRole::Structure { name: "VARSTRING" }
    ));
}
