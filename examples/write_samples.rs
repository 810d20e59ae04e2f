//! Writes the shipped sample packets to `samples/` (run from the crate root):
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
    Ok(())
}
