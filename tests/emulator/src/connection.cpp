#include "connection.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <functional>

namespace flexcore::emulator {
namespace {

struct Endpoint {
  std::string host;
  int port = -1;
};

bool endpoint_of(const sockaddr_storage& addr, socklen_t len, Endpoint& out) {
  char host[NI_MAXHOST];
  char port[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host, sizeof host, port, sizeof port,
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return false;
  }
  out.host = host;
  out.port = std::atoi(port);
  return true;
}

bool local_endpoint(int fd, Endpoint& out) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return false;
  if (addr.ss_family != AF_INET && addr.ss_family != AF_INET6) return false;
  return endpoint_of(addr, len, out);
}

bool peer_endpoint(int fd, Endpoint& out) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return false;  // listener or unconnected
  return endpoint_of(addr, len, out);
}

// Calls `visit` with every descriptor of this process that is a socket; stops when it returns false.
void for_each_socket(const std::function<bool(int)>& visit) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  const int own = dirfd(dir);
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    const int fd = std::atoi(entry->d_name);
    if (fd == own) continue;
    struct stat st{};
    if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
    if (!visit(fd)) break;
  }
  closedir(dir);
}

// httplib reports IPv4-mapped peers of an IPv6 socket as "::ffff:a.b.c.d"; compare the IPv4 part.
bool same_host(const std::string& a, const std::string& b) {
  const auto plain = [](const std::string& s) { return s.rfind("::ffff:", 0) == 0 ? s.substr(7) : s; };
  return plain(a) == plain(b);
}

}  // namespace

int find_connection_socket(const std::string& local_addr, int local_port, const std::string& remote_addr,
                           int remote_port) {
  int found = -1;
  for_each_socket([&](int fd) {
    Endpoint local;
    Endpoint peer;
    if (!local_endpoint(fd, local) || local.port != local_port) return true;
    if (!peer_endpoint(fd, peer) || peer.port != remote_port) return true;
    if (!same_host(peer.host, remote_addr) || !same_host(local.host, local_addr)) return true;
    found = fd;
    return false;
  });
  return found;
}

bool drop_connection_close(int fd) { return fd >= 0 && ::shutdown(fd, SHUT_RDWR) == 0; }

bool drop_connection_reset(int fd) {
  if (fd < 0) return false;
  sockaddr unspec{};
  unspec.sa_family = AF_UNSPEC;
  return ::connect(fd, &unspec, sizeof unspec) == 0;
}

int shutdown_reads_of_connections(int local_port) {
  int count = 0;
  for_each_socket([&](int fd) {
    Endpoint local;
    Endpoint peer;
    if (!local_endpoint(fd, local) || local.port != local_port) return true;
    if (!peer_endpoint(fd, peer)) return true;  // the listener itself
    if (::shutdown(fd, SHUT_RD) == 0) ++count;
    return true;
  });
  return count;
}

}  // namespace flexcore::emulator
