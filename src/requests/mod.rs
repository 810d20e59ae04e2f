//! Request packets (2.2.4.1): the 132 functions a client submits with ClientRequest.
//!
//! Each packet is described once, in the catalogue (`catalogue.rs`, one table handed to a
//! macro per layer by `for_each_request!`). From that description this module derives, one
//! file per layer:
//!
//! * catalogue (`meta.rs`, `ids.rs`): [`FuncId`], the `Req_Func` enum, with each function's
//!   [`PacketDesc`] (spec name, section, group, completion, and the fifteen fixed DWORDs with
//!   their spec names and [`Role`]s); [`FuncId::lookup`] finds a function by name or number;
//! * views (`views.rs`, `refs.rs`, `display.rs`): [`fixed`], one `zerocopy` layout per packet
//!   with the fields named after the spec; one borrowed view per packet (e.g.
//!   [`LineMakeCall`]) with an accessor per field, typed by role (handles as
//!   [`crate::handles`] newtypes, references as [`StrRef`], [`BytesRef`] and [`StructRef`],
//!   which resolve through [`crate::vardata`]); [`Request`], the dispatching enum, with
//!   [`Request::Unknown`] for undocumented `Req_Func` values (named by [`known_as`] where
//!   public research names them);
//! * builders (`builders.rs`): [`RequestBuilder`] and [`builders`], one typed builder per
//!   packet.
//!
//! The typed reply views derive from the same table one layer up, in
//! [`crate::replies::views`].
//!
//! Line and phone packets share section titles (Initialize, GetDevCaps, Open, ...); the Rust
//! names carry a `Line` or `Phone` prefix (`LineGetDevCaps` = 34, `PhoneGetDevCaps` = 95), the
//! MMC and generic requests none.
//!
//! Parsing checks structure only: at least 60 bytes, and `Req_Func` for the strict entry point.
//! It never allocates and never panics. References are resolved lazily, each with full
//! checks, and the MUST-fail rules of 3.1.4.2 are left to validation.

mod catalogue;
mod display;
mod ids;
pub mod known_as;
pub(crate) mod meta;
mod refs;
mod views;

pub mod builders;

pub use builders::RequestBuilder;
pub(crate) use catalogue::for_each_request;
pub use ids::{FuncId, LookupError};
pub use meta::{Completion, FieldDesc, Group, PacketDesc, Role};
pub use refs::{BytesRef, Reference, References, Resolved, StrRef, StructRef};
pub use views::*;
