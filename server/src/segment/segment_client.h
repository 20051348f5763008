#pragma once
/// @file segment_client.h
/// The Segment calls of the customer-context feature (seed-behaviour 2.5 and 2.6, CORRECT versions;
/// upstream-contracts 5.1 Profile API and 5.2 Tracking API). I/O only: identifier normalisation and the
/// profile path come from the core (flexcore/customer_context.h).

#include <string>

#include <nlohmann/json.hpp>

#include "config.h"
#include "flexcore/result.h"
#include "runtime.h"
#include "upstream/http_client.h"

namespace flexcore::server::segment {

/// Largest `limit` fetch-persona accepts (items per list, all pages together).
inline constexpr int kMaxPersonaLimit = 200;
/// Default `limit` (the seed's 25).
inline constexpr int kDefaultPersonaLimit = 25;
/// Segment's limit for one tracking call (upstream-contracts 5.2): 32 KB.
inline constexpr std::size_t kMaxTrackingBytes = 32 * 1024;

/// What fetch-persona looks up.
struct PersonaQuery {
  std::string id_type = "user_id";  ///< Segment identifier type (`user_id`, `email`, `phone`, …)
  std::string identifier;           ///< as received (the core normalises it)
  int limit = kDefaultPersonaLimit;  ///< 1–200: at most this many traits, events and external ids
};

/// Fetches one profile the way fetch-persona answers it: the Profile API's `traits`, `events` and
/// `external_ids` of `{id_type}:{identifier}` requested in parallel (three threads), each following
/// `cursor.next` pages until `limit` items or `has_more` false, with Basic `SEGMENT_PERSONAS_KEY:`.
///
/// Success: `{"traits":{…in Segment's order…},"events":[…],"externalIds":[…type email|phone|user_id…],
/// "anonymousId":{first anonymous_id external id object, omitted when none},"audiences":[]}` — an
/// ordered JSON object so the traits keep Segment's order.
///
/// Errors: NotConfigured naming SEGMENT_SPACE_ID / SEGMENT_PERSONAS_KEY when unset or invalid;
/// InvalidArgument for the identifier/idType (core messages); NotFound "No Segment profile for
/// <idType>:<identifier>" when any call answers 404; UpstreamError (502) when Segment rejects the key
/// (401/403) or answers another unexpected status or a malformed body; ResourceExhausted (429) after
/// the retries of a 429; Unavailable / DeadlineExceeded for network failures and 503.
Result<nlohmann::ordered_json> fetch_persona(upstream::HttpClient& http, const Config& config, const PersonaQuery& query);

/// Sends a Segment `identify` (POST `{FLEXCORE_SEGMENT_TRACKING_URL}/v1/identify`, Basic
/// `SEGMENT_WRITE_KEY:`, JSON `{"type":"identify","userId","traits","messageId","timestamp","context"}`),
/// `messageId` = "flexcore-" + 32 random hex digits, `timestamp` = `clock.now()` as ISO-8601 UTC with ms.
///
/// Errors: NotConfigured naming SEGMENT_WRITE_KEY; PayloadTooLarge when the call would exceed 32 KB;
/// UpstreamError (502) when Segment answers 4xx (401/403: key rejected) or an unexpected status;
/// ResourceExhausted for 429 after retries; Unavailable / DeadlineExceeded for network failures.
Status identify(upstream::HttpClient& http, const Config& config, const Clock& clock, Random& random,
                const std::string& user_id, const nlohmann::json& traits);

}  // namespace flexcore::server::segment
