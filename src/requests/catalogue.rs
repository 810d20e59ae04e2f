//! The request catalogue: every request packet of [MS-TRP] 2.2.4.1, described once.
//!
//! Each entry gives the Rust name, the Req_Func value, the section title and number, the
//! group, whether the server completes the request synchronously or answers with a request
//! id, and the 13 parameter DWORDs that follow `Req_Func` and `Reserved1` (field names spelled
//! exactly as in the spec diagram) with their role. Everything else - the zerocopy layouts,
//! the typed views, the builders, the metadata used for JSON, pretty-printing and validation -
//! is derived from this table: [`for_each_request!`] hands it to one macro per layer (`ids.rs`:
//! `FuncId` and the descriptions; `views.rs`: layouts and views; `builders.rs`: builders;
//! `replies/views.rs`: reply views), so each layer derives its part without importing the
//! layers above it.
//!
//! Generated once from the spec diagrams by `tools/gen_catalogue.py`, then reviewed by hand;
//! the roles of references (string, bytes with their size field, structure, output buffer)
//! follow the field text of each packet section and the rules of 3.1.4.2.

/// Calls `$callback! { table }` with the whole request catalogue; the callback must be in
/// scope where this is invoked.
macro_rules! for_each_request {
    ($callback:ident) => {
        $callback! {
    /// Initialize (Create Session for Line Device), [MS-TRP] 2.2.4.1.1.1.
    LineInitialize = 47, "Initialize", "2.2.4.1.1.1", LineSession, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        h_instance "hInstance": value,
        init_context "InitContext": value,
        dw_friendly_name_offset "dwFriendlyNameOffset": string,
        dw_num_devs "dwNumDevs": value,
        dw_module_name_offset "dwModuleNameOffset": string,
        dw_api_version "dwAPIVersion": version,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
    }

    /// NegotiateAPIVersion (Create Session for Line Device), [MS-TRP] 2.2.4.1.1.2.
    LineNegotiateAPIVersion = 52, "NegotiateAPIVersion", "2.2.4.1.1.2", LineSession, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        dw_device_id "dwDeviceID": value,
        dw_version "dwVersion": version,
        dw_version_current "dwVersionCurrent": version,
        dw_negotiated_version "dwNegotiatedVersion": version,
        extension_id "ExtensionID": out_offset(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
    }

    /// GetDevCaps (Create Session for Line Device), [MS-TRP] 2.2.4.1.1.3.
    LineGetDevCaps = 34, "GetDevCaps", "2.2.4.1.1.3", LineSession, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        dw_device_id "dwDeviceID": value,
        dw_tspi_version "dwTSPIVersion": version,
        dw_ext_version "dwExtVersion": version,
        lp_line_dev_caps "lpLineDevCaps": out_size("LINEDEVCAPS"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
    }

    /// GetAddressCaps (Create Session for Line Device), [MS-TRP] 2.2.4.1.1.4.
    LineGetAddressCaps = 21, "GetAddressCaps", "2.2.4.1.1.4", LineSession, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        dw_device_id "dwDeviceID": value,
        dw_address_id "dwAddressID": value,
        dw_tspi_version "dwTSPIVersion": version,
        dw_ext_version "dwExtVersion": version,
        lp_address_caps "lpAddressCaps": out_size("LINEADDRESSCAPS"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// Open (Create Session for Line Device), [MS-TRP] 2.2.4.1.1.5.
    LineOpen = 54, "Open", "2.2.4.1.1.5", LineSession, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        dw_device_id "dwDeviceID": value,
        h_line "hLine": handle(HLine),
        dw_negotiated_version "dwNegotiatedVersion": version,
        dw_ext_version "dwExtVersion": version,
        open_context "OpenContext": value,
        dw_privileges "dwPrivileges": value,
        dw_media_modes "dwMediaModes": value,
        p_call_params "pCallParams": opt_structure("LINECALLPARAMS"),
        dw_ascii_call_params_code_page "dwAsciiCallParamsCodePage": value,
        p_get_call_params "pGetCallParams": value,
        h_remote_line "hRemoteLine": value,
        reserved2 "Reserved2": reserved,
    }

    /// Close (Terminate Session for Line Device), [MS-TRP] 2.2.4.1.2.1.
    LineClose = 9, "Close", "2.2.4.1.2.1", LineTerminate, Sync {
        h_line "hLine": handle(HLine),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
        reserved13 "Reserved13": reserved,
    }

    /// ShutDown (Terminate Session for Line Device), [MS-TRP] 2.2.4.1.2.2.
    LineShutDown = 86, "ShutDown", "2.2.4.1.2.2", LineTerminate, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
        reserved13 "Reserved13": reserved,
    }

    /// Accept (Line Device Requests), [MS-TRP] 2.2.4.1.3.1.
    LineAccept = 4, "Accept", "2.2.4.1.3.1", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        lps_user_user_info "lpsUserUserInfo": opt_bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// AddToConference (Line Device Requests), [MS-TRP] 2.2.4.1.3.2.
    LineAddToConference = 5, "AddToConference", "2.2.4.1.3.2", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_conf_call "hConfCall": handle(HCall),
        h_consult_call "hConsultCall": handle(HCall),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// AgentSpecific (Line Device Requests), [MS-TRP] 2.2.4.1.3.3.
    LineAgentSpecific = 6, "AgentSpecific", "2.2.4.1.3.3", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        dw_agent_extension_id_index "dwAgentExtensionIDIndex": value,
        lp_params_context "lpParamsContext": value,
        lp_params "lpParams": bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
    }

    /// Answer (Line Device Requests), [MS-TRP] 2.2.4.1.3.4.
    LineAnswer = 7, "Answer", "2.2.4.1.3.4", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        lps_user_user_info "lpsUserUserInfo": opt_bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// BlindTransfer (Line Device Requests), [MS-TRP] 2.2.4.1.3.5.
    LineBlindTransfer = 8, "BlindTransfer", "2.2.4.1.3.5", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        lpsz_dest_address "lpszDestAddress": string,
        dw_country_code "dwCountryCode": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// DeallocateCall (Line Device Requests), [MS-TRP] 2.2.4.1.3.6.
    LineDeallocateCall = 12, "DeallocateCall", "2.2.4.1.3.6", Line, Sync {
        h_call "hCall": handle(HCall),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
        reserved13 "Reserved13": reserved,
    }

    /// CompleteCall (Line Device Requests), [MS-TRP] 2.2.4.1.3.7.
    LineCompleteCall = 10, "CompleteCall", "2.2.4.1.3.7", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_call "hCall": handle(HCall),
        lpdw_completion_id_context "lpdwCompletionIDContext": value,
        dw_completion_mode "dwCompletionMode": value,
        dw_message_id "dwMessageID": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// CompleteTransfer (Line Device Requests), [MS-TRP] 2.2.4.1.3.8.
    LineCompleteTransfer = 11, "CompleteTransfer", "2.2.4.1.3.8", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_call "hCall": handle(HCall),
        h_consult_call "hConsultCall": handle(HCall),
        lp_conf_call_context "lpConfCallContext": value,
        dw_transfer_mode "dwTransferMode": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// ConditionalMediaDetection (Line Device Requests), [MS-TRP] 2.2.4.1.3.9.
    LineConditionalMediaDetection = 127, "ConditionalMediaDetection", "2.2.4.1.3.9", Line, Sync {
        h_line "hLine": handle(HLine),
        dw_media_modes "dwMediaModes": value,
        lp_call_params "lpCallParams": structure("LINECALLPARAMS"),
        dw_ascii_call_params_code_page "dwAsciiCallParamsCodePage": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// CreateAgent (Line Device Requests), [MS-TRP] 2.2.4.1.3.10.
    LineCreateAgent = 146, "CreateAgent", "2.2.4.1.3.10", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        lpsz_agent_id "lpszAgentID": opt_string,
        lpsz_agent_pin "lpszAgentPIN": opt_string,
        lph_agent_context "lphAgentContext": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// CreateAgentSession (Line Device Requests), [MS-TRP] 2.2.4.1.3.11.
    LineCreateAgentSession = 147, "CreateAgentSession", "2.2.4.1.3.11", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        h_agent "hAgent": handle(HAgent),
        lpsz_agent_pin "lpszAgentPIN": opt_string,
        dw_working_address_id "dwWorkingAddressID": value,
        lp_group_id "lpGroupID": bytes(dw_size),
        dw_size "dwSize": value,
        lph_agent_session_context "lphAgentSessionContext": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
    }

    /// DevSpecific (Line Device Requests), [MS-TRP] 2.2.4.1.3.12.
    LineDevSpecific = 13, "DevSpecific", "2.2.4.1.3.12", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        h_call "hCall": handle(HCall),
        lp_params_context "lpParamsContext": value,
        lp_params "lpParams": bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
    }

    /// DevSpecificFeature (Line Device Requests), [MS-TRP] 2.2.4.1.3.13.
    LineDevSpecificFeature = 14, "DevSpecificFeature", "2.2.4.1.3.13", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        dw_feature "dwFeature": value,
        lp_params_context "lpParamsContext": value,
        lp_params "lpParams": bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
    }

    /// Dial (Line Device Requests), [MS-TRP] 2.2.4.1.3.14.
    LineDial = 15, "Dial", "2.2.4.1.3.14", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        lpsz_dest_address "lpszDestAddress": string,
        dw_country_code "dwCountryCode": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// Drop (Line Device Requests), [MS-TRP] 2.2.4.1.3.15.
    LineDrop = 16, "Drop", "2.2.4.1.3.15", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        lps_user_user_info "lpsUserUserInfo": opt_bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// Forward (Line Device Requests), [MS-TRP] 2.2.4.1.3.16.
    LineForward = 17, "Forward", "2.2.4.1.3.16", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        b_all_addresses "bAllAddresses": value,
        dw_address_id "dwAddressID": value,
        lp_forward_list "lpForwardList": opt_structure("LINEFORWARDLIST"),
        dw_num_rings_no_answer "dwNumRingsNoAnswer": value,
        lph_consult_call_context "lphConsultCallContext": value,
        lp_call_params "lpCallParams": opt_structure("LINECALLPARAMS"),
        dw_ascii_call_params_code_page "dwAsciiCallParamsCodePage": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
    }

    /// GatherDigits (Line Device Requests), [MS-TRP] 2.2.4.1.3.17.
    ///
    /// Erratum: the diagram lists 16 DWORDs before VarData; the trailing Reserved6 is dropped so VarData starts at byte 60 (spec-notes/errata.md).
    LineGatherDigits = 18, "GatherDigits", "2.2.4.1.3.17", Line, Sync {
        lp_context "lpContext": value,
        h_call "hCall": handle(HCall),
        dw_endto_end_id "dwEndtoEndID": value,
        dw_digit_modes "dwDigitModes": value,
        lps_digits_context "lpsDigitsContext": value,
        dw_num_digits "dwNumDigits": value,
        lpsz_termination_digits "lpszTerminationDigits": opt_string,
        dw_first_digit_timeout "dwFirstDigitTimeout": value,
        dw_inter_digit_timeout "dwInterDigitTimeout": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
    }

    /// GenerateDigits (Line Device Requests), [MS-TRP] 2.2.4.1.3.18.
    LineGenerateDigits = 19, "GenerateDigits", "2.2.4.1.3.18", Line, Sync {
        h_call "hCall": handle(HCall),
        dw_digit_mode "dwDigitMode": value,
        lpsz_digits "lpszDigits": opt_string,
        dw_duration "dwDuration": value,
        dw_end_to_end_id "dwEndToEndID": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
    }

    /// GenerateTone (Line Device Requests), [MS-TRP] 2.2.4.1.3.19.
    LineGenerateTone = 20, "GenerateTone", "2.2.4.1.3.19", Line, Sync {
        h_call "hCall": handle(HCall),
        dw_tone_mode "dwToneMode": value,
        dw_duration "dwDuration": value,
        dw_num_tones "dwNumTones": value,
        lp_tones "lpTones": opt_bytes(dw_size),
        dw_size "dwSize": value,
        dw_end_to_end_id "dwEndToEndID": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
    }

    /// GetAddressID (Line Device Requests), [MS-TRP] 2.2.4.1.3.20.
    LineGetAddressID = 22, "GetAddressID", "2.2.4.1.3.20", Line, Sync {
        h_line "hLine": handle(HLine),
        lpdw_address_id "lpdwAddressID": value,
        dw_address_mode "dwAddressMode": value,
        lps_address "lpsAddress": bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
    }

    /// GetAddressStatus (Line Device Requests), [MS-TRP] 2.2.4.1.3.21.
    LineGetAddressStatus = 23, "GetAddressStatus", "2.2.4.1.3.21", Line, Sync {
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        lp_address_status "lpAddressStatus": out_size("LINEADDRESSSTATUS"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// GetAgentActivityList (Line Device Requests), [MS-TRP] 2.2.4.1.3.22.
    LineGetAgentActivityList = 24, "GetAgentActivityList", "2.2.4.1.3.22", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        lp_agent_activity_list_context "lpAgentActivityListContext": value,
        lp_agent_activity_list "lpAgentActivityList": out_size("LINEAGENTACTIVITYLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// GetAgentCaps (Line Device Requests), [MS-TRP] 2.2.4.1.3.23.
    LineGetAgentCaps = 25, "GetAgentCaps", "2.2.4.1.3.23", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line_app "hLineApp": handle(HLineApp),
        dw_device_id "dwDeviceID": value,
        dw_address_id "dwAddressID": value,
        dw_app_api_version "dwAppAPIVersion": version,
        lp_agent_caps_context "lpAgentCapsContext": value,
        lp_agent_caps_size "lpAgentCapsSize": out_size("LINEAGENTCAPS"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
    }

    /// GetAgentGroupList (Line Device Requests), [MS-TRP] 2.2.4.1.3.24.
    LineGetAgentGroupList = 26, "GetAgentGroupList", "2.2.4.1.3.24", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        lp_agent_group_list_context "lpAgentGroupListContext": value,
        lp_agent_group_list_size "lpAgentGroupListSize": out_size("LINEAGENTGROUPLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// GetAgentInfo (Line Device Requests), [MS-TRP] 2.2.4.1.3.25.
    LineGetAgentInfo = 148, "GetAgentInfo", "2.2.4.1.3.25", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        h_agent "hAgent": handle(HAgent),
        lp_agent_info_context "lpAgentInfoContext": value,
        lp_agent_info "lpAgentInfo": out_size("LINEAGENTINFO"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// GetAgentSessionInfo (Line Device Requests), [MS-TRP] 2.2.4.1.3.26.
    LineGetAgentSessionInfo = 149, "GetAgentSessionInfo", "2.2.4.1.3.26", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        h_agent_session "hAgentSession": handle(HAgentSession),
        lp_agent_session_info_context "lpAgentSessionInfoContext": value,
        lp_agent_session_info "lpAgentSessionInfo": out_size("LINEAGENTSESSIONINFO"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// GetAgentSessionList (Line Device Requests), [MS-TRP] 2.2.4.1.3.27.
    LineGetAgentSessionList = 150, "GetAgentSessionList", "2.2.4.1.3.27", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        h_agent "hAgent": handle(HAgent),
        lp_agent_session_list_context "lpAgentSessionListContext": value,
        lp_agent_session_list "lpAgentSessionList": out_size("LINEAGENTSESSIONLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// GetAgentStatus (Line Device Requests), [MS-TRP] 2.2.4.1.3.28.
    LineGetAgentStatus = 27, "GetAgentStatus", "2.2.4.1.3.28", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        lp_agent_status_context "lpAgentStatusContext": value,
        lp_agent_status_size "lpAgentStatusSize": out_size("LINEAGENTSTATUS"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// GetCallHubTracking (Line Device Requests), [MS-TRP] 2.2.4.1.3.29.
    LineGetCallHubTracking = 140, "GetCallHubTracking", "2.2.4.1.3.29", Line, Sync {
        h_line "hLine": handle(HLine),
        lp_tracking_info "lpTrackingInfo": out_size("LINECALLHUBTRACKINGINFO"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetCallIDs (Line Device Requests), [MS-TRP] 2.2.4.1.3.30.
    LineGetCallIDs = 141, "GetCallIDs", "2.2.4.1.3.30", Line, Sync {
        h_call "hCall": handle(HCall),
        lpdw_address_id "lpdwAddressID": value,
        lpdw_call_id "lpdwCallID": value,
        lpdw_related_call_id "lpdwRelatedCallID": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// GetCallInfo (Line Device Requests), [MS-TRP] 2.2.4.1.3.31.
    LineGetCallInfo = 30, "GetCallInfo", "2.2.4.1.3.31", Line, Sync {
        h_call "hCall": handle(HCall),
        lp_call_info "lpCallInfo": out_size("LINECALLINFO"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetCallStatus (Line Device Requests), [MS-TRP] 2.2.4.1.3.32.
    LineGetCallStatus = 31, "GetCallStatus", "2.2.4.1.3.32", Line, Sync {
        h_call "hCall": handle(HCall),
        lp_call_status "lpCallStatus": out_size("LINECALLSTATUS"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetDevConfig (Line Device Requests), [MS-TRP] 2.2.4.1.3.33.
    LineGetDevConfig = 35, "GetDevConfig", "2.2.4.1.3.33", Line, Sync {
        dw_device_id "dwDeviceID": value,
        lp_device_config "lpDeviceConfig": out_size("VARSTRING"),
        lpsz_device_class "lpszDeviceClass": string,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// GetGroupList (Line Device Requests), [MS-TRP] 2.2.4.1.3.34.
    LineGetGroupList = 152, "GetGroupList", "2.2.4.1.3.34", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        lp_group_list_context "lpGroupListContext": value,
        lp_agent_group_list_size "lpAgentGroupListSize": out_size("LINEAGENTGROUPLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
    }

    /// GetID (Line Device Requests), [MS-TRP] 2.2.4.1.3.35.
    LineGetID = 37, "GetID", "2.2.4.1.3.35", Line, Sync {
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        h_call "hCall": handle(HCall),
        dw_select "dwSelect": value,
        lp_device_id "lpDeviceID": out_size("VARSTRING"),
        lpsz_device_class "lpszDeviceClass": string,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// GetLineDevStatus (Line Device Requests), [MS-TRP] 2.2.4.1.3.36.
    LineGetLineDevStatus = 38, "GetLineDevStatus", "2.2.4.1.3.36", Line, Sync {
        h_line "hLine": handle(HLine),
        lp_line_dev_status "lpLineDevStatus": out_size("LINEDEVSTATUS"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetNewCalls (Line Device Requests), [MS-TRP] 2.2.4.1.3.37.
    LineGetNewCalls = 39, "GetNewCalls", "2.2.4.1.3.37", Line, Sync {
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        dw_select "dwSelect": value,
        p_call_list "pCallList": out_size("LINECALLLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// GetNumAddressIDs (Line Device Requests), [MS-TRP] 2.2.4.1.3.38.
    LineGetNumAddressIDs = 40, "GetNumAddressIDs", "2.2.4.1.3.38", Line, Sync {
        h_line "hLine": handle(HLine),
        lpdw_num_address_ids "lpdwNumAddressIDs": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetProxyStatus (Line Device Requests), [MS-TRP] 2.2.4.1.3.39.
    LineGetProxyStatus = 158, "GetProxyStatus", "2.2.4.1.3.39", Line, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        dw_device_id "dwDeviceID": value,
        dw_app_api_version "dwAppAPIVersion": version,
        lp_line_proxy_request_list "lpLineProxyRequestList": out_size("LINEPROXYREQUESTLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// GetQueueInfo (Line Device Requests), [MS-TRP] 2.2.4.1.3.40.
    LineGetQueueInfo = 151, "GetQueueInfo", "2.2.4.1.3.40", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        dw_queue_id "dwQueueID": value,
        lp_queue_info_context "lpQueueInfoContext": value,
        lp_queue_info "lpQueueInfo": out_size("LINEQUEUEINFO"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// GetQueueList (Line Device Requests), [MS-TRP] 2.2.4.1.3.41.
    LineGetQueueList = 153, "GetQueueList", "2.2.4.1.3.41", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        p_group_id "pGroupID": bytes(cb_guid),
        cb_guid "cbGUID": value,
        lp_queue_list_context "lpQueueListContext": value,
        lp_queue_list "lpQueueList": out_size("LINEQUEUELIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
    }

    /// Hold (Line Device Requests), [MS-TRP] 2.2.4.1.3.42.
    LineHold = 46, "Hold", "2.2.4.1.3.42", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// MakeCall (Line Device Requests), [MS-TRP] 2.2.4.1.3.43.
    LineMakeCall = 48, "MakeCall", "2.2.4.1.3.43", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        lph_call_context "lphCallContext": value,
        lpsz_dest_address "lpszDestAddress": opt_string,
        dw_country_code "dwCountryCode": value,
        lp_call_params "lpCallParams": opt_structure("LINECALLPARAMS"),
        dw_call_params_code_page "dwCallParamsCodePage": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
    }

    /// MonitorDigits (Line Device Requests), [MS-TRP] 2.2.4.1.3.44.
    LineMonitorDigits = 49, "MonitorDigits", "2.2.4.1.3.44", Line, Sync {
        h_call "hCall": handle(HCall),
        dw_digit_modes "dwDigitModes": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// MonitorMedia (Line Device Requests), [MS-TRP] 2.2.4.1.3.45.
    LineMonitorMedia = 50, "MonitorMedia", "2.2.4.1.3.45", Line, Sync {
        h_call "hCall": handle(HCall),
        dw_media_modes "dwMediaModes": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// MonitorTones (Line Device Requests), [MS-TRP] 2.2.4.1.3.46.
    LineMonitorTones = 51, "MonitorTones", "2.2.4.1.3.46", Line, Sync {
        h_call "hCall": handle(HCall),
        lp_tone_list "lpToneList": opt_bytes(dw_num_entries),
        dw_num_entries "dwNumEntries": value,
        dw_tone_list_id "dwToneListID": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// NegotiateExtVersion (Line Device Requests), [MS-TRP] 2.2.4.1.3.47.
    LineNegotiateExtVersion = 53, "NegotiateExtVersion", "2.2.4.1.3.47", Line, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        dw_device_id "dwDeviceID": value,
        dw_tspi_version "dwTSPIVersion": version,
        dw_low_version "dwLowVersion": version,
        dw_high_version "dwHighVersion": version,
        lpdw_ext_version "lpdwExtVersion": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// Park (Line Device Requests), [MS-TRP] 2.2.4.1.3.48.
    LinePark = 55, "Park", "2.2.4.1.3.48", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_call "hCall": handle(HCall),
        dw_park_mode "dwParkMode": value,
        lpsz_dir_address "lpszDirAddress": string,
        lp_non_dir_address_context "lpNonDirAddressContext": value,
        lp_non_dir_address "lpNonDirAddress": out_size("VARSTRING"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
    }

    /// PickUp (Line Device Requests), [MS-TRP] 2.2.4.1.3.49.
    LinePickUp = 56, "PickUp", "2.2.4.1.3.49", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        lph_call_context "lphCallContext": value,
        lpsz_dest_address "lpszDestAddress": opt_string,
        lpsz_group_id "lpszGroupID": opt_string,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
    }

    /// PrepareAddToConference (Line Device Requests), [MS-TRP] 2.2.4.1.3.50.
    LinePrepareAddToConference = 57, "PrepareAddToConference", "2.2.4.1.3.50", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_conf_call "hConfCall": handle(HCall),
        lph_consult_call_context "lphConsultCallContext": value,
        lp_call_params "lpCallParams": opt_structure("LINECALLPARAMS"),
        dw_ascii_call_params_code_page "dwAsciiCallParamsCodePage": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// Redirect (Line Device Requests), [MS-TRP] 2.2.4.1.3.51.
    LineRedirect = 60, "Redirect", "2.2.4.1.3.51", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        lpsz_dest_address "lpszDestAddress": string,
        dw_country_code "dwCountryCode": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// ReleaseUserUserInfo (Line Device Requests), [MS-TRP] 2.2.4.1.3.52.
    LineReleaseUserUserInfo = 62, "ReleaseUserUserInfo", "2.2.4.1.3.52", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// RemoveFromConference (Line Device Requests), [MS-TRP] 2.2.4.1.3.53.
    LineRemoveFromConference = 63, "RemoveFromConference", "2.2.4.1.3.53", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// SecureCall (Line Device Requests), [MS-TRP] 2.2.4.1.3.54.
    LineSecureCall = 64, "SecureCall", "2.2.4.1.3.54", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// SelectExtVersion (Line Device Requests), [MS-TRP] 2.2.4.1.3.55.
    LineSelectExtVersion = 128, "SelectExtVersion", "2.2.4.1.3.55", Line, Sync {
        h_line "hLine": handle(HLine),
        dw_ext_version "dwExtVersion": version,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// SendUserUserInfo (Line Device Requests), [MS-TRP] 2.2.4.1.3.56.
    LineSendUserUserInfo = 65, "SendUserUserInfo", "2.2.4.1.3.56", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        lps_user_user_info "lpsUserUserInfo": opt_bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetAgentActivity (Line Device Requests), [MS-TRP] 2.2.4.1.3.57.
    LineSetAgentActivity = 66, "SetAgentActivity", "2.2.4.1.3.57", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        dw_activity_id "dwActivityID": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetAgentGroup (Line Device Requests), [MS-TRP] 2.2.4.1.3.58.
    LineSetAgentGroup = 67, "SetAgentGroup", "2.2.4.1.3.58", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        lp_agent_group_list "lpAgentGroupList": structure("LINEAGENTGROUPLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetAgentMeasurementPeriod (Line Device Requests), [MS-TRP] 2.2.4.1.3.59.
    LineSetAgentMeasurementPeriod = 154, "SetAgentMeasurementPeriod", "2.2.4.1.3.59", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_line "hLine": handle(HLine),
        h_agent "hAgent": handle(HAgent),
        dw_measurement_period "dwMeasurementPeriod": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetAgentSessionState (Line Device Requests), [MS-TRP] 2.2.4.1.3.60.
    LineSetAgentSessionState = 155, "SetAgentSessionState", "2.2.4.1.3.60", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_line "hLine": handle(HLine),
        h_agent_session "hAgentSession": handle(HAgentSession),
        dw_agent_session_state "dwAgentSessionState": value,
        dw_next_agent_session_state "dwNextAgentSessionState": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
    }

    /// SetAgentState (Line Device Requests), [MS-TRP] 2.2.4.1.3.61.
    LineSetAgentState = 68, "SetAgentState", "2.2.4.1.3.61", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        dw_agent_state "dwAgentState": value,
        dw_next_agent_state "dwNextAgentState": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
    }

    /// SetAgentStateEx (Line Device Requests), [MS-TRP] 2.2.4.1.3.62.
    LineSetAgentStateEx = 157, "SetAgentStateEx", "2.2.4.1.3.62", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_line "hLine": handle(HLine),
        h_agent "hAgent": handle(HAgent),
        dw_agent_state "dwAgentState": value,
        dw_next_agent_state "dwNextAgentState": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
    }

    /// SetAppSpecific (Line Device Requests), [MS-TRP] 2.2.4.1.3.63.
    LineSetAppSpecific = 70, "SetAppSpecific", "2.2.4.1.3.63", Line, Sync {
        h_call "hCall": handle(HCall),
        dw_app_specific "dwAppSpecific": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// SetCallData (Line Device Requests), [MS-TRP] 2.2.4.1.3.64.
    LineSetCallData = 71, "SetCallData", "2.2.4.1.3.64", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        lp_call_data "lpCallData": bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetCallHubTracking (Line Device Requests), [MS-TRP] 2.2.4.1.3.65.
    LineSetCallHubTracking = 143, "SetCallHubTracking", "2.2.4.1.3.65", Line, Sync {
        h_line "hLine": handle(HLine),
        lp_tracking_info "lpTrackingInfo": structure("LINECALLHUBTRACKINGINFO"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// SetCallParams (Line Device Requests), [MS-TRP] 2.2.4.1.3.66.
    LineSetCallParams = 72, "SetCallParams", "2.2.4.1.3.66", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        dw_bearer_mode "dwBearerMode": value,
        dw_min_rate "dwMinRate": value,
        dw_max_rate "dwMaxRate": value,
        lp_dial_params "lpDialParams": opt_bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
    }

    /// SetCallQualityOfService (Line Device Requests), [MS-TRP] 2.2.4.1.3.67.
    LineSetCallQualityOfService = 74, "SetCallQualityOfService", "2.2.4.1.3.67", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        lp_sending_flowspec "lpSendingFlowspec": bytes(dw_sending_flowspec_size),
        dw_sending_flowspec_size "dwSendingFlowspecSize": value,
        lp_receiving_flowspec "lpReceivingFlowspec": bytes(dw_receiving_flowspec_size),
        dw_receiving_flowspec_size "dwReceivingFlowspecSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// SetCallTreatment (Line Device Requests), [MS-TRP] 2.2.4.1.3.68.
    LineSetCallTreatment = 75, "SetCallTreatment", "2.2.4.1.3.68", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        dw_treatment "dwTreatment": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// SetDefaultMediaDetection (Line Device Requests), [MS-TRP] 2.2.4.1.3.69.
    LineSetDefaultMediaDetection = 76, "SetDefaultMediaDetection", "2.2.4.1.3.69", Line, Sync {
        h_line "hLine": handle(HLine),
        dw_media_modes "dwMediaModes": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// SetDevConfig (Line Device Requests), [MS-TRP] 2.2.4.1.3.70.
    LineSetDevConfig = 77, "SetDevConfig", "2.2.4.1.3.70", Line, Sync {
        dw_device_id "dwDeviceID": value,
        lp_device_config "lpDeviceConfig": bytes(dw_size),
        dw_size "dwSize": value,
        lpsz_device_class "lpszDeviceClass": string,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetLineDevStatus (Line Device Requests), [MS-TRP] 2.2.4.1.3.71.
    LineSetLineDevStatus = 78, "SetLineDevStatus", "2.2.4.1.3.71", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_line "hLine": handle(HLine),
        dw_status_to_change "dwStatusToChange": value,
        f_status "fStatus": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetMediaControl (Line Device Requests), [MS-TRP] 2.2.4.1.3.72.
    LineSetMediaControl = 79, "SetMediaControl", "2.2.4.1.3.72", Line, Sync {
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        h_call "hCall": handle(HCall),
        dw_select "dwSelect": value,
        lp_digit_list "lpDigitList": bytes(dw_digit_num_entries),
        dw_digit_num_entries "dwDigitNumEntries": value,
        lp_media_list "lpMediaList": bytes(dw_media_num_entries),
        dw_media_num_entries "dwMediaNumEntries": value,
        lp_tone_list "lpToneList": bytes(dw_tone_num_entries),
        dw_tone_num_entries "dwToneNumEntries": value,
        lp_call_state_list "lpCallStateList": bytes(dw_call_state_num_entries),
        dw_call_state_num_entries "dwCallStateNumEntries": value,
        reserved2 "Reserved2": reserved,
    }

    /// SetMediaMode (Line Device Requests), [MS-TRP] 2.2.4.1.3.73.
    LineSetMediaMode = 80, "SetMediaMode", "2.2.4.1.3.73", Line, Sync {
        h_call "hCall": handle(HCall),
        dw_media_mode "dwMediaMode": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// SetQueueMeasurementPeriod (Line Device Requests), [MS-TRP] 2.2.4.1.3.74.
    LineSetQueueMeasurementPeriod = 156, "SetQueueMeasurementPeriod", "2.2.4.1.3.74", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_line "hLine": handle(HLine),
        dw_queue_id "dwQueueID": value,
        dw_measurement_period "dwMeasurementPeriod": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetStatusMessages (Line Device Requests), [MS-TRP] 2.2.4.1.3.75.
    LineSetStatusMessages = 82, "SetStatusMessages", "2.2.4.1.3.75", Line, Sync {
        h_line "hLine": handle(HLine),
        dw_line_states "dwLineStates": value,
        dw_address_states "dwAddressStates": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// SetTerminal (Line Device Requests), [MS-TRP] 2.2.4.1.3.76.
    LineSetTerminal = 83, "SetTerminal", "2.2.4.1.3.76", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        h_call "hCall": handle(HCall),
        dw_select "dwSelect": value,
        dw_terminal_modes "dwTerminalModes": value,
        dw_terminal_id "dwTerminalID": value,
        b_enable "bEnable": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
    }

    /// SetUpConference (Line Device Requests), [MS-TRP] 2.2.4.1.3.77.
    LineSetUpConference = 84, "SetUpConference", "2.2.4.1.3.77", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_call "hCall": handle(HCall),
        h_line "hLine": handle(HLine),
        lph_conf_call_context "lphConfCallContext": value,
        lph_consult_call_context "lphConsultCallContext": value,
        dw_num_parties "dwNumParties": value,
        lp_call_params "lpCallParams": opt_structure("LINECALLPARAMS"),
        dw_ascii_call_params_code_page "dwAsciiCallParamsCodePage": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
    }

    /// SetUpTransfer (Line Device Requests), [MS-TRP] 2.2.4.1.3.78.
    LineSetUpTransfer = 85, "SetUpTransfer", "2.2.4.1.3.78", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_call "hCall": handle(HCall),
        lph_consult_call_context "lphConsultCallContext": value,
        lp_call_params "lpCallParams": opt_structure("LINECALLPARAMS"),
        dw_ascii_call_params_code_page "dwAsciiCallParamsCodePage": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// SwapHold (Line Device Requests), [MS-TRP] 2.2.4.1.3.79.
    LineSwapHold = 87, "SwapHold", "2.2.4.1.3.79", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_active_call "hActiveCall": handle(HCall),
        h_held_call "hHeldCall": handle(HCall),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// UnCompleteCall (Line Device Requests), [MS-TRP] 2.2.4.1.3.80.
    LineUnCompleteCall = 88, "UnCompleteCall", "2.2.4.1.3.80", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_line "hLine": handle(HLine),
        dw_completion_id "dwCompletionID": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// UnHold (Line Device Requests), [MS-TRP] 2.2.4.1.3.81.
    LineUnHold = 89, "UnHold", "2.2.4.1.3.81", Line, Async {
        dw_request_id "dwRequestID": request_id,
        h_call "hCall": handle(HCall),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// UnPark (Line Device Requests), [MS-TRP] 2.2.4.1.3.82.
    LineUnPark = 90, "UnPark", "2.2.4.1.3.82", Line, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_line "hLine": handle(HLine),
        dw_address_id "dwAddressID": value,
        lph_call_context "lphCallContext": value,
        lpsz_dest_address "lpszDestAddress": string,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// Initialize (Create Session for Phone Device), [MS-TRP] 2.2.4.1.4.1.
    PhoneInitialize = 106, "Initialize", "2.2.4.1.4.1", PhoneSession, Sync {
        h_phone_app "hPhoneApp": handle(HPhoneApp),
        h_instance "hInstance": value,
        init_context "InitContext": value,
        dw_friendly_name_offset "dwFriendlyNameOffset": string,
        dw_num_devs "dwNumDevs": value,
        dw_module_name_offset "dwModuleNameOffset": string,
        dw_api_version "dwAPIVersion": version,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
    }

    /// NegotiateAPIVersion (Create Session for Phone Device), [MS-TRP] 2.2.4.1.4.2.
    PhoneNegotiateAPIVersion = 108, "NegotiateAPIVersion", "2.2.4.1.4.2", PhoneSession, Sync {
        h_phone_app "hPhoneApp": handle(HPhoneApp),
        dw_device_id_local "dwDeviceIDLocal": value,
        dw_version "dwVersion": version,
        dw_version_current "dwVersionCurrent": version,
        dw_negotiated_version "dwNegotiatedVersion": version,
        extension_id "ExtensionID": out_offset(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
    }

    /// GetDevCaps (Create Session for Phone Device), [MS-TRP] 2.2.4.1.4.3.
    PhoneGetDevCaps = 95, "GetDevCaps", "2.2.4.1.4.3", PhoneSession, Sync {
        h_phone_app "hPhoneApp": handle(HPhoneApp),
        dw_device_id "dwDeviceID": value,
        dw_tspi_version "dwTSPIVersion": version,
        dw_ext_version "dwExtVersion": version,
        lp_phone_caps "lpPhoneCaps": out_size("PHONECAPS"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
    }

    /// Open (Create Session for Phone Device), [MS-TRP] 2.2.4.1.4.4.
    PhoneOpen = 107, "Open", "2.2.4.1.4.4", PhoneSession, Sync {
        h_phone_app "hPhoneApp": handle(HPhoneApp),
        dw_device_id "dwDeviceID": value,
        h_phone "hPhone": handle(HPhone),
        dw_negotiated_version "dwNegotiatedVersion": version,
        dw_ext_version "dwExtVersion": version,
        open_context "OpenContext": value,
        dw_privilege "dwPrivilege": value,
        h_remote_phone "hRemotePhone": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
    }

    /// Close (Terminate Session for Phone Device), [MS-TRP] 2.2.4.1.5.1.
    PhoneClose = 91, "Close", "2.2.4.1.5.1", PhoneTerminate, Sync {
        h_phone "hPhone": handle(HPhone),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
        reserved13 "Reserved13": reserved,
    }

    /// ShutDown (Terminate Session for Phone Device), [MS-TRP] 2.2.4.1.5.2.
    PhoneShutDown = 119, "ShutDown", "2.2.4.1.5.2", PhoneTerminate, Sync {
        h_phone_app "hPhoneApp": handle(HPhoneApp),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
        reserved13 "Reserved13": reserved,
    }

    /// DevSpecific (Phone Device Requests), [MS-TRP] 2.2.4.1.6.1.
    PhoneDevSpecific = 92, "DevSpecific", "2.2.4.1.6.1", Phone, Async {
        dw_request_id "dwRequestID": request_id,
        lp_context "lpContext": value,
        h_phone "hPhone": handle(HPhone),
        lp_params_context "lpParamsContext": value,
        lp_params "lpParams": bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// GetButtonInfo (Phone Device Requests), [MS-TRP] 2.2.4.1.6.2.
    PhoneGetButtonInfo = 93, "GetButtonInfo", "2.2.4.1.6.2", Phone, Sync {
        h_phone "hPhone": handle(HPhone),
        dw_button_lamp_id "dwButtonLampID": value,
        lp_button_info "lpButtonInfo": out_size("PHONEBUTTONINFO"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// GetData (Phone Device Requests), [MS-TRP] 2.2.4.1.6.3.
    PhoneGetData = 94, "GetData", "2.2.4.1.6.3", Phone, Sync {
        h_phone "hPhone": handle(HPhone),
        dw_data_id "dwDataID": value,
        lp_data "lpData": out_offset(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// GetDisplay (Phone Device Requests), [MS-TRP] 2.2.4.1.6.4.
    PhoneGetDisplay = 96, "GetDisplay", "2.2.4.1.6.4", Phone, Sync {
        h_phone "hPhone": handle(HPhone),
        lp_display "lpDisplay": out_size("VARSTRING"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetGain (Phone Device Requests), [MS-TRP] 2.2.4.1.6.5.
    PhoneGetGain = 97, "GetGain", "2.2.4.1.6.5", Phone, Sync {
        h_phone "hPhone": handle(HPhone),
        dw_hook_switch_dev "dwHookSwitchDev": value,
        lpdw_gain "lpdwGain": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// GetHookSwitch (Phone Device Requests), [MS-TRP] 2.2.4.1.6.6.
    PhoneGetHookSwitch = 98, "GetHookSwitch", "2.2.4.1.6.6", Phone, Sync {
        h_phone "hPhone": handle(HPhone),
        lpdw_hook_switch_devs "lpdwHookSwitchDevs": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetID (Phone Device Requests), [MS-TRP] 2.2.4.1.6.7.
    PhoneGetID = 99, "GetID", "2.2.4.1.6.7", Phone, Sync {
        h_phone "hPhone": handle(HPhone),
        lp_device_id "lpDeviceID": out_size("VARSTRING"),
        lpsz_device_class "lpszDeviceClass": string,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// GetLamp (Phone Device Requests), [MS-TRP] 2.2.4.1.6.8.
    PhoneGetLamp = 101, "GetLamp", "2.2.4.1.6.8", Phone, Sync {
        h_phone "hPhone": handle(HPhone),
        dw_button_lamp_id "dwButtonLampID": value,
        lpdw_lamp_mode "lpdwLampMode": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// GetRing (Phone Device Requests), [MS-TRP] 2.2.4.1.6.9.
    PhoneGetRing = 102, "GetRing", "2.2.4.1.6.9", Phone, Sync {
        h_phone "hPhone": handle(HPhone),
        lpdw_ring_mode "lpdwRingMode": value,
        lpdw_volume "lpdwVolume": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// GetStatus (Phone Device Requests), [MS-TRP] 2.2.4.1.6.10.
    ///
    /// Erratum: the diagram lists 16 DWORDs before VarData; the trailing Reserved13 is dropped so VarData starts at byte 60 (spec-notes/errata.md).
    PhoneGetStatus = 103, "GetStatus", "2.2.4.1.6.10", Phone, Sync {
        h_phone "hPhone": handle(HPhone),
        lp_phone_status "lpPhoneStatus": out_size("PHONESTATUS"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetVolume (Phone Device Requests), [MS-TRP] 2.2.4.1.6.11.
    PhoneGetVolume = 105, "GetVolume", "2.2.4.1.6.11", Phone, Sync {
        h_phone "hPhone": handle(HPhone),
        dw_hook_switch_dev "dwHookSwitchDev": value,
        lpdw_volume "lpdwVolume": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// NegotiateExtVersion (Phone Device Requests), [MS-TRP] 2.2.4.1.6.12.
    PhoneNegotiateExtVersion = 109, "NegotiateExtVersion", "2.2.4.1.6.12", Phone, Sync {
        h_phone_app "hPhoneApp": handle(HPhoneApp),
        dw_device_id "dwDeviceID": value,
        dw_tspi_version "dwTSPIVersion": version,
        dw_low_version "dwLowVersion": version,
        dw_high_version "dwHighVersion": version,
        lpdw_ext_version "lpdwExtVersion": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// SelectExtVersion (Phone Device Requests), [MS-TRP] 2.2.4.1.6.13.
    PhoneSelectExtVersion = 129, "SelectExtVersion", "2.2.4.1.6.13", Phone, Sync {
        h_phone "hPhone": handle(HPhone),
        dw_ext_version "dwExtVersion": version,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// SetButtonInfo (Phone Device Requests), [MS-TRP] 2.2.4.1.6.14.
    PhoneSetButtonInfo = 110, "SetButtonInfo", "2.2.4.1.6.14", Phone, Async {
        dw_request_id "dwRequestID": request_id,
        h_phone "hPhone": handle(HPhone),
        dw_button_lamp_id "dwButtonLampID": value,
        lp_button_info "lpButtonInfo": structure("PHONEBUTTONINFO"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetData (Phone Device Requests), [MS-TRP] 2.2.4.1.6.15.
    PhoneSetData = 111, "SetData", "2.2.4.1.6.15", Phone, Async {
        dw_request_id "dwRequestID": request_id,
        h_phone "hPhone": handle(HPhone),
        dw_data_id "dwDataID": value,
        lp_data "lpData": bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
    }

    /// SetDisplay (Phone Device Requests), [MS-TRP] 2.2.4.1.6.16.
    PhoneSetDisplay = 112, "SetDisplay", "2.2.4.1.6.16", Phone, Async {
        dw_request_id "dwRequestID": request_id,
        h_phone "hPhone": handle(HPhone),
        dw_row "dwRow": value,
        dw_column "dwColumn": value,
        lps_display "lpsDisplay": bytes(dw_size),
        dw_size "dwSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// SetGain (Phone Device Requests), [MS-TRP] 2.2.4.1.6.17.
    PhoneSetGain = 113, "SetGain", "2.2.4.1.6.17", Phone, Async {
        dw_request_id "dwRequestID": request_id,
        h_phone "hPhone": handle(HPhone),
        dw_hook_switch_dev "dwHookSwitchDev": value,
        dw_gain "dwGain": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetHookSwitch (Phone Device Requests), [MS-TRP] 2.2.4.1.6.18.
    PhoneSetHookSwitch = 114, "SetHookSwitch", "2.2.4.1.6.18", Phone, Async {
        dw_request_id "dwRequestID": request_id,
        h_phone "hPhone": handle(HPhone),
        dw_hook_switch_devs "dwHookSwitchDevs": value,
        dw_hook_switch_mode "dwHookSwitchMode": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetLamp (Phone Device Requests), [MS-TRP] 2.2.4.1.6.19.
    PhoneSetLamp = 115, "SetLamp", "2.2.4.1.6.19", Phone, Async {
        dw_request_id "dwRequestID": request_id,
        h_phone "hPhone": handle(HPhone),
        dw_button_lamp_id "dwButtonLampID": value,
        dw_lamp_mode "dwLampMode": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetRing (Phone Device Requests), [MS-TRP] 2.2.4.1.6.20.
    PhoneSetRing = 116, "SetRing", "2.2.4.1.6.20", Phone, Async {
        dw_request_id "dwRequestID": request_id,
        h_phone "hPhone": handle(HPhone),
        dw_ring_mode "dwRingMode": value,
        dw_volume "dwVolume": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetStatusMessages (Phone Device Requests), [MS-TRP] 2.2.4.1.6.21.
    PhoneSetStatusMessages = 117, "SetStatusMessages", "2.2.4.1.6.21", Phone, Sync {
        h_phone "hPhone": handle(HPhone),
        dw_phone_states "dwPhoneStates": value,
        dw_button_modes "dwButtonModes": value,
        dw_button_states "dwButtonStates": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// SetVolume (Phone Device Requests), [MS-TRP] 2.2.4.1.6.22.
    PhoneSetVolume = 118, "SetVolume", "2.2.4.1.6.22", Phone, Async {
        dw_request_id "dwRequestID": request_id,
        h_phone "hPhone": handle(HPhone),
        dw_hook_switch_dev "dwHookSwitchDev": value,
        dw_volume "dwVolume": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
    }

    /// GetAvailableProviders (MMC Requests), [MS-TRP] 2.2.4.1.7.1.
    GetAvailableProviders = 131, "GetAvailableProviders", "2.2.4.1.7.1", Mmc, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        lp_provider_list "lpProviderList": out_size("AVAILABLEPROVIDERLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetDeviceFlags (MMC Requests), [MS-TRP] 2.2.4.1.7.2.
    GetDeviceFlags = 165, "GetDeviceFlags", "2.2.4.1.7.2", Mmc, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        f_line "fLine": value,
        dw_provider_id "dwProviderID": value,
        dw_permanent_device_id "dwPermanentDeviceID": value,
        dw_flags "dwFlags": value,
        dw_device_id "dwDeviceID": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// GetLineInfo (MMC Requests), [MS-TRP] 2.2.4.1.7.3.
    GetLineInfo = 132, "GetLineInfo", "2.2.4.1.7.3", Mmc, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        lp_device_info_list "lpDeviceInfoList": out_size("DEVICEINFOLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetPhoneInfo (MMC Requests), [MS-TRP] 2.2.4.1.7.4.
    GetPhoneInfo = 133, "GetPhoneInfo", "2.2.4.1.7.4", Mmc, Sync {
        h_phone_app "hPhoneApp": handle(HPhoneApp),
        lp_device_info_list "lpDeviceInfoList": out_size("DEVICEINFOLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetProviderList (MMC Requests), [MS-TRP] 2.2.4.1.7.5.
    GetProviderList = 42, "GetProviderList", "2.2.4.1.7.5", Mmc, Sync {
        dw_api_version "dwAPIVersion": version,
        lp_provider_list "lpProviderList": out_size("LINEPROVIDERLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetServerConfig (MMC Requests), [MS-TRP] 2.2.4.1.7.6.
    GetServerConfig = 134, "GetServerConfig", "2.2.4.1.7.6", Mmc, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        lp_provider_list "lpProviderList": out_size("TAPISERVERCONFIG"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// SetLineInfo (MMC Requests), [MS-TRP] 2.2.4.1.7.7.
    SetLineInfo = 135, "SetLineInfo", "2.2.4.1.7.7", Mmc, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        lp_device_info_list "lpDeviceInfoList": structure("DEVICEINFOLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// SetPhoneInfo (MMC Requests), [MS-TRP] 2.2.4.1.7.8.
    SetPhoneInfo = 136, "SetPhoneInfo", "2.2.4.1.7.8", Mmc, Sync {
        h_phone_app "hPhoneApp": handle(HPhoneApp),
        lp_device_info_list "lpDeviceInfoList": structure("DEVICEINFOLIST"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetUIDllName (MMC Requests), [MS-TRP] 2.2.4.1.7.9.
    GetUIDllName = 1, "GetUIDllName", "2.2.4.1.7.9", Mmc, Sync {
        dw_object_id "dwObjectID": value,
        dw_object_type "dwObjectType": value,
        dw_ui_dll_name_offset "dwUIDllNameOffset": out_offset(dw_ui_dll_name_size),
        dw_ui_dll_name_size "dwUIDllNameSize": value,
        dw_provider_filename_offset "dwProviderFilenameOffset": opt_string,
        b_remove_provider "bRemoveProvider": value,
        ht_dlg_inst "htDlgInst": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
    }

    /// TUISPIDLLCallback (MMC Requests), [MS-TRP] 2.2.4.1.7.10.
    TUISPIDLLCallback = 2, "TUISPIDLLCallback", "2.2.4.1.7.10", Mmc, Sync {
        dw_object_id "dwObjectID": value,
        dw_object_type "dwObjectType": value,
        dw_params_in_offset "dwParamsInOffset": bytes(dw_params_in_size),
        dw_params_in_size "dwParamsInSize": value,
        dw_params_out_offset "dwParamsOutOffset": out_offset(dw_params_out_size),
        dw_params_out_size "dwParamsOutSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }

    /// FreeDialogInstance (MMC Requests), [MS-TRP] 2.2.4.1.7.11.
    FreeDialogInstance = 3, "FreeDialogInstance", "2.2.4.1.7.11", Mmc, Sync {
        ht_dlg_inst "htDlgInst": value,
        l_ui_dll_result "lUIDllResult": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// SetServerConfig (MMC Requests), [MS-TRP] 2.2.4.1.7.12.
    SetServerConfig = 137, "SetServerConfig", "2.2.4.1.7.12", Mmc, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        dw_server_config_offset "dwServerConfigOffset": structure("TAPISERVERCONFIG"),
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
        reserved12 "Reserved12": reserved,
    }

    /// GetAsyncEvents (Generic Requests), [MS-TRP] 2.2.4.1.8.1.
    GetAsyncEvents = 0, "GetAsyncEvents", "2.2.4.1.8.1", Generic, Sync {
        dw_total_buffer_size "dwTotalBufferSize": value,
        dw_needed_buffer_size "dwNeededBufferSize": value,
        dw_used_buffer_size "dwUsedBufferSize": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
        reserved9 "Reserved9": reserved,
        reserved10 "Reserved10": reserved,
        reserved11 "Reserved11": reserved,
    }

    /// NegotiateAPIVersionForAllDevices (Generic Requests), [MS-TRP] 2.2.4.1.8.2.
    NegotiateAPIVersionForAllDevices = 130, "NegotiateAPIVersionForAllDevices", "2.2.4.1.8.2", Generic, Sync {
        h_line_app "hLineApp": handle(HLineApp),
        dw_num_line_devices "dwNumLineDevices": value,
        dw_num_phone_devices "dwNumPhoneDevices": value,
        dw_api_high_version "dwAPIHighVersion": version,
        dw_line_api_version_list_offset "dwLineAPIVersionListOffset": out_offset(dw_line_api_version_list_size),
        dw_line_api_version_list_size "dwLineAPIVersionListSize": value,
        dw_line_extension_id_list_offset "dwLineExtensionIDListOffset": out_offset(dw_line_extension_id_list_size),
        dw_line_extension_id_list_size "dwLineExtensionIDListSize": value,
        dw_phone_api_version_list_offset "dwPhoneAPIVersionListOffset": out_offset(dw_phone_api_version_list_size),
        dw_phone_api_version_list_size "dwPhoneAPIVersionListSize": value,
        dw_phone_extension_id_list_offset "dwPhoneExtensionIDListOffset": out_offset(dw_phone_extension_id_list_size),
        dw_phone_extension_id_list_size "dwPhoneExtensionIDListSize": value,
        reserved2 "Reserved2": reserved,
    }

    /// RSPSetEventFilterMasks (Generic Requests), [MS-TRP] 2.2.4.1.8.3.
    ///
    /// Erratum: the diagram lists 14 DWORDs before VarData; a Reserved DWORD is added at byte 56 so VarData starts at byte 60 (spec-notes/errata.md).
    RSPSetEventFilterMasks = 161, "RSPSetEventFilterMasks", "2.2.4.1.8.3", Generic, Sync {
        dw_obj_type "dwObjType": value,
        l_object_id "lObjectID": value,
        f_sub_mask "fSubMask": value,
        dw_sub_masks "dwSubMasks": value,
        ul_event_masks_lo "ulEventMasksLo": value,
        ul_event_masks_hi "ulEventMasksHi": value,
        reserved2 "Reserved2": reserved,
        reserved3 "Reserved3": reserved,
        reserved4 "Reserved4": reserved,
        reserved5 "Reserved5": reserved,
        reserved6 "Reserved6": reserved,
        reserved7 "Reserved7": reserved,
        reserved8 "Reserved8": reserved,
    }
        }
    };
}

pub(crate) use for_each_request;
