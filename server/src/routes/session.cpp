#include "app.h"

namespace flexcore::server {

void register_session_routes(Router& router, App&) {
  // The signed-in Flex user as IAM describes them: the plugin decides from "roles" whether to show
  // supervisor views. Token from the query string, a form body or a JSON body (upstream-contracts 1.1).
  router.add({"GET", "POST"}, "/session", AuthMode::FlexToken, [](RequestContext& ctx) -> Result<Reply> {
    const auth::TokenResult& token = *ctx.token;
    Reply reply = Reply::json({{"identity", token.identity},
                               {"roles", token.roles},
                               {"workerSid", token.worker_sid},
                               {"expiration", token.expiration}});
    reply.headers.emplace_back("Cache-Control", "no-store");
    return reply;
  });
}

}  // namespace flexcore::server
