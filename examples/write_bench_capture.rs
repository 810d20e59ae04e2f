//! Writes a large capture for `benches/pcap_vs_tshark.sh`: TCP associations to port 4444, each
//! a bind, its bind_ack, then ClientRequest request/response pairs (NDR20, one PDU each)
//! cycling through the five 4.1 sample requests (`tests/common/rpc_calls.rs`).
//!
//! ```text
//! cargo run --release --features pcap --example write_bench_capture -- OUT.pcap [CALLS] [ASSOCIATIONS]
//! ```
//!
//! CALLS defaults to 200,000 and ASSOCIATIONS to 4 (the calls are shared out evenly). The file
//! is built in memory (about 170 MB for 200,000 calls) and written at the end. Prints the
//! number of calls, PDUs and frames written.

#[path = "../tests/common/rpc_calls.rs"]
mod rpc_calls;

use mstrp::capture::write::{CaptureWriter, Format, TcpOptions};
use mstrp::rpc::ndr::Syntax;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .ok_or("usage: write_bench_capture OUT.pcap [CALLS] [ASSOCIATIONS]")?;
    let calls: u32 = args.next().map_or(Ok(200_000), |a| a.parse())?;
    let associations: u32 = args.next().map_or(Ok(4), |a| a.parse())?;
    let associations = associations.clamp(1, calls.max(1));

    // The five calls' PDUs, built once; call_ids are patched in (bytes 12..16 of the header).
    let templates: Vec<(Vec<u8>, Vec<u8>)> = (0..5).map(rpc_calls::call).collect();
    let with_call_id = |pdu: &[u8], id: u32| {
        let mut p = pdu.to_vec();
        p[12..16].copy_from_slice(&id.to_le_bytes());
        p
    };

    let mut w = CaptureWriter::new(Format::Pcap).with_step(std::time::Duration::from_micros(50));
    let mut written = 0u32;
    let mut pdus = 0u64;
    for a in 0..associations {
        let n = calls / associations + u32::from(a < calls % associations);
        let options = TcpOptions {
            // The response acknowledges the request, the next request the response.
            ack_each_send: false,
            ..TcpOptions::default()
        };
        let client = format!("10.0.0.1:{}", 50_000 + a).parse()?;
        let server = "10.0.0.2:4444".parse()?;
        let mut c = w.tcp_conversation_with(client, server, options);
        c.client_sends(&rpc_calls::bind(1, Syntax::Ndr20).to_bytes()?);
        c.server_sends(&rpc_calls::bind_ack(1, Syntax::Ndr20).to_bytes()?);
        pdus += 2;
        for i in 0..n {
            let id = 2 + i;
            let (req, resp) = &templates[(id % 5) as usize];
            c.client_sends(&with_call_id(req, id));
            c.server_sends(&with_call_id(resp, id));
            pdus += 2;
        }
        c.close();
        written += n;
    }
    let frames = w.frame_count();
    let bytes = w.finish();
    std::fs::write(&out, &bytes)?;
    println!(
        "{out}: {written} calls, {pdus} PDUs, {frames} frames, {} bytes, {associations} associations",
        bytes.len()
    );
    Ok(())
}
