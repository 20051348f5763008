#include "upstream/voice_client.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "flexcore/sid.h"
#include "upstream/twilio_error.h"

namespace flexcore::server::upstream {

VoiceClient::VoiceClient(HttpClient& client, std::string base_url, std::string account_sid, BasicAuth credentials)
    : client_(client),
      base_url_(std::move(base_url)),
      account_sid_(std::move(account_sid)),
      credentials_(std::move(credentials)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<ConferenceInfo> VoiceClient::fetch_conference(std::string_view conference_sid) {
  if (auto checked = check_sid(conference_sid, "CF", "conference.sid"); !checked.ok()) return checked.error();
  Request request;
  request.method = "GET";
  request.url = base_url_ + "/2010-04-01/Accounts/" + url_encode(account_sid_) + "/Conferences/" +
                url_encode(conference_sid) + ".json";
  request.basic_auth = credentials_;
  const Response response = client_.send(request);
  if (!response.answered() || response.status < 200 || response.status >= 300) {
    return upstream_error(response, kVoiceService);
  }
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  const auto bad = [&](const std::string& what) {
    return Error{ErrorCode::UpstreamError, std::string(kVoiceService) + " answered a conference fetch " + what};
  };
  if (body.is_discarded() || !body.is_object() || !body.contains("sid") || !body["sid"].is_string()) {
    return bad("without a conference object");
  }
  ConferenceInfo info;
  info.sid = body["sid"].get<std::string>();
  if (const auto status = body.find("status"); status != body.end() && status->is_string()) {
    info.status = status->get<std::string>();
  }
  if (const auto ending = body.find("call_sid_ending_conference"); ending != body.end() && !ending->is_null()) {
    if (!ending->is_string()) return bad("whose call_sid_ending_conference is not a string");
    if (!ending->get<std::string>().empty()) info.call_sid_ending_conference = ending->get<std::string>();
  }
  if (const auto reason = body.find("reason_conference_ended"); reason != body.end() && reason->is_string()) {
    info.reason_conference_ended = reason->get<std::string>();
  }
  return info;
}

}  // namespace flexcore::server::upstream
