//! What several benches share: the mixed stream of all 132 request kinds.

use mstrp::encoding::Payload;
use mstrp::requests::{FuncId, RequestBuilder, Role};

/// One builder of every kind, every reference given data (a 15-character string, a 16-byte
/// block, a 180-byte structure), handles and versions set, 512 bytes of VarData at least (the
/// stream of benches/validation.rs).
pub fn builders() -> Vec<RequestBuilder> {
    FuncId::ALL
        .iter()
        .map(|f| {
            let mut b = RequestBuilder::new(*f);
            for (i, fd) in f.desc().fields.iter().enumerate() {
                match fd.role {
                    Role::String { .. } => {
                        b.set_payload(i, Payload::text("+1 425 555 0100"));
                    }
                    Role::Bytes { .. } => {
                        b.set_payload(i, Payload::Bytes(vec![7; 16]));
                    }
                    Role::Structure { .. } => {
                        let mut v = vec![0u8; 180];
                        v[..4].copy_from_slice(&180u32.to_le_bytes());
                        b.set_payload(i, Payload::Bytes(v));
                    }
                    Role::Handle(_) => {
                        b.set(i, 0x1000 + i as u32);
                    }
                    Role::Version => {
                        b.set(i, 0x0002_0000);
                    }
                    Role::OutSize { .. } => {
                        b.set(i, 256);
                    }
                    _ => {}
                }
            }
            b.var_data_len(512);
            b
        })
        .collect()
}

/// One request of every kind that passes every stateless rule of 3.1.4.2 with every
/// reference present: for each function, `generate::request` with the first seed from 1
/// whose request resolves all of its references (feature `arbitrary`). Unlike
/// [`builders`], whose DWORDs are zero where no role sets them (34 stateless violations a
/// pass: enumerations with no zero value, server-filled structures with dwUsedSize 0), this
/// is the stream a validator meets on conforming traffic.
#[cfg(feature = "arbitrary")]
#[allow(dead_code)]
pub fn valid_packets() -> Vec<Vec<u8>> {
    use mstrp::generate;
    use mstrp::requests::Request;
    FuncId::ALL
        .iter()
        .map(|f| {
            (1u64..=10_000)
                .filter_map(|seed| {
                    generate::from_seed(seed, |u| generate::request(u, Some(*f), None)).ok()
                })
                .find(|bytes| {
                    Request::parse(bytes)
                        .is_ok_and(|r| r.references().all(|x| matches!(x.value, Ok(Some(_)))))
                })
                .unwrap_or_else(|| panic!("no seed gives a {f:?} with every reference present"))
        })
        .collect()
}
