//! `trp replay FILE [--config FILE] [--capacity N] [--json]`: runs a sequence file (records
//! `[u32 LE length][TAPI32_MSG]`) against the in-process `ServerSession`, attached first in
//! the pull model, and prints one line per request (see `mstrp::session::replay`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use mstrp::json::ErrorJson;
use mstrp::json::replay::ReplayStepJson;
use mstrp::session::replay::{Replayer, records};

use super::{Failure, read_input, server_config};

/// Exit status 1 (after printing every record before it) when a record is truncated or too
/// long.
pub(super) fn replay(
    file: &PathBuf,
    config: Option<&Path>,
    capacity: Option<u32>,
    json_out: bool,
) -> Result<bool, Failure> {
    let bytes = read_input(file, json_out)?;
    let config = server_config(config).map_err(|e| Failure::input(json_out, e))?;
    let mut replayer = Replayer::new(config);
    if let Some(c) = capacity {
        replayer = replayer.with_capacity(c);
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let write_err = |e: io::Error| Failure::input(json_out, format!("writing output: {e}"));
    for record in records(&bytes) {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.flush().map_err(write_err)?;
                drop(out);
                let error = ErrorJson::from(&e);
                if json_out {
                    let line =
                        serde_json::json!({ "file": file.display().to_string(), "error": error });
                    let _ = writeln!(io::stdout(), "{line}");
                } else {
                    eprintln!("trp: {}: {}", file.display(), error.message);
                }
                return Ok(false);
            }
        };
        let step = replayer.step(&record);
        let value = ReplayStepJson::from_step(&step);
        if json_out {
            serde_json::to_writer(&mut out, &value).map_err(|e| write_err(io::Error::other(e)))?;
            writeln!(out).map_err(write_err)?;
        } else {
            let rv = value
                .return_value
                .map_or_else(|| "-".to_string(), |v| format!("{v:#010x}"));
            let func = value
                .req_func
                .map_or_else(|| "-".to_string(), |v| v.to_string());
            writeln!(
                out,
                "#{} @{}  {} (Req_Func {})  -> {} {}",
                value.index, value.offset, value.name, func, rv, value.result
            )
            .map_err(write_err)?;
            for e in &value.events {
                writeln!(out, "    event {}", e.name).map_err(write_err)?;
            }
            if let Some(e) = &value.events_error {
                writeln!(
                    out,
                    "    event {} at offset {}: {}",
                    e.index, e.offset, e.error.message
                )
                .map_err(write_err)?;
            }
        }
    }
    out.flush().map_err(write_err)?;
    Ok(true)
}
