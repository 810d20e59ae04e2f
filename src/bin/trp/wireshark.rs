//! `trp wireshark [--out FILE]`: writes the Lua dissector `mstrp::wireshark` generates.

use std::io::Write;
use std::path::Path;

/// Writes the dissector to `out`, or to standard output.
pub fn run(out: Option<&Path>) -> Result<(), String> {
    let lua = mstrp::wireshark::lua_dissector();
    match out {
        Some(path) => std::fs::write(path, lua).map_err(|e| format!("{}: {e}", path.display())),
        None => std::io::stdout()
            .write_all(lua.as_bytes())
            .map_err(|e| format!("standard output: {e}")),
    }
}
