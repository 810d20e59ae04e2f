//! The parts of `trp` for people: colour (`--color`, `NO_COLOR`), `explain`, `completions`,
//! `man`, and what `decode --as auto` chose.

use std::cell::RefCell;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use clap::ValueEnum;
use mstrp::json::detect::Detected;
use mstrp::json::explain::{Explained, explain};
use serde_json::{Value, json};

/// Headings (a packet's name, a section, `== FILE`).
pub const HEADING: Style = Style::new().bold();
/// Names: field names, constant names.
pub const NAME: Style = AnsiColor::Cyan.on_default();
/// Errors.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();

/// When to colour the text output.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set (`CLICOLOR_FORCE` forces it).
    Auto,
    /// Always, even into a pipe.
    Always,
    /// Never.
    Never,
}

/// Makes `when` the choice of every `anstream` stream of the process.
pub fn set_color(when: ColorWhen) {
    match when {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    }
    .write_global();
}

/// `text` in `style` (the codes are dropped by anstream when colour is off).
pub fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

thread_local! {
    static DETECTED: RefCell<Option<Value>> = const { RefCell::new(None) };
}

/// Records what `--as auto` chose for the file being decoded (added to its JSON object as
/// `detected`) and says it on standard error.
pub fn note_detected(file: &std::path::Path, d: &Detected) {
    let _ = writeln!(
        anstream::stderr(),
        "trp: {}: {} ({})",
        file.display(),
        paint(HEADING, format!("detected {}", kind_name(d))),
        d.reason
    );
    DETECTED.with(|c| *c.borrow_mut() = Some(json!(d)));
}

fn kind_name(d: &Detected) -> String {
    json!(d.kind).as_str().unwrap_or("?").to_string()
}

/// Adds the `detected` member to a JSON object when `--as auto` chose, and forgets it.
pub fn with_detected(value: &Value) -> Value {
    match (DETECTED.with(|c| c.borrow_mut().take()), value) {
        (Some(d), Value::Object(m)) => {
            let mut m = m.clone();
            m.insert("detected".into(), d);
            Value::Object(m)
        }
        _ => value.clone(),
    }
}

/// `trp explain`: false (exit 1) when nothing matches.
pub fn run_explain(query: &str, json_out: bool) -> io::Result<bool> {
    closed_pipe_is_done(explain_to_stdout(query, json_out))
}

/// A closed standard output (`trp ... | head`) ends the command quietly.
pub fn closed_pipe_is_done(r: io::Result<bool>) -> io::Result<bool> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(true),
        other => other,
    }
}

fn explain_to_stdout(query: &str, json_out: bool) -> io::Result<bool> {
    let found = explain(query);
    let mut out = anstream::stdout().lock();
    if json_out {
        writeln!(out, "{}", json!({ "query": query, "matches": found }))?;
        return Ok(!found.is_empty());
    }
    if found.is_empty() {
        writeln!(
            anstream::stderr(),
            "trp: {}: {query:?} is no rule id, function, result code, constant or event name",
            paint(ERROR, "error")
        )?;
        return Ok(false);
    }
    if found.len() > 1 {
        writeln!(out, "{query:?} names {} things:\n", found.len())?;
    }
    for (i, e) in found.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        explained_text(e, &mut out)?;
    }
    Ok(true)
}

fn explained_text(e: &Explained, out: &mut impl Write) -> io::Result<()> {
    match e {
        Explained::Rule {
            id,
            section,
            function,
            field,
            error,
            error_value,
            text,
            note,
        } => {
            let block = function.as_deref().unwrap_or("");
            writeln!(
                out,
                "{}",
                paint(HEADING, format!("rule {id} ({block}, [MS-TRP] {section})"))
            )?;
            writeln!(out, "  {}", text)?;
            writeln!(out, "  field: {}", paint(NAME, field))?;
            writeln!(out, "  error: {} ({error_value:#010X})", paint(NAME, error))?;
            if let Some(n) = note {
                writeln!(out, "  note: {n}")?;
            }
        }
        Explained::Function {
            ident,
            name,
            req_func,
            section,
            group,
            completion,
            fields,
        } => {
            writeln!(
                out,
                "{}",
                paint(
                    HEADING,
                    format!("{ident} ({name}, Req_Func {req_func}, [MS-TRP] {section})")
                )
            )?;
            writeln!(out, "  {group}; {completion}")?;
            writeln!(out, "  TAPI32_MSG:")?;
            for f in fields {
                write!(
                    out,
                    "  {:>4}  {:<24} {}",
                    f.offset,
                    paint(NAME, &f.name),
                    f.role
                )?;
                match &f.points_at {
                    Some(p) => writeln!(out, " -> {p}")?,
                    None => writeln!(out)?,
                }
            }
        }
        Explained::ResultCode {
            name,
            value,
            description,
        } => {
            writeln!(out, "{} = {value:#010X}", paint(HEADING, name))?;
            writeln!(out, "  {description}")?;
        }
        Explained::Constant {
            name,
            value,
            set,
            section,
        } => writeln!(
            out,
            "{} = {value:#010X}  ({set}, [MS-TRP] {section})",
            paint(HEADING, name)
        )?,
        Explained::Event {
            name,
            msg,
            section,
            fields,
        } => {
            writeln!(
                out,
                "{} = Msg {msg}  (ASYNCEVENTMSG, [MS-TRP] {section})",
                paint(HEADING, name)
            )?;
            for (i, f) in fields.iter().enumerate() {
                writeln!(out, "  {:>4}  {}", 4 * i, paint(NAME, f))?;
            }
        }
    }
    Ok(())
}

/// `trp completions SHELL`.
pub fn completions(shell: clap_complete::Shell, mut cmd: clap::Command) -> io::Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "trp", &mut script);
    closed_pipe_is_done(io::stdout().lock().write_all(&script).map(|()| true)).map(|_| ())
}

/// `trp man`: the manual page (roff) of `trp`, with its subcommands.
pub fn man(cmd: clap::Command) -> io::Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.name("trp")).render(&mut page)?;
    closed_pipe_is_done(io::stdout().lock().write_all(&page).map(|()| true)).map(|_| ())
}
