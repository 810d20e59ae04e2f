//! Writes the shipped sample packets to `samples/` and the seeds of the fuzz corpus to
//! `fuzz/corpus/decode_request/`:
//!
//! ```text
//! cargo run --example write_samples
//! ```
//!
//! `tests/samples.rs` fails if the shipped files differ from what this writes.

#[path = "../tests/common/samples.rs"]
mod samples;

fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/requests");
    std::fs::create_dir_all(&dir)?;
    for (name, _, bytes) in samples::request_samples() {
        std::fs::write(dir.join(name), &bytes)?;
        println!("samples/requests/{name}: {} bytes", bytes.len());
    }
    // Seeds of the decode_request fuzz corpus: every kind, the samples, hostile packets.
    let corpus =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/decode_request");
    std::fs::create_dir_all(&corpus)?;
    let mut n = 0;
    for (name, bytes) in samples::one_of_every_kind() {
        std::fs::write(corpus.join(name), &bytes)?;
        n += 1;
    }
    for (name, _, bytes) in samples::request_samples() {
        std::fs::write(corpus.join(format!("sample-{name}")), &bytes)?;
        n += 1;
    }
    for (name, bytes) in samples::hostile_seeds() {
        std::fs::write(corpus.join(name), &bytes)?;
        n += 1;
    }
    println!("fuzz/corpus/decode_request: {n} seeds");
    Ok(())
}
