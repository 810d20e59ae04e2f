//! The simulated devices a [`ServerSession`](super::ServerSession) answers for, and how
//! asynchronous requests complete (issue 11, "Config").
//!
//! With the `config` feature, [`ServerConfig::from_toml`] reads the TOML form:
//!
//! ```toml
//! [server]
//! async_completion = "immediate"   # or "on_close"
//! [[line]]
//! name = "Line 0"
//! api_versions = [0x00020000, 0x00020002]
//! ext_versions = [0x00010000, 0x00020000]   # [0, 0]: no extensions
//! addresses = 1
//! [[phone]]
//! name = "Phone 0"
//! api_versions = [0x00010004, 0x00030001]
//! ext_versions = [0, 0]
//! ```
//!
//! Absent sections take the defaults of [`ServerConfig::default`]: without any `[[line]]`
//! the two default lines stay, without any `[[phone]]` the default phone (write `line = []` or
//! `phone = []` before the first table for none).

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// When asynchronous requests complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "config", derive(serde::Deserialize))]
#[cfg_attr(feature = "config", serde(rename_all = "snake_case"))]
pub enum AsyncCompletion {
    /// `"immediate"`: the LINE_REPLY/PHONE_REPLY is queued while the request is answered.
    #[default]
    Immediate,
    /// `"on_close"`: requests stay pending until their line (or call) closes, and then
    /// complete with a failure result (TSPI life cycle, seed 002: "Closing the phone forces
    /// outstanding asynchronous operations to complete (possibly with a failure
    /// indication)").
    OnClose,
}

/// The whole simulated server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// How asynchronous requests complete.
    pub async_completion: AsyncCompletion,
    /// The line devices; device id n is `lines[n]`.
    pub lines: Vec<LineConfig>,
    /// The phone devices; device id n is `phones[n]`.
    pub phones: Vec<PhoneConfig>,
}

/// One line device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineConfig {
    /// The name LINEDEVCAPS reports (dwLineName).
    pub name: String,
    /// The lowest and highest TAPI version the device supports.
    pub api_versions: [u32; 2],
    /// The lowest and highest extension version; `[0, 0]`: no extensions.
    pub ext_versions: [u32; 2],
    /// The number of addresses (LINEDEVCAPS.dwNumAddresses); address ids are 0..addresses.
    pub addresses: u32,
}

/// One phone device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneConfig {
    /// The name PHONECAPS reports (dwPhoneName).
    pub name: String,
    /// The lowest and highest TAPI version the device supports.
    pub api_versions: [u32; 2],
    /// The lowest and highest extension version; `[0, 0]`: no extensions.
    pub ext_versions: [u32; 2],
}

/// The default TAPI version range of every device (issue 11): 1.4 to 3.1.
pub const DEFAULT_API_VERSIONS: [u32; 2] = [0x0001_0004, 0x0003_0001];
/// The default extension range of line 0 (issue 11).
pub const DEFAULT_EXT_VERSIONS: [u32; 2] = [0x0001_0000, 0x0002_0000];

impl Default for ServerConfig {
    /// Issue 11's defaults: two lines and one phone supporting 0x00010004-0x00030001,
    /// extensions 0x00010000-0x00020000 on line 0 only, one address per line, immediate
    /// completion.
    fn default() -> Self {
        ServerConfig {
            async_completion: AsyncCompletion::Immediate,
            lines: (0..2)
                .map(|i| LineConfig {
                    name: alloc::format!("Line {i}"),
                    api_versions: DEFAULT_API_VERSIONS,
                    ext_versions: if i == 0 { DEFAULT_EXT_VERSIONS } else { [0, 0] },
                    addresses: 1,
                })
                .collect(),
            phones: vec![PhoneConfig {
                name: "Phone 0".into(),
                api_versions: DEFAULT_API_VERSIONS,
                ext_versions: [0, 0],
            }],
        }
    }
}

/// A configuration the server cannot use: where (line number, key) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The 1-based line of the TOML text (0 when the text gives no position).
    pub line: usize,
    /// The key, as a path (`line[0].api_versions`), or empty when unknown.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

impl core::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "line {}: ", self.line)?;
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.message)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ConfigError {}

/// The problems [`ServerConfig::check`] finds in a configuration built in code: (key, message).
fn check_range(key: &str, what: &str, r: [u32; 2], out: &mut Vec<(String, String)>) {
    if r[0] > r[1] {
        out.push((
            key.into(),
            alloc::format!("lowest {:#010x} above highest {:#010x}", r[0], r[1]),
        ));
    } else if what == "api"
        && !crate::handles::TAPI_VERSIONS
            .iter()
            .any(|v| r[0] <= v.0 && v.0 <= r[1])
    {
        out.push((
            key.into(),
            alloc::format!(
                "no valid TAPI version between {:#010x} and {:#010x} (3.1.4.2: 0x00010003 ... 0x00030001)",
                r[0],
                r[1]
            ),
        ));
    } else if what == "ext" && r[0] == 0 && r[1] != 0 {
        out.push((
            key.into(),
            alloc::format!(
                "lowest 0 with highest {:#010x}: [0, 0] means no extensions, and 0 is not an extension version",
                r[1]
            ),
        ));
    }
}

impl ServerConfig {
    /// Every problem of the configuration as (key path, message): a version range whose
    /// lowest is above its highest, an API range holding no valid TAPI version, an extension
    /// range starting at 0 other than `[0, 0]`, a line without addresses.
    pub fn check(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            check_range(
                &alloc::format!("line[{i}].api_versions"),
                "api",
                l.api_versions,
                &mut out,
            );
            check_range(
                &alloc::format!("line[{i}].ext_versions"),
                "ext",
                l.ext_versions,
                &mut out,
            );
            if l.addresses == 0 {
                out.push((
                    alloc::format!("line[{i}].addresses"),
                    "a line has at least one address".into(),
                ));
            }
        }
        for (i, p) in self.phones.iter().enumerate() {
            check_range(
                &alloc::format!("phone[{i}].api_versions"),
                "api",
                p.api_versions,
                &mut out,
            );
            check_range(
                &alloc::format!("phone[{i}].ext_versions"),
                "ext",
                p.ext_versions,
                &mut out,
            );
        }
        out
    }
}

#[cfg(feature = "config")]
mod toml_form {
    use super::*;
    use serde::Deserialize;
    use toml::Spanned;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        server: Option<Server>,
        line: Option<Vec<Spanned<Line>>>,
        phone: Option<Vec<Spanned<Phone>>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Server {
        async_completion: Option<AsyncCompletion>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Line {
        name: String,
        api_versions: Spanned<[u32; 2]>,
        ext_versions: Option<Spanned<[u32; 2]>>,
        addresses: Option<Spanned<u32>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Phone {
        name: String,
        api_versions: Spanned<[u32; 2]>,
        ext_versions: Option<Spanned<[u32; 2]>>,
    }

    /// The 1-based line of byte offset `at`.
    fn line_of(text: &str, at: usize) -> usize {
        text.as_bytes()
            .get(..at.min(text.len()))
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
            + 1
    }

    /// The key path at byte offset `at`: the table header in force there (`[server]`,
    /// `[[line]]` with its index) and the key its line starts with.
    fn key_at(text: &str, at: usize) -> String {
        let at = at.min(text.len());
        let mut table = String::new();
        let mut counts: Vec<(String, usize)> = Vec::new();
        let mut start = 0usize;
        let mut key = String::new();
        for l in text.split_inclusive('\n') {
            let end = start + l.len();
            let t = l.trim();
            if let Some(name) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
                let name = name.trim().to_string();
                let n = match counts.iter_mut().find(|(k, _)| *k == name) {
                    Some((_, n)) => {
                        *n += 1;
                        *n - 1
                    }
                    None => {
                        counts.push((name.clone(), 1));
                        0
                    }
                };
                table = alloc::format!("{name}[{n}]");
                key.clear();
            } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
                table = name.trim().to_string();
                key.clear();
            } else if let Some((k, _)) = t.split_once('=') {
                key = k.trim().to_string();
            } else if t.is_empty() || t.starts_with('#') {
                key.clear();
            }
            if at < end || end == text.len() {
                break;
            }
            start = end;
        }
        match (table.is_empty(), key.is_empty()) {
            (true, _) => key,
            (false, true) => table,
            (false, false) => alloc::format!("{table}.{key}"),
        }
    }

    fn err(text: &str, at: usize, key: String, message: String) -> ConfigError {
        ConfigError {
            line: line_of(text, at),
            key,
            message,
        }
    }

    impl ServerConfig {
        /// Reads the TOML form (see the module documentation). Unknown keys, wrong types and
        /// the problems of [`ServerConfig::check`] are errors naming the line and the key,
        /// e.g. `line 7: line[0].api_versions: lowest 0x00030001 above highest 0x00020000`.
        pub fn from_toml(text: &str) -> Result<ServerConfig, ConfigError> {
            let file: File = toml::from_str(text).map_err(|e| {
                let at = e.span().map_or(0, |s| s.start);
                let message = e.message().trim().to_string();
                err(text, at, key_at(text, at), message)
            })?;
            let defaults = ServerConfig::default();
            let mut config = ServerConfig {
                async_completion: file
                    .server
                    .and_then(|s| s.async_completion)
                    .unwrap_or_default(),
                lines: defaults.lines,
                phones: defaults.phones,
            };
            // Where each key of a device is, for the semantic errors.
            let mut spans: Vec<(String, usize)> = Vec::new();
            if let Some(lines) = file.line {
                config.lines = lines
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let start = l.span().start;
                        let l = l.into_inner();
                        spans.push((
                            alloc::format!("line[{i}].api_versions"),
                            l.api_versions.span().start,
                        ));
                        let ext = l.ext_versions.map(|e| {
                            spans.push((alloc::format!("line[{i}].ext_versions"), e.span().start));
                            e.into_inner()
                        });
                        let addresses = l.addresses.map(|a| {
                            spans.push((alloc::format!("line[{i}].addresses"), a.span().start));
                            a.into_inner()
                        });
                        spans.push((alloc::format!("line[{i}]"), start));
                        LineConfig {
                            name: l.name,
                            api_versions: l.api_versions.into_inner(),
                            ext_versions: ext.unwrap_or([0, 0]),
                            addresses: addresses.unwrap_or(1),
                        }
                    })
                    .collect();
            }
            if let Some(phones) = file.phone {
                config.phones = phones
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let p = p.into_inner();
                        spans.push((
                            alloc::format!("phone[{i}].api_versions"),
                            p.api_versions.span().start,
                        ));
                        let ext = p.ext_versions.map(|e| {
                            spans.push((alloc::format!("phone[{i}].ext_versions"), e.span().start));
                            e.into_inner()
                        });
                        PhoneConfig {
                            name: p.name,
                            api_versions: p.api_versions.into_inner(),
                            ext_versions: ext.unwrap_or([0, 0]),
                        }
                    })
                    .collect();
            }
            if let Some((key, message)) = config.check().into_iter().next() {
                let at = spans
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map_or(0, |(_, at)| *at);
                return Err(err(text, at, key, message));
            }
            Ok(config)
        }
    }
}
