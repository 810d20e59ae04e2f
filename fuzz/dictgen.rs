//! libFuzzer dictionaries derived from the crate's catalogues (issue 12): one
//! `fuzz/dict/<target>.dict` per fuzz target. Written by `MSTRP_BLESS=1 cargo test
//! --all-features --test fuzz_dict`; that test fails when a committed dictionary differs from
//! what this file generates (the catalogues changed), or when a target has none.
//!
//! Every token is a little-endian DWORD (or the wire bytes of a UUID, a PDU header, a file
//! magic), as the packets carry them:
//! * `Req_Func` of the 132 documented requests (2.2.4.1) and of the undocumented values public
//!   research names (`requests::known_as`);
//! * `Msg` of every event (2.2.4.2);
//! * every constant of the 2.2.3 sets (`events::constants`), and each flag set's union (the
//!   masks the 3.1.4.2 rules test values against);
//! * every structure's fixed size at every TAPI version (`structures::ALL`, the
//!   dwTotalSize/dwNeededSize values that pass the size rules);
//! * the TAPI versions (`handles::TAPI_VERSIONS`) and the "absent" value 0xFFFFFFFF;
//! * for the RPC and capture targets also the DCE/RPC PDU headers of the twelve packet
//!   types, the tapsrv/remotesp/NDR syntax identifiers, the opnums, and the pcap, pcapng and
//!   SMB2 magics.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fmt::Write;

use mstrp::events::Msg;
use mstrp::events::constants::ConstKind;
use mstrp::handles::TAPI_VERSIONS;
use mstrp::requests::FuncId;
use mstrp::requests::known_as::KNOWN_AS;
use mstrp::rpc::methods::{Interface, Method};
use mstrp::rpc::pdu::PacketType;
use mstrp::rpc::uuid::{NDR20, NDR64, SyntaxId};

/// Which dictionary each fuzz target gets.
pub const TARGETS: &[(&str, Kind)] = &[
    ("decode_request", Kind::Tapi),
    ("validate_request", Kind::Tapi),
    ("decode_structure", Kind::Tapi),
    ("decode_events", Kind::Tapi),
    ("session_sequence", Kind::Tapi),
    ("decode_pdu_stream", Kind::Rpc),
    ("decode_capture", Kind::Rpc),
    // The generator-driven targets: an Unstructured takes whole DWORDs from its input where
    // a generator draws any value (`u.arbitrary::<u32>()`), so the same tokens apply.
    ("gen_request", Kind::Tapi),
    ("gen_structure", Kind::Tapi),
    ("gen_events", Kind::Tapi),
];

/// The token sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// TAPI32_MSG, ASYNCEVENTMSG and structure tokens.
    Tapi,
    /// Those and the DCE/RPC and capture tokens.
    Rpc,
}

struct Dict {
    text: String,
    seen: BTreeSet<Vec<u8>>,
}

impl Dict {
    fn add(&mut self, name: &str, bytes: &[u8]) {
        if !self.seen.insert(bytes.to_vec()) {
            return;
        }
        let name: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let value: String = bytes.iter().map(|b| format!("\\x{b:02X}")).collect();
        writeln!(self.text, "{name}=\"{value}\"").unwrap();
    }

    fn dword(&mut self, name: &str, v: u32) {
        self.add(name, &v.to_le_bytes());
    }
}

fn syntax_bytes(s: &SyntaxId) -> Vec<u8> {
    let u = s.uuid;
    let mut v = u.time_low().to_le_bytes().to_vec();
    v.extend_from_slice(&u.time_mid().to_le_bytes());
    v.extend_from_slice(&u.time_hi().to_le_bytes());
    v.extend_from_slice(&u.tail());
    v.extend_from_slice(&s.major.get().to_le_bytes());
    v.extend_from_slice(&s.minor.get().to_le_bytes());
    v
}

/// The dictionary of `kind`, as the file holds it.
pub fn dictionary(kind: Kind) -> String {
    let mut d = Dict {
        text: String::from(
            "# Generated from the mstrp catalogues by fuzz/dictgen.rs; do not edit.\n\
             # Regenerate: MSTRP_BLESS=1 cargo test --all-features --test fuzz_dict\n",
        ),
        seen: BTreeSet::new(),
    };
    for f in FuncId::ALL {
        d.dword(&format!("req_func_{}_{:?}", *f as u32, f), *f as u32);
    }
    for k in KNOWN_AS {
        d.dword(&format!("req_func_{}_{}", k.req_func, k.name), k.req_func);
    }
    for m in Msg::ALL {
        d.dword(&format!("msg_{}", m.name()), *m as u32);
    }
    for v in TAPI_VERSIONS {
        d.dword(&format!("tapi_version_{:08x}", v.0), v.0);
    }
    d.dword("absent", mstrp::vardata::ABSENT);
    for s in mstrp::structures::ALL {
        for v in TAPI_VERSIONS {
            let size = s.fixed_size(v);
            d.dword(&format!("size_{}_{}", s.name, size), size as u32);
        }
    }
    for k in ConstKind::ALL {
        for (name, v) in k.values() {
            d.dword(name, *v);
        }
        if k.is_flags() {
            let all = k.values().iter().fold(0, |a, (_, c)| a | c);
            d.dword(&format!("{}_ALL", k.prefix()), all);
        }
    }
    if kind == Kind::Rpc {
        for p in PacketType::ALL {
            // rpc_vers 5, rpc_vers_minor 0, PTYPE, PFC_FIRST_FRAG|PFC_LAST_FRAG, NDR little-endian
            // ASCII IEEE (C706 12.6.3.1).
            d.add(
                &format!("pdu_{}", p.name()),
                &[5, 0, p.value(), 3, 0x10, 0, 0, 0],
            );
        }
        for i in Interface::ALL {
            d.add(
                &format!("syntax_{}", i.name()),
                &syntax_bytes(&i.syntax_id()),
            );
        }
        d.add("syntax_NDR20", &syntax_bytes(&NDR20));
        d.add("syntax_NDR64", &syntax_bytes(&NDR64));
        for m in Method::ALL {
            d.add(&format!("opnum_{}", m.name()), &m.opnum().to_le_bytes());
        }
        d.add("pcap_magic", &[0xD4, 0xC3, 0xB2, 0xA1]);
        d.add("pcapng_shb", &[0x0A, 0x0D, 0x0D, 0x0A]);
        d.add("pcapng_bom", &[0x4D, 0x3C, 0x2B, 0x1A]);
        d.add("smb2_magic", b"\xFESMB");
    }
    d.text
}

/// The dictionary file of `target` (`None` for a target this file does not know).
pub fn dictionary_for(target: &str) -> Option<String> {
    TARGETS
        .iter()
        .find(|(t, _)| *t == target)
        .map(|(_, k)| dictionary(*k))
}
