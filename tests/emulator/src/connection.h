#pragma once
/// @file connection.h
/// Socket-level operations cpp-httplib 0.11.4 has no API for: dropping the connection a handler is
/// serving, and waking idle keep-alive connections at shutdown.
///
/// httplib does not hand the accepted socket to handlers, so the socket is found by its address
/// pair: the handler knows `req.local_addr/local_port` and `req.remote_addr/remote_port`, and the
/// process's descriptors are listed from /proc/self/fd and compared with getsockname/getpeername.
/// The descriptor is never closed here (httplib still owns it and closes it afterwards); it is only
/// shut down, so no descriptor can be reused under httplib's feet.

#include <string>

namespace flexcore::emulator {

/// The descriptor of the connected TCP socket whose local and peer addresses are the given ones
/// (numeric host strings as httplib reports them), or -1 when none is found.
int find_connection_socket(const std::string& local_addr, int local_port, const std::string& remote_addr,
                           int remote_port);

/// Ends the connection without any response bytes: `shutdown(SHUT_RDWR)`, so the peer reads EOF
/// before a status line ("empty reply from server", Node's "socket hang up"). Returns false if the
/// socket was not found.
bool drop_connection_close(int fd);

/// Ends the connection with a TCP RST: `connect(fd, AF_UNSPEC)` disconnects the socket, which Linux
/// does by sending a reset (the peer sees ECONNRESET). Returns false if it failed.
bool drop_connection_reset(int fd);

/// Shuts down the read side of every accepted connection of the listener on `local_port`, so
/// keep-alive loops waiting for a next request end at once while in-flight answers can still be
/// written. Used at shutdown. Returns how many sockets were shut down.
int shutdown_reads_of_connections(int local_port);

}  // namespace flexcore::emulator
