//! Runs one loop of benches/events.rs a given number of times, for instruction counts that do
//! not depend on the machine's load:
//!
//! ```sh
//! cargo build --release --example events_cost
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/events_cost correlate 100
//! ```
//!
//! (instructions of `N` iterations minus those of 0, divided by `N` × 1024, are the
//! instructions per event). Modes: `frame`, `decode`, `correlate`.

#[path = "../benches/common/events.rs"]
mod stream;

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "correlate".into());
    let n: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    let buf = stream::buffer();
    let mut c = mstrp::events::completions::Correlator::with_capacity(stream::REQUESTS);
    for _ in 0..n {
        match mode.as_str() {
            "frame" => {
                std::hint::black_box(stream::frame(&buf));
            }
            "decode" => {
                std::hint::black_box(stream::decode(&buf));
            }
            "correlate" => stream::correlate(&mut c, &buf),
            m => panic!("unknown mode {m}: frame, decode or correlate"),
        }
    }
}
