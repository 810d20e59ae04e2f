//! The JSON model of `trp rules`: every validation rule of the rule table
//! ([`crate::validation::rules::all`], in its order), one [`RuleJson`] each. Nothing is
//! restated: every member is read from the [`Rule`].

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use crate::validation::{self, Block, Rule};

/// One rule:
/// `{"id":"48.2","section":"3.1.4.2","function":"MakeCall","req_func":48,"block":"function","field":"lpszDestAddress","error":"LINEERR_INVALPOINTER","stateful":false,"text":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleJson {
    /// The rule id (`48.2`, `CP.3`, `CR.1`, `48.P1`).
    pub id: String,
    /// The spec section of the sentence: 3.1.4.2, or the packet's own section.
    pub section: String,
    /// The spec name of the function whose block holds the rule (`MakeCall`); `null` for the
    /// ClientRequest checks and the LINECALLPARAMS block.
    pub function: Option<String>,
    /// That function's `Req_Func`.
    pub req_func: Option<u32>,
    /// The block: `function` (a "When Req_Func is equal to N" block of 3.1.4.2),
    /// `client_request`, `call_params` or `packet` (a requirement of the packet's section).
    pub block: &'static str,
    /// The field checked, spelled as in the packet diagram.
    pub field: String,
    /// The error a conforming server returns, by name.
    pub error: String,
    /// Whether checking it needs the server's state (handles, devices).
    pub stateful: bool,
    /// The sentence as the spec writes it.
    pub text: String,
    /// Why a generated packet cannot break it alone
    /// ([`crate::validation::rules::NOT_BREAKABLE_ALONE`]), when that is so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_breakable_alone: Option<String>,
}

impl RuleJson {
    /// Describes `rule`.
    pub fn from_rule(rule: &Rule) -> Self {
        let (func, block) = match rule.block {
            Block::Function(f) => (Some(f), "function"),
            Block::Packet(f) => (Some(f), "packet"),
            Block::ClientRequest => (None, "client_request"),
            Block::CallParams => (None, "call_params"),
        };
        RuleJson {
            id: rule.id.into(),
            section: rule.section().into(),
            function: func.map(|f| f.desc().name.into()),
            req_func: func.map(|f| f as u32),
            block,
            field: rule.field.into(),
            error: rule.error.name().into(),
            stateful: rule.is_stateful(),
            text: rule.text.into(),
            not_breakable_alone: validation::rules::not_breakable_alone(rule.id).map(Into::into),
        }
    }
}

/// Every rule of the table, in its order.
pub fn rules() -> Vec<RuleJson> {
    validation::all_rules().map(RuleJson::from_rule).collect()
}
