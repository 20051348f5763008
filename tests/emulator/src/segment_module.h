#pragma once
/// @file segment_module.h
/// Segment (upstream-contracts.md section 5): the Profile API (5.1) and the Tracking HTTP API (5.2),
/// the two Segment services the customer-context feature calls (seed-behaviour 2.5, 2.6).
///
/// Upstream, family "segment-profiles" (real host https://profiles.segment.com), mounted at /segment-profiles:
///   GET /v1/spaces/{space_id}/collections/users/profiles/{id_type}:{id_value}/traits
///   GET /v1/spaces/{space_id}/collections/users/profiles/{id_type}:{id_value}/events
///   GET /v1/spaces/{space_id}/collections/users/profiles/{id_type}:{id_value}/external_ids
/// Upstream, family "segment-api" (real host https://api.segment.io), mounted at /segment-api:
///   POST /v1/identify, POST /v1/track
/// Control:
///   POST /__emulator/segment/settings, GET /__emulator/segment/settings,
///   POST /__emulator/segment/profiles, GET /__emulator/segment/profiles,
///   POST /__emulator/segment/rate-limit
/// README.md "Segment" documents every route, status and body.

#include "module.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace flexcore::emulator {

/// The Segment space the emulator serves: its id and the two credentials.
struct SegmentSettings {
  std::string space_id = "spa_emulator";                     ///< `{space_id}` of Profile API paths
  std::string access_token = "emulator-segment-access-token";  ///< Profile API Basic username (password empty)
  std::string write_key = "emulator-segment-write-key";        ///< Tracking API Basic username (or `writeKey` in the body)

  /// `{"spaceId","accessToken","writeKey"}` (test infrastructure: the values are emulator-only).
  nlohmann::json to_json() const;
};

/// One stored profile.
struct SegmentProfile {
  std::string segment_id;             ///< "use_<hex>", generated
  nlohmann::json external_ids;        ///< array of {"id","type","source_id","collection","created_at","encoding"}
  nlohmann::ordered_json traits;      ///< object, insertion order kept (first come first)
  nlohmann::ordered_json events;      ///< array of event objects as stored (seeded or tracked)

  /// True when one of the external ids is `type`:`id`.
  bool has_identifier(const std::string& type, const std::string& id) const;
  /// `{"segmentId","externalIds","traits","events"}`.
  nlohmann::ordered_json to_json() const;
};

/// The Segment module. State lives in memory until reset.
class SegmentModule final : public Module {
 public:
  /// `context` must outlive the module.
  explicit SegmentModule(ModuleContext context);

  std::string name() const override { return "segment"; }
  void register_routes(Router& upstream, ControlApi& control) override;
  void reset() override;

 private:
  enum class Resource { Traits, Events, ExternalIds };
  void profile_resource(const UpstreamRequest& request, httplib::Response& res, Resource resource);
  void track_call(const UpstreamRequest& request, httplib::Response& res, bool identify);
  void seed_profile(const httplib::Request& req, httplib::Response& res);
  void list_profiles(httplib::Response& res) const;
  void set_settings(const httplib::Request& req, httplib::Response& res);
  void set_rate_limit(const httplib::Request& req, httplib::Response& res);
  SegmentProfile* find_profile(const std::string& type, const std::string& id);

  ModuleContext context_;
  mutable std::mutex mutex_;
  SegmentSettings settings_;
  std::vector<SegmentProfile> profiles_;
  int rate_limited_calls_ = 0;  ///< the next N Profile API calls answer 429
};

/// Segment's error body `{"error":{"code":code,"message":message}}` with `status`, plus a
/// `Request-Id` header (upstream-contracts 5.1).
void send_segment_error(httplib::Response& res, int status, const std::string& code, const std::string& message);

}  // namespace flexcore::emulator
