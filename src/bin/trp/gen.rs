//! `trp gen --as KIND [--func F] [--violate RULE|CHECK] --count N --seed S --out DIR`: writes
//! generated files, deterministic per seed (the generation, the checks of the options and the
//! file names are `mstrp::generate::files`; this module parses and writes).

use std::io::{self, Write};
use std::path::PathBuf;

use mstrp::generate::Violate;
use mstrp::generate::files::{self, Kind, Spec};
use mstrp::handles::Version;
use mstrp::requests::FuncId;

use super::progress::{Progress, stdout_is_watched};
use super::{Failure, parse_func};

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::parse(s).map_err(|e| e.to_string())
}

fn parse_violation(s: &str) -> Result<Violate, String> {
    files::parse_violation(s).map_err(|e| e.to_string())
}

#[derive(clap::Args)]
pub(super) struct GenArgs {
    /// What to generate: request, reply, events, struct:NAME (a 2.2.6 structure) or sequence
    /// (a sequence file for `trp replay`).
    #[arg(long = "as", value_parser = parse_kind, value_name = "KIND")]
    kind: Kind,
    /// For request and reply: the function (LineMakeCall, 48, or MakeCall); any, drawn per
    /// file, without it.
    #[arg(long, value_parser = parse_func)]
    func: Option<FuncId>,
    /// For request: break one thing, a validation rule by id (48.2; see `trp rules`) or a
    /// resolver check (misaligned, out-of-bounds, overflow, missing-nul, size-past-vardata,
    /// struct-too-small), keeping the rest valid.
    #[arg(long, value_parser = parse_violation, value_name = "RULE|CHECK")]
    violate: Option<Violate>,
    /// For sequence: apply 1 to 3 mutation points (undocumented Req_Func, stale handle,
    /// dropped or swapped step) to each valid sequence.
    #[arg(long)]
    mutate: bool,
    /// Lay each file out as the fuzz target of its kind reads it: struct:NAME with the
    /// structure's catalogue index as first byte (decode_structure), sequence with a
    /// completion-mode byte (session_sequence).
    #[arg(long)]
    fuzz_framing: bool,
    /// The negotiated TAPI version (0x00020000, 131072 or 2.0): layouts and version fields.
    #[arg(long, value_name = "VERSION")]
    api_version: Option<Version>,
    /// How many files.
    #[arg(long, default_value_t = 1, value_name = "N")]
    count: usize,
    /// The seed: the same seed writes the same bytes.
    #[arg(long, default_value_t = 0, value_name = "S")]
    seed: u64,
    /// The folder to write to (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

/// Writes the files and prints each path, one per line.
pub(super) fn run(args: &GenArgs) -> Result<bool, Failure> {
    let spec = Spec {
        kind: args.kind,
        func: args.func,
        violate: args.violate.unwrap_or(Violate::Nothing),
        version: args.api_version,
        mutate: args.mutate,
        fuzz_framing: args.fuzz_framing,
    };
    let generated = files::generate(&spec, args.seed, args.count)
        .map_err(|e| Failure::input(false, e.to_string()))?;
    let io_err =
        |what: &PathBuf, e: io::Error| Failure::input(false, format!("{}: {e}", what.display()));
    std::fs::create_dir_all(&args.out).map_err(|e| io_err(&args.out, e))?;
    // A bar over the files written, when stderr is a terminal and the list of paths goes to
    // a file (the same rule as `trp pcap`; src/bin/trp/progress.rs).
    let progress = Progress::count(generated.len() as u64).hidden_if(stdout_is_watched());
    let mut out = io::BufWriter::new(io::stdout().lock());
    for f in generated {
        let path = args.out.join(&f.name);
        std::fs::write(&path, &f.bytes).map_err(|e| io_err(&path, e))?;
        writeln!(out, "{}", path.display()).map_err(|e| io_err(&path, e))?;
        progress.inc(1);
    }
    progress.finish();
    out.flush()
        .map_err(|e| Failure::input(false, format!("writing output: {e}")))?;
    Ok(true)
}
