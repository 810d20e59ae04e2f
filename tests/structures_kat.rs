//! Known-answer tests for the data structures of [MS-TRP] 2.2.6, with the bytes laid out by
//! hand from the spec diagrams (member sizes from the member descriptions: 16-byte GUIDs,
//! LINEDIALPARAMS and SYSTEMTIME, 8-byte CURRENCY and DATE, see spec-notes/structures.md),
//! never by this crate's builders.

use mstrp::errors::DecodeErrorKind;
use mstrp::structures::{
    self, LINEADDRESSCAPS, LINEADDRESSSTATUS, LINEAGENTINFO, LINEAGENTSESSIONLIST, LINECALLPARAMS,
    LINECALLSTATUS, LINEDEVCAPS, LINEFORWARDLIST, LINEPROVIDERLIST, LINEPROXYREQUEST, MemberValue,
    PHONECAPS, ProxyRequestKind, Text, VARSTRING,
};

/// The members of every structure in diagram order, as the diagrams name them, with the size
/// the member description declares (the diagrams draw 16-byte members as 96 bits; the
/// LINEPROXYREQUEST union alternatives are tested separately).
/// (structure, section, members as (name, size in bytes)).
type Diagram = (&'static str, &'static str, &'static [(&'static str, usize)]);

const DIAGRAMS: &[Diagram] = &[
    (
        "AVAILABLEPROVIDERENTRY",
        "2.2.6.1",
        &[
            ("dwFileNameSize", 4),
            ("dwFileNameOffset", 4),
            ("dwFriendlyNameSize", 4),
            ("dwFriendlyNameOffset", 4),
            ("dwOptions", 4),
        ],
    ),
    (
        "AVAILABLEPROVIDERLIST",
        "2.2.6.2",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwNumProviderListEntries", 4),
            ("dwProviderListSize", 4),
            ("dwProviderListOffset", 4),
        ],
    ),
    (
        "DEVICEINFO",
        "2.2.6.3",
        &[
            ("dwPermanentDeviceID", 4),
            ("dwProviderID", 4),
            ("dwDeviceNameSize", 4),
            ("dwDeviceNameOffset", 4),
            ("dwAddressesSize", 4),
            ("dwAddressesOffset", 4),
            ("dwDomainUserNamesSize", 4),
            ("dwDomainUserNamesOffset", 4),
            ("dwFriendlyUserNamesSize", 4),
            ("dwFriendlyUserNamesOffset", 4),
        ],
    ),
    (
        "DEVICEINFOLIST",
        "2.2.6.4",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwNumDeviceInfoEntries", 4),
            ("dwDeviceInfoSize", 4),
            ("dwDeviceInfoOffset", 4),
        ],
    ),
    (
        "TAPISERVERCONFIG",
        "2.2.6.5",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwFlags", 4),
            ("dwDomainNameSize", 4),
            ("dwDomainNameOffset", 4),
            ("dwUserNameSize", 4),
            ("dwUserNameOffset", 4),
            ("dwPasswordSize", 4),
            ("dwPasswordOffset", 4),
            ("dwAdministratorsSize", 4),
            ("dwAdministratorsOffset", 4),
        ],
    ),
    (
        "LINEADDRESSCAPS",
        "2.2.6.6",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwLineDeviceID", 4),
            ("dwAddressSize", 4),
            ("dwAddressOffset", 4),
            ("dwDevSpecificSize", 4),
            ("dwDevSpecificOffset", 4),
            ("dwAddressSharing", 4),
            ("dwAddressStates", 4),
            ("dwCallInfoStates", 4),
            ("dwCallerIDFlags", 4),
            ("dwCalledIDFlags", 4),
            ("dwConnectedIDFlags", 4),
            ("dwRedirectionIDFlags", 4),
            ("dwRedirectingIDFlags", 4),
            ("dwCallStates", 4),
            ("dwDialToneModes", 4),
            ("dwBusyModes", 4),
            ("dwSpecialInfo", 4),
            ("dwDisconnectModes", 4),
            ("dwMaxNumActiveCalls", 4),
            ("dwMaxNumOnHoldCalls", 4),
            ("dwMaxNumOnHoldPendingCalls", 4),
            ("dwMaxNumConference", 4),
            ("dwMaxNumTransConf", 4),
            ("dwAddrCapFlags", 4),
            ("dwCallFeatures", 4),
            ("dwRemoveFromConfCaps", 4),
            ("dwRemoveFromConfState", 4),
            ("dwTransferModes", 4),
            ("dwParkModes", 4),
            ("dwForwardModes", 4),
            ("dwMaxForwardEntries", 4),
            ("dwMaxSpecificEntries", 4),
            ("dwMinFwdNumRings", 4),
            ("dwMaxFwdNumRings", 4),
            ("dwMaxCallCompletions", 4),
            ("dwCallCompletionConds", 4),
            ("dwCallCompletionModes", 4),
            ("dwNumCompletionMessages", 4),
            ("dwCompletionMsgTextEntrySize", 4),
            ("dwCompletionMsgTextSize", 4),
            ("dwCompletionMsgTextOffset", 4),
            ("dwAddressFeatures", 4),
            ("dwPredictiveAutoTransferStates", 4),
            ("dwNumCallTreatments", 4),
            ("dwCallTreatmentListSize", 4),
            ("dwCallTreatmentListOffset", 4),
            ("dwDeviceClassesSize", 4),
            ("dwDeviceClassesOffset", 4),
            ("dwMaxCallDataSize", 4),
            ("dwCallFeatures2", 4),
            ("dwMaxNoAnswerTimeout", 4),
            ("dwConnectedModes", 4),
            ("dwOfferingModes", 4),
            ("dwAvailableMediaModes", 4),
        ],
    ),
    (
        "LINEADDRESSSTATUS",
        "2.2.6.7",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwNumInUse", 4),
            ("dwNumActiveCalls", 4),
            ("dwNumOnHoldCalls", 4),
            ("dwNumOnHoldPendCalls", 4),
            ("dwAddressFeatures", 4),
            ("dwNumRingsNoAnswer", 4),
            ("dwForwardNumEntries", 4),
            ("dwForwardSize", 4),
            ("dwForwardOffset", 4),
            ("dwTerminalModesSize", 4),
            ("dwTerminalModesOffset", 4),
            ("dwDevSpecificSize", 4),
            ("dwDevSpecificOffset", 4),
        ],
    ),
    (
        "LINEAGENTSTATUS",
        "2.2.6.8",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwNumEntries", 4),
            ("dwGroupListSize", 4),
            ("dwGroupListOffset", 4),
            ("dwState", 4),
            ("dwNextState", 4),
            ("dwActivityID", 4),
            ("dwActivitySize", 4),
            ("dwActivityOffset", 4),
            ("dwAgentFeatures", 4),
            ("dwValidStates", 4),
            ("dwValidNextStates", 4),
        ],
    ),
    (
        "LINEAGENTACTIVITYENTRY",
        "2.2.6.9",
        &[("dwID", 4), ("dwNameSize", 4), ("dwNameOffset", 4)],
    ),
    (
        "LINEAGENTACTIVITYLIST",
        "2.2.6.10",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwNumEntries", 4),
            ("dwListSize", 4),
            ("dwListOffset", 4),
        ],
    ),
    (
        "LINEAGENTGROUPLIST",
        "2.2.6.11",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwNumEntries", 4),
            ("dwListSize", 4),
            ("dwListOffset", 4),
        ],
    ),
    (
        "LINEAGENTGROUPENTRY",
        "2.2.6.12",
        &[
            ("dwGroupID1", 4),
            ("dwGroupID2", 4),
            ("dwGroupID3", 4),
            ("dwGroupID4", 4),
            ("dwNameSize", 4),
            ("dwNameOffset", 4),
        ],
    ),
    (
        "LINEAGENTCAPS",
        "2.2.6.13",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwAgentHandlerInfoSize", 4),
            ("dwAgentHandlerInfoOffset", 4),
            ("dwCapsVersion", 4),
            ("dwFeatures", 4),
            ("dwStates", 4),
            ("dwNextStates", 4),
            ("dwMaxNumGroupEntries", 4),
            ("dwAgentStatusMessages", 4),
            ("dwNumAgentExtensionIDs", 4),
            ("dwAgentExtensionIDListSize", 4),
            ("dwAgentExtensionIDListOffset", 4),
            ("ProxyGUID", 16),
        ],
    ),
    (
        "LINEAGENTSESSIONENTRY",
        "2.2.6.14",
        &[
            ("hAgentSession", 4),
            ("hAgent", 4),
            ("GroupID", 16),
            ("dwWorkingAddressID", 4),
        ],
    ),
    (
        "LINEAGENTSESSIONLIST",
        "2.2.6.15",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwNumEntries", 4),
            ("dwListSize", 4),
            ("dwListOffset", 4),
        ],
    ),
    (
        "LINEAGENTSESSIONINFO",
        "2.2.6.16",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwAgentSessionState", 4),
            ("dwNextAgentSessionState", 4),
            ("dateSessionStartTime", 8),
            ("dwSessionDuration", 4),
            ("dwNumberOfCalls", 4),
            ("dwTotalTalkTime", 4),
            ("dwAverageTalkTime", 4),
            ("dwTotalCallTime", 4),
            ("dwAverageCallTime", 4),
            ("dwTotalWrapUpTime", 4),
            ("dwAverageWrapUpTime", 4),
            ("cyACDCallRate", 8),
            ("dwLongestTimeToAnswer", 4),
            ("dwAverageTimeToAnswer", 4),
        ],
    ),
    (
        "LINECALLSTATUS",
        "2.2.6.17",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwCallState", 4),
            ("dwCallStateMode", 4),
            ("dwCallPrivilege", 4),
            ("dwCallFeatures", 4),
            ("dwDevSpecificSize", 4),
            ("dwDevSpecificOffset", 4),
            ("dwCallFeatures2", 4),
            ("tStateEntryTime", 16),
        ],
    ),
    (
        "LINECALLHUBTRACKINGINFO",
        "2.2.6.18",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwAvailableTracking", 4),
            ("dwCurrentTracking", 4),
        ],
    ),
    (
        "LINECALLINFO",
        "2.2.6.19",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("hLine", 4),
            ("dwLineDeviceID", 4),
            ("dwAddressID", 4),
            ("dwBearerMode", 4),
            ("dwRate", 4),
            ("dwMediaMode", 4),
            ("dwAppSpecific", 4),
            ("dwCallID", 4),
            ("dwRelatedCallID", 4),
            ("dwCallParamFlags", 4),
            ("dwCallStates", 4),
            ("dwMonitorDigitModes", 4),
            ("dwMonitorMediaModes", 4),
            ("DialParams", 16),
            ("dwOrigin", 4),
            ("dwReason", 4),
            ("dwCompletionID", 4),
            ("dwNumOwners", 4),
            ("dwNumMonitors", 4),
            ("dwCountryCode", 4),
            ("dwTrunk", 4),
            ("dwCallerIDFlags", 4),
            ("dwCallerIDSize", 4),
            ("dwCallerIDOffset", 4),
            ("dwCallerIDNameSize", 4),
            ("dwCallerIDNameOffset", 4),
            ("dwCalledIDFlags", 4),
            ("dwCalledIDSize", 4),
            ("dwCalledIDOffset", 4),
            ("dwCalledIDNameSize", 4),
            ("dwCalledIDNameOffset", 4),
            ("dwConnectedIDFlags", 4),
            ("dwConnectedIDSize", 4),
            ("dwConnectedIDOffset", 4),
            ("dwConnectedIDNameSize", 4),
            ("dwConnectedIDNameOffset", 4),
            ("dwRedirectionIDFlags", 4),
            ("dwRedirectionIDSize", 4),
            ("dwRedirectionIDOffset", 4),
            ("dwRedirectionIDNameSize", 4),
            ("dwRedirectionIDNameOffset", 4),
            ("dwRedirectingIDFlags", 4),
            ("dwRedirectingIDSize", 4),
            ("dwRedirectingIDOffset", 4),
            ("dwRedirectingIDNameSize", 4),
            ("dwRedirectingIDNameOffset", 4),
            ("dwAppNameSize", 4),
            ("dwAppNameOffset", 4),
            ("dwDisplayableAddressSize", 4),
            ("dwDisplayableAddressOffset", 4),
            ("dwCalledPartySize", 4),
            ("dwCalledPartyOffset", 4),
            ("dwCommentSize", 4),
            ("dwCommentOffset", 4),
            ("dwDisplaySize", 4),
            ("dwDisplayOffset", 4),
            ("dwUserUserInfoSize", 4),
            ("dwUserUserInfoOffset", 4),
            ("dwHighLevelCompSize", 4),
            ("dwHighLevelCompOffset", 4),
            ("dwLowLevelCompSize", 4),
            ("dwLowLevelCompOffset", 4),
            ("dwChargingInfoSize", 4),
            ("dwChargingInfoOffset", 4),
            ("dwTerminalModesSize", 4),
            ("dwTerminalModesOffset", 4),
            ("dwDevSpecificSize", 4),
            ("dwDevSpecificOffset", 4),
            ("dwCallTreatment", 4),
            ("dwCallDataSize", 4),
            ("dwCallDataOffset", 4),
            ("dwSendingFlowspecSize", 4),
            ("dwSendingFlowspecOffset", 4),
            ("dwReceivingFlowspecSize", 4),
            ("dwReceivingFlowspecOffset", 4),
            ("dwCallerIDAddressType", 4),
            ("dwCalledIDAddressType", 4),
            ("dwConnectedIDAddressType", 4),
            ("dwRedirectionIDAddressType", 4),
            ("dwRedirectingIDAddressType", 4),
        ],
    ),
    (
        "LINECALLPARAMS",
        "2.2.6.20",
        &[
            ("dwTotalSize", 4),
            ("dwBearerMode", 4),
            ("dwMinRate", 4),
            ("dwMaxRate", 4),
            ("dwMediaMode", 4),
            ("dwCallParamFlags", 4),
            ("dwAddressMode", 4),
            ("dwAddressID", 4),
            ("DialParams", 16),
            ("dwOrigAddressSize", 4),
            ("dwOrigAddressOffset", 4),
            ("dwDisplayableAddressSize", 4),
            ("dwDisplayableAddressOffset", 4),
            ("dwCalledPartySize", 4),
            ("dwCalledPartyOffset", 4),
            ("dwCommentSize", 4),
            ("dwCommentOffset", 4),
            ("dwUserUserInfoSize", 4),
            ("dwUserUserInfoOffset", 4),
            ("dwHighLevelCompSize", 4),
            ("dwHighLevelCompOffset", 4),
            ("dwLowLevelCompSize", 4),
            ("dwLowLevelCompOffset", 4),
            ("dwDevSpecificSize", 4),
            ("dwDevSpecificOffset", 4),
            ("dwPredictiveAutoTransferStates", 4),
            ("dwTargetAddressSize", 4),
            ("dwTargetAddressOffset", 4),
            ("dwSendingFlowspecSize", 4),
            ("dwSendingFlowspecOffset", 4),
            ("dwReceivingFlowspecSize", 4),
            ("dwReceivingFlowspecOffset", 4),
            ("dwDeviceClassSize", 4),
            ("dwDeviceClassOffset", 4),
            ("dwDeviceConfigSize", 4),
            ("dwDeviceConfigOffset", 4),
            ("dwCallDataSize", 4),
            ("dwCallDataOffset", 4),
            ("dwNoAnswerTimeout", 4),
            ("dwCallingPartyIDSize", 4),
            ("dwCallingPartyIDOffset", 4),
            ("dwAddressType", 4),
        ],
    ),
    (
        "LINECALLLIST",
        "2.2.6.21",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwCallsNumEntries", 4),
            ("dwCallsSize", 4),
            ("dwCallsOffset", 4),
        ],
    ),
    (
        "LINECALLTREATMENTENTRY",
        "2.2.6.22",
        &[
            ("dwCallTreatmentID", 4),
            ("dwCallTreatmentNameSize", 4),
            ("dwCallTreatmentNameOffset", 4),
        ],
    ),
    (
        "LINEDEVCAPS",
        "2.2.6.23",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwProviderInfoSize", 4),
            ("dwProviderInfoOffset", 4),
            ("dwSwitchInfoSize", 4),
            ("dwSwitchInfoOffset", 4),
            ("dwPermanentLineID", 4),
            ("dwLineNameSize", 4),
            ("dwLineNameOffset", 4),
            ("dwStringFormat", 4),
            ("dwAddressModes", 4),
            ("dwNumAddresses", 4),
            ("dwBearerModes", 4),
            ("dwMaxRate", 4),
            ("dwMediaModes", 4),
            ("dwGenerateToneModes", 4),
            ("dwGenerateToneMaxFreq", 4),
            ("dwGenerateDigitModes", 4),
            ("dwMonitorToneMaxNumFreq", 4),
            ("dwMonitorToneMaxNumEntries", 4),
            ("dwMonitorDigitModes", 4),
            ("dwGatherDigitsMinTimeout", 4),
            ("dwGatherDigitsMaxTimeout", 4),
            ("dwMedCtlDigitMaxListSize", 4),
            ("dwMedCtlMediaMaxListSize", 4),
            ("dwMedCtlToneMaxListSize", 4),
            ("dwMedCtlCallStateMaxListSize", 4),
            ("dwDevCapFlags", 4),
            ("dwMaxNumActiveCalls", 4),
            ("dwAnswerMode", 4),
            ("dwRingModes", 4),
            ("dwLineStates", 4),
            ("dwUUIAcceptSize", 4),
            ("dwUUIAnswerSize", 4),
            ("dwUUIMakeCallSize", 4),
            ("dwUUIDropSize", 4),
            ("dwUUISendUserUserInfoSize", 4),
            ("dwUUICallInfoSize", 4),
            ("MinDialParams", 16),
            ("MaxDialParams", 16),
            ("DefaultDialParams", 16),
            ("dwNumTerminals", 4),
            ("dwTerminalCapsSize", 4),
            ("dwTerminalCapsOffset", 4),
            ("dwTerminalTextEntrySize", 4),
            ("dwTerminalTextSize", 4),
            ("dwTerminalTextOffset", 4),
            ("dwDevSpecificSize", 4),
            ("dwDevSpecificOffset", 4),
            ("dwLineFeatures", 4),
            ("dwSettableDevStatus", 4),
            ("dwDeviceClassesSize", 4),
            ("dwDeviceClassesOffset", 4),
            ("PermanentLineGuid", 16),
            ("dwAddressTypes", 4),
            ("ProtocolGuid", 16),
            ("dwAvailableTracking", 4),
        ],
    ),
    (
        "LINEDEVSTATUS",
        "2.2.6.24",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwNumOpens", 4),
            ("dwOpenMediaModes", 4),
            ("dwNumActiveCalls", 4),
            ("dwNumOnHoldCalls", 4),
            ("dwNumOnHoldPendCalls", 4),
            ("dwLineFeatures", 4),
            ("dwNumCallCompletions", 4),
            ("dwRingMode", 4),
            ("dwSignalLevel", 4),
            ("dwBatteryLevel", 4),
            ("dwRoamMode", 4),
            ("dwDevStatusFlags", 4),
            ("dwTerminalModesSize", 4),
            ("dwTerminalModesOffset", 4),
            ("dwDevSpecificSize", 4),
            ("dwDevSpecificOffset", 4),
            ("dwAvailableMediaModes", 4),
            ("dwAppInfoSize", 4),
            ("dwAppInfoOffset", 4),
        ],
    ),
    (
        "LINEAPPINFO",
        "2.2.6.25",
        &[
            ("dwMachineNameSize", 4),
            ("dwMachineNameOffset", 4),
            ("dwUserNameSize", 4),
            ("dwUserNameOffset", 4),
            ("dwModuleFilenameSize", 4),
            ("dwModuleFilenameOffset", 4),
            ("dwFriendlyNameSize", 4),
            ("dwFriendlyNameOffset", 4),
            ("dwMediaModes", 4),
            ("dwAddressID", 4),
        ],
    ),
    (
        "LINEDIALPARAMS",
        "2.2.6.26",
        &[
            ("dwDialPause", 4),
            ("dwDialSpeed", 4),
            ("dwDigitDuration", 4),
            ("dwWaitForDialtone", 4),
        ],
    ),
    (
        "LINEGENERATETONE",
        "2.2.6.27",
        &[
            ("dwFrequency", 4),
            ("dwCadenceOn", 4),
            ("dwCadenceOff", 4),
            ("dwVolume", 4),
        ],
    ),
    (
        "LINEPROXYREQUEST",
        "2.2.6.28",
        &[
            ("dwSize", 4),
            ("dwClientMachineNameSize", 4),
            ("dwClientMachineNameOffset", 4),
            ("dwClientUserNameSize", 4),
            ("dwClientUserNameOffset", 4),
            ("dwClientAppAPIVersion", 4),
            ("dwRequestType", 4),
        ],
    ),
    (
        "LINEQUEUEINFO",
        "2.2.6.29",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwMeasurementPeriod", 4),
            ("dwTotalCallsQueued", 4),
            ("dwCurrentCallsQueued", 4),
            ("dwTotalCallsAbandoned", 4),
            ("dwTotalCallsFlowedIn", 4),
            ("dwTotalCallsFlowedOut", 4),
            ("dwLongestEverWaitTime", 4),
            ("dwCurrentLongestWaitTime", 4),
            ("dwAverageWaitTime", 4),
            ("dwFinalDisposition", 4),
        ],
    ),
    (
        "LINEFORWARD",
        "2.2.6.30",
        &[
            ("dwForwardMode", 4),
            ("dwCallerAddressSize", 4),
            ("dwCallerAddressOffset", 4),
            ("dwDestCountryCode", 4),
            ("dwDestAddressSize", 4),
            ("dwDestAddressOffset", 4),
            ("dwCallerAddressType", 4),
            ("dwDestAddressType", 4),
        ],
    ),
    (
        "LINEFORWARDLIST",
        "2.2.6.31",
        &[("dwTotalSize", 4), ("dwNumEntries", 4)],
    ),
    (
        "LINEPROVIDERLIST",
        "2.2.6.32",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwNumProviders", 4),
            ("dwProviderListSize", 4),
            ("dwProviderListOffset", 4),
        ],
    ),
    (
        "LINEPROVIDERENTRY",
        "2.2.6.33",
        &[
            ("dwPermanentProviderID", 4),
            ("dwProviderFilenameSize", 4),
            ("dwProviderFilenameOffset", 4),
        ],
    ),
    (
        "LINEPROXYREQUESTLIST",
        "2.2.6.34",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwNumEntries", 4),
            ("dwListSize", 4),
            ("dwListOffset", 4),
        ],
    ),
    (
        "LINEQUEUELIST",
        "2.2.6.35",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwNumEntries", 4),
            ("dwListSize", 4),
            ("dwListOffset", 4),
        ],
    ),
    (
        "LINEQUEUEENTRY",
        "2.2.6.36",
        &[("dwQueueID", 4), ("dwNameSize", 4), ("dwNameOffset", 4)],
    ),
    (
        "LINEMONITORTONE",
        "2.2.6.37",
        &[
            ("dwAppSpecific", 4),
            ("dwDuration", 4),
            ("dwFrequency1", 4),
            ("dwFrequency2", 4),
            ("dwFrequency3", 4),
        ],
    ),
    (
        "LINEMEDIACONTROLDIGIT",
        "2.2.6.38",
        &[("dwDigit", 4), ("dwDigitModes", 4), ("dwMediaControl", 4)],
    ),
    (
        "LINEMEDIACONTROLMEDIA",
        "2.2.6.39",
        &[
            ("dwMediaModes", 4),
            ("dwDuration", 4),
            ("dwMediaControl", 4),
        ],
    ),
    (
        "LINEMEDIACONTROLTONE",
        "2.2.6.40",
        &[
            ("dwAppSpecific", 4),
            ("dwDuration", 4),
            ("dwFrequency1", 4),
            ("dwFrequency2", 4),
            ("dwFrequency3", 4),
            ("dwMediaControl", 4),
        ],
    ),
    (
        "PHONEBUTTONINFO",
        "2.2.6.41",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwButtonMode", 4),
            ("dwButtonFunction", 4),
            ("dwButtonTextSize", 4),
            ("dwButtonTextOffset", 4),
            ("dwDevSpecificSize", 4),
            ("dwDevSpecificOffset", 4),
            ("dwButtonState", 4),
        ],
    ),
    (
        "PHONECAPS",
        "2.2.6.42",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwProviderInfoSize", 4),
            ("dwProviderInfoOffset", 4),
            ("dwPhoneInfoSize", 4),
            ("dwPhoneInfoOffset", 4),
            ("dwPermanentPhoneID", 4),
            ("dwPhoneNameSize", 4),
            ("dwPhoneNameOffset", 4),
            ("dwStringFormat", 4),
            ("dwPhoneStates", 4),
            ("dwHookSwitchDevs", 4),
            ("dwHandsetHookSwitchModes", 4),
            ("dwSpeakerHookSwitchModes", 4),
            ("dwHeadsetHookSwitchModes", 4),
            ("dwVolumeFlags", 4),
            ("dwGainFlags", 4),
            ("dwDisplayNumRows", 4),
            ("dwDisplayNumColumns", 4),
            ("dwNumRingModes", 4),
            ("dwNumButtonLamps", 4),
            ("dwButtonModesSize", 4),
            ("dwButtonModesOffset", 4),
            ("dwButtonFunctionsSize", 4),
            ("dwButtonFunctionsOffset", 4),
            ("dwLampModesSize", 4),
            ("dwLampModesOffset", 4),
            ("dwNumSetData", 4),
            ("dwSetDataSize", 4),
            ("dwSetDataOffset", 4),
            ("dwNumGetData", 4),
            ("dwGetDataSize", 4),
            ("dwGetDataOffset", 4),
            ("dwDevSpecificSize", 4),
            ("dwDevSpecificOffset", 4),
            ("dwDeviceClassesSize", 4),
            ("dwDeviceClassesOffset", 4),
            ("dwPhoneFeatures", 4),
            ("dwSettableHandsetHookSwitchModes", 4),
            ("dwSettableSpeakerHookSwitchModes", 4),
            ("dwSettableHeadsetHookSwitchModes", 4),
            ("dwMonitoredHandsetHookSwitchModes", 4),
            ("dwMonitoredSpeakerHookSwitchModes", 4),
            ("dwMonitoredHeadsetHookSwitchModes", 4),
            ("PermanentPhoneGuid", 16),
        ],
    ),
    (
        "PHONEEXTENSIONID",
        "2.2.6.43",
        &[
            ("dwExtensionID0", 4),
            ("dwExtensionID1", 4),
            ("dwExtensionID2", 4),
            ("dwExtensionID3", 4),
        ],
    ),
    (
        "LINEMEDIACONTROLCALLSTATE",
        "2.2.6.44",
        &[("dwCallStates", 4), ("dwMediaControl", 4)],
    ),
    (
        "LINEEXTENSIONID",
        "2.2.6.45",
        &[
            ("dwExtensionID0", 4),
            ("dwExtensionID1", 4),
            ("dwExtensionID2", 4),
            ("dwExtensionID3", 4),
        ],
    ),
    (
        "VARSTRING",
        "2.2.6.46",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwStringFormat", 4),
            ("dwStringSize", 4),
            ("dwStringOffset", 4),
        ],
    ),
    (
        "LINEAGENTINFO",
        "2.2.6.47",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwAgentState", 4),
            ("dwNextAgentState", 4),
            ("dwMeasurementPeriod", 4),
            ("cyOverallCallRate", 8),
            ("dwNumberOfACDCalls", 4),
            ("dwNumberOfIncomingCalls", 4),
            ("dwNumberOfOutgoingCalls", 4),
            ("dwTotalACDTalkTime", 4),
            ("dwTotalACDCallTime", 4),
            ("dwTotalACDWrapUpTime", 4),
        ],
    ),
    (
        "PHONESTATUS",
        "2.2.6.48",
        &[
            ("dwTotalSize", 4),
            ("dwNeededSize", 4),
            ("dwUsedSize", 4),
            ("dwStatusFlags", 4),
            ("dwNumOwners", 4),
            ("dwNumMonitors", 4),
            ("dwRingMode", 4),
            ("dwRingVolume", 4),
            ("dwHandsetHookSwitchMode", 4),
            ("dwHandsetVolume", 4),
            ("dwHandsetGain", 4),
            ("dwSpeakerHookSwitchMode", 4),
            ("dwSpeakerVolume", 4),
            ("dwSpeakerGain", 4),
            ("dwHeadsetHookSwitchMode", 4),
            ("dwHeadsetVolume", 4),
            ("dwHeadsetGain", 4),
            ("dwDisplaySize", 4),
            ("dwDisplayOffset", 4),
            ("dwLampModesSize", 4),
            ("dwLampModesOffset", 4),
            ("dwOwnerNameSize", 4),
            ("dwOwnerNameOffset", 4),
            ("dwDevSpecificSize", 4),
            ("dwDevSpecificOffset", 4),
            ("dwPhoneFeatures", 4),
        ],
    ),
    (
        "LINETERMCAPS",
        "2.2.6.49",
        &[("dwTermDev", 4), ("dwTermModes", 4), ("dwTermSharing", 4)],
    ),
];

#[path = "common/writer.rs"]
mod writer;
use writer::W;

fn utf16_len(s: &str) -> u32 {
    2 * (s.encode_utf16().count() as u32 + 1)
}

/// Every structure: lay every member out at the offset that follows from the declared sizes,
/// with a distinct value, and read each one back through the generic view.
#[test]
fn every_structure_from_its_diagram() {
    assert_eq!(DIAGRAMS.len(), 49);
    for (name, section, members) in DIAGRAMS {
        let total: usize = members.iter().map(|m| m.1).sum();
        let mut bytes = Vec::new();
        let mut expected = Vec::new();
        for (i, (m, size)) in members.iter().enumerate() {
            let value: Vec<u8> = if *size == 4 {
                let v = match *m {
                    "dwTotalSize" | "dwNeededSize" | "dwUsedSize" | "dwSize" => total as u32,
                    // (size, offset) pairs empty, so that no variable item is present.
                    m if m.ends_with("Size") => 0,
                    _ => 0x0100_0000 * (i as u32 + 1) + 0x11,
                };
                v.to_le_bytes().to_vec()
            } else {
                (0..*size).map(|j| (i * 16 + j) as u8).collect()
            };
            expected.push((*m, bytes.len(), value.clone()));
            bytes.extend_from_slice(&value);
        }
        let any = structures::decode_any(name, &bytes)
            .unwrap_or_else(|| panic!("{name} unknown"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let raw = any.raw();
        let desc = raw.desc();
        assert_eq!(desc.section, *section, "{name}");
        assert_eq!(desc.size, total, "{name} size");
        assert!(raw.is_current(), "{name}");
        assert_eq!(desc.fields.len(), members.len(), "{name} members");
        for (m, offset, value) in expected {
            let f = desc.field(m).unwrap_or_else(|| panic!("{name}.{m}"));
            assert_eq!(f.offset, offset, "{name}.{m} offset");
            assert_eq!(f.size, value.len(), "{name}.{m} size");
            let got = raw.value(f).unwrap_or_else(|| panic!("{name}.{m} absent"));
            match got {
                MemberValue::Dword(v) => assert_eq!(v.to_le_bytes().to_vec(), value, "{name}.{m}"),
                MemberValue::Currency(v) => assert_eq!(v.to_le_bytes().to_vec(), value),
                MemberValue::Date(v) => assert_eq!(v.to_le_bytes().to_vec(), value),
                _ => assert_eq!(
                    &raw.fixed_bytes()[offset..offset + 16],
                    &value[..],
                    "{name}.{m}"
                ),
            }
        }
    }
}

/// VARSTRING (2.2.6.46) in each string format of 2.2.1.8.
#[test]
fn varstring_formats() {
    // STRINGFORMAT_UNICODE: "COM1" at 24, 10 bytes with the terminator, padded to 36.
    let mut w = W::default();
    w.d(36).d(36).d(36).d(3).d(10).d(24).utf16("COM1").pad();
    assert_eq!(w.len(), 36);
    let v = VARSTRING::parse(&w.0).unwrap();
    assert_eq!(v.dw_string_format(), 3);
    let s = v.string().unwrap().unwrap();
    assert!(matches!(s, Text::Unicode(_)));
    assert!(s.eq_str("COM1"));
    assert_eq!(v.buffer_too_small(), None);

    // STRINGFORMAT_ASCII: "COM1\0" (5 bytes) at 24.
    let mut w = W::default();
    w.d(32).d(32).d(32).d(1).d(5).d(24).raw(b"COM1\0").pad();
    let v = VARSTRING::parse(&w.0).unwrap();
    assert_eq!(v.string().unwrap().unwrap(), Text::Ascii(b"COM1"));

    // STRINGFORMAT_DBCS: bytes are kept, up to the NUL.
    let mut w = W::default();
    w.d(28)
        .d(28)
        .d(28)
        .d(2)
        .d(3)
        .d(24)
        .raw(&[0x82, 0xa0, 0])
        .pad();
    let v = VARSTRING::parse(&w.0).unwrap();
    assert_eq!(v.string().unwrap().unwrap(), Text::Dbcs(&[0x82, 0xa0]));

    // STRINGFORMAT_BINARY: the whole item, NULs included (e.g. GetDevConfig's blob).
    let mut w = W::default();
    w.d(32)
        .d(32)
        .d(32)
        .d(4)
        .d(6)
        .d(24)
        .raw(&[1, 0, 2, 0, 0, 3])
        .pad();
    let v = VARSTRING::parse(&w.0).unwrap();
    assert_eq!(
        v.string().unwrap().unwrap(),
        Text::Binary(&[1, 0, 2, 0, 0, 3])
    );
}

/// dwNeededSize > dwTotalSize is "ask again with a bigger buffer", not an error (2.2.6.23:
/// the server fills the fixed part and sets dwNeededSize).
#[test]
fn buffer_too_small_is_reported() {
    let mut w = W::default();
    w.d(24).d(60).d(24).d(3).d(0).d(0);
    let v = VARSTRING::parse(&w.0).unwrap();
    assert_eq!(v.buffer_too_small(), Some(60));
    assert_eq!(v.string().unwrap(), None);
}

/// Lays out the 292-byte TAPI 3.1 LINEDEVCAPS fixed part (2.2.6.23) with DWORD i = 0x100 + i
/// everywhere except where set below.
fn linedevcaps_fixed() -> W {
    let mut w = W::default();
    // 0..156: dwTotalSize .. dwUUICallInfoSize (39 DWORDs).
    for i in 0..39 {
        w.d(0x100 + i);
    }
    // MinDialParams, MaxDialParams, DefaultDialParams: 16 bytes each at 156, 172, 188.
    for p in 0..3u32 {
        w.d(10 * p + 1).d(10 * p + 2).d(10 * p + 3).d(10 * p + 4);
    }
    // 204: dwNumTerminals .. 236: dwLineFeatures (9 DWORDs), 240 dwSettableDevStatus,
    // 244/248 DeviceClasses.
    for i in 0..12 {
        w.d(0x200 + i);
    }
    // 252: PermanentLineGuid, 268: dwAddressTypes, 272: ProtocolGuid, 288: dwAvailableTracking.
    w.raw(&[0xA0; 16]).d(0x300).raw(&[0xB0; 16]).d(0x301);
    assert_eq!(w.len(), 292);
    // No variable data yet.
    for at in [12, 20, 32, 208, 220, 228, 244] {
        w.put(at, 0);
    }
    w
}

#[test]
fn linedevcaps_tapi31_with_variable_part() {
    let mut w = linedevcaps_fixed();
    w.put(40, 3); // dwStringFormat = STRINGFORMAT_UNICODE
    // LineName at 292.
    w.put(32, utf16_len("Line 1"))
        .put(36, 292)
        .utf16("Line 1")
        .pad();
    // TerminalCaps: two LINETERMCAPS (12 bytes) at 308, dwNumTerminals = 2.
    let caps = w.len();
    w.put(204, 2).put(208, 24).put(212, caps);
    w.d(1).d(2).d(3).d(4).d(5).d(6);
    // DeviceClasses: "tapi/line", "wave/in", then an empty string.
    let dc = w.len();
    let before = w.0.len();
    w.utf16("tapi/line").utf16("wave/in").raw(&[0, 0]);
    let dc_len = (w.0.len() - before) as u32;
    w.put(244, dc_len).put(248, dc).pad();
    w.sizes();

    let caps = LINEDEVCAPS::parse(&w.0).unwrap();
    assert!(caps.raw().is_current());
    assert_eq!(caps.dw_string_format(), 3);
    assert!(caps.line_name().unwrap().unwrap().eq_str("Line 1"));
    // The trap: after three 16-byte LINEDIALPARAMS, dwNumTerminals is at 204, not at the
    // diagram's bit 1536 (byte 192).
    assert_eq!(caps.dw_num_terminals(), 2);
    assert_eq!(caps.min_dial_params().dw_dial_pause.get(), 1);
    assert_eq!(caps.max_dial_params().dw_wait_for_dialtone.get(), 14);
    assert_eq!(caps.default_dial_params().dw_dial_speed.get(), 22);
    assert_eq!(caps.dw_line_features(), Some(0x208));
    assert_eq!(caps.dw_settable_dev_status(), Some(0x209));
    assert_eq!(caps.permanent_line_guid().map(|g| g.data4), Some([0xA0; 8]));
    assert_eq!(caps.dw_address_types(), Some(0x300));
    assert_eq!(
        caps.protocol_guid().map(|g| g.data1.get()),
        Some(0xB0B0_B0B0)
    );
    assert_eq!(caps.dw_available_tracking(), Some(0x301));
    let terms: Vec<_> = caps.terminal_caps().unwrap().collect();
    assert_eq!(terms.len(), 2);
    assert_eq!(
        (
            terms[1].dw_term_dev(),
            terms[1].dw_term_modes(),
            terms[1].dw_term_sharing()
        ),
        (4, 5, 6)
    );
    let classes: Vec<String> = caps
        .device_classes()
        .unwrap()
        .unwrap()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(classes, ["tapi/line", "wave/in"]);
    assert_eq!(caps.dev_specific().unwrap(), None);
}

/// A server that negotiated TAPI 1.4 returns the 240-byte fixed part (up to dwLineFeatures)
/// with its variable data right after: the newer members are absent, not read from the
/// variable data.
#[test]
fn linedevcaps_older_version() {
    let mut w = linedevcaps_fixed();
    w.0.truncate(240);
    w.put(40, 1); // STRINGFORMAT_ASCII
    w.put(32, 7).put(36, 240).raw(b"Line 1\0").pad();
    w.sizes();
    let caps = LINEDEVCAPS::parse(&w.0).unwrap();
    assert!(!caps.raw().is_current());
    assert_eq!(caps.raw().fixed_bytes().len(), 240);
    assert_eq!(caps.dw_line_features(), Some(0x208));
    assert_eq!(caps.dw_settable_dev_status(), None);
    assert_eq!(caps.permanent_line_guid(), None);
    assert_eq!(caps.device_classes().unwrap(), None);
    assert_eq!(caps.line_name().unwrap().unwrap(), Text::Ascii(b"Line 1"));
    assert!(caps.fixed().is_none());

    // dwUsedSize below the oldest (TAPI 1.3) fixed part, which ends before dwLineFeatures
    // (offset 236, a TAPI 1.4 member), is an error naming dwUsedSize.
    w.put(8, 200);
    let e = LINEDEVCAPS::parse(&w.0).unwrap_err();
    assert_eq!(
        (e.packet, e.field, e.offset),
        ("LINEDEVCAPS", "dwUsedSize", 8)
    );
    assert!(matches!(
        e.kind,
        DecodeErrorKind::FixedPartTooShort {
            size: 200,
            min: 236
        }
    ));
}

/// LINECALLPARAMS (2.2.6.20) as MakeCall.lpCallParams carries it: DialParams is 16 bytes, so
/// dwOrigAddressSize is at 48 (the diagram's bit 352 = byte 44 is off by four), and
/// dwAddressType at 176.
#[test]
fn linecallparams_with_strings() {
    let mut w = W::default();
    w.d(0); // dwTotalSize, set below
    for i in 1..8 {
        w.d(i); // dwBearerMode .. dwAddressID
    }
    w.d(100).d(101).d(102).d(103); // DialParams
    assert_eq!(w.len(), 48);
    for _ in 0..32 {
        w.d(0); // dwOrigAddressSize .. dwCallingPartyIDOffset (zero: no data)
    }
    w.put(164, 30); // dwNoAnswerTimeout: the diagram's bit 1280 (byte 160) plus the 4 missing bytes
    w.d(0x0000_0001); // dwAddressType
    assert_eq!(w.len(), 180);
    // OrigAddress "1234" (Unicode) at 180, DeviceClass "comm/datamodem\0" (ASCII) after it.
    w.put(48, utf16_len("1234"))
        .put(52, 180)
        .utf16("1234")
        .pad();
    let dc = w.len();
    w.put(140, 15).put(144, dc).raw(b"comm/datamodem\0").pad();
    let n = w.len();
    w.put(0, n);

    let p = LINECALLPARAMS::parse(&w.0).unwrap();
    assert_eq!(p.dw_media_mode(), 4);
    assert_eq!(p.dial_params().dw_digit_duration.get(), 102);
    assert_eq!(p.dw_no_answer_timeout(), Some(30));
    assert_eq!(p.dw_address_type(), Some(1));
    assert!(p.orig_address().unwrap().unwrap().eq_str("1234"));
    assert_eq!(
        p.device_class().unwrap().unwrap(),
        Text::Ascii(b"comm/datamodem")
    );
    assert_eq!(p.calling_party_id().unwrap(), None);
}

/// LINEADDRESSSTATUS (2.2.6.7) with two TAPI 2.2 LINEFORWARD entries (24 bytes: no address
/// types); their string offsets count from the LINEADDRESSSTATUS start (the "root").
#[test]
fn lineaddressstatus_forward_entries() {
    let mut w = W::default();
    w.d(0).d(0).d(0); // sizes, set below
    w.d(1).d(2).d(3).d(4).d(5).d(6); // dwNumInUse .. dwNumRingsNoAnswer
    w.d(2).d(48).d(64); // dwForwardNumEntries, dwForwardSize, dwForwardOffset
    w.d(0).d(0).d(0).d(0); // TerminalModes, DevSpecific
    assert_eq!(w.len(), 64);
    // Entry 0: unconditional forward to "200"; entry 1: from "100" to "300".
    w.d(1).d(0).d(0).d(0).d(utf16_len("200")).d(112);
    w.d(2)
        .d(utf16_len("100"))
        .d(120)
        .d(0)
        .d(utf16_len("300"))
        .d(128);
    assert_eq!(w.len(), 112);
    w.utf16("200").pad().utf16("100").pad().utf16("300").pad();
    w.sizes();

    let s = LINEADDRESSSTATUS::parse(&w.0).unwrap();
    let fwd: Vec<_> = s.forward().unwrap().collect();
    assert_eq!(fwd.len(), 2);
    assert_eq!(fwd[0].dw_forward_mode(), 1);
    assert_eq!(fwd[0].caller_address().unwrap(), None);
    assert!(fwd[0].dest_address().unwrap().unwrap().eq_str("200"));
    assert!(fwd[1].caller_address().unwrap().unwrap().eq_str("100"));
    assert!(fwd[1].dest_address().unwrap().unwrap().eq_str("300"));
    // TAPI 3.1 members of LINEFORWARD are absent in 24-byte entries.
    assert_eq!(fwd[1].dw_caller_address_type(), None);
    assert_eq!(fwd[1].dw_dest_address_type(), None);
}

/// LINEFORWARDLIST (2.2.6.31): the LINEFORWARD array follows dwNumEntries directly.
#[test]
fn lineforwardlist_inline_entries() {
    let mut w = W::default();
    w.d(0).d(1);
    w.d(0x10)
        .d(0)
        .d(0)
        .d(44)
        .d(utf16_len("5551234"))
        .d(40)
        .d(1)
        .d(2);
    assert_eq!(w.len(), 40);
    w.utf16("5551234").pad();
    let n = w.len();
    w.put(0, n);
    let l = LINEFORWARDLIST::parse(&w.0).unwrap();
    let fwd: Vec<_> = l.forward_list().unwrap().collect();
    assert_eq!(fwd.len(), 1);
    assert_eq!(fwd[0].dw_dest_country_code(), 44);
    assert!(fwd[0].dest_address().unwrap().unwrap().eq_str("5551234"));
    assert_eq!(fwd[0].dw_dest_address_type(), Some(2));
}

/// LINEAGENTSESSIONLIST (2.2.6.15): dwListOffset is one DWORD (the diagram draws 64 bits), and
/// in LINEAGENTSESSIONENTRY (2.2.6.14) dwWorkingAddressID follows the 16-byte GroupID at 24.
#[test]
fn lineagentsessionlist_entries() {
    let mut w = W::default();
    w.d(56).d(56).d(56).d(1).d(28).d(24);
    w.d(0x51).d(0x52).raw(&[7; 16]).d(9);
    assert_eq!(w.len(), 52);
    w.pad().d(0);
    let l = LINEAGENTSESSIONLIST::parse(&w.0[..56]).unwrap();
    let e: Vec<_> = l.list().unwrap().collect();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].h_agent_session(), 0x51);
    assert_eq!(e[0].h_agent(), 0x52);
    assert_eq!(e[0].group_id().data4, [7; 8]);
    assert_eq!(e[0].dw_working_address_id(), 9);
}

/// LINEAGENTINFO (2.2.6.47): cyOverallCallRate is an 8-byte CURRENCY at 24, unaligned
/// members after it; 56 bytes in all (the spec's "4 bytes" would give 52).
#[test]
fn lineagentinfo_currency() {
    let mut w = W::default();
    w.d(56).d(56).d(56).d(1).d(2).d(3);
    w.raw(&12_345_000i64.to_le_bytes()); // 1234.5 calls per hour, scaled by 10,000
    for i in 0..6 {
        w.d(10 + i);
    }
    let a = LINEAGENTINFO::parse(&w.0).unwrap();
    assert_eq!(a.cy_overall_call_rate(), 12_345_000);
    assert_eq!(a.dw_number_of_acd_calls(), 10);
    assert_eq!(a.dw_total_acd_wrap_up_time(), 15);
    assert_eq!(LINEAGENTINFO::DESC.size, 56);
}

/// LINECALLSTATUS (2.2.6.17): tStateEntryTime is a 16-byte SYSTEMTIME at 40, TAPI 2.0+.
#[test]
fn linecallstatus_systemtime_and_tapi1() {
    let mut w = W::default();
    w.d(56).d(56).d(56).d(4).d(0).d(1).d(2).d(0).d(0).d(0x20);
    for v in [2024u16, 5, 3, 15, 10, 30, 0, 500] {
        w.raw(&v.to_le_bytes());
    }
    let s = LINECALLSTATUS::parse(&w.0).unwrap();
    let t = s.t_state_entry_time().unwrap();
    assert_eq!(
        (t.w_year.get(), t.w_day.get(), t.w_milliseconds.get()),
        (2024, 15, 500)
    );
    assert_eq!(s.dw_call_features2(), Some(0x20));
    // TAPI 1.x: 36 bytes.
    let mut old = w.0[..36].to_vec();
    for at in [0, 4, 8] {
        old[at..at + 4].copy_from_slice(&36u32.to_le_bytes());
    }
    let s = LINECALLSTATUS::parse(&old).unwrap();
    assert_eq!(s.dw_call_state(), 4);
    assert_eq!(s.dw_call_features2(), None);
    assert_eq!(s.t_state_entry_time(), None);
}

/// PHONECAPS (2.2.6.42): PermanentPhoneGuid at 180 (diagram: bit 1440 = byte 180, correct
/// here because nothing before it is wider than a DWORD), 196 bytes in all.
#[test]
fn phonecaps_guid_and_dwords() {
    let mut w = W::default();
    for i in 0..45 {
        w.d(i);
    }
    w.raw(&[0xCC; 16]);
    for at in [12, 20, 32, 76, 84, 92, 100, 108, 116, 124, 132] {
        w.put(at, 0);
    }
    w.put(40, 3);
    // ButtonModes: three DWORDs at 196.
    w.put(88, 12).put(92, 196).d(1).d(2).d(4);
    w.sizes();
    let c = PHONECAPS::parse(&w.0).unwrap();
    assert_eq!(c.permanent_phone_guid().unwrap().data4, [0xCC; 8]);
    assert_eq!(c.dw_monitored_headset_hook_switch_modes(), Some(44));
    let modes: Vec<u32> = c
        .button_modes()
        .unwrap()
        .unwrap()
        .iter()
        .map(|d| d.get())
        .collect();
    assert_eq!(modes, [1, 2, 4]);
}

/// LINEPROVIDERLIST (2.2.6.32) with two LINEPROVIDERENTRY (2.2.6.33).
#[test]
fn lineproviderlist_entries() {
    let mut w = W::default();
    w.d(0).d(0).d(0).d(2).d(24).d(24);
    w.d(7).d(utf16_len("unimdm.tsp")).d(48);
    w.d(9).d(utf16_len("kmddsp.tsp")).d(72);
    w.utf16("unimdm.tsp").pad().utf16("kmddsp.tsp").pad();
    w.sizes();
    let l = LINEPROVIDERLIST::parse(&w.0).unwrap();
    let names: Vec<(u32, String)> = l
        .provider_list()
        .unwrap()
        .map(|e| {
            (
                e.dw_permanent_provider_id(),
                e.provider_filename().unwrap().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(names, [(7, "unimdm.tsp".into()), (9, "kmddsp.tsp".into())]);
}

/// LINEPROXYREQUEST (2.2.6.28): the union starts at byte 28 whatever the diagram's bit
/// positions; GetAgentCaps embeds a LINEAGENTCAPS whose offsets count from its own start.
#[test]
fn lineproxyrequest_get_agent_caps() {
    let mut w = W::default();
    w.d(0)
        .d(utf16_len("PC1"))
        .d(0)
        .d(0)
        .d(0)
        .d(0x0002_0002)
        .d(4);
    w.d(5); // dwAddressIDGETAGENTCAPS
    // LINEAGENTCAPS at 32: 72-byte fixed part, AgentHandlerInfo "ACD" at its offset 72.
    let caps = w.len() as usize;
    w.d(0).d(0).d(0).d(utf16_len("ACD")).d(72).d(0x0002_0002);
    for i in 0..8 {
        w.d(0x40 + i);
    }
    w.put(caps + 52, 0).put(caps + 48, 0).put(caps + 44, 0);
    w.raw(&[0xEE; 16]);
    w.utf16("ACD").pad();
    let caps_len = w.len() - caps as u32;
    w.put(caps, caps_len)
        .put(caps + 4, caps_len)
        .put(caps + 8, caps_len);
    let name_at = w.len();
    w.put(8, name_at).utf16("PC1").pad();
    let n = w.len();
    w.put(0, n);

    let p = LINEPROXYREQUEST::parse(&w.0).unwrap();
    assert!(p.client_machine_name().unwrap().unwrap().eq_str("PC1"));
    let r = p.request();
    assert_eq!(r.kind(), Some(ProxyRequestKind::GetAgentCaps));
    assert_eq!(r.member("dwAddressIDGETAGENTCAPS"), Some(5));
    let (member, s) = r.structure().unwrap();
    assert_eq!(member, "AgentCapsGETAGENTCAPS");
    let structures::AnyStructure::LINEAGENTCAPS(c) = s.unwrap() else {
        panic!()
    };
    assert!(c.agent_handler_info().unwrap().unwrap().eq_str("ACD"));
    assert_eq!(c.proxy_guid().unwrap().data4, [0xEE; 8]);
}

/// CreateAgent's strings count from hAgentCREATEAGENT (byte 28), as 2.2.6.28 says.
#[test]
fn lineproxyrequest_create_agent_strings() {
    let mut w = W::default();
    w.d(0).d(0).d(0).d(0).d(0).d(0x0002_0002).d(9);
    w.d(0x77)
        .d(utf16_len("agent7"))
        .d(20)
        .d(utf16_len("1234"))
        .d(36);
    w.utf16("agent7").pad().utf16("1234").pad();
    let n = w.len();
    w.put(0, n);
    let p = LINEPROXYREQUEST::parse(&w.0).unwrap();
    let r = p.request();
    assert_eq!(r.member("hAgentCREATEAGENT"), Some(0x77));
    let s: Vec<String> = r
        .strings()
        .map(|(_, t)| t.unwrap().unwrap().to_string())
        .collect();
    assert_eq!(s, ["agent7", "1234"]);
}

/// LINEDEVCAPS `TerminalText` (2.2.6.23): a table of `dwTerminalTextEntrySize`-byte entries,
/// one per terminal, each a NUL-padded string in `dwStringFormat`. Laid out by hand at
/// dwTerminalTextEntrySize 216, dwTerminalTextSize 220, dwTerminalTextOffset 224.
#[test]
fn linedevcaps_terminal_text_table() {
    // Unicode (STRINGFORMAT_UNICODE = 3): two 12-byte entries.
    let mut w = linedevcaps_fixed();
    w.put(40, 3).put(204, 2);
    let at = w.len();
    w.utf16("Hand").raw(&[0, 0]); // 10 + 2 bytes of padding
    w.utf16("Horn"); // 10 bytes, then 2 more of padding
    w.raw(&[0, 0]);
    w.put(216, 12).put(220, 24).put(224, at);
    w.sizes();
    let caps = LINEDEVCAPS::parse(&w.0).unwrap();
    caps.raw().validate().unwrap();
    let table = caps.terminal_text().unwrap().unwrap();
    assert_eq!((table.len(), table.entry_size()), (2, 12));
    let texts: Vec<String> = table.iter().map(|t| t.to_string()).collect();
    assert_eq!(texts, ["Hand", "Horn"]);
    assert!(table.get(1).unwrap().eq_str("Horn"));
    assert_eq!(table.get(2), None);

    // ASCII (STRINGFORMAT_ASCII = 1): three 5-byte entries, the last one full (no NUL).
    let mut w = linedevcaps_fixed();
    w.put(40, 1);
    let at = w.len();
    w.raw(b"ab\0\0\0cde\0\0fghij").pad();
    w.put(216, 5).put(220, 15).put(224, at);
    w.sizes();
    let caps = LINEDEVCAPS::parse(&w.0).unwrap();
    let table = caps.terminal_text().unwrap().unwrap();
    let texts: Vec<String> = table.iter().map(|t| t.to_string()).collect();
    assert_eq!(texts, ["ab", "cde", "fghij"]);
    assert!(matches!(table.get(0), Some(Text::Ascii(b"ab"))));
}

/// LINEADDRESSCAPS `CompletionMsgText` (2.2.6.6): `dwNumCompletionMessages` entries of
/// `dwCompletionMsgTextEntrySize` bytes (members at 160, 164, 168, 172). The structure has no
/// `dwStringFormat`; its texts are Unicode unless the line's LINEDEVCAPS says otherwise.
#[test]
fn lineaddresscaps_completion_message_table() {
    let mut w = W::default();
    for _ in 0..57 {
        w.d(0);
    }
    assert_eq!(w.len() as usize, LINEADDRESSCAPS::DESC.size);
    let at = w.len();
    w.utf16("Busy").raw(&[0; 6]); // a 16-byte entry
    w.utf16("No answer"); // 20 bytes: does not fit a 16-byte entry
    let size = w.len() - at;
    assert_eq!(size, 36);
    // 36 bytes are not a whole number of 16-byte entries.
    w.put(160, 2).put(164, 16).put(168, size).put(172, at);
    w.sizes();
    let e = LINEADDRESSCAPS::parse(&w.0)
        .unwrap()
        .completion_msg_text()
        .unwrap_err();
    assert_eq!(
        (e.packet, e.field, e.offset),
        ("LINEADDRESSCAPS", "dwCompletionMsgTextEntrySize", 164)
    );
    assert!(matches!(
        e.kind,
        DecodeErrorKind::EntrySizeMismatch {
            size: 36,
            entry_size: 16
        }
    ));
    // Two 20-byte entries.
    let mut w = W::default();
    for _ in 0..57 {
        w.d(0);
    }
    let at = w.len();
    w.utf16("Busy").raw(&[0; 10]);
    w.utf16("No answer");
    w.put(160, 2).put(164, 20).put(168, 40).put(172, at);
    w.sizes();
    let caps = LINEADDRESSCAPS::parse(&w.0).unwrap();
    assert_eq!(caps.dw_num_completion_messages(), 2);
    let table = caps.completion_msg_text().unwrap().unwrap();
    let texts: Vec<String> = table.iter().map(|t| t.to_string()).collect();
    assert_eq!(texts, ["Busy", "No answer"]);
    // Read in another format when the line's LINEDEVCAPS says so.
    let ascii = table.with_format(structures::STRINGFORMAT_ASCII).unwrap();
    assert!(matches!(ascii.get(0), Some(Text::Ascii(b"B"))));
}

/// LINEFORWARDLIST from a client that negotiated TAPI 3.0 or older: 24-byte LINEFORWARD
/// entries, strings right after them. The 32-byte array would fit in dwTotalSize too (72 of
/// 80 bytes); the strings at 56, inside it, tell the older layout (spec-notes/structures.md
/// section 4).
#[test]
fn lineforwardlist_older_24_byte_entries() {
    let mut w = W::default();
    w.d(0).d(2);
    // Entry 0 at 8: forward all calls to "5551234" (dest address at 56, 16 bytes).
    w.d(0x10).d(0).d(0).d(1).d(16).d(56);
    // Entry 1 at 32: calls from "200" (caller address at 72, 8 bytes) forwarded unconditionally.
    w.d(0x02).d(8).d(72).d(44).d(0).d(0);
    assert_eq!(w.len(), 56);
    w.utf16("5551234").utf16("200");
    let n = w.len();
    assert_eq!(n, 80);
    w.put(0, n);
    let l = LINEFORWARDLIST::parse(&w.0).unwrap();
    l.raw().validate().unwrap();
    let fwd = l.forward_list().unwrap();
    assert_eq!(fwd.stride(), 24);
    let fwd: Vec<_> = fwd.collect();
    assert_eq!(fwd.len(), 2);
    assert!(fwd[0].dest_address().unwrap().unwrap().eq_str("5551234"));
    assert_eq!(fwd[0].dw_dest_address_type(), None);
    assert_eq!(fwd[1].dw_forward_mode(), 2);
    assert!(fwd[1].caller_address().unwrap().unwrap().eq_str("200"));
    assert_eq!(fwd[1].dw_dest_country_code(), 44);
}
