//! `trp`: decode, explain and re-encode [MS-TRP] packets.
//!
//! ```text
//! trp decode --as request [--hex] [--json] [--strict] FILE|-
//! trp decode --as reply --func NAME [--hex] [--json] FILE|-
//! trp decode --as events [--hex] [--json] FILE|-
//! trp decode --as struct:NAME [--hex] [--json] FILE|-
//! trp validate --as request [--hex] [--json] FILE|-
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
use mstrp::errors::DecodeError;
use mstrp::handles::Version;
use mstrp::json::{ErrorJson, EventsJson, ReplyJson, RequestJson, StructureJson, unhex};
use mstrp::replies::Reply;
use mstrp::requests::{FuncId, Request};
use mstrp::structures;
use mstrp::validation::Report;
use serde_json::{Value, json};

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

/// What the bytes are: `request`, `reply`, `events` or `struct:NAME`.
#[derive(Clone, Debug)]
enum Kind {
    /// A ClientRequest buffer (TAPI32_MSG request, 2.2.4.1).
    Request,
    /// The same buffer after the server answered (needs --func).
    Reply,
    /// A RemoteSPEventProc buffer of ASYNCEVENTMSG (3.3.4.2).
    Events,
    /// A data structure of 2.2.6, e.g. struct:LINEDEVCAPS.
    Struct(String),
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    match s {
        "request" => Ok(Kind::Request),
        "reply" => Ok(Kind::Reply),
        "events" => Ok(Kind::Events),
        _ => match s.strip_prefix("struct:") {
            Some(name) if structures::desc_by_name(name).is_some() => Ok(Kind::Struct(name.into())),
            Some(name) => Err(format!("{name:?} is not a structure of [MS-TRP] 2.2.6")),
            None => Err("expected request, reply, events or struct:NAME".into()),
        },
    }
}

/// What `validate` checks.
#[derive(Clone, Copy, ValueEnum)]
enum ValidateKind {
    /// A ClientRequest buffer, against the rules of 3.1.4.2.
    Request,
}

/// Finds a function by its Rust name (`LineMakeCall`), Req_Func number (`48`) or, when it is
/// unique, its spec name (`MakeCall`); case-insensitive.
fn parse_func(s: &str) -> Result<FuncId, String> {
    FuncId::lookup(s).map_err(|e| e.to_string())
}

#[derive(Subcommand)]
enum Command {
    /// Decode a packet and print it (text, or JSON with --json).
    Decode {
        /// What the bytes are: request, reply, events or struct:NAME.
        #[arg(long = "as", value_parser = parse_kind, default_value = "request")]
        kind: Kind,
        /// For --as reply: the function answered (LineMakeCall, 48, or MakeCall).
        #[arg(long, value_parser = parse_func)]
        func: Option<FuncId>,
        /// The input is hex text rather than binary.
        #[arg(long)]
        hex: bool,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        /// Reject a Req_Func that [MS-TRP] does not document.
        #[arg(long)]
        strict: bool,
        /// The TAPI version the session negotiated (0x00020000, 131072 or 2.0): structures
        /// are read with exactly that version's fixed part and entry sizes. Without it, the
        /// version is guessed from the sizes and the output says which reading was chosen.
        #[arg(long, value_name = "VERSION")]
        api_version: Option<Version>,
        /// Input files (each one packet, or one event buffer), or - for standard input. With
        /// several files and --json, one object per line.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Check a packet against the server's rules; exit 1 when it breaks any.
    Validate {
        /// What the bytes are.
        #[arg(long = "as", value_enum, default_value = "request")]
        kind: ValidateKind,
        /// The input is hex text rather than binary.
        #[arg(long)]
        hex: bool,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        /// The TAPI version the session negotiated (0x00020000, 131072 or 2.0): size rules
        /// use that version's fixed parts and embedded structures are read at it. Without
        /// it, a version the request itself states is used, else the oldest layouts.
        #[arg(long, value_name = "VERSION")]
        api_version: Option<Version>,
        /// Input file, or - for standard input.
        file: PathBuf,
    },
    /// Read the JSON `decode --as request --json` prints and write the packet.
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
    error: Box<ErrorJson>,
    /// The input the error is about (decode errors; I/O errors name it in the message).
    file: Option<String>,
}

impl Failure {
    fn input(json: bool, message: String) -> Self {
        Failure {
            json,
            error: Box::new(ErrorJson {
                kind: "input".into(),
                packet: String::new(),
                field: String::new(),
                offset: 0,
                message,
            }),
            file: None,
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

fn read_bytes(file: &PathBuf, hex: bool, json: bool) -> Result<Vec<u8>, Failure> {
    let input = read_input(file, json)?;
    if !hex {
        return Ok(input);
    }
    let text = String::from_utf8(input)
        .map_err(|_| Failure::input(json, "hex input is not UTF-8".into()))?;
    unhex(&text).map_err(|e| Failure::input(json, e))
}

/// Prints `value` as one JSON object, or as text via `text`.
fn emit(
    json_out: bool,
    value: &Value,
    text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    let res = if json_out {
        serde_json::to_writer(&mut out, value)
            .map_err(io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        text(&mut out)
    };
    res.map_err(|e| Failure::input(json_out, format!("writing output: {e}")))
}

fn text_of(v: &Value, out: &mut dyn Write, indent: usize) -> io::Result<()> {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match v {
                    Value::Object(_) | Value::Array(_) => {
                        writeln!(out, "{pad}{k}:")?;
                        text_of(v, out, indent + 2)?;
                    }
                    _ => writeln!(out, "{pad}{k}: {v}")?,
                }
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                writeln!(out, "{pad}[{i}]")?;
                text_of(v, out, indent + 2)?;
            }
        }
        other => writeln!(out, "{pad}{other}")?,
    }
    Ok(())
}

fn decode(
    kind: &Kind,
    func: Option<FuncId>,
    hex: bool,
    json_out: bool,
    strict: bool,
    api_version: Option<Version>,
    file: &PathBuf,
) -> Result<(), Failure> {
    let bytes = read_bytes(file, hex, json_out)?;
    let decode_error = |e: DecodeError| Failure {
        json: json_out,
        error: Box::new((&e).into()),
        file: Some(file.display().to_string()),
    };
    match kind {
        Kind::Request => {
            let request = if strict {
                Request::parse_strict(&bytes)
            } else {
                Request::parse(&bytes)
            }
            .map_err(decode_error)?;
            let value = json!(RequestJson::from_request(&request));
            emit(json_out, &value, |out| write!(out, "{request}"))
        }
        Kind::Reply => {
            let func = func
                .ok_or_else(|| Failure::input(json_out, "--as reply needs --func NAME".into()))?;
            let reply = Reply::parse(func, &bytes).map_err(decode_error)?;
            let value = json!(ReplyJson::from_reply_with(&reply, api_version));
            emit(json_out, &value, |out| text_of(&value, out, 0))
        }
        Kind::Events => {
            let value = json!(EventsJson::from_bytes(&bytes));
            emit(json_out, &value, |out| text_of(&value, out, 0))
        }
        Kind::Struct(name) => {
            let s = match api_version {
                Some(v) => structures::decode_any_with(name, &bytes, v),
                None => structures::decode_any(name, &bytes),
            }
            .ok_or_else(|| Failure::input(json_out, format!("unknown structure {name}")))?
            .map_err(decode_error)?;
            let value = json!(StructureJson::from_raw(&s.raw()));
            emit(json_out, &value, |out| text_of(&value, out, 0))
        }
    }
}

/// Exit status 1 when the packet breaks a rule.
fn validate(
    hex: bool,
    json_out: bool,
    api_version: Option<Version>,
    file: &PathBuf,
) -> Result<bool, Failure> {
    let bytes = read_bytes(file, hex, json_out)?;
    let len = i32::try_from(bytes.len()).unwrap_or(i32::MAX);
    let report = Report::for_call_with(&bytes, len, len, None, api_version);
    let value = json!(report);
    emit(json_out, &value, |out| {
        if report.valid {
            writeln!(out, "valid: no rule of [MS-TRP] 3.1.4.2 fails")
        } else {
            for v in &report.violations {
                writeln!(out, "{v}")?;
            }
            Ok(())
        }
    })?;
    Ok(report.valid)
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
            func,
            hex,
            json,
            strict,
            api_version,
            files,
        } => {
            // Every file is decoded; the first failure decides the exit status.
            let mut first_failure = None;
            for (i, file) in files.iter().enumerate() {
                if !*json && files.len() > 1 {
                    println!("{}== {}", if i > 0 { "\n" } else { "" }, file.display());
                }
                if let Err(f) = decode(kind, *func, *hex, *json, *strict, *api_version, file) {
                    report(&f);
                    first_failure.get_or_insert(f);
                }
            }
            match first_failure {
                Some(_) => return ExitCode::from(2),
                None => Ok(true),
            }
        }
        Command::Validate {
            kind: ValidateKind::Request,
            hex,
            json,
            api_version,
            file,
        } => validate(*hex, *json, *api_version, file),
        Command::Encode { hex, file } => encode(*hex, file).map(|()| true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(f) => {
            report(&f);
            ExitCode::from(2)
        }
    }
}

/// Prints a failure: JSON on standard output with --json, text on standard error otherwise.
fn report(f: &Failure) {
    match (&f.file, f.json) {
        (Some(file), true) => println!("{}", json!({ "file": file, "error": f.error })),
        (None, true) => println!("{}", json!({ "error": f.error })),
        (Some(file), false) => eprintln!("trp: {file}: {}", f.error.message),
        (None, false) => eprintln!("trp: {}", f.error.message),
    }
}
