//! `trp`: decode, explain and re-encode [MS-TRP] packets.
//!
//! ```text
//! trp decode --as request [--hex] [--json] [--strict] FILE|-
//! trp decode --as reply --func NAME [--hex] [--json] FILE|-
//! trp decode --as events [--hex] [--json] FILE|-
//! trp decode --as struct:NAME [--hex] [--json] FILE|-
//! trp decode --as rpc --interface tapsrv|remotesp --opnum N --dir request|response [--ndr64] FILE|-
//! trp decode --as pdu [--hex] [--json] FILE|-
//! trp validate --as request [--hex] [--json] FILE...|-
//! trp replay [--config FILE] [--capacity N] [--json] FILE|-
//! trp gen --as request|reply|events|struct:NAME|sequence [--func F] [--violate RULE] --count N --seed S --out DIR
//! trp rules [--json]
//! trp encode [--hex] FILE|-
//! trp pcap [--json] [--port N]... FILE
//! trp explain [--json] RULE|FUNC|CONSTANT
//! trp completions bash|zsh|fish|powershell|elvish
//! trp man
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
use mstrp::json::rpc::{CallContext, PdusJson, RpcJson, decode_stub};
use mstrp::json::{ErrorJson, EventsJson, ReplyJson, RequestJson, StructureJson};
use mstrp::replies::Reply;
use mstrp::requests::{FuncId, Request};
use mstrp::rpc::methods::{Direction, Interface, Method};
use mstrp::rpc::ndr::Syntax;
use mstrp::structures;
use mstrp::validation::Report;
use serde_json::{Value, json};

mod r#gen;
mod pcap;
mod progress;
mod replay;
mod rules;
mod ux;
mod wireshark;

#[derive(Parser)]
#[command(
    name = "trp",
    version,
    about = "Decode, explain and re-encode [MS-TRP] packets"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour the text output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    color: ux::ColorWhen,
    /// Never draw a progress bar (also TRP_NO_PROGRESS=1). Bars are drawn on standard error
    /// only when it is a terminal and standard output is neither a terminal nor a pipe.
    #[arg(long, global = true)]
    no_progress: bool,
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
    /// The NDR stub of one of the six methods (needs --interface, --opnum, --dir).
    Rpc,
    /// A byte stream of connection-oriented DCE/RPC PDUs.
    Pdu,
    /// Guessed from the bytes (capture, pdu, events or request); said on standard error.
    Auto,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    match s {
        "request" => Ok(Kind::Request),
        "reply" => Ok(Kind::Reply),
        "events" => Ok(Kind::Events),
        "rpc" => Ok(Kind::Rpc),
        "pdu" => Ok(Kind::Pdu),
        "auto" => Ok(Kind::Auto),
        _ => match s.strip_prefix("struct:") {
            Some(name) if structures::desc_by_name(name).is_some() => Ok(Kind::Struct(name.into())),
            Some(name) => Err(format!("{name:?} is not a structure of [MS-TRP] 2.2.6")),
            None => Err("expected request, reply, events, struct:NAME, rpc, pdu or auto".into()),
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
        /// What the bytes are: request, reply, events, struct:NAME, rpc (a method's NDR
        /// stub), pdu (a stream of DCE/RPC PDUs) or auto (guessed: capture, pdu, events or
        /// request).
        #[arg(long = "as", value_parser = parse_kind, default_value = "request")]
        kind: Kind,
        #[command(flatten)]
        rpc: RpcArgs,
        /// For --as reply: the function answered (LineMakeCall, 48, or MakeCall).
        #[arg(long, value_parser = parse_func)]
        func: Option<FuncId>,
        /// The input is hex text rather than binary: a hex stream (whitespace, commas and 0x
        /// allowed) or an xxd, hexdump -C or Wireshark hex dump.
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
        /// Input files, or - for standard input. With several files, each report names its
        /// file (`"file"` in JSON, one line per file in order; a `== FILE` header in text).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run a sequence file (records of a u32 little-endian length and a TAPI32_MSG) against
    /// the in-process ServerSession, attached first in the pull model, and print one line
    /// per request: its reply's return value and the events it produced. Exit status 1
    /// when a record is truncated or longer than 1 MiB (the records before it are printed).
    Replay {
        /// The device model (TOML), as for `trp serve --config`.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// lNeededSize for every request (default: the record's length, at least 4096).
        #[arg(long, value_name = "N")]
        capacity: Option<u32>,
        /// Print one JSON object per request.
        #[arg(long)]
        json: bool,
        /// The sequence file, or - for standard input.
        file: PathBuf,
    },
    /// Write generated packets, structures or sequence files, deterministic per seed
    /// (names like request-0000-LineMakeCall.bin); one path per line on standard output.
    Gen(r#gen::GenArgs),
    /// List every validation rule (id, section, function, field, error, stateful, text).
    Rules(rules::RulesArgs),
    /// Decode every tapsrv and remotesp call of a pcap or pcapng capture, in request order.
    /// Exit status 1 when the capture is damaged or a stream lost bytes, 2 when it is not a
    /// capture.
    Pcap {
        /// Print one JSON object per call, then a summary object.
        #[arg(long)]
        json: bool,
        /// A TCP port whose streams are DCE/RPC even when the capture holds no bind (read as
        /// tapsrv over NDR20 until a bind says otherwise). Repeatable.
        #[arg(long = "port", value_name = "N")]
        ports: Vec<u16>,
        /// The capture file, or - for standard input.
        file: PathBuf,
    },
    /// Serve the tapsrv interface over DCE/RPC on TCP (ncacn_ip_tcp): the first line on
    /// standard output is `listening on ADDR:PORT`; with -v each connection and call is logged
    /// on standard error.
    #[cfg(feature = "serve")]
    Serve {
        /// Address and port to listen on (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: std::net::SocketAddr,
        /// The device model (TOML).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Log each connection and call on standard error.
        #[arg(short, long)]
        verbose: bool,
        /// A host besides the loopback addresses that the push model may call back.
        /// Repeatable.
        #[arg(long = "allow-callback", value_name = "HOST")]
        allow_callback: Vec<String>,
    },
    /// Write the Wireshark/tshark Lua dissector for [MS-TRP], generated from the catalogues
    /// (load it with `tshark -X lua_script:FILE` or copy it into the personal plugins folder).
    Wireshark {
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Explain a validation rule (48.2), a function's layout (MakeCall, 48) or a result code,
    /// constant or event (0x8000004D, LINECALLSTATE_OFFERING, LINE_CALLSTATE); exit 1 when
    /// nothing matches.
    Explain {
        /// Print one JSON object with every match.
        #[arg(long)]
        json: bool,
        /// A rule id, a function, or a constant's name or value.
        query: String,
    },
    /// Write a shell completion script to standard output.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Write the manual page (roff) to standard output.
    Man,
    /// Read the JSON `decode --as request --json` or `decode --as rpc --json` prints and
    /// write the packet or stub.
    Encode {
        /// Write hex text rather than binary.
        #[arg(long)]
        hex: bool,
        /// Input file, or - for standard input.
        file: PathBuf,
    },
}

/// Which stub `--as rpc` reads.
#[derive(clap::Args, Clone, Debug)]
struct RpcArgs {
    /// For --as rpc: the interface, tapsrv or remotesp.
    #[arg(long)]
    interface: Option<Interface>,
    /// For --as rpc: the opnum (0, 1 or 2).
    #[arg(long)]
    opnum: Option<u16>,
    /// For --as rpc: request or response.
    #[arg(long = "dir")]
    direction: Option<Direction>,
    /// For --as rpc: the stub is NDR64 rather than NDR20.
    #[arg(long)]
    ndr64: bool,
    /// For --as rpc of a ClientRequest response: the Req_Func of the request, to read the
    /// reply (LineMakeCall, 48 or MakeCall).
    #[arg(long, value_parser = parse_func)]
    request_func: Option<FuncId>,
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
        .map_err(|_| Failure::input(json, format!("{}: hex input is not UTF-8", file.display())))?;
    mstrp::encoding::hex::parse(&text)
        .map_err(|e| Failure::input(json, format!("{}: {e}", file.display())))
}

/// Prints `value` as one JSON object, or as text via `text`.
fn emit(
    json_out: bool,
    value: &Value,
    text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    let mut out = anstream::stdout().lock();
    let value = &ux::with_detected(value);
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
                        writeln!(out, "{pad}{}:", ux::paint(ux::HEADING, k))?;
                        text_of(v, out, indent + 2)?;
                    }
                    _ => writeln!(out, "{pad}{}: {v}", ux::paint(ux::NAME, k))?,
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

#[allow(clippy::too_many_arguments)]
fn decode(
    kind: &Kind,
    rpc: &RpcArgs,
    func: Option<FuncId>,
    hex: bool,
    json_out: bool,
    strict: bool,
    api_version: Option<Version>,
    file: &PathBuf,
) -> Result<(), Failure> {
    let bytes = read_bytes(file, hex, json_out)?;
    let detected;
    let kind = match kind {
        Kind::Auto => {
            let d = mstrp::json::detect::detect(&bytes).ok_or_else(|| Failure {
                file: Some(file.display().to_string()),
                ..Failure::input(
                    json_out,
                    "--as auto: not a capture, DCE/RPC PDU, event buffer or request".into(),
                )
            })?;
            ux::note_detected(file, &d);
            use mstrp::json::detect::DetectedKind;
            detected = match d.kind {
                DetectedKind::Capture if !hex => return pcap::run(json_out, &[], file).map(|_| ()),
                DetectedKind::Capture => {
                    return Err(Failure::input(
                        json_out,
                        format!(
                            "{}: a capture given as hex: write it to a file",
                            file.display()
                        ),
                    ));
                }
                DetectedKind::Pdu => Kind::Pdu,
                DetectedKind::Events => Kind::Events,
                DetectedKind::Request => Kind::Request,
            };
            &detected
        }
        other => other,
    };
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
            let events = EventsJson::from_bytes(&bytes);
            let value = json!(events);
            emit(json_out, &value, |out| text_of(&value, out, 0))?;
            // The events before a malformed one are printed; the error is part of the output
            // (its `error` member) and, for people, also said on standard error with the file.
            if let (false, Some(e)) = (json_out, &events.error) {
                let msg = ux::paint(ux::ERROR, &e.error.message);
                let _ = writeln!(
                    anstream::stderr(),
                    "trp: {}: event {} at byte offset {}: {msg}",
                    file.display(),
                    e.index,
                    e.offset
                );
            }
            Ok(())
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
        Kind::Rpc => {
            let need = |what: &str| Failure::input(json_out, format!("--as rpc needs {what}"));
            let interface = rpc
                .interface
                .ok_or_else(|| need("--interface tapsrv|remotesp"))?;
            let opnum = rpc.opnum.ok_or_else(|| need("--opnum N"))?;
            let direction = rpc
                .direction
                .ok_or_else(|| need("--dir request|response"))?;
            let method = Method::lookup(interface, opnum).ok_or_else(|| {
                Failure::input(json_out, format!("{interface} has no opnum {opnum}"))
            })?;
            let syntax = if rpc.ndr64 {
                Syntax::Ndr64
            } else {
                Syntax::Ndr20
            };
            let call = CallContext {
                req_func: rpc.request_func.map(|f| f as u32),
                l_needed_size: None,
                api_version,
            };
            let value =
                decode_stub(method, direction, syntax, &bytes, call).map_err(|e| Failure {
                    json: json_out,
                    error: Box::new(e),
                    file: Some(file.display().to_string()),
                })?;
            let value = json!(value);
            emit(json_out, &value, |out| text_of(&value, out, 0))
        }
        Kind::Auto => unreachable!("resolved above"),
        Kind::Pdu => {
            let pdus = PdusJson::from_stream(&bytes);
            let failed = pdus.error.clone();
            let value = json!(pdus);
            emit(json_out, &value, |out| text_of(&value, out, 0))?;
            match failed {
                Some(e) => Err(Failure {
                    json: json_out,
                    error: Box::new(e),
                    file: Some(file.display().to_string()),
                }),
                None => Ok(()),
            }
        }
    }
}

/// Exit status 1 when the packet breaks a rule. With `named`, the JSON object starts with
/// `"file"` (several files).
fn validate(
    hex: bool,
    json_out: bool,
    api_version: Option<Version>,
    file: &PathBuf,
    named: bool,
) -> Result<bool, Failure> {
    let bytes = read_bytes(file, hex, json_out).map_err(|mut f| {
        // The message names the file already; the JSON object of several files does too.
        f.file = (named && json_out).then(|| file.display().to_string());
        f
    })?;
    let len = i32::try_from(bytes.len()).unwrap_or(i32::MAX);
    let report = Report::for_call_with(&bytes, len, len, None, api_version);
    let mut value = json!(report);
    if let (true, Value::Object(m)) = (named, &value) {
        let mut named_value = serde_json::Map::new();
        named_value.insert("file".into(), json!(file.display().to_string()));
        named_value.extend(m.clone());
        value = Value::Object(named_value);
    }
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
    // Every error names the input.
    let failure = |message: String| Failure {
        file: Some(file.display().to_string()),
        ..Failure::input(false, message)
    };
    let invalid = |e: serde_json::Error| failure(format!("invalid JSON: {e}"));
    let value: Value = serde_json::from_slice(&input).map_err(invalid)?;
    let out = match value.get("kind").and_then(Value::as_str) {
        Some("rpc") => {
            let stub: RpcJson = serde_json::from_value(value).map_err(invalid)?;
            stub.encode().map_err(|e| failure(e.to_string()))?
        }
        _ => {
            let packet: RequestJson = serde_json::from_value(value).map_err(invalid)?;
            let mut out = BytesMut::new();
            packet
                .encode(&mut out)
                .map_err(|e| failure(e.to_string()))?;
            out.to_vec()
        }
    };
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
    ux::set_color(cli.color);
    if cli.no_progress {
        progress::disable();
    }
    let result = match &cli.command {
        Command::Decode {
            kind,
            rpc,
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
                    // A closed pipe is reported by the decode that follows, not by a panic.
                    let sep = if i > 0 { "\n" } else { "" };
                    let heading = ux::paint(ux::HEADING, format!("== {}", file.display()));
                    let _ = writeln!(anstream::stdout(), "{sep}{heading}");
                }
                if let Err(f) = decode(kind, rpc, *func, *hex, *json, *strict, *api_version, file) {
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
            files,
        } => match files.as_slice() {
            [file] => validate(*hex, *json, *api_version, file, false),
            _ => {
                // Every file is checked in order; a failure (exit 2) outranks a violation (1).
                let (mut all_valid, mut failed) = (true, false);
                for (i, file) in files.iter().enumerate() {
                    if !*json {
                        let sep = if i > 0 { "\n" } else { "" };
                        let _ = writeln!(io::stdout(), "{sep}== {}", file.display());
                    }
                    match validate(*hex, *json, *api_version, file, true) {
                        Ok(valid) => all_valid &= valid,
                        Err(f) => {
                            report(&f);
                            failed = true;
                        }
                    }
                }
                if failed {
                    return ExitCode::from(2);
                }
                Ok(all_valid)
            }
        },
        Command::Replay {
            config,
            capacity,
            json,
            file,
        } => replay::replay(file, config.as_deref(), *capacity, *json),
        Command::Gen(args) => r#gen::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Encode { hex, file } => encode(*hex, file).map(|()| true),
        Command::Explain { json, query } => ux::run_explain(query, *json)
            .map_err(|e| Failure::input(*json, format!("writing output: {e}"))),
        Command::Completions { shell } => {
            ux::completions(*shell, <Cli as clap::CommandFactory>::command())
                .map(|()| true)
                .map_err(|e| Failure::input(false, format!("writing output: {e}")))
        }
        Command::Man => ux::man(<Cli as clap::CommandFactory>::command())
            .map(|()| true)
            .map_err(|e| Failure::input(false, format!("writing output: {e}"))),
        Command::Pcap { json, ports, file } => pcap::run(*json, ports, file),
        Command::Wireshark { out } => wireshark::run(out.as_deref())
            .map(|()| true)
            .map_err(|e| Failure::input(false, e)),
        #[cfg(feature = "serve")]
        Command::Serve {
            listen,
            config,
            verbose,
            allow_callback,
        } => session_factory(config.as_deref())
            .map_err(|e| Failure::input(false, e))
            .and_then(|factory| {
                let options = mstrp::serve::ServerOptions {
                    listen: *listen,
                    verbose: *verbose,
                    allow_callback: allow_callback.clone(),
                    ..Default::default()
                };
                mstrp::serve::run(options, factory)
                    .map(|()| true)
                    .map_err(|e| Failure::input(false, format!("serve {listen}: {e}")))
            }),
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

/// The services `trp serve` attaches: one per ClientAttach, built from the device model in
/// `config`. INTEGRATION POINT: this returns `mstrp::session::ServerSession` (wrapped to
/// implement `mstrp::serve::Service`) once the session layer is merged; until then `trp serve`
/// refuses to start rather than serve a fake.
#[cfg(feature = "serve")]
type ServiceFactory = Box<dyn Fn() -> Box<dyn mstrp::serve::Service> + Send + Sync + 'static>;

#[cfg(feature = "serve")]
fn session_factory(config: Option<&std::path::Path>) -> Result<ServiceFactory, String> {
    use mstrp::session::ServerSession;
    let config = server_config(config)?;
    Ok(Box::new(move || {
        Box::new(ServerSession::new(config.clone())) as Box<dyn mstrp::serve::Service>
    }))
}

/// The device model of `--config` (TOML, `ServerConfig::from_toml`), or the default one.
fn server_config(config: Option<&std::path::Path>) -> Result<mstrp::session::ServerConfig, String> {
    use mstrp::session::ServerConfig;
    Ok(match config {
        None => ServerConfig::default(),
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            ServerConfig::from_toml(&text).map_err(|e| format!("{}: {e}", path.display()))?
        }
    })
}

/// Prints a failure: JSON on standard output with --json, text on standard error otherwise.
fn report(f: &Failure) {
    match (&f.file, f.json) {
        // Written, not println!: when standard output is a closed pipe (`trp ... | head`),
        // the error is dropped instead of panicking.
        (Some(file), true) => {
            let _ = writeln!(
                io::stdout(),
                "{}",
                json!({ "file": file, "error": f.error })
            );
        }
        (None, true) => {
            let _ = writeln!(io::stdout(), "{}", json!({ "error": f.error }));
        }
        (Some(file), false) => {
            let msg = ux::paint(ux::ERROR, &f.error.message);
            let _ = writeln!(anstream::stderr(), "trp: {file}: {msg}");
        }
        (None, false) => {
            let msg = ux::paint(ux::ERROR, &f.error.message);
            let _ = writeln!(anstream::stderr(), "trp: {msg}");
        }
    }
}
