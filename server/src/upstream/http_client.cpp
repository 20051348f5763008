#include "upstream/http_client.h"

#include <array>
#include <cctype>
#include <chrono>
#include <mutex>
#include <stdexcept>

#include <curl/curl.h>

#include "metrics.h"

namespace flexcore::server::upstream {
namespace {

constexpr std::size_t kMaxResponseBytes = 64U << 20U;  // 64 MiB: larger answers are a failure

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

struct Transfer {
  Response* response = nullptr;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (transfer->response->body.size() + n > kMaxResponseBytes) {
    transfer->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  transfer->response->body.append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.substr(0, 5) == "HTTP/") {
    transfer->response->headers.clear();  // a new response (after 100 Continue)
    return n;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  transfer->response->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return n;
}

TransportError classify(CURLcode code, bool connected) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return TransportError::ConnectFailed;
    case CURLE_OPERATION_TIMEDOUT:
      return connected ? TransportError::Timeout : TransportError::ConnectFailed;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TransportError::ConnectionLost;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return TransportError::Tls;
    default:
      return TransportError::Other;
  }
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
}

}  // namespace

std::string_view to_string(TransportError error) noexcept {
  switch (error) {
    case TransportError::None: return "none";
    case TransportError::ConnectFailed: return "connect_failed";
    case TransportError::Timeout: return "timeout";
    case TransportError::ConnectionLost: return "connection_lost";
    case TransportError::Tls: return "tls";
    case TransportError::Other: return "other";
  }
  return "other";
}

std::string Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

struct CurlHttpClient::Impl {
  CurlOptions options;
  ServerMetrics* metrics = nullptr;
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;
  std::mutex pool_mutex;
  std::vector<CURL*> pool;

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->locks[static_cast<std::size_t>(data)].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->locks[static_cast<std::size_t>(data)].unlock();
  }

  CURL* acquire() {
    {
      std::lock_guard guard(pool_mutex);
      if (!pool.empty()) {
        CURL* handle = pool.back();
        pool.pop_back();
        return handle;
      }
    }
    CURL* handle = curl_easy_init();
    if (handle == nullptr) throw std::runtime_error("curl_easy_init failed");
    return handle;
  }
  void release(CURL* handle) {
    curl_easy_reset(handle);
    std::lock_guard guard(pool_mutex);
    pool.push_back(handle);
  }
};

CurlHttpClient::CurlHttpClient(CurlOptions options, ServerMetrics* metrics) : impl_(std::make_unique<Impl>()) {
  global_init();
  impl_->options = std::move(options);
  impl_->metrics = metrics;
  impl_->share = curl_share_init();
  if (impl_->share == nullptr) throw std::runtime_error("curl_share_init failed");
  curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::lock);
  curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::unlock);
  curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

CurlHttpClient::~CurlHttpClient() {
  for (CURL* handle : impl_->pool) curl_easy_cleanup(handle);
  impl_->pool.clear();
  curl_share_cleanup(impl_->share);
}

Response CurlHttpClient::send(const Request& request) {
  Response response;
  Transfer transfer{&response, false};
  const auto started = std::chrono::steady_clock::now();
  CURL* handle = impl_->acquire();

  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip

  const auto timeout = request.timeout.count() > 0 ? request.timeout : impl_->options.timeout;
  curl_easy_setopt(handle, CURLOPT_SHARE, impl_->share);
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(impl_->options.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(handle, CURLOPT_USERAGENT, impl_->options.user_agent.c_str());
  curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
  if (request.basic_auth) {
    curl_easy_setopt(handle, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(handle, CURLOPT_USERNAME, request.basic_auth->username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, request.basic_auth->password.c_str());
  }
  if (request.method == "GET") {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else {
    if (request.method != "POST") curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "POST" || !request.body.empty()) {
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    }
  }

  const CURLcode code = curl_easy_perform(handle);
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
  } else {
    long connect_microseconds = 0;
    curl_easy_getinfo(handle, CURLINFO_CONNECT_TIME_T, &connect_microseconds);
    response.status = 0;
    response.headers.clear();
    response.body.clear();
    response.transport = transfer.too_large ? TransportError::Other : classify(code, connect_microseconds > 0);
    response.transport_message = transfer.too_large
                                     ? "response body larger than " + std::to_string(kMaxResponseBytes) + " bytes"
                                     : curl_easy_strerror(code);
  }
  curl_slist_free_all(headers);
  impl_->release(handle);

  if (impl_->metrics != nullptr) {
    const std::string host = url_host(request.url);
    const std::string status = response.answered() ? std::to_string(response.status)
                                                   : std::string(to_string(response.transport));
    impl_->metrics->upstream_requests.labels({host, status}).inc();
    impl_->metrics->upstream_duration.labels({host}).observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  return response;
}

std::string url_host(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const std::size_t at = rest.rfind('@');
  if (at != std::string_view::npos) rest.remove_prefix(at + 1);
  return std::string(rest);
}

namespace {
void append_encoded(std::string& out, std::string_view value, bool space_as_plus) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else if (c == ' ' && space_as_plus) {
      out += '+';
    } else {
      out += '%';
      out += kHex[u >> 4U];
      out += kHex[u & 0xFU];
    }
  }
}
}  // namespace

std::string form_encode(const std::vector<Header>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    append_encoded(out, name, true);
    out += '=';
    append_encoded(out, value, true);
  }
  return out;
}

std::string url_encode(std::string_view value) {
  std::string out;
  append_encoded(out, value, false);
  return out;
}

}  // namespace flexcore::server::upstream
