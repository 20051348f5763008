#include <httplib.h>

#include "app.h"
#include "http/http_error.h"

namespace flexcore::server {

void register_operations_routes(Router& router, App& app) {
  router.add({"GET"}, "/healthz", AuthMode::None, [](RequestContext&) -> Result<Reply> {
    return Reply::json({{"status", "ok"}});
  });

  router.add({"GET"}, "/readyz", AuthMode::None, [&app](RequestContext& ctx) -> Result<Reply> {
    const Readiness readiness = app.readiness().check();
    if (readiness.ready) return Reply::json({{"status", "ready"}, {"checks", readiness.checks}});
    return error_reply(Error{ErrorCode::Unavailable, readiness.summary}, ctx.request_id,
                       {{"checks", readiness.checks}});
  });

  router.add({"GET"}, "/metrics", AuthMode::None, [&app](RequestContext&) -> Result<Reply> {
    Reply reply;
    reply.body = app.registry().expose();
    reply.content_type = std::string(Registry::kContentType);
    return reply;
  });
}

}  // namespace flexcore::server
