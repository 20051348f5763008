#include "http/pipeline.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <memory>

#include <httplib.h>

#include "app.h"
#include "auth/twilio_signature.h"
#include "http/cors.h"
#include "http/http_error.h"
#include "http/params.h"
#include "log.h"

namespace flexcore::server {
namespace {

constexpr std::string_view kUnmatchedRoute = "(unmatched)";

/// Per-request state shared by the hooks and the dispatcher. httplib runs pre-routing, routing, the
/// error handler and the logger of one request on one worker thread, in that order.
struct RequestState {
  bool active = false;
  std::string id;
  std::string route;
  std::chrono::steady_clock::time_point start;
  double seconds = 0;  // set just before the response is sent
};
thread_local RequestState t_state;

void begin_request(const httplib::Request& req) {
  t_state.active = true;
  t_state.start = std::chrono::steady_clock::now();
  t_state.route = std::string(kUnmatchedRoute);
  t_state.seconds = 0;
  const std::string incoming = req.get_header_value("X-Request-Id");
  t_state.id = is_sane_request_id(incoming) ? incoming : random_hex(16);
}

RequestState& state_for(const httplib::Request& req) {
  if (!t_state.active) begin_request(req);
  return t_state;
}

/// One path pattern and the routes (methods) it serves; `unmatched` is the catch-all.
struct PathGroup {
  std::string pattern;
  std::string name;
  std::vector<Route> routes;
  bool unmatched = false;

  std::vector<std::string> allowed() const {
    std::vector<std::string> out;
    for (const auto& route : routes) {
      for (const auto& method : route.methods) {
        if (std::find(out.begin(), out.end(), method) == out.end()) out.push_back(method);
      }
    }
    if (std::find(out.begin(), out.end(), "GET") != out.end()) out.push_back("HEAD");
    out.push_back("OPTIONS");
    return out;
  }
  const Route* find(std::string_view method) const {
    for (const auto& route : routes) {
      if (std::find(route.methods.begin(), route.methods.end(), method) != route.methods.end()) return &route;
    }
    return nullptr;
  }
};

std::string media_type(const httplib::Request& req) {
  std::string value = req.get_header_value("Content-Type");
  value = value.substr(0, value.find(';'));
  std::string out;
  for (char c : value) {
    if (c != ' ' && c != '\t') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

void write_reply(const App& app, const httplib::Request& req, httplib::Response& res, const Reply& reply,
                 const std::string& request_id) {
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  for (const auto& [name, value] : cors_headers(app.config(), req.get_header_value("Origin"))) {
    res.set_header(name, value);
  }
  res.set_header("X-Request-Id", request_id);
  if (!reply.body.empty() || (reply.status != 204 && reply.status != 304 && !reply.content_type.empty())) {
    res.set_content(reply.body, reply.content_type);
  }
}

/// Reads the body through httplib's content reader, enforcing FLEXCORE_MAX_BODY_BYTES also for
/// chunked bodies and bodies without Content-Length (httplib checks only Content-Length).
/// Returns an error reply when the body could not be taken (the connection is then closed, since
/// the rest of the body may still be unread).
std::optional<Reply> read_body(const App& app, const httplib::Request& req, httplib::Response& res,
                               const httplib::ContentReader* reader, std::string& body,
                               const std::string& request_id) {
  if (reader == nullptr) {
    body = req.body;
    return std::nullopt;
  }
  const std::size_t limit = app.config().max_body_bytes;
  if (req.is_multipart_form_data()) {
    Reply reply = error_reply(
        Error{ErrorCode::InvalidArgument,
              "multipart/form-data bodies are not accepted: send application/x-www-form-urlencoded or application/json"},
        request_id);
    reply.headers.emplace_back("Connection", "close");
    return reply;
  }
  bool too_large = false;
  const bool ok = (*reader)([&](const char* data, std::size_t length) {
    if (body.size() + length > limit) {
      too_large = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  if (ok) return std::nullopt;
  Reply reply;
  if (too_large || res.status == 413) {
    reply = error_reply(Error{ErrorCode::PayloadTooLarge, "request body is larger than " + std::to_string(limit) +
                                                              " bytes (FLEXCORE_MAX_BODY_BYTES)"},
                        request_id);
  } else {
    reply = error_reply(Error{ErrorCode::InvalidArgument, "the request body could not be read (malformed "
                                                          "chunked encoding, wrong Content-Length or timeout)"},
                        request_id);
  }
  reply.headers.emplace_back("Connection", "close");
  return reply;
}

Reply preflight(const App& app, const httplib::Request& req, const PathGroup& group, const std::string& request_id) {
  const std::string origin = req.get_header_value("Origin");
  if (!origin.empty() && !cors_origin_allowed(app.config(), origin)) {
    return error_reply(Error{ErrorCode::PermissionDenied,
                             "origin not allowed by CORS (configure FLEXCORE_CORS_ORIGINS)"},
                       request_id);
  }
  Reply reply = Reply::empty(204);
  reply.headers.emplace_back("Access-Control-Max-Age", std::string(kCorsMaxAgeSeconds));
  std::string allow;
  for (const auto& method : group.allowed()) allow += (allow.empty() ? "" : ", ") + method;
  reply.headers.emplace_back("Allow", allow);
  return reply;
}

Reply run_handler(App& app, const Route& route, RequestContext& ctx) {
  try {
    auto result = route.handler(ctx);
    if (!result) return error_reply(result.error(), ctx.request_id);
    return std::move(result).value();
  } catch (const std::exception& error) {
    log_event(app.logger(), spdlog::level::err, "handler exception",
              {{"requestId", ctx.request_id}, {"route", ctx.route}, {"error", error.what()}});
  } catch (...) {
    log_event(app.logger(), spdlog::level::err, "handler exception",
              {{"requestId", ctx.request_id}, {"route", ctx.route}, {"error", "unknown exception"}});
  }
  return error_reply(Error{ErrorCode::Internal, "internal error"}, ctx.request_id);
}

Reply handle(App& app, const PathGroup& group, const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader* reader, const std::string& request_id) {
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  std::string body;

  if (group.unmatched) {
    if (auto failed = read_body(app, req, res, reader, body, request_id)) return *failed;
    return error_reply(Error{ErrorCode::NotFound, "no route for " + req.method + " " + req.path}, request_id);
  }
  if (method == "OPTIONS") return preflight(app, req, group, request_id);
  const Route* route = group.find(method);
  if (route == nullptr) {
    if (auto failed = read_body(app, req, res, reader, body, request_id)) return *failed;
    return method_not_allowed_reply(req.method, group.name, group.allowed());
  }
  if (auto failed = read_body(app, req, res, reader, body, request_id)) return *failed;

  RequestContext ctx{req, request_id, group.name, method, {}, {}, nullptr, BodyKind::None, std::move(body), nullptr};

  // Query string: decoded strictly from the raw target (httplib's own decoding is lenient).
  const std::size_t question = req.target.find('?');
  if (question != std::string::npos) {
    std::string_view raw_query(req.target);
    raw_query.remove_prefix(question + 1);
    raw_query = raw_query.substr(0, raw_query.find('#'));
    auto query = decode_form(raw_query, "query string");
    if (!query) return error_reply(query.error(), request_id);
    ctx.query = std::move(query).value();
  }

  // Body by Content-Type.
  if (!ctx.body.empty()) {
    const std::string type = media_type(req);
    if (type == "application/json" || (type.size() > 5 && type.substr(type.size() - 5) == "+json")) {
      auto json = parse_json_body(ctx.body);
      if (!json) return error_reply(json.error(), request_id);
      ctx.json = std::move(json).value();
      ctx.body_kind = BodyKind::Json;
    } else if (type == "application/x-www-form-urlencoded") {
      auto form = decode_form(ctx.body, "form body");
      if (!form) return error_reply(form.error(), request_id);
      ctx.form = std::move(form).value();
      ctx.body_kind = BodyKind::Form;
    } else {
      return error_reply(Error{ErrorCode::InvalidArgument,
                               "unsupported Content-Type \"" + type.substr(0, 100) +
                                   "\": send application/x-www-form-urlencoded or application/json"},
                         request_id);
    }
  }

  // Authentication.
  const Config& config = app.config();
  AuthMode auth_mode = route->auth;
  if (auth_mode == AuthMode::TwilioSignatureOrFlexToken) {
    auth_mode = req.has_header("X-Twilio-Signature") ? AuthMode::TwilioSignature : AuthMode::FlexToken;
  }
  if (auth_mode == AuthMode::FlexToken) {
    auto token = auth::extract_token(ctx.query, ctx.form, ctx.body_kind == BodyKind::Json ? &ctx.json : nullptr);
    if (!token) return error_reply(token.error(), request_id);
    auto validated = app.tokens().validate(token.value().value_or(""));
    if (!validated) {
      if (validated.error().code == ErrorCode::Unauthenticated) return token_failure_reply(validated.error().message);
      return error_reply(validated.error(), request_id);
    }
    ctx.token = validated.value();
    if (auto allowed = auth::require_role(*ctx.token, route->roles); !allowed) {
      return error_reply(allowed.error(), request_id);
    }
  } else if (auth_mode == AuthMode::TwilioSignature) {
    if (config.auth_token.empty()) {
      return error_reply(Error{ErrorCode::NotConfigured,
                               "not configured: set AUTH_TOKEN (X-Twilio-Signature is keyed by the Auth Token)"},
                         request_id);
    }
    SignedRequest signed_request;
    signed_request.url = public_request_url(app, req);
    signed_request.signature = req.get_header_value("X-Twilio-Signature");
    if (ctx.body_kind == BodyKind::Form) signed_request.params = ctx.form;
    signed_request.json_body = ctx.body_kind == BodyKind::Json;
    signed_request.raw_body = ctx.body;
    if (!verify_signature(config.auth_token, signed_request)) {
      return error_reply(Error{ErrorCode::Unauthenticated, signed_request.signature.empty()
                                                               ? "missing X-Twilio-Signature header"
                                                               : "invalid X-Twilio-Signature"},
                         request_id);
    }
  }

  return run_handler(app, *route, ctx);
}

void dispatch(App& app, const PathGroup& group, const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader* reader) {
  RequestState& state = state_for(req);
  state.route = group.name;
  Gauge& in_flight = app.metrics().http_in_flight;
  in_flight.inc();
  struct Leave {
    Gauge& gauge;
    ~Leave() { gauge.dec(); }
  } leave{in_flight};
  Reply reply = handle(app, group, req, res, reader, state.id);
  res.headers.clear();
  write_reply(app, req, res, reply, state.id);
}

std::string_view error_message_for_status(int status) {
  switch (status) {
    case 400: return "malformed HTTP request (bad request line, header too long, or invalid header)";
    case 404: return "not found";
    case 413: return "request body is larger than FLEXCORE_MAX_BODY_BYTES";
    case 414: return "request URI is too long";
    case 500: return "internal error";
    default: return "request failed";
  }
}

std::string method_label(const std::string& method) {
  static const std::vector<std::string> known = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  return std::find(known.begin(), known.end(), method) != known.end() ? method : "OTHER";
}

}  // namespace

std::string public_request_url(const App& app, const httplib::Request& request) {
  const std::string& target = request.target.empty() ? request.path : request.target;
  if (!app.config().public_url.empty()) return app.config().public_url + target;
  std::string scheme = request.get_header_value("X-Forwarded-Proto");
  scheme = scheme.substr(0, scheme.find(','));
  if (scheme != "https" && scheme != "http") scheme = "http";
  std::string host = request.get_header_value("X-Forwarded-Host");
  host = host.substr(0, host.find(','));
  if (host.empty()) host = request.get_header_value("Host");
  return scheme + "://" + host + target;
}

void install_pipeline(httplib::Server& server, App& app) {
  // Group routes by pattern, keeping the first-registration order.
  std::vector<std::shared_ptr<PathGroup>> groups;
  for (const auto& route : app.router().routes()) {
    auto found = std::find_if(groups.begin(), groups.end(),
                              [&](const auto& group) { return group->pattern == route.pattern; });
    if (found == groups.end()) {
      auto group = std::make_shared<PathGroup>();
      group->pattern = route.pattern;
      group->name = route.name;
      groups.push_back(group);
      found = groups.end() - 1;
    }
    (*found)->routes.push_back(route);
  }
  auto unmatched = std::make_shared<PathGroup>();
  unmatched->pattern = ".*";
  unmatched->name = std::string(kUnmatchedRoute);
  unmatched->unmatched = true;
  groups.push_back(unmatched);

  for (const auto& group : groups) {
    auto plain = [&app, group](const httplib::Request& req, httplib::Response& res) {
      dispatch(app, *group, req, res, nullptr);
    };
    auto with_body = [&app, group](const httplib::Request& req, httplib::Response& res,
                                   const httplib::ContentReader& reader) { dispatch(app, *group, req, res, &reader); };
    server.Get(group->pattern, plain);
    server.Options(group->pattern, plain);
    server.Post(group->pattern, with_body);
    server.Put(group->pattern, with_body);
    server.Patch(group->pattern, with_body);
    server.Delete(group->pattern, with_body);
  }

  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    begin_request(req);
    return httplib::Server::HandlerResponse::Unhandled;
  });

  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [&app](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        RequestState& state = state_for(req);
        const int status = res.status;
        std::string message(error_message_for_status(status));
        if (status == 413) message += " (" + std::to_string(app.config().max_body_bytes) + " bytes)";
        Reply reply = error_reply(Error{error_code_for_http_status(status), message}, state.id);
        reply.status = status;
        res.headers.clear();
        write_reply(app, req, res, reply, state.id);
        return httplib::Server::HandlerResponse::Handled;
      }));

  server.set_exception_handler([&app](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    RequestState& state = state_for(req);
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& error) {
      what = error.what();
    } catch (...) {
    }
    log_event(app.logger(), spdlog::level::err, "unhandled exception",
              {{"requestId", state.id}, {"route", state.route}, {"error", what}});
    res.headers.clear();
    res.body.clear();
    write_reply(app, req, res, error_reply(Error{ErrorCode::Internal, "internal error"}, state.id), state.id);
  });

  // Metrics before the response is sent (so a scrape right after an answer counts it), the access
  // log line after it (writing the log never delays the answer).
  server.set_post_routing_handler([&app](const httplib::Request& req, httplib::Response& res) {
    RequestState& state = state_for(req);
    state.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - state.start).count();
    ServerMetrics& metrics = app.metrics();
    metrics.http_requests.labels({state.route, method_label(req.method), std::to_string(res.status)}).inc();
    metrics.http_duration.labels({state.route}).observe(state.seconds);
  });

  server.set_logger([&app](const httplib::Request& req, const httplib::Response& res) {
    RequestState& state = t_state;
    if (state.active && app.logger().should_log(spdlog::level::info)) {
      log_event(app.logger(), spdlog::level::info, "request",
                {{"requestId", state.id},
                 {"method", req.method.substr(0, 16)},
                 {"route", state.route},
                 {"path", req.path.substr(0, 512)},
                 {"status", res.status},
                 {"durationMs", static_cast<double>(static_cast<long long>(state.seconds * 1e6)) / 1e3},
                 {"remoteAddr", req.remote_addr}});
    }
    state.active = false;
  });
}

}  // namespace flexcore::server
