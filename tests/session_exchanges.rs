//! The twelve exchanges of [MS-TRP] section 4 (4.1-4.12), replayed in memory between a
//! `ClientSession` and a `ServerSession` (issue 11, item 2). The scripts, with the sentence of
//! section 4 each step asserts, are in `tests/common/exchanges.rs`, shared with
//! `examples/write_capture_samples.rs`, which writes the same exchanges as captures; here each
//! one runs, and what crossed the wire starts with ClientAttach and ends with ClientDetach
//! returning 0 (4.2, 4.8: "the server frees the referenced binding instance").

#[path = "common/exchanges.rs"]
mod exchanges;

use exchanges::{Exchange, Step};

/// Runs the script of `section` and checks the frame every exchange shares.
fn run(section: &str) -> Exchange {
    let (_, _, script) = exchanges::EXCHANGES
        .iter()
        .find(|(s, _, _)| *s == section)
        .expect("a section 4 exchange");
    let x = script();
    assert!(
        matches!(
            x.steps.first(),
            Some(Step::Attach {
                return_value: 0,
                ..
            })
        ),
        "{section}"
    );
    assert_eq!(x.steps.last(), Some(&Step::Detach(0)), "{section}");
    assert!(!x.server.is_attached());
    x
}

/// The functions (Req_Func) of the ClientRequests of `x`, in order.
fn req_funcs(x: &Exchange) -> Vec<u32> {
    x.steps
        .iter()
        .filter_map(|s| match s {
            Step::Request { request, .. } => {
                Some(u32::from_le_bytes(request[..4].try_into().unwrap()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn section_4_1_establish_the_session() {
    let x = run("4.1");
    // 4.1 then 4.2: Initialize (47), NegotiateAPIVersionForAllDevices (130), GetDevCaps (34),
    // GetAddressCaps (21), Open (54); Close (9), Shutdown (86) (2.2.4.1 Req_Func values).
    assert_eq!(req_funcs(&x), [47, 130, 34, 21, 54, 9, 86]);
}

#[test]
fn section_4_2_terminate_the_session() {
    run("4.2");
}

#[test]
fn section_4_3_outgoing_call() {
    let x = run("4.3");
    // MakeCall (48), Drop (16), DeallocateCall (12) between 4.1 and 4.2.
    assert_eq!(req_funcs(&x), [47, 130, 34, 21, 54, 48, 16, 12, 9, 86]);
}

#[test]
fn section_4_4_answer_an_incoming_call() {
    run("4.4");
}

#[test]
fn section_4_5_transfer_a_connected_call() {
    run("4.5");
}

#[test]
fn section_4_6_forward() {
    run("4.6");
}

#[test]
fn section_4_7_management_session() {
    let x = run("4.7");
    // "The server does not send any events to such an MMC client".
    assert!(!x.steps.iter().any(|s| matches!(s, Step::Events(_))));
}

#[test]
fn section_4_8_terminate_the_management_session() {
    run("4.8");
}

#[test]
fn section_4_9_get_server_config() {
    run("4.9");
}

#[test]
fn section_4_10_set_server_config() {
    run("4.10");
}

#[test]
fn section_4_11_acd_proxy_request() {
    run("4.11");
}

#[test]
fn section_4_12_agent_session_for_an_acd_group() {
    run("4.12");
}
