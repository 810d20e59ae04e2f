//! `trp`: decode, explain and re-encode [MS-TRP] packets.
//!
//! ```text
//! trp decode --as request [--hex] [--json] [--strict] FILE|-
//! trp encode [--hex] FILE|-
//! ```
//!
//! `decode` prints a packet for people, or with `--json` exactly one JSON object (see
//! `mstrp::json`). `encode` reads that JSON and writes the packet's bytes, so
//! `trp decode --json F | trp encode -` reproduces F byte for byte. Errors exit with status 2
//! (with `--json`, as `{"error":{...}}` on standard output).

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use bytes::BytesMut;
use clap::{Parser, Subcommand, ValueEnum};
use mstrp::json::{ErrorJson, RequestJson, unhex};
use mstrp::requests::Request;

#[derive(Parser)]
#[command(
    name = "trp",
    version,
    about = "Decode, explain and re-encode [MS-TRP] packets"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    /// A ClientRequest buffer (TAPI32_MSG request, 2.2.4.1).
    Request,
}

#[derive(Subcommand)]
enum Command {
    /// Decode a packet and print it (text, or JSON with --json).
    Decode {
        /// What the bytes are.
        #[arg(long = "as", value_enum, default_value = "request")]
        kind: Kind,
        /// The input is hex text rather than binary.
        #[arg(long)]
        hex: bool,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        /// Reject a Req_Func that [MS-TRP] does not document.
        #[arg(long)]
        strict: bool,
        /// Input file, or - for standard input.
        file: PathBuf,
    },
    /// Read the JSON `decode --json` prints and write the packet.
    Encode {
        /// Write hex text rather than binary.
        #[arg(long)]
        hex: bool,
        /// Input file, or - for standard input.
        file: PathBuf,
    },
}

/// A failure, printed as text or JSON; exit status 2.
struct Failure {
    json: bool,
    error: ErrorJson,
}

impl Failure {
    fn input(json: bool, message: String) -> Self {
        Failure {
            json,
            error: ErrorJson {
                kind: "input".into(),
                packet: String::new(),
                field: String::new(),
                offset: 0,
                message,
            },
        }
    }
}

fn read_input(path: &PathBuf, json: bool) -> Result<Vec<u8>, Failure> {
    let mut buf = Vec::new();
    let res = if path.as_os_str() == "-" {
        io::stdin().read_to_end(&mut buf).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut buf).map(|_| ()))
    };
    res.map_err(|e| Failure::input(json, format!("{}: {e}", path.display())))?;
    Ok(buf)
}

fn decode(kind: Kind, hex: bool, json: bool, strict: bool, file: &PathBuf) -> Result<(), Failure> {
    let input = read_input(file, json)?;
    let bytes = if hex {
        let text = String::from_utf8(input)
            .map_err(|_| Failure::input(json, "hex input is not UTF-8".into()))?;
        unhex(&text).map_err(|e| Failure::input(json, e))?
    } else {
        input
    };
    let decode_error = |e: mstrp::errors::DecodeError| Failure {
        json,
        error: (&e).into(),
    };
    match kind {
        Kind::Request => {
            let request = if strict {
                Request::parse_strict(&bytes)
            } else {
                Request::parse(&bytes)
            }
            .map_err(decode_error)?;
            let mut out = io::stdout().lock();
            let res = if json {
                serde_json::to_writer(&mut out, &RequestJson::from_request(&request))
                    .map_err(io::Error::other)
                    .and_then(|()| writeln!(out))
            } else {
                write!(out, "{request}")
            };
            res.map_err(|e| Failure::input(json, format!("writing output: {e}")))
        }
    }
}

fn encode(hex: bool, file: &PathBuf) -> Result<(), Failure> {
    let input = read_input(file, false)?;
    let packet: RequestJson = serde_json::from_slice(&input)
        .map_err(|e| Failure::input(false, format!("invalid JSON: {e}")))?;
    let mut out = BytesMut::new();
    packet
        .encode(&mut out)
        .map_err(|e| Failure::input(false, e.to_string()))?;
    let mut stdout = io::stdout().lock();
    let res = if hex {
        let text: String = out.iter().map(|b| format!("{b:02x}")).collect();
        writeln!(stdout, "{text}")
    } else {
        stdout.write_all(&out)
    };
    res.map_err(|e| Failure::input(false, format!("writing output: {e}")))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Decode {
            kind,
            hex,
            json,
            strict,
            file,
        } => decode(*kind, *hex, *json, *strict, file),
        Command::Encode { hex, file } => encode(*hex, file),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if f.json {
                let v = serde_json::json!({ "error": f.error });
                println!("{v}");
            } else {
                eprintln!("trp: {}", f.error.message);
            }
            ExitCode::from(2)
        }
    }
}
