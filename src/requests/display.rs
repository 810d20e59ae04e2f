//! Human-readable rendering of a request, derived from the catalogue metadata.

use core::fmt;

use crate::handles::Version;
use crate::header::HEADER_LEN;
use crate::vardata::ABSENT;

use super::{Request, Resolved, Role};

/// Writes `bytes` as a hex dump, 16 bytes a line, offsets relative to `base`; runs of
/// identical lines are shown once, then `*` (as `hexdump` does).
pub(crate) fn hexdump(f: &mut fmt::Formatter<'_>, bytes: &[u8], base: usize) -> fmt::Result {
    let mut previous: Option<&[u8]> = None;
    let mut squeezed = false;
    for (i, line) in bytes.chunks(16).enumerate() {
        if previous == Some(line) && line.len() == 16 {
            if !squeezed {
                writeln!(f, "    *")?;
                squeezed = true;
            }
            continue;
        }
        previous = Some(line);
        squeezed = false;
        write!(f, "    {:04x}:", base + 16 * i)?;
        for b in line {
            write!(f, " {b:02x}")?;
        }
        writeln!(f)?;
    }
    Ok(())
}

/// One line per fixed DWORD (offset, spec name, value with its meaning), then every reference
/// resolved, then VarData as a hex dump.
impl fmt::Display for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let desc = self.desc();
        let dwords = self.dwords();
        match desc {
            Some(d) => writeln!(
                f,
                "{} ({}, [MS-TRP] {}), Req_Func {}, {} bytes",
                d.name,
                d.group.title(),
                d.section,
                dwords[0],
                self.len()
            )?,
            None => match super::known_as::known_as(dwords[0]) {
                Some(k) => writeln!(
                    f,
                    "Unknown (Req_Func {} is not documented by [MS-TRP]; known as {}), {} bytes",
                    dwords[0],
                    k.name,
                    self.len()
                )?,
                None => writeln!(
                    f,
                    "Unknown (Req_Func {} is not documented by [MS-TRP]), {} bytes",
                    dwords[0],
                    self.len()
                )?,
            },
        }
        for (i, (name, v)) in self.field_names().iter().zip(dwords).enumerate() {
            write!(f, "  @{:<3} {:<30} {:#010x}", 4 * i, name, v)?;
            let role = desc.map_or(Role::Value, |d| d.fields[i].role);
            match role {
                Role::ReqFunc => write!(f, "  ({})", desc.map_or("Unknown", |d| d.ident))?,
                Role::Handle(h) => write!(f, "  {}", h.spec_name())?,
                Role::Version if v != ABSENT => {
                    let v = Version(v);
                    write!(f, "  version {}.{}", v.major(), v.minor())?
                }
                Role::String { .. } | Role::Bytes { .. } | Role::Structure { .. }
                    if v == ABSENT =>
                {
                    f.write_str("  (absent)")?
                }
                Role::Structure { name, .. } => write!(f, "  -> {name}")?,
                Role::OutSize { structure } => write!(f, "  (size of {structure} buffer)")?,
                _ if v > 9 && v != ABSENT => write!(f, "  ({v})")?,
                _ => {}
            }
            writeln!(f)?;
        }
        for r in self.references() {
            write!(f, "  {} -> ", r.field.name)?;
            match r.value {
                Ok(None) => writeln!(f, "absent")?,
                Ok(Some(Resolved::Str(s))) => writeln!(f, "{:?} ({} chars)", s, s.len())?,
                Ok(Some(v)) => writeln!(f, "{} bytes at VarData+{:#x}", v.as_bytes().len(), r.raw)?,
                Err(e) => writeln!(f, "ERROR {}", e.kind)?,
            }
        }
        let var = self.var_data();
        writeln!(f, "  VarData: {} bytes at offset {}", var.len(), HEADER_LEN)?;
        hexdump(f, var.as_bytes(), 0)
    }
}
