// Customer context routes (issue 5; seed-behaviour 2.3–2.6 CORRECT): /fetch-persona (Flex token),
// /fetch-persona-studio (X-Twilio-Signature) and /identify-user (signature or Flex token).
#include <charconv>

#include "app.h"
#include "http/http_error.h"
#include "http/params.h"
#include "segment/segment_client.h"

namespace flexcore::server {
namespace {

/// `limit`: default 25, an integer 1–200.
Result<int> parse_limit(const RequestContext& ctx) {
  const auto text = ctx.param("limit");
  if (!text || text->empty()) return segment::kDefaultPersonaLimit;
  int value = 0;
  const auto* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || value < 1 || value > segment::kMaxPersonaLimit) {
    return Error{ErrorCode::InvalidArgument, "limit must be an integer between 1 and 200"};
  }
  return value;
}

Result<Reply> fetch_persona_route(RequestContext& ctx, App& app) {
  segment::PersonaQuery query;
  if (const auto id_type = ctx.param("idType"); id_type && !id_type->empty()) query.id_type = *id_type;
  const auto identifier = ctx.param("identifier");
  if (!identifier) return Error{ErrorCode::InvalidArgument, "identifier is required (the Segment identifier value, e.g. a user id or an E.164 phone number)"};
  query.identifier = *identifier;
  auto limit = parse_limit(ctx);
  if (!limit) return limit.error();
  query.limit = limit.value();

  auto persona = segment::fetch_persona(app.upstream(), app.config(), query);
  if (!persona) {
    if (persona.error().code == ErrorCode::NotFound) {
      // The seed answered 200 {"statusCode","statusMessage"}; keep those fields for compatibility.
      return error_reply(persona.error(), ctx.request_id, {{"statusCode", 404}, {"statusMessage", "Not Found"}});
    }
    return persona.error();
  }
  Reply reply;
  reply.body = persona.value().dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

Result<Reply> identify_user_route(RequestContext& ctx, App& app) {
  if (auto configured = app.config().require({"SEGMENT_WRITE_KEY"}); !configured) return configured.error();
  const auto user_id = ctx.param("userId");
  if (!user_id || user_id->empty()) return Error{ErrorCode::InvalidArgument, "userId is required (the Segment user id)"};
  if (user_id->size() > 1024) return Error{ErrorCode::InvalidArgument, "userId must be at most 1024 bytes"};

  nlohmann::json traits;
  const nlohmann::json* json_traits = nullptr;
  if (ctx.json.is_object()) {
    const auto it = ctx.json.find("traits");
    if (it != ctx.json.end() && !it->is_string()) json_traits = &*it;
  }
  if (json_traits != nullptr) {
    traits = *json_traits;
  } else {
    const auto text = ctx.param("traits");
    if (!text) return Error{ErrorCode::InvalidArgument, "traits is required: a JSON object such as {\"plan\":\"gold\"}"};
    auto parsed = parse_json_body(*text);
    if (!parsed) {
      std::string message = parsed.error().message;
      const std::string prefix = "malformed JSON body";
      if (message.rfind(prefix, 0) == 0) message = "invalid JSON" + message.substr(prefix.size());
      return Error{ErrorCode::InvalidArgument, "traits must be a JSON object: " + message};
    }
    traits = std::move(parsed).value();
  }
  if (!traits.is_object()) {
    return Error{ErrorCode::InvalidArgument, std::string("traits must be a JSON object, got ") + traits.type_name()};
  }
  auto sent = segment::identify(app.upstream(), app.config(), app.clock(), app.random(), *user_id, traits);
  if (!sent) return sent.error();
  return Reply::json({{"success", true}});
}

}  // namespace

void register_customer_context_routes(Router& router, App& app) {
  router.add({"GET", "POST"}, "/fetch-persona", AuthMode::FlexToken,
             [&app](RequestContext& ctx) { return fetch_persona_route(ctx, app); });
  router.add({"POST"}, "/fetch-persona-studio", AuthMode::TwilioSignature,
             [&app](RequestContext& ctx) { return fetch_persona_route(ctx, app); });
  router.add({"POST"}, "/identify-user", AuthMode::TwilioSignatureOrFlexToken,
             [&app](RequestContext& ctx) { return identify_user_route(ctx, app); });
}

}  // namespace flexcore::server
