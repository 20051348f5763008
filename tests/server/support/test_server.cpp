#include "test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>

namespace flexcore::server::testing {
namespace {
int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}
}  // namespace

bool first_response_complete(const std::string& raw) {
  const std::size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::string head = raw.substr(0, end);
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::size_t length_at = head.find("\r\ncontent-length:");
  std::size_t length = 0;
  if (length_at != std::string::npos) length = std::strtoul(head.c_str() + length_at + 17, nullptr, 10);
  return raw.size() >= end + 4 + length;
}

std::string raw_exchange(int port, const std::string& request, std::chrono::milliseconds read_limit,
                         bool stop_after_first) {
  const int fd = connect_loopback(port);
  if (fd < 0) return {};
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (e.g. 413); read what it answered
    sent += static_cast<std::size_t>(n);
  }
  std::string out;
  char buffer[8192];
  for (;;) {
    pollfd item{fd, POLLIN, 0};
    const int ready = ::poll(&item, 1, static_cast<int>(read_limit.count()));
    if (ready <= 0) break;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
    if (stop_after_first && first_response_complete(out)) break;
  }
  ::close(fd);
  return out;
}

bool can_connect(int port) {
  const int fd = connect_loopback(port);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

int raw_status(const std::string& raw) {
  if (raw.size() < 12 || raw.compare(0, 5, "HTTP/") != 0) return 0;
  const std::size_t space = raw.find(' ');
  if (space == std::string::npos) return 0;
  return std::atoi(raw.c_str() + space + 1);
}

}  // namespace flexcore::server::testing
