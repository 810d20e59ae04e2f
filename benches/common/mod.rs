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
