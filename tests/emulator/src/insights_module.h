#pragma once
/// @file insights_module.h
/// Flex Insights (GoodData, `https://analytics.ytica.com`, upstream-contracts.md section 4) as used by
/// the segment lookup seed: login (SST), temporary token (TT), identifiers, validElements,
/// execute/raw and raw-export polling, with a stateful data set seeded through the control API.
///
/// Upstream (family "insights", mounted under /insights):
///   POST /gdc/account/login                                    → 200 {"userLogin":{profile,state,token}}
///   DELETE /gdc/account/login/{profileId}                      → 204 (logout)
///   GET  /gdc/account/token            (X-GDC-AuthSST)         → 200 {"userToken":{"token"}}
///   POST /gdc/md/{workspace}/identifiers                       → 200 {"identifiers":[{identifier,uri}]}
///   POST /gdc/md/{workspace}/obj/{objectId}/validElements      → 200 {"validElements":{items,paging,elementsMeta}}
///   POST /gdc/app/projects/{workspace}/execute/raw             → 201 {"uri":"/gdc/projects/{ws}/execute/raw/{id}"}
///   GET  /gdc/projects/{workspace}/execute/raw/{exportId}      → 202 ×pendingPolls, then 200 CSV or 204
/// Every call after login/token needs the TT as `Cookie: GDCAuthTT=<TT>` or `X-GDC-AuthTT: <TT>`;
/// a missing/unknown/expired TT → 401 with `WWW-Authenticate: GoodData realm="GoodData API", cookie=GDCAuthTT`.
/// Control (JSON, under /__emulator/insights): users, workspaces, segments, settings, expire, state
/// (tests/emulator/README.md "Insights").

#include "module.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace flexcore::emulator {

/// The Insights (GoodData) module. All state lives in memory until reset.
class InsightsModule final : public Module {
 public:
  /// `context` must outlive the module.
  explicit InsightsModule(ModuleContext context);

  std::string name() const override { return "insights"; }
  void register_routes(Router& upstream, ControlApi& control) override;
  void reset() override;

  /// Object id of the `label.conversations.external_id` display form in every workspace
  /// (the id the seed hard-coded before it resolved the identifier).
  static constexpr int kExternalIdDisplayForm = 5193;
  /// Object id of the Conversations External Id attribute (its elements' URIs use it).
  static constexpr int kExternalIdAttribute = 5192;

 private:
  using Clock = std::chrono::system_clock;

  struct Settings {
    int pending_polls = 0;                  ///< 202 answers before a raw export is ready
    long long tt_ttl_seconds = 600;         ///< temporary token lifetime (10 minutes)
    long long sst_ttl_seconds = 1209600;    ///< super-secured token lifetime (14 days)
    int max_bad_logins = 5;                 ///< consecutive bad logins before 429
    int retry_after_seconds = 30;           ///< Retry-After of that 429
    nlohmann::json to_json() const;
  };
  struct Element {
    std::string external_id;
    std::vector<std::string> segment_ids;
    std::size_t empty_rows = 0;  ///< extra report rows with an empty Segment Id (large-export tests)
    long long id = 0;  ///< element id (…/elements?id=N)
  };
  struct Workspace {
    std::vector<std::string> reports;                ///< report object ids
    std::map<std::string, Element> elements;         ///< by external id (Task SID)
  };
  struct Export {
    std::string workspace;
    std::vector<std::string> segment_ids;  ///< in report order
    std::vector<std::string> external_ids; ///< the element each row belongs to
    std::vector<std::pair<std::string, std::size_t>> empty_rows;  ///< (external id, rows with an empty Segment Id)
    int pending = 0;
  };
  struct Session {
    std::string login;
    Clock::time_point expiration;
  };

  // Upstream handlers.
  void login(const UpstreamRequest& request, httplib::Response& res);
  void logout(const UpstreamRequest& request, httplib::Response& res);
  void token(const UpstreamRequest& request, httplib::Response& res);
  void identifiers(const UpstreamRequest& request, httplib::Response& res);
  void valid_elements(const UpstreamRequest& request, httplib::Response& res);
  void execute_raw(const UpstreamRequest& request, httplib::Response& res);
  void poll_export(const UpstreamRequest& request, httplib::Response& res);

  /// True when the request carries a known unexpired TT; otherwise answers 401 (cookie=GDCAuthTT).
  bool require_tt(const UpstreamRequest& request, httplib::Response& res) const;  // caller holds mutex_

  // Control handlers.
  void add_user(const httplib::Request& req, httplib::Response& res);
  void add_workspace(const httplib::Request& req, httplib::Response& res);
  void put_segments(const httplib::Request& req, httplib::Response& res);
  void put_settings(const httplib::Request& req, httplib::Response& res);
  void expire(const httplib::Request& req, httplib::Response& res);
  void state(httplib::Response& res) const;

  ModuleContext context_;
  mutable std::mutex mutex_;
  Settings settings_;
  std::map<std::string, std::string> users_;             ///< login → password
  std::map<std::string, Workspace> workspaces_;          ///< by workspace id
  std::map<std::string, Session> ssts_;                  ///< SST → session
  std::map<std::string, Session> tts_;                   ///< TT → session
  std::map<std::string, Export> exports_;                ///< by export id
  int bad_logins_ = 0;
  long long next_element_id_ = 1000;
  std::uint64_t logins_ = 0, tokens_issued_ = 0;
};

/// GoodData's error body: `{"error":{"errorClass":…,"message":…,"parameters":[],"component":"Emulator","requestId":…}}`.
nlohmann::json gooddata_error(const std::string& error_class, const std::string& message);

}  // namespace flexcore::emulator
