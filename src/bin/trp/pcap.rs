//! `trp pcap`: every call of a capture, as text or JSON lines.

use std::io::{self, Read, Write};
use std::path::PathBuf;

use mstrp::capture::calls::{Call, Calls, CallsConfig};
use mstrp::capture::{self, TransportConfig};
use mstrp::json::capture::{CaptureErrorJson, SummaryJson};
use mstrp::json::writer::{TextStyle, TextWriter, write_call};

use super::{Failure, progress, ux};

/// Streams the capture through the transport layer and the call decoder, printing each call
/// as soon as it and every earlier request are complete. Both outputs are written by the
/// library straight from the decoded views into one reused buffer (`mstrp::json::writer`:
/// JSON lines byte for byte the serde model's, and the text drawn from the same views or,
/// for the rare parts, from the JSON), handed to the writer in large pieces.
pub(crate) fn run(json_out: bool, ports: &[u16], file: &PathBuf) -> Result<bool, Failure> {
    let (reader, size): (Box<dyn Read>, _) = if file.as_os_str() == "-" {
        (Box::new(io::stdin().lock()), None)
    } else {
        let f = std::fs::File::open(file)
            .map_err(|e| Failure::input(json_out, format!("{}: {e}", file.display())))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
    // Drawn from the bytes read, one tick per 64 KiB chunk.
    let progress = progress::Progress::bytes(size).hidden_if(progress::stdout_is_watched());
    // Unbuffered: the capture reader fills its own 64 KiB buffer with large reads, which a
    // BufReader between would only copy.
    let mut events = capture::open(progress.reader(reader), TransportConfig::default())
        .map_err(|e| Failure::input(json_out, format!("{}: {e}", file.display())))?;
    let mut calls = Calls::new(CallsConfig {
        rpc_ports: ports.iter().copied().collect(),
        ..CallsConfig::default()
    });
    // Text is coloured as `decode`'s is (--color, NO_COLOR); JSON passes through untouched.
    // Without colour the text is written without the codes rather than stripped of them:
    // the same bytes, since anstream's stripping keeps printable ASCII and line feeds as
    // they are (a piece holding anything else still goes through it).
    let stdout = io::stdout().lock();
    let plain = !json_out && anstream::AutoStream::choice(&stdout) == anstream::ColorChoice::Never;
    let stdout = if json_out || plain {
        anstream::AutoStream::always_ansi(stdout)
    } else {
        anstream::AutoStream::auto(stdout)
    };
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout);
    let write_err = |e: io::Error| Failure::input(json_out, format!("writing output: {e}"));
    // The escape codes of ux::paint.
    let codes = |s: anstyle::Style| (format!("{s}"), format!("{s:#}"));
    let (heading, name) = (codes(ux::HEADING), codes(ux::NAME));
    let style = if plain {
        TextStyle::default()
    } else {
        TextStyle {
            heading: (&heading.0, &heading.1),
            name: (&name.0, &name.1),
        }
    };
    let mut text = TextWriter::new();
    let mut lines: Vec<u8> = Vec::with_capacity(1 << 17);
    let mut print = |call: &Call, out: &mut dyn Write| -> io::Result<()> {
        if json_out {
            write_call(call, &mut lines);
            lines.push(b'\n');
        } else {
            text.write_call(call, &style, &mut lines);
        }
        if lines.len() >= 1 << 16 {
            write_piece(out, &lines, plain && text.take_not_plain())?;
            lines.clear();
        }
        Ok(())
    };
    let mut done = false;
    while !done {
        match events.next() {
            Some(ev) => {
                calls.push(&ev);
                events.recycle(ev);
            }
            None => {
                calls.finish();
                done = true;
            }
        }
        // Lent, so that the calls' stub buffers serve the next calls.
        calls
            .drain_calls_with(|call| print(call, &mut out))
            .map_err(write_err)?;
    }
    write_piece(&mut out, &lines, plain && text.take_not_plain()).map_err(write_err)?;
    let stats = events.transport().stats();
    let errors: Vec<CaptureErrorJson> = calls.take_errors().iter().map(Into::into).collect();
    let errors_total = calls.stats().errors;
    let summary = SummaryJson {
        kind: "summary".into(),
        frames: stats.frames,
        calls: calls.stats().calls,
        skipped_frames: stats.skipped_link_type
            + stats.skipped_non_ip
            + stats.skipped_non_tcp
            + stats.skipped_fragments
            + stats.skipped_malformed,
        errors_not_listed: (calls.stats().errors_dropped > 0)
            .then_some(calls.stats().errors_dropped),
        errors,
    };
    if json_out {
        serde_json::to_writer(&mut out, &summary).map_err(|e| write_err(io::Error::other(e)))?;
        writeln!(out).map_err(write_err)?;
    } else {
        writeln!(
            out,
            "{} frames, {} calls, {} frames skipped, {} errors",
            summary.frames, summary.calls, summary.skipped_frames, errors_total
        )
        .map_err(write_err)?;
        // Errors go to standard error, each naming the file and the frame.
        let mut err = anstream::stderr().lock();
        for e in &summary.errors {
            let stream = e
                .stream
                .as_ref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            let msg = ux::paint(ux::ERROR, &e.message);
            let _ = writeln!(
                err,
                "trp: {}: frame {}{stream}: {msg}",
                file.display(),
                e.frame
            );
        }
        if let Some(n) = summary.errors_not_listed {
            let _ = writeln!(err, "trp: {}: {n} more errors not listed", file.display());
        }
    }
    out.flush().map_err(write_err)?;
    Ok(errors_total == 0)
}

/// Writes a piece of output; with `strip` (text without colour that may hold anything but
/// printable ASCII and line feeds, as `TextWriter::take_not_plain` tells), without its
/// terminal escapes and control characters as anstream strips them. Plain text is written as
/// it is: anstream's stripping keeps printable ASCII and line feeds.
fn write_piece(out: &mut dyn Write, piece: &[u8], strip: bool) -> io::Result<()> {
    if strip {
        for part in anstream::adapter::strip_bytes(piece) {
            out.write_all(part)?;
        }
        return Ok(());
    }
    out.write_all(piece)
}
