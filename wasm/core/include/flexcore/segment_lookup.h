#pragma once
/// @file segment_lookup.h
/// Segment lookup (seed: brypo/flex-plugin-insights-segment-lookup, seed-behaviour.md section 1):
/// Task SID → Flex Insights segment IDs. The pure parts: the Task SID check, the GoodData request
/// bodies and reply readers (upstream-contracts.md 4.1–4.3), and the raw-export CSV parser.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flexcore/reason.h"
#include "flexcore/result.h"

namespace flexcore::segment_lookup {

/// The Flex Insights label whose values are Task SIDs (Conversations "External Id").
inline constexpr std::string_view kExternalIdIdentifier = "label.conversations.external_id";

/// True when `value` is a Task SID: "WT" + 32 hex digits, no surrounding whitespace.
/// Callers that accept typed input trim first (flexcore::trim), as the seed's plugin does.
bool is_valid_task_sid(std::string_view value) noexcept;

/// Checks the `TaskSid` request parameter after trimming it: empty → InvalidArgument
/// "TaskSid is required" (the seed's message); not a Task SID → InvalidArgument naming the expected
/// format. Returns the trimmed Task SID.
Result<std::string> check_task_sid(std::string_view raw);

/// Why check_task_sid rejects `raw` (after trimming), or std::nullopt when it accepts it: `required` when
/// empty, else the reasons of flexcore::sid_reason with prefix "WT" (`sid_wrong_length`, `sid_wrong_prefix`,
/// `sid_not_hex`). The Segment Lookup panel says these in the agent's language (flexcore/reason.h).
std::optional<Reason> task_sid_reason(std::string_view raw);

/// Segment IDs of a Flex Insights raw report export (the CSV of upstream-contracts 4.3).
///
/// RFC 4180: fields separated by `,`; records end with CRLF, LF or CR; a field starting with `"` is
/// quoted and may contain `,`, line breaks and `""` (an escaped quote). A leading UTF-8 BOM is skipped.
/// Lenient where RFC 4180 is strict: blank lines are ignored, spaces around a quoted field are allowed,
/// and a `"` inside an unquoted field is kept as a character.
/// The first non-blank record is the header and is skipped. From every later record the FIRST field is
/// taken, trimmed of ASCII whitespace, and kept unless empty; order and duplicates are kept.
///
/// One pass over the input, each kept value copied once (a 100 MB export is fine).
/// Errors: InvalidArgument "CSV: unterminated quoted field starting on line N" when a quote is never
/// closed; InvalidArgument "CSV: unexpected character after the closing quote on line N" for `"ab"c`.
///
/// **Example**: `"id,name\r\n\"12,34\",x\r\n\"ab\"\"c\",y\r\n"` → `{"12,34", "ab\"c"}`.
Result<std::vector<std::string>> parse_segment_csv(std::string_view text);

/// JSON body of `POST /gdc/account/login` (upstream-contracts 4.1 step 1):
/// `{"postUserLogin":{"login":…,"password":…,"remember":0,"verify_level":2}}`.
std::string login_body(std::string_view username, std::string_view password);

/// JSON body of `POST /gdc/md/{workspace}/identifiers` for kExternalIdIdentifier (4.2 step 1).
std::string identifiers_body();

/// JSON body of `POST {displayFormUri}/validElements` for one Task SID (4.2 step 2):
/// `{"validElementsRequest":{"titles":["WT…"]}}`.
std::string valid_elements_body(std::string_view task_sid);

/// JSON body of `POST /gdc/app/projects/{workspace}/execute/raw` (4.3 step 1): report
/// `/gdc/md/{workspace}/obj/{report_id}` filtered to `element_uris` of the label `display_form_uri`.
std::string execute_raw_body(std::string_view workspace, std::string_view report_id,
                             std::string_view display_form_uri, const std::vector<std::string>& element_uris);

/// Reads `userLogin.token` (the SST) from a login reply. UpstreamError "Authentication failed" if absent.
Result<std::string> read_login_token(std::string_view reply_json);

/// Reads `userToken.token` (the TT). UpstreamError "Failed to get temporary token" if absent.
Result<std::string> read_temporary_token(std::string_view reply_json);

/// Reads `identifiers[0].uri` (the display-form URI). UpstreamError "Could not resolve GoodData identifier
/// 'label.conversations.external_id' in workspace '<ws>'. Verify ANALYTICS_WORKSPACE is correct." if absent.
Result<std::string> read_display_form_uri(std::string_view reply_json, std::string_view workspace);

/// Reads every `validElements.items[*].element.uri`, in order. NotFound with the seed's message
/// "External ID '<sid>' not found in Flex Insights. The task may not be indexed yet (default 1 hour delay
/// after a conversation ends)." when there are none; UpstreamError when the reply is not that shape.
Result<std::vector<std::string>> read_element_uris(std::string_view reply_json, std::string_view task_sid);

/// Reads `uri` (the raw export location) from an execute/raw reply. UpstreamError "Report execution
/// failed" if absent.
Result<std::string> read_export_uri(std::string_view reply_json);

}  // namespace flexcore::segment_lookup
