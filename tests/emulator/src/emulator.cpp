#include "emulator.h"

#include "auth/twilio_signature.h"
#include "connection.h"
#include "http_util.h"
#include "iam_module.h"
#include "insights_module.h"
#include "segment_module.h"
#include "sync_module.h"
#include "serverless_module.h"
#include "taskrouter_module.h"
#include "voice_module.h"
#include "calls_module.h"
#include "twilio_error.h"
#include "webhook_sender.h"

#include <sys/socket.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace flexcore::emulator {
namespace {

constexpr std::string_view kControlPrefix = "/__emulator";
constexpr std::size_t kMaxPayloadBytes = 32u << 20;  // 32 MiB: Serverless asset uploads fit
constexpr int kListenBacklog = 1024;

std::string raw_path_of(const httplib::Request& req) {
  const std::string& target = req.target.empty() ? req.path : req.target;
  return target.substr(0, target.find_first_of("?#"));
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (const char c : host) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots == 3;
}

std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace

bool Credentials::accepts(std::string_view username, std::string_view password) const {
  if (username == account_sid) return server::constant_time_equals(password, auth_token);
  if (!api_key.empty() && username == api_key) return server::constant_time_equals(password, api_secret);
  return false;
}

bool require_twilio_basic_auth(const httplib::Request& req, httplib::Response& res, const Credentials& credentials) {
  const auto basic = parse_basic_authorization(req.get_header_value("Authorization"));
  if (basic && req.get_header_value_count("Authorization") == 1 && credentials.accepts(basic->username, basic->password)) {
    return true;
  }
  send_twilio_error(res, 401, 20003, "Authenticate");
  res.set_header("WWW-Authenticate", "Basic realm=\"Twilio API\"");
  return false;
}

void validate_config(const EmulatorConfig& config) {
  if (!is_loopback_host(config.host)) {
    throw std::invalid_argument("--host must be a loopback address (127.0.0.1, localhost or ::1), got '" + config.host + "'");
  }
  if (config.port < 0 || config.port > 65535) throw std::invalid_argument("--port must be 0-65535 (0 = any free port)");
  if (!is_sid(config.credentials.account_sid, "AC")) {
    throw std::invalid_argument("--account-sid must be AC followed by 32 hex digits");
  }
  if (config.credentials.auth_token.empty()) throw std::invalid_argument("--auth-token must not be empty");
  if (!config.credentials.api_key.empty() && !is_sid(config.credentials.api_key, "SK")) {
    throw std::invalid_argument("--api-key must be SK followed by 32 hex digits");
  }
  if (config.credentials.api_key.empty() != config.credentials.api_secret.empty()) {
    throw std::invalid_argument("--api-key and --api-secret go together");
  }
  if (config.threads < 1 || config.threads > 1024) throw std::invalid_argument("--threads must be 1-1024");
}

Emulator::Emulator(EmulatorConfig config)
    : config_(std::move(config)), contracts_(config_.contracts_dir), router_(contracts_), recorder_(config_.record_limit) {
  validate_config(config_);
  {
    std::error_code ec;
    bool has_json = false;
    if (std::filesystem::is_directory(config_.contracts_dir, ec)) {
      for (const auto& entry : std::filesystem::directory_iterator(config_.contracts_dir, ec)) {
        if (entry.path().extension() == ".json") has_json = true;
      }
    }
    if (!has_json) {
      throw std::runtime_error("--contracts-dir " + config_.contracts_dir +
                               ": not a directory holding the twilio-oai *.json specs");
    }
  }
  if (config_.preload_contracts) contracts_.preload();

  // Built-in modules. Later issues add theirs here (README.md "Adding a module").
  const ModuleContext context{config_, contracts_};
  modules_.push_back(std::make_unique<IamModule>(context));
  modules_.push_back(std::make_unique<InsightsModule>(context));
  modules_.push_back(std::make_unique<SegmentModule>(context));
  auto taskrouter = std::make_unique<TaskRouterModule>(context);
  auto voice = std::make_unique<VoiceModule>(context);
  auto calls = std::make_unique<CallsModule>(context, *taskrouter, *voice);  // plays calls over both
  modules_.push_back(std::move(taskrouter));
  modules_.push_back(std::move(voice));
  modules_.push_back(std::move(calls));
  modules_.push_back(std::make_unique<SyncModule>(context));
  modules_.push_back(std::make_unique<ServerlessModule>(context));
  for (auto& module : modules_) module->register_routes(router_, control_);
  register_control_routes();

  const int threads = config_.threads;
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server_.set_tcp_nodelay(true);
  server_.set_keep_alive_max_count(1000000);
  server_.set_keep_alive_timeout(5);
  server_.set_read_timeout(30, 0);
  server_.set_write_timeout(30, 0);
  server_.set_payload_max_length(kMaxPayloadBytes);
  server_.set_socket_options([this](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = sock;
  });
  const auto entry = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
  server_.Get(".*", entry);
  // Bodies go through httplib's content reader: the Debian build of cpp-httplib refuses a plain
  // handler's form body over 8192 bytes (CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH is compiled
  // into the .so) with 413, while Twilio takes far larger form bodies (TaskRouter Attributes).
  const auto with_body = [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    httplib::Request full = req;
    if (req.is_multipart_form_data()) {
      httplib::MultipartFormDataItems items;
      reader(
          [&](const httplib::MultipartFormData& item) {
            items.push_back(item);
            return true;
          },
          [&](const char* data, std::size_t length) {
            items.back().content.append(data, length);
            return true;
          });
      for (auto& item : items) full.files.emplace(item.name, std::move(item));
    } else {
      reader([&](const char* data, std::size_t length) {
        full.body.append(data, length);
        return true;
      });
    }
    handle(full, res);
  };
  server_.Post(".*", with_body);
  server_.Put(".*", with_body);
  server_.Patch(".*", with_body);
  server_.Delete(".*", entry);
  server_.Options(".*", entry);
  server_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_twilio_error(res, 500, 20500, "flexcore-emulator: unexpected error");
  });
}

Emulator::~Emulator() { stop(); }

int Emulator::bind() {
  int port = config_.port;
  if (port == 0) {
    port = server_.bind_to_any_port(config_.host);
    if (port <= 0) throw std::runtime_error("cannot bind " + config_.host + " on any port");
  } else if (!server_.bind_to_port(config_.host, port)) {
    throw std::runtime_error("cannot bind " + config_.host + ":" + std::to_string(port) + " (in use?)");
  }
  // The Debian build of cpp-httplib listens with a backlog of 5; load benchmarks open hundreds of
  // connections at once, so listen again with a deeper queue.
  if (listen_fd_ >= 0) ::listen(listen_fd_, kListenBacklog);
  port_ = port;
  return port;
}

bool Emulator::run() {
  if (stopping_) return true;
  const bool served = server_.listen_after_bind();
  return served || stopping_;  // a listener shut down by stop() ends with "failure"
}

void Emulator::stop() {
  if (stopping_.exchange(true)) return;
  faults_.stop();
  if (server_.is_running()) {
    server_.stop();
  } else if (listen_fd_ >= 0) {
    // Not accepting yet (stop() right after bind()): httplib's stop() would do nothing and the
    // accept loop would start later and run forever. A shut-down listener makes accept() fail at
    // once. httplib has not closed the descriptor yet, so it cannot belong to anyone else.
    ::shutdown(listen_fd_, SHUT_RDWR);
  }
  if (port_ > 0) shutdown_reads_of_connections(port_);
}

void Emulator::reset() {
  faults_.reset();
  recorder_.clear();
  for (auto& module : modules_) module->reset();
}

std::string Emulator::base_url() const {
  const std::string host = config_.host.find(':') != std::string::npos ? "[" + config_.host + "]" : config_.host;
  return "http://" + host + ":" + std::to_string(port_.load());
}

void Emulator::handle(const httplib::Request& req, httplib::Response& res) {
  const std::string raw_path = raw_path_of(req);
  if (raw_path == kControlPrefix || raw_path.rfind(std::string(kControlPrefix) + "/", 0) == 0) {
    control_.dispatch(req, res);
    return;
  }
  handle_upstream(req, res);
}

void Emulator::handle_upstream(const httplib::Request& req, httplib::Response& res) {
  const auto started = std::chrono::steady_clock::now();
  const Resolution where = router_.resolve(raw_path_of(req));
  const std::string relative_path = strip_prefix(req.path, where.prefix);
  RecordedRequest record;
  if (recorder_.enabled()) record = recorder_.capture(req, where.family, where.prefix, std::chrono::system_clock::now());

  const auto finish = [&]() {
    record.status = res.status;
    if (config_.log_requests) {
      const nlohmann::json line{{"time", iso8601_utc(std::chrono::system_clock::now())},
                                {"method", req.method},
                                {"path", req.path},
                                {"family", where.family},
                                {"status", record.dropped ? 0 : res.status},
                                {"faultId", record.fault_id},
                                {"ms", elapsed_since(started).count()}};
      std::lock_guard lock(log_mutex_);
      std::fprintf(stderr, "%s\n", line.dump().c_str());
    }
    if (record.dropped) record.status = 0;
    if (recorder_.enabled()) recorder_.add(std::move(record));
  };

  std::optional<Fault> fault = faults_.take(req.method, req.path, relative_path);
  if (fault) {
    record.faulted = true;
    record.fault_id = fault->id;
    if (fault->delay_ms > 0) faults_.wait(std::chrono::milliseconds(fault->delay_ms));
    if (fault->drop) {
      const int fd = find_connection_socket(req.local_addr, req.local_port, req.remote_addr, req.remote_port);
      if (fd < 0) {
        send_twilio_error(res, 500, 20500, "flexcore-emulator: fault " + fault->id + " could not find the connection to drop");
        finish();
        return;
      }
      // Record first: once the socket is shut down the client may call again at once, and the
      // records must stay in arrival order.
      record.dropped = true;
      res.status = 500;  // never reaches the client: the socket is shut down below
      res.set_header("Connection", "close");
      finish();
      const bool dropped = fault->drop_mode == Fault::DropMode::Reset ? drop_connection_reset(fd) : drop_connection_close(fd);
      if (!dropped) {
        std::lock_guard lock(log_mutex_);
        std::fprintf(stderr, "flexcore-emulator: fault %s: shutting down the connection failed\n", fault->id.c_str());
      }
      return;
    }
    if (fault->status) {
      res.status = *fault->status;
      if (fault->body) {
        res.set_content(*fault->body, fault->content_type.c_str());
      } else if (*fault->status >= 400) {
        res.set_content(default_twilio_error(*fault->status, relative_path).dump(), "application/json");
      }
      for (const auto& [name, value] : fault->headers) {
        res.headers.erase(name);
        res.headers.emplace(name, value);
      }
      finish();
      return;
    }
  }

  try {
    router_.dispatch(req, res, where);
  } catch (const std::exception& e) {
    res.headers.clear();
    send_twilio_error(res, 500, 20500, std::string("flexcore-emulator: handler failed: ") + e.what());
  }
  if (res.status == -1) res.status = 200;
  if (fault) {
    for (const auto& [name, value] : fault->headers) {
      res.headers.erase(name);
      res.headers.emplace(name, value);
    }
  }
  finish();
}

void Emulator::register_control_routes() {
  control_.add("GET", "/healthz", [](const httplib::Request&, httplib::Response& res, const PathParams&) {
    send_json(res, 200, nlohmann::json{{"ok", true}});
  });

  control_.add("GET", "/info", [this](const httplib::Request&, httplib::Response& res, const PathParams&) {
    send_json(res, 200,
              nlohmann::json{{"name", "flexcore-emulator"},
                             {"version", FLEXCORE_VERSION},
                             {"baseUrl", base_url()},
                             {"accountSid", config_.credentials.account_sid},
                             {"apiKey", config_.credentials.api_key.empty() ? nlohmann::json(nullptr)
                                                                           : nlohmann::json(config_.credentials.api_key)},
                             {"contractsDir", config_.contracts_dir},
                             {"recordLimit", config_.record_limit},
                             {"families", router_.describe()},
                             {"control", control_.describe()}});
  });

  control_.add("POST", "/reset", [this](const httplib::Request&, httplib::Response& res, const PathParams&) {
    reset();
    res.status = 204;
  });

  control_.add("POST", "/faults", [this](const httplib::Request& req, httplib::Response& res, const PathParams&) {
    const auto spec = control_json_body(req, res);
    if (!spec) return;
    try {
      const std::string id = faults_.add(parse_fault(*spec));
      send_json(res, 201, nlohmann::json{{"id", id}});
    } catch (const std::invalid_argument& e) {
      send_control_error(res, 400, std::string("invalid fault: ") + e.what());
    }
  });
  control_.add("GET", "/faults", [this](const httplib::Request&, httplib::Response& res, const PathParams&) {
    send_json(res, 200, nlohmann::json{{"faults", faults_.list()}});
  });
  control_.add("DELETE", "/faults", [this](const httplib::Request&, httplib::Response& res, const PathParams&) {
    faults_.clear();
    res.status = 204;
  });
  control_.add("DELETE", "/faults/{id}", [this](const httplib::Request&, httplib::Response& res, const PathParams& params) {
    if (faults_.remove(params.at("id"))) {
      res.status = 204;
    } else {
      send_control_error(res, 404, "no fault '" + params.at("id") + "'");
    }
  });

  control_.add("GET", "/requests", [this](const httplib::Request& req, httplib::Response& res, const PathParams&) {
    RequestFilter filter;
    for (const auto& [name, value] : parse_form(raw_query(req.target))) {
      if (name == "method") {
        filter.method = value;
      } else if (name == "path") {
        filter.path_glob = value;
      } else if (name == "since") {
        if (value.empty() || value.size() > 19 || value.find_first_not_of("0123456789") != std::string::npos) {
          send_control_error(res, 400, "'since' must be a non-negative integer (a seq already seen)");
          return;
        }
        filter.since = std::stoull(value);
      } else {
        send_control_error(res, 400, "unknown query parameter '" + name + "' (expected method, path, since)");
        return;
      }
    }
    send_json(res, 200, nlohmann::json{{"requests", recorder_.query(filter)}});
  });
  control_.add("DELETE", "/requests", [this](const httplib::Request&, httplib::Response& res, const PathParams&) {
    recorder_.clear();
    res.status = 204;
  });

  control_.add("POST", "/webhooks/send", [this](const httplib::Request& req, httplib::Response& res, const PathParams&) {
    const auto body = control_json_body(req, res);
    if (!body) return;
    WebhookSpec spec;
    try {
      spec = parse_webhook_spec(*body, config_.credentials.auth_token);
    } catch (const WebhookSpecError& e) {
      send_control_error(res, 400, std::string("invalid webhook: ") + e.what());
      return;
    }
    try {
      send_json(res, 200, send_webhook(spec));
    } catch (const WebhookDeliveryError& e) {
      send_control_error(res, 502, e.what());
    }
  });
}

}  // namespace flexcore::emulator
