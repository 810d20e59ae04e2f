//! `examples/tapi_client.rs` (our RPC layer and `ClientSession` on the wire) runs the
//! [MS-TRP] 4.1, 4.3 and 4.2 exchanges against `serve` answering with `ServerSession`,
//! over loopback TCP (issue 11, "A client"). The client returns an error on any refusal,
//! fault, failed reply or missing event, so `run` succeeding is the check.
#![cfg(feature = "serve")]

use std::net::TcpListener;

use mstrp::serve::{ServerOptions, serve};
use mstrp::session::{ServerConfig, ServerSession};

#[path = "../examples/tapi_client.rs"]
mod tapi_client;

#[test]
fn the_example_client_runs_4_1_4_3_and_4_2_against_the_server() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let options = ServerOptions {
        listen: addr,
        ..ServerOptions::default()
    };
    std::thread::spawn(move || {
        serve(
            listener,
            || ServerSession::new(ServerConfig::default()),
            options,
        )
    });
    if let Err(e) = tapi_client::run(addr) {
        panic!("the 4.1/4.3/4.2 client failed: {e}");
    }
    // A second session on a fresh connection starts from nothing (ClientDetach forgot all).
    if let Err(e) = tapi_client::run(addr) {
        panic!("a second session failed: {e}");
    }
}
