//! `trp rules [--json]`: every validation rule of the rule table (`mstrp::json::rules`).

use std::io::{self, Write};

use mstrp::json::rules::rules;

use super::{Failure, ux};

#[derive(clap::Args)]
pub(super) struct RulesArgs {
    /// Print one JSON array of every rule.
    #[arg(long)]
    json: bool,
}

/// Prints the rules: a JSON array, or one line per rule
/// (`48.2  MakeCall  lpszDestAddress  LINEERR_INVALPOINTER  ...`).
pub(super) fn run(args: &RulesArgs) -> Result<bool, Failure> {
    let all = rules();
    let write_err = |e: io::Error| Failure::input(args.json, format!("writing output: {e}"));
    let mut out = io::BufWriter::new(anstream::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &all).map_err(|e| write_err(io::Error::other(e)))?;
        writeln!(out).map_err(write_err)?;
    } else {
        for r in &all {
            let function = r.function.as_deref().unwrap_or(match r.block {
                "client_request" => "ClientRequest",
                _ => "LINECALLPARAMS",
            });
            writeln!(
                out,
                "{} {:<9} {}  {}  {}{}  {}",
                ux::paint(ux::NAME, format!("{:<7}", r.id)),
                r.section,
                function,
                r.field,
                r.error,
                if r.stateful { "  (stateful)" } else { "" },
                r.text
            )
            .map_err(write_err)?;
        }
    }
    out.flush().map_err(write_err)?;
    Ok(true)
}
