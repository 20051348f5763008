#pragma once
/// @file pipeline.h
/// The request pipeline shared by every route (see configure_server() in app.h for the order of
/// steps). Internal to the server library.

#include <string>
#include <string_view>

namespace httplib {
class Server;
struct Request;
}

namespace flexcore::server {
class App;

/// Installs the routes of app.router() and the hooks (pre-routing, error, exception, logger) on
/// `server`.
void install_pipeline(httplib::Server& server, App& app);

/// The public URL Twilio signed for `request`: FLEXCORE_PUBLIC_URL + the raw request target, or,
/// without it, X-Forwarded-Proto (else "http") + "://" + X-Forwarded-Host (else Host) + target.
std::string public_request_url(const App& app, const httplib::Request& request);

}  // namespace flexcore::server
