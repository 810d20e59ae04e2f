//! Hex text as people paste it: a hex stream, bytes with whitespace, commas and `0x`
//! prefixes, or a dump with offsets and an ASCII column (`xxd`, `hexdump -C`, Wireshark's
//! "Copy as Hex Dump" and `tshark -x`).
//!
//! [`parse`] decides the form from the text: when its first non-empty line starts with an
//! offset of zero (`00000000:` as `xxd` writes it, or `0000`/`00000000` followed by two or more
//! spaces as `hexdump -C` and Wireshark write it), every line is read as a dump line — the
//! offset is checked against the bytes read so far, the ASCII column is dropped, and a `*`
//! line (`hexdump` folding repeated lines) repeats the previous line up to the next offset.
//! Otherwise the text is a stream of hex digits in which whitespace, `,`, `:`, `;` and `0x`
//! prefixes separate nothing.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why hex text was refused: the 1-based line and column of the fault and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HexError {
    /// Line (1-based).
    pub line: usize,
    /// Column in characters (1-based); 0 when the fault is the line as a whole.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column == 0 {
            write!(f, "hex input line {}: {}", self.line, self.message)
        } else {
            write!(
                f,
                "hex input line {} column {}: {}",
                self.line, self.column, self.message
            )
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for HexError {}

/// The form [`parse`] read the text as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HexForm {
    /// Hex digits with optional separators and `0x` prefixes (a Wireshark "hex stream").
    Stream,
    /// A dump whose lines start with an offset (`xxd`, `hexdump -C`, Wireshark hex dump).
    Dump,
}

fn err(line: usize, column: usize, message: impl Into<String>) -> HexError {
    HexError {
        line,
        column,
        message: message.into(),
    }
}

/// Reads hex text in any of the forms described in the [module documentation](self).
///
/// ```
/// use mstrp::encoding::hex::parse;
/// assert_eq!(parse("0x2f, 0x00\n0A0b").unwrap(), [0x2f, 0x00, 0x0a, 0x0b]);
/// let xxd = "00000000: 2f00 4100  /.A.\n";
/// assert_eq!(parse(xxd).unwrap(), [0x2f, 0x00, 0x41, 0x00]);
/// let hexdump = "00000000  2f 00 41 00  |/.A.|\n00000004\n";
/// assert_eq!(parse(hexdump).unwrap(), [0x2f, 0x00, 0x41, 0x00]);
/// ```
pub fn parse(text: &str) -> Result<Vec<u8>, HexError> {
    Ok(parse_with_form(text)?.0)
}

/// [`parse`], also telling which form the text was read as.
pub fn parse_with_form(text: &str) -> Result<(Vec<u8>, HexForm), HexError> {
    let first = text.lines().find(|l| !l.trim().is_empty());
    match first.map(dump_offset) {
        Some(Some((0, _))) => parse_dump(text).map(|b| (b, HexForm::Dump)),
        _ => parse_stream(text).map(|b| (b, HexForm::Stream)),
    }
}

/// The offset a dump line starts with and the byte index where the rest begins: 4 to 16 hex
/// digits followed by `:` (xxd) or by two or more blanks (hexdump -C, Wireshark), or alone
/// on the line (the final offset hexdump prints).
fn dump_offset(line: &str) -> Option<(u64, usize)> {
    let line_start = line.len() - line.trim_start().len();
    let rest = &line[line_start..];
    let digits = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
    if !(4..=16).contains(&digits) {
        return None;
    }
    let value = u64::from_str_radix(&rest[..digits], 16).ok()?;
    let after = &rest[digits..];
    let body = line_start + digits;
    if after.starts_with(':') {
        return Some((value, body + 1));
    }
    if after.trim().is_empty() {
        return Some((value, line.len()));
    }
    let blanks = after
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count();
    (blanks >= 2 || after.starts_with('\t')).then_some((value, body))
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Appends the bytes of a run of hex digits (`start` is its 0-based column, for errors).
fn push_digits(out: &mut Vec<u8>, digits: &str, line: usize, start: usize) -> Result<(), HexError> {
    let b = digits.as_bytes();
    if b.len() % 2 != 0 {
        return Err(err(
            line,
            start + 1,
            alloc::format!("{digits:?} has an odd number of hex digits"),
        ));
    }
    for (i, pair) in b.chunks_exact(2).enumerate() {
        match (hex_value(pair[0]), hex_value(pair[1])) {
            (Some(h), Some(l)) => out.push(h << 4 | l),
            _ => {
                let bad = if hex_value(pair[0]).is_none() { 0 } else { 1 };
                return Err(err(
                    line,
                    start + 2 * i + bad + 1,
                    alloc::format!("{:?} is not a hex digit", pair[bad] as char),
                ));
            }
        }
    }
    Ok(())
}

/// Splits a line into tokens at whitespace and the separators `,` `:` `;`, with their
/// 0-based byte column.
fn tokens(line: &str) -> impl Iterator<Item = (usize, &str)> {
    let is_sep = |c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';');
    let mut rest = line;
    let mut base = 0;
    core::iter::from_fn(move || {
        let skip = rest.len() - rest.trim_start_matches(is_sep).len();
        rest = &rest[skip..];
        base += skip;
        if rest.is_empty() {
            return None;
        }
        let len = rest.find(is_sep).unwrap_or(rest.len());
        let token = (base, &rest[..len]);
        rest = &rest[len..];
        base += len;
        Some(token)
    })
}

fn parse_stream(text: &str) -> Result<Vec<u8>, HexError> {
    let mut out = Vec::with_capacity(text.len() / 2);
    for (n, line) in text.lines().enumerate() {
        for (col, token) in tokens(line) {
            let (skip, digits) = match token.get(..2) {
                Some("0x" | "0X") => (2, &token[2..]),
                _ => (0, token),
            };
            push_digits(&mut out, digits, n + 1, col + skip)?;
        }
    }
    Ok(out)
}

fn parse_dump(text: &str) -> Result<Vec<u8>, HexError> {
    let mut out: Vec<u8> = Vec::with_capacity(text.len() / 3);
    // The bytes of the previous line, and whether a `*` asked to repeat them.
    let mut previous: Vec<u8> = Vec::new();
    let mut folded = false;
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        if line.trim() == "*" {
            folded = true;
            continue;
        }
        let Some((offset, body)) = dump_offset(line) else {
            return Err(err(n, 1, "a dump line must start with its offset"));
        };
        let offset = usize::try_from(offset)
            .map_err(|_| err(n, 1, alloc::format!("offset {offset:#x} is too large")))?;
        if folded {
            if previous.is_empty() {
                return Err(err(n, 0, "`*` follows no line to repeat"));
            }
            while out.len() < offset {
                let room = offset - out.len();
                out.extend_from_slice(&previous[..previous.len().min(room)]);
            }
            folded = false;
        }
        if offset != out.len() {
            return Err(err(
                n,
                1,
                alloc::format!(
                    "offset {offset:#x}, but the lines before hold {:#x} bytes",
                    out.len()
                ),
            ));
        }
        let rest = &line[body..];
        // The hex columns end at hexdump's `|ASCII|`, else at the first gap of two blanks
        // after the first digit (xxd, Wireshark), so the ASCII column is never read as hex.
        let hex_part = match rest.find('|') {
            Some(bar) => &rest[..bar],
            None => {
                let lead = rest.len() - rest.trim_start().len();
                let end = rest[lead..].find("  ").map_or(rest.len(), |gap| lead + gap);
                &rest[..end]
            }
        };
        let before = out.len();
        for (col, token) in tokens(hex_part) {
            push_digits(&mut out, token, n, body + col)?;
        }
        previous = out[before..].to_vec();
    }
    if folded {
        return Err(err(
            text.lines().count(),
            0,
            "the dump ends with `*` and no final offset",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Dumps made by xxd, hexdump -C, `xxd -p` and od from samples/requests (commands in
    // tests/hexdumps/README.md); the expected bytes are the sample files themselves.
    const MAKE_CALL: &[u8] = include_bytes!("../../samples/requests/4.3-1-make-call.bin");
    const INITIALIZE: &[u8] = include_bytes!("../../samples/requests/4.1-1-initialize.bin");
    const GET_DEV_CAPS: &[u8] = include_bytes!("../../samples/requests/4.1-3-get-dev-caps.bin");

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../../tests/hexdumps/", $name))
        };
    }

    #[test]
    fn xxd_dumps() {
        let (b, form) = parse_with_form(fixture!("4.3-1-make-call.xxd")).unwrap();
        assert_eq!((b.as_slice(), form), (MAKE_CALL, HexForm::Dump));
        assert_eq!(parse(fixture!("4.1-1-initialize.xxd")).unwrap(), INITIALIZE);
    }

    #[test]
    fn hexdump_canonical_dumps() {
        assert_eq!(
            parse(fixture!("4.3-1-make-call.hexdump-C")).unwrap(),
            MAKE_CALL
        );
        assert_eq!(
            parse(fixture!("4.1-1-initialize.hexdump-C")).unwrap(),
            INITIALIZE
        );
    }

    #[test]
    fn hexdump_star_repeats_the_previous_line_up_to_the_next_offset() {
        let dump = fixture!("4.1-3-get-dev-caps.hexdump-C");
        assert!(dump.lines().any(|l| l == "*"), "the fixture folds lines");
        assert_eq!(parse(dump).unwrap(), GET_DEV_CAPS);
    }

    #[test]
    fn hex_streams_and_od() {
        let (b, form) = parse_with_form(fixture!("4.3-1-make-call.stream")).unwrap();
        assert_eq!((b.as_slice(), form), (MAKE_CALL, HexForm::Stream));
        assert_eq!(
            parse(fixture!("4.1-1-initialize.stream")).unwrap(),
            INITIALIZE
        );
        assert_eq!(parse(fixture!("4.3-1-make-call.od")).unwrap(), MAKE_CALL);
    }

    #[test]
    fn prefixes_commas_and_mixed_case() {
        assert_eq!(
            parse("0x30,0X00 ,\t0a\n\n  Ff;00:01").unwrap(),
            [0x30, 0x00, 0x0a, 0xff, 0x00, 0x01]
        );
        assert_eq!(parse("").unwrap(), [0u8; 0]);
    }

    #[test]
    fn wireshark_hex_dump_drops_the_ascii_column() {
        // The layout of Wireshark's "Copy as Hex Dump" / `tshark -x`: a 4-digit offset, the
        // bytes, three blanks, the ASCII column (here made of letters that are hex digits).
        let dump = "0000   ab cd 20 ef   .. .\n0004   00 01         ..\n";
        assert_eq!(parse(dump).unwrap(), [0xab, 0xcd, 0x20, 0xef, 0x00, 0x01]);
    }

    #[test]
    fn odd_digit_count_is_refused_with_its_place() {
        let e = parse("30 000 00").unwrap_err();
        assert_eq!((e.line, e.column), (1, 4), "{e}");
    }

    #[test]
    fn non_hex_digit_is_refused_with_its_place() {
        let e = parse("30 00\n00 0g").unwrap_err();
        assert_eq!((e.line, e.column), (2, 5), "{e}");
        assert!(e.to_string().contains("'g'"), "{e}");
    }

    #[test]
    fn dump_offset_that_disagrees_with_the_bytes_is_refused() {
        let e = parse("00000000: 3000 0000  0...\n00000008: 0100  ..\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("offset 0x8"), "{e}");
    }

    #[test]
    fn dump_line_without_offset_is_refused() {
        let e = parse("00000000  30 00  |0.|\n30 00\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn dump_ending_in_star_is_refused() {
        let e = parse("00000000  30 00  |0.|\n*\n").unwrap_err();
        assert!(e.message.contains("ends with `*`"), "{e}");
    }

    #[test]
    fn star_without_a_previous_line_is_refused() {
        let e = parse("00000000\n*\n00000010\n").unwrap_err();
        assert!(e.message.contains("follows no line"), "{e}");
    }
}
