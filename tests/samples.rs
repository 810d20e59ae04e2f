//! Regression fixtures, not known answers: the shipped samples (`samples/requests/`) are
//! written by our own builders (`examples/write_samples.rs`) and compared with what the same
//! builders write, so they catch a change in the builders or the decoder, not a misreading of
//! the spec that both share. The known answers are the hand-laid vectors of
//! `tests/known_answer_requests.rs` (from the spec diagrams) and `tests/known_answer_public.rs`
//! (bytes produced by public code outside this project).

mod common;

use common::samples::{self, H_CALL, H_LINE, H_LINE_APP};
use mstrp::handles::Version;
use mstrp::requests::{Completion, Request};
use std::path::Path;

/// A shipped sample's bytes (leaked: test-only, so views may borrow them freely).
fn shipped(name: &str) -> &'static [u8] {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/requests")
        .join(name);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run `cargo run --example write_samples`)",
            p.display()
        )
    });
    Box::leak(bytes.into_boxed_slice())
}

#[test]
fn shipped_samples_are_up_to_date() {
    for (name, _, bytes) in samples::request_samples() {
        assert_eq!(
            shipped(name),
            &bytes[..],
            "{name} differs: run `cargo run --example write_samples`"
        );
    }
}

#[test]
fn section_4_1_establish_the_session() {
    // Initialize → NegotiateAPIVersionForAllDevices → GetDevCaps → GetAddressCaps → Open.
    let Request::LineInitialize(init) = Request::parse(shipped("4.1-1-initialize.bin")).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        init.dw_friendly_name_offset().resolve().unwrap().unwrap(),
        "WORKSTATION1"
    );
    assert_eq!(init.dw_api_version(), Version::TAPI_3_1);
    assert_eq!(
        Request::LineInitialize(init).desc().unwrap().completion,
        Completion::Sync
    );

    let b = shipped("4.1-2-negotiate-api-version-for-all-devices.bin");
    let Request::NegotiateAPIVersionForAllDevices(neg) = Request::parse(b).unwrap() else {
        panic!()
    };
    assert_eq!(neg.h_line_app(), H_LINE_APP);
    assert_eq!(neg.dw_num_line_devices(), 2);
    assert!(
        neg.var_data().len()
            >= (neg.dw_line_api_version_list_size() + neg.dw_line_extension_id_list_size())
                as usize
    );

    let Request::LineGetDevCaps(caps) = Request::parse(shipped("4.1-3-get-dev-caps.bin")).unwrap()
    else {
        panic!()
    };
    assert_eq!(caps.lp_line_dev_caps() as usize, caps.var_data().len());
    let Request::LineGetAddressCaps(ac) =
        Request::parse(shipped("4.1-4-get-address-caps.bin")).unwrap()
    else {
        panic!()
    };
    assert_eq!(ac.dw_address_id(), 0);

    let Request::LineOpen(open) = Request::parse(shipped("4.1-5-open.bin")).unwrap() else {
        panic!()
    };
    assert_eq!(open.dw_privileges(), samples::LINECALLPRIVILEGE_OWNER);
    assert!(open.p_call_params().is_absent());
    assert_eq!(
        open.h_line().get(),
        0xFFFF_FFFF,
        "set to TAPI_NO_DATA in the request"
    );
}

#[test]
fn section_4_3_make_an_outgoing_call() {
    let Request::LineMakeCall(call) = Request::parse(shipped("4.3-1-make-call.bin")).unwrap()
    else {
        panic!()
    };
    assert_eq!(call.h_line(), H_LINE);
    assert_eq!(
        call.lpsz_dest_address().resolve().unwrap().unwrap(),
        "+14255550100"
    );
    assert_eq!(
        Request::LineMakeCall(call).desc().unwrap().completion,
        Completion::Async
    );
    let Request::LineDrop(drop) = Request::parse(shipped("4.3-2-drop.bin")).unwrap() else {
        panic!()
    };
    assert_eq!(drop.h_call(), H_CALL);
    let Request::LineDeallocateCall(d) =
        Request::parse(shipped("4.3-3-deallocate-call.bin")).unwrap()
    else {
        panic!()
    };
    assert_eq!(d.h_call(), H_CALL);
}

#[test]
fn typed_builders_round_trip_through_views() {
    for (name, _, bytes) in samples::request_samples() {
        let r = Request::parse_strict(&bytes).unwrap();
        let b = mstrp::requests::RequestBuilder::from_request(&r).unwrap();
        assert_eq!(&b.to_bytes()[..], &bytes[..], "{name}");
    }
    let Request::LineMakeCall(call) = Request::parse(shipped("4.3-1-make-call.bin")).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        &call.to_builder().unwrap().to_bytes()[..],
        shipped("4.3-1-make-call.bin")
    );
}
