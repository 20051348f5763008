#pragma once
/// @file http_client.h
/// Outbound HTTP(S) to the upstream APIs (issue 3 item 3). Routes depend on the HttpClient interface;
/// the product uses CurlHttpClient (libcurl) wrapped in RetryingClient (retrying_client.h). There is
/// no mock code path: tests point the configured base URLs at local servers or the emulator.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flexcore::server {
struct ServerMetrics;
}

namespace flexcore::server::upstream {

using Header = std::pair<std::string, std::string>;

/// HTTP Basic credentials (Account SID + Auth Token, or API Key SID + secret). Never logged.
struct BasicAuth {
  std::string username;
  std::string password;
};

/// One outbound request.
struct Request {
  std::string method = "GET";           ///< GET, POST, PUT, PATCH, DELETE
  std::string url;                      ///< absolute http(s) URL including any query string
  std::vector<Header> headers;          ///< extra request headers (Content-Type for bodies)
  std::string body;                     ///< raw body (see form_encode() / JSON dump)
  std::optional<BasicAuth> basic_auth;  ///< sent as Authorization: Basic
  /// Total time budget of one attempt (ms); 0 = the client's configured default.
  std::chrono::milliseconds timeout{0};
};

/// Why a request got no HTTP answer.
enum class TransportError {
  None,           ///< an HTTP status was received
  ConnectFailed,  ///< DNS failure, connection refused, connect timeout
  Timeout,        ///< the total time budget ran out after connecting
  ConnectionLost, ///< reset, closed without an answer, send/receive failure
  Tls,            ///< TLS handshake or certificate failure
  Other,          ///< a malformed URL or any other client-side failure
};

/// "connect_failed", "timeout", "connection_lost", "tls", "other" ("none" for None).
std::string_view to_string(TransportError error) noexcept;

/// One outbound response (or the transport failure that replaced it).
struct Response {
  int status = 0;                        ///< HTTP status; 0 when transport != None
  std::vector<Header> headers;           ///< response headers (names as received)
  std::string body;                      ///< raw body
  TransportError transport = TransportError::None;
  std::string transport_message;         ///< libcurl's description of a transport failure
  int attempts = 1;                      ///< attempts made (RetryingClient sets it)

  /// First value of header `name` (case-insensitive), or "".
  std::string header(std::string_view name) const;
  /// True when an HTTP answer arrived (transport == None).
  bool answered() const noexcept { return transport == TransportError::None; }
};

/// Sends requests. Implementations are safe to call from several threads at once.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  /// Sends `request` and returns the answer or the transport failure; never throws for network
  /// conditions.
  virtual Response send(const Request& request) = 0;
};

/// Timeouts of a CurlHttpClient.
struct CurlOptions {
  std::chrono::milliseconds connect_timeout{3000};  ///< FLEXCORE_UPSTREAM_CONNECT_TIMEOUT_MS
  std::chrono::milliseconds timeout{10000};         ///< FLEXCORE_UPSTREAM_TIMEOUT_MS (per attempt)
  std::string user_agent = "flexcore-server";
};

/// libcurl implementation: a pool of easy handles sharing one connection cache, DNS cache and TLS
/// session cache (CURLSH), so connections to each host are reused across threads; CURLOPT_NOSIGNAL;
/// connect and total timeouts on every call; no redirects followed; TLS peer verification on
/// (system CA store). Records flexcore_upstream_requests_total / _duration_seconds when `metrics`.
class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlOptions options = {}, ServerMetrics* metrics = nullptr);
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Response send(const Request& request) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The "host[:port]" of an http(s) URL (the metrics label), or "" when it has none.
std::string url_host(std::string_view url);

/// application/x-www-form-urlencoded body from (name, value) pairs, in order; a name repeated for
/// each value of an array (upstream-contracts 0.1: `AssetVersions=ZN1&AssetVersions=ZN2`).
/// Unreserved characters (A-Z a-z 0-9 - . _ ~) are kept, space becomes '+', everything else %XX.
std::string form_encode(const std::vector<Header>& params);

/// Percent-encodes one URL path segment or query value (RFC 3986 unreserved kept, the rest %XX).
std::string url_encode(std::string_view value);

}  // namespace flexcore::server::upstream
