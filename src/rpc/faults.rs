//! Status and reason codes carried by connection-oriented PDUs: the `status` of a fault PDU
//! (C706 12.6.4.7, appendix E), the per-context `result`/`reason` of a bind_ack or
//! alter_context_resp (C706 12.6.3.1, [MS-RPCE] 2.2.2.4) and the `provider_reject_reason` of a
//! bind_nak (C706 12.6.3.1, [MS-RPCE] 2.2.2.5).
//!
//! Every code type is a newtype over the wire integer, so a value this table does not know is
//! still representable (and round-trips); `name()` is `None` for it.
//!
//! Names follow the DCE spelling with the `nca_s_` prefix (`nca_s_op_rng_error`); C706's
//! appendix E writes some without the `s_` (`nca_op_rng_error`), and [MS-RPCE] 3.1.1.5.5 uses
//! both. The two Windows codes a Windows server puts in `status` without an NCA value are
//! listed too: 0x000006F7 (`RPC_X_BAD_STUB_DATA`, [MS-RPCE] 3.1.1.5.2: an invalid octet stream
//! "MUST" give 0x6F7) and 0x00000005 (`ERROR_ACCESS_DENIED`, [MS-RPCE] 3.2.3.5.1, 3.3.3.5.4).

use core::fmt;

/// One documented code: value, name, description and where it is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo<T: 'static> {
    /// The value on the wire.
    pub value: T,
    /// The name as the defining document spells it.
    pub name: &'static str,
    /// What it means.
    pub description: &'static str,
    /// The defining document and section.
    pub source: &'static str,
}

/// Declares a newtype code with associated constants and a lookup table.
macro_rules! code_table {
    (
        $(#[$doc:meta])*
        $ty:ident($int:ty), $table:ident {
            $( $(#[$cdoc:meta])* $konst:ident = $value:literal, $name:literal, $text:literal, $src:literal; )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $ty(pub $int);

        impl $ty {
            $(
                $(#[$cdoc])*
                #[doc = concat!("`", $name, "` (", $src, "): ", $text)]
                pub const $konst: $ty = $ty($value);
            )*

            /// The code for a wire value (known or not).
            pub const fn from_value(value: $int) -> $ty {
                $ty(value)
            }

            /// The wire value.
            pub const fn value(self) -> $int {
                self.0
            }

            /// The table entry for this value, if it is documented.
            pub fn info(self) -> Option<&'static CodeInfo<$int>> {
                $table.iter().find(|c| c.value == self.0)
            }

            /// The documented name, or `None` for an unknown value.
            pub fn name(self) -> Option<&'static str> {
                self.info().map(|c| c.name)
            }

            /// The documented meaning, or `None` for an unknown value.
            pub fn description(self) -> Option<&'static str> {
                self.info().map(|c| c.description)
            }

            /// The code whose documented name is `name`.
            pub fn from_name(name: &str) -> Option<$ty> {
                $table.iter().find(|c| c.name == name).map(|c| $ty(c.value))
            }
        }

        #[doc = concat!("Every documented [`", stringify!($ty), "`], in table order.")]
        pub const $table: &[CodeInfo<$int>] = &[
            $( CodeInfo { value: $value, name: $name, description: $text, source: $src }, )*
        ];

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(n) => write!(f, "{}({:#x} {})", stringify!($ty), self.0, n),
                    None => write!(f, "{}({:#x})", stringify!($ty), self.0),
                }
            }
        }

        impl fmt::Display for $ty {
            /// The name, or the hexadecimal value when unknown.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "{:#x}", self.0),
                }
            }
        }

        impl From<$int> for $ty {
            fn from(v: $int) -> $ty {
                $ty(v)
            }
        }

        impl From<$ty> for $int {
            fn from(c: $ty) -> $int {
                c.0
            }
        }
    };
}

code_table! {
    /// The `status` of a fault PDU (C706 12.6.4.7; values from C706 appendix E "Reject
    /// Status Codes and Parameters", as [MS-RPCE] 3.1.1.5.5 lists them, plus the two Windows
    /// codes described in the module documentation).
    FaultStatus(u32), FAULT_STATUSES {
        NCA_S_FAULT_INT_DIV_BY_ZERO = 0x1C00_0001, "nca_s_fault_int_div_by_zero",
            "integer division by zero in the server", "C706 appendix E";
        NCA_S_FAULT_ADDR_ERROR = 0x1C00_0002, "nca_s_fault_addr_error",
            "address error (bad memory reference) in the server", "C706 appendix E";
        NCA_S_FAULT_FP_DIV_ZERO = 0x1C00_0003, "nca_s_fault_fp_div_zero",
            "floating-point division by zero in the server", "C706 appendix E";
        NCA_S_FAULT_FP_UNDERFLOW = 0x1C00_0004, "nca_s_fault_fp_underflow",
            "floating-point underflow in the server", "C706 appendix E";
        NCA_S_FAULT_FP_OVERFLOW = 0x1C00_0005, "nca_s_fault_fp_overflow",
            "floating-point overflow in the server", "C706 appendix E";
        NCA_S_FAULT_INVALID_TAG = 0x1C00_0006, "nca_s_fault_invalid_tag",
            "a union discriminant is not one of the union's cases", "C706 appendix E";
        NCA_S_FAULT_INVALID_BOUND = 0x1C00_0007, "nca_s_fault_invalid_bound",
            "an array bound is invalid", "C706 appendix E";
        NCA_S_RPC_VERSION_MISMATCH = 0x1C00_0008, "nca_s_rpc_version_mismatch",
            "the server does not support the RPC protocol version of the request", "C706 appendix E";
        NCA_S_UNSPEC_REJECT = 0x1C00_0009, "nca_s_unspec_reject",
            "the request is rejected for unspecified reasons", "C706 appendix E";
        NCA_S_BAD_ACTID = 0x1C00_000A, "nca_s_bad_actid",
            "the server has no state for the activity identifier (connectionless)", "C706 appendix E";
        NCA_S_WHO_ARE_YOU_FAILED = 0x1C00_000B, "nca_s_who_are_you_failed",
            "the conversation manager callback failed (connectionless)", "C706 appendix E";
        NCA_S_MANAGER_NOT_ENTERED = 0x1C00_000C, "nca_s_manager_not_entered",
            "the server manager routine was not entered and executed", "C706 appendix E";
        NCA_S_FAULT_CANCEL = 0x1C00_000D, "nca_s_fault_cancel",
            "the call was cancelled in the server", "C706 appendix E";
        NCA_S_FAULT_ILL_INST = 0x1C00_000E, "nca_s_fault_ill_inst",
            "illegal instruction in the server", "C706 appendix E";
        NCA_S_FAULT_FP_ERROR = 0x1C00_000F, "nca_s_fault_fp_error",
            "floating-point error in the server", "C706 appendix E";
        NCA_S_FAULT_INT_OVERFLOW = 0x1C00_0010, "nca_s_fault_int_overflow",
            "integer overflow in the server", "C706 appendix E";
        NCA_S_FAULT_UNSPEC = 0x1C00_0012, "nca_s_fault_unspec",
            "unspecified fault in the server", "C706 appendix E";
        NCA_S_FAULT_REMOTE_COMM_FAILURE = 0x1C00_0013, "nca_s_fault_remote_comm_failure",
            "a nested call from the server failed to communicate", "C706 appendix E";
        NCA_S_FAULT_PIPE_EMPTY = 0x1C00_0014, "nca_s_fault_pipe_empty",
            "a pipe was read after it was empty", "C706 appendix E";
        NCA_S_FAULT_PIPE_CLOSED = 0x1C00_0015, "nca_s_fault_pipe_closed",
            "a pipe was used after it was closed", "C706 appendix E";
        NCA_S_FAULT_PIPE_ORDER = 0x1C00_0016, "nca_s_fault_pipe_order",
            "pipes were used out of order", "C706 appendix E";
        NCA_S_FAULT_PIPE_DISCIPLINE = 0x1C00_0017, "nca_s_fault_pipe_discipline",
            "a pipe was used against its discipline", "C706 appendix E";
        NCA_S_FAULT_PIPE_COMM_ERROR = 0x1C00_0018, "nca_s_fault_pipe_comm_error",
            "communication error while processing a pipe", "C706 appendix E";
        NCA_S_FAULT_PIPE_MEMORY = 0x1C00_0019, "nca_s_fault_pipe_memory",
            "no memory to process a pipe", "C706 appendix E";
        NCA_S_FAULT_CONTEXT_MISMATCH = 0x1C00_001A, "nca_s_fault_context_mismatch",
            "the context handle does not match any known context", "C706 appendix E";
        NCA_S_FAULT_REMOTE_NO_MEMORY = 0x1C00_001B, "nca_s_fault_remote_no_memory",
            "the server ran out of memory", "C706 appendix E";
        NCA_S_INVALID_PRES_CONTEXT_ID = 0x1C00_001C, "nca_s_invalid_pres_context_id",
            "the presentation context id of the request is not negotiated", "C706 appendix E";
        NCA_S_UNSUPPORTED_AUTHN_LEVEL = 0x1C00_001D, "nca_s_unsupported_authn_level",
            "the server does not support the requested authentication level", "C706 appendix E";
        NCA_S_INVALID_CHECKSUM = 0x1C00_001F, "nca_s_invalid_checksum",
            "the PDU checksum is invalid", "C706 appendix E";
        NCA_S_INVALID_CRC = 0x1C00_0020, "nca_s_invalid_crc",
            "the PDU CRC is invalid", "C706 appendix E";
        NCA_S_FAULT_USER_DEFINED = 0x1C00_0021, "nca_s_fault_user_defined",
            "a user-defined exception was raised", "C706 appendix E";
        NCA_S_FAULT_TX_OPEN_FAILED = 0x1C00_0022, "nca_s_fault_tx_open_failed",
            "a transaction could not be opened", "C706 appendix E";
        NCA_S_FAULT_CODESET_CONV_ERROR = 0x1C00_0023, "nca_s_fault_codeset_conv_error",
            "code-set conversion failed", "C706 appendix E";
        NCA_S_FAULT_OBJECT_NOT_FOUND = 0x1C00_0024, "nca_s_fault_object_not_found",
            "the object UUID of the request is not known", "C706 appendix E";
        NCA_S_FAULT_NO_CLIENT_STUB = 0x1C00_0025, "nca_s_fault_no_client_stub",
            "no client stub for a callback", "C706 appendix E";
        NCA_S_COMM_FAILURE = 0x1C01_0001, "nca_s_comm_failure",
            "communication failure", "C706 appendix E";
        NCA_S_OP_RNG_ERROR = 0x1C01_0002, "nca_s_op_rng_error",
            "the operation number is not below the number of operations of the interface",
            "C706 appendix E";
        NCA_S_UNK_IF = 0x1C01_0003, "nca_s_unk_if",
            "the server does not export the requested interface", "C706 appendix E";
        NCA_S_WRONG_BOOT_TIME = 0x1C01_0006, "nca_s_wrong_boot_time",
            "the server boot time does not match (connectionless)", "C706 appendix E";
        NCA_S_YOU_CRASHED = 0x1C01_0009, "nca_s_you_crashed",
            "a restarted server called back a client (connectionless)", "C706 appendix E";
        NCA_S_PROTO_ERROR = 0x1C01_000B, "nca_s_proto_error",
            "the RPC protocol was violated (MS-RPCE 3.3.3.5.7: the status of every protocol error)",
            "C706 appendix E";
        NCA_S_OUT_ARGS_TOO_BIG = 0x1C01_0013, "nca_s_out_args_too_big",
            "the output parameters exceed their declared maximum size", "C706 appendix E";
        NCA_S_SERVER_TOO_BUSY = 0x1C01_0014, "nca_s_server_too_busy",
            "the server is too busy to handle the call", "C706 appendix E";
        NCA_S_UNSUPPORTED_TYPE = 0x1C01_0017, "nca_s_unsupported_type",
            "the server does not implement the operation for the object's type", "C706 appendix E";
        RPC_S_ACCESS_DENIED = 0x0000_0005, "rpc_s_access_denied",
            "access denied (ERROR_ACCESS_DENIED): an authorization policy refused the call, or the request stub exceeds the server's input limit",
            "MS-RPCE 3.2.3.5.1, 3.3.3.5.4";
        NCA_S_FAULT_NDR = 0x0000_06F7, "nca_s_fault_ndr",
            "the stub data is invalid (RPC_X_BAD_STUB_DATA): the NDR octet stream failed to unmarshal or failed a strict consistency check",
            "MS-RPCE 3.1.1.5.2";
    }
}

code_table! {
    /// The `result` of one presentation context in a bind_ack or alter_context_resp
    /// (`p_cont_def_result_t`, C706 12.6.3.1; `negotiate_ack` from [MS-RPCE] 2.2.2.4).
    DefResult(u16), DEF_RESULTS {
        ACCEPTANCE = 0, "acceptance", "the presentation context is accepted", "C706 12.6.3.1";
        USER_REJECTION = 1, "user_rejection", "rejected by the user (server application)",
            "C706 12.6.3.1";
        PROVIDER_REJECTION = 2, "provider_rejection",
            "rejected by the RPC runtime; the reason says why", "C706 12.6.3.1";
        NEGOTIATE_ACK = 3, "negotiate_ack",
            "answer to a bind time feature negotiation entry; the reason carries the accepted feature bits",
            "MS-RPCE 2.2.2.4";
    }
}

code_table! {
    /// The `reason` of a rejected presentation context (`p_provider_reason_t`, C706
    /// 12.6.3.1). For a `negotiate_ack` result the field instead carries the
    /// BindTimeFeatureNegotiationResponseBitmask ([MS-RPCE] 2.2.2.15).
    ProviderReason(u16), PROVIDER_REASONS {
        REASON_NOT_SPECIFIED = 0, "reason_not_specified", "no reason given", "C706 12.6.3.1";
        ABSTRACT_SYNTAX_NOT_SUPPORTED = 1, "abstract_syntax_not_supported",
            "the interface (abstract syntax) is not supported", "C706 12.6.3.1";
        PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED = 2, "proposed_transfer_syntaxes_not_supported",
            "none of the proposed transfer syntaxes is supported", "C706 12.6.3.1";
        LOCAL_LIMIT_EXCEEDED = 3, "local_limit_exceeded", "a local limit was exceeded",
            "C706 12.6.3.1";
    }
}

code_table! {
    /// The `provider_reject_reason` of a bind_nak (`p_reject_reason_t`, C706 12.6.3.1;
    /// 8 and 9 from [MS-RPCE] 2.2.2.5).
    RejectReason(u16), REJECT_REASONS {
        REASON_NOT_SPECIFIED = 0, "reason_not_specified", "no reason given", "C706 12.6.3.1";
        TEMPORARY_CONGESTION = 1, "temporary_congestion",
            "temporary congestion (Windows treats it as local_limit_exceeded)", "C706 12.6.3.1";
        LOCAL_LIMIT_EXCEEDED = 2, "local_limit_exceeded",
            "the server lacks resources (e.g. too many presentation contexts, MS-RPCE 3.3.3.5.5)",
            "C706 12.6.3.1";
        CALLED_PADDR_UNKNOWN = 3, "called_paddr_unknown", "the called address is unknown",
            "C706 12.6.3.1";
        PROTOCOL_VERSION_NOT_SUPPORTED = 4, "protocol_version_not_supported",
            "the RPC protocol version is not supported; the versions field lists those that are",
            "C706 12.6.3.1";
        DEFAULT_CONTEXT_NOT_SUPPORTED = 5, "default_context_not_supported",
            "the default context is not supported", "C706 12.6.3.1";
        USER_DATA_NOT_READABLE = 6, "user_data_not_readable", "the user data is not readable",
            "C706 12.6.3.1";
        NO_PSAP_AVAILABLE = 7, "no_psap_available", "no presentation service access point",
            "C706 12.6.3.1";
        AUTHENTICATION_TYPE_NOT_RECOGNIZED = 8, "authentication_type_not_recognized",
            "the client's authentication type is not recognized", "MS-RPCE 2.2.2.5";
        INVALID_CHECKSUM = 9, "invalid_checksum",
            "the security package detected an unrecoverable error", "MS-RPCE 2.2.2.5";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_unknown_values() {
        assert_eq!(FaultStatus(0x1C01_0002).name(), Some("nca_s_op_rng_error"));
        assert_eq!(FaultStatus::NCA_S_FAULT_NDR.value(), 0x6F7);
        assert_eq!(FaultStatus(0xDEAD).name(), None);
        assert_eq!(FaultStatus(0xDEAD).to_string(), "0xdead");
        assert_eq!(
            FaultStatus::from_name("nca_s_unk_if"),
            Some(FaultStatus::NCA_S_UNK_IF)
        );
        assert_eq!(DefResult(3).name(), Some("negotiate_ack"));
        assert_eq!(RejectReason(9).name(), Some("invalid_checksum"));
        assert_eq!(
            ProviderReason(2).to_string(),
            "proposed_transfer_syntaxes_not_supported"
        );
    }

    #[test]
    fn tables_have_unique_values_and_names() {
        fn check<T: PartialEq + Copy>(t: &[CodeInfo<T>]) {
            for (i, a) in t.iter().enumerate() {
                for b in &t[i + 1..] {
                    assert!(
                        a.value != b.value,
                        "{} and {} share a value",
                        a.name,
                        b.name
                    );
                    assert!(a.name != b.name, "{} twice", a.name);
                }
            }
        }
        check(FAULT_STATUSES);
        check(DEF_RESULTS);
        check(PROVIDER_REASONS);
        check(REJECT_REASONS);
    }
}
