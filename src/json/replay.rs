//! The JSON model of `trp replay`: one [`ReplayStepJson`] per request of a sequence file
//! ([`crate::session::replay`]), and a bad record as an [`ErrorJson`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;

use super::{ErrorJson, EventErrorJson, EventJson, EventsJson};
use crate::errors::ErrorCode;
use crate::replies::ReturnValue;
use crate::session::replay::{RecordError, RecordFault, Step};

/// One request of a replayed sequence:
/// `{"index":0,"req_func":47,"name":"Initialize","return_value":0,"result":"success","events":[...],"offset":0}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplayStepJson {
    /// The record's index in the file.
    pub index: usize,
    /// `Req_Func` (`null` for a record shorter than four bytes).
    pub req_func: Option<u32>,
    /// The spec's function name, the name public research gives an undocumented `Req_Func`
    /// (`TRequestMakeCall`), or `Unknown`.
    pub name: String,
    /// `Ack_ReturnValue` of the reply (`null` when the reply is shorter than a DWORD).
    pub return_value: Option<u32>,
    /// What it means: `success`, `request_id`, an error constant's name, or `unknown`.
    pub result: String,
    /// The events the request produced, as `trp decode --as events --json` prints them.
    pub events: Vec<EventJson>,
    /// Where the produced events stopped decoding, if they did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events_error: Option<EventErrorJson>,
    /// The record's byte offset in the file.
    pub offset: usize,
}

impl ReplayStepJson {
    /// Describes one step of a replay.
    pub fn from_step(step: &Step) -> Self {
        // An empty buffer is no events here, not an event buffer with a bad lSize (3.3.4.2).
        let events = match step.events.is_empty() {
            true => EventsJson {
                kind: "events".into(),
                events: Vec::new(),
                error: None,
            },
            false => EventsJson::from_bytes(&step.events),
        };
        let result = match (step.func(), step.return_value()) {
            (_, None) => "unknown",
            (Some(func), Some(v)) => ReturnValue::classify(func, v).result_name(),
            (None, Some(0)) => "success",
            (None, Some(v)) => ErrorCode::from_u32(v).map_or("unknown", ErrorCode::name),
        };
        ReplayStepJson {
            index: step.index,
            req_func: step.req_func,
            name: step.name().into(),
            return_value: step.return_value(),
            result: result.into(),
            events: events.events,
            events_error: events.error,
            offset: step.offset,
        }
    }
}

impl From<&RecordError> for ErrorJson {
    fn from(e: &RecordError) -> Self {
        let (kind, field) = match e.fault {
            RecordFault::TruncatedLength { .. } => ("truncated", "length"),
            RecordFault::TruncatedBody { .. } => ("truncated", "bytes"),
            RecordFault::TooLong { .. } => ("too_long", "length"),
        };
        ErrorJson {
            kind: kind.into(),
            packet: alloc::format!("sequence record {}", e.index),
            field: field.into(),
            offset: e.offset,
            message: e.to_string(),
        }
    }
}
