#include "api/ledger_routes.h"

#include <charconv>

#include "api/json_body.h"
#include "api/ledger_json.h"
#include "api/operator_auth.h"

namespace mpay::api {
namespace {

using boost::beast::http::verb;
using nlohmann::json;

struct LedgerRoutes {
  ledger::Ledger& ledger;
  UuidV7Generator& ids;
};

unsigned status_for(const Error& error) {
  if (error.code == "ledger_closed") return 503;
  if (error.code == "too_many_events") return 413;
  if (error.code == "amount_too_large") return 422;
  return 400;
}

std::optional<Id128> path_id(const HttpRequest& request) {
  auto it = request.path_params.find("id");
  if (it == request.path_params.end()) return std::nullopt;
  return parse_uuid_text(it->second);
}

HttpResponse invalid_path_id() {
  return error_response(400, Error("invalid_id", "the id in the path must be a UUID", "id"));
}

// A non-negative decimal integer query parameter, or an error naming it.
Result<std::optional<int64_t>> integer_param(const HttpRequest& request, std::string_view name) {
  std::optional<std::string> text = request.query_param(name);
  if (!text) return std::optional<int64_t>();
  int64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < 0) {
    return Error("invalid_query", std::string(name) + " must be a non-negative integer",
                 std::string(name));
  }
  return std::optional<int64_t>(value);
}

void healthz(LedgerRoutes& routes, HttpRequest&, Responder respond) {
  ledger::Ledger& ledger = routes.ledger;
  ledger::LedgerStats stats = ledger.stats();
  respond(json_response(200, {{"status", "ok"},
                              {"committed_batch", stats.committed_seq},
                              {"projected_batch", stats.projected_seq},
                              {"accounts", stats.accounts},
                              {"pending_transfers", stats.pending_transfers}}));
}

void create_accounts(LedgerRoutes& routes, HttpRequest& request, Responder respond) {
  ledger::Ledger& ledger = routes.ledger;
  Result<json> body = parse_json_body(request.body);
  if (!body.ok()) return respond(error_response(400, body.error()));
  Result<std::vector<ledger::Account>> accounts =
      parse_accounts(*body, ledger.options().submission_events_max, routes.ids);
  if (!accounts.ok()) return respond(error_response(status_for(accounts.error()), accounts.error()));
  Status submitted = ledger.submit_accounts(
      std::move(*accounts), [respond](std::vector<ledger::EventOutcome> outcomes) {
        respond(json_response(200, account_results_json(outcomes)));
      });
  if (!submitted.ok()) respond(error_response(status_for(submitted.error()), submitted.error()));
}

void create_transfers(LedgerRoutes& routes, HttpRequest& request, Responder respond) {
  ledger::Ledger& ledger = routes.ledger;
  Result<json> body = parse_json_body(request.body);
  if (!body.ok()) return respond(error_response(400, body.error()));
  Result<std::vector<ledger::Transfer>> transfers =
      parse_transfers(*body, ledger.options().submission_events_max, routes.ids);
  if (!transfers.ok()) {
    return respond(error_response(status_for(transfers.error()), transfers.error()));
  }
  Status submitted = ledger.submit_transfers(
      std::move(*transfers), [respond](std::vector<ledger::EventOutcome> outcomes) {
        respond(json_response(200, transfer_results_json(outcomes)));
      });
  if (!submitted.ok()) respond(error_response(status_for(submitted.error()), submitted.error()));
}

void get_account(LedgerRoutes& routes, HttpRequest& request, Responder respond) {
  ledger::Ledger& ledger = routes.ledger;
  std::optional<Id128> id = path_id(request);
  if (!id) return respond(invalid_path_id());
  std::optional<ledger::AccountState> account = ledger.lookup_account(AccountId(*id));
  if (!account) return respond(error_response(404, Error("account_not_found", "no such account")));
  respond(json_response(200, account_json(*account)));
}

void get_transfer(LedgerRoutes& routes, HttpRequest& request, Responder respond) {
  ledger::Ledger& ledger = routes.ledger;
  std::optional<Id128> id = path_id(request);
  if (!id) return respond(invalid_path_id());
  Result<std::optional<ledger::TransferRecord>> found = ledger.lookup_transfer(TransferId(*id));
  if (!found.ok()) return respond(error_response(500, Error("internal_error", "lookup failed")));
  if (!found->has_value()) {
    return respond(error_response(404, Error("transfer_not_found", "no such transfer")));
  }
  respond(json_response(200, transfer_json(**found)));
}

void get_account_transfers(LedgerRoutes& routes, HttpRequest& request, Responder respond) {
  ledger::Ledger& ledger = routes.ledger;
  std::optional<Id128> id = path_id(request);
  if (!id) return respond(invalid_path_id());
  ledger::HistoryQuery query;
  Result<std::optional<int64_t>> limit = integer_param(request, "limit");
  if (!limit.ok()) return respond(error_response(400, limit.error()));
  if (limit->has_value()) {
    if (**limit < 1 || **limit > kHistoryPageMax) {
      return respond(error_response(
          400, Error("invalid_query", "limit must be 1 to " + std::to_string(kHistoryPageMax), "limit")));
    }
    query.limit = static_cast<uint32_t>(**limit);
  } else {
    query.limit = kHistoryPageDefault;
  }
  Result<std::optional<int64_t>> after = integer_param(request, "after");
  if (!after.ok()) return respond(error_response(400, after.error()));
  query.after_timestamp = *after;
  std::optional<std::string> order = request.query_param("order");
  if (order && *order != "asc" && *order != "desc") {
    return respond(error_response(400, Error("invalid_query", "order must be asc or desc", "order")));
  }
  query.order = order && *order == "desc" ? ledger::HistoryOrder::descending
                                          : ledger::HistoryOrder::ascending;
  if (!ledger.lookup_account(AccountId(*id))) {
    return respond(error_response(404, Error("account_not_found", "no such account")));
  }
  Result<std::vector<ledger::TransferRecord>> page = ledger.account_transfers(AccountId(*id), query);
  if (!page.ok()) return respond(error_response(500, Error("internal_error", "history failed")));
  json data = json::array();
  for (const ledger::TransferRecord& record : *page) data.push_back(transfer_json(record));
  json body = {{"data", data}, {"next_cursor", nullptr}};
  // A full page may have more after it; the cursor is the last item's timestamp, as a string so
  // that clients treat it as opaque.
  if (page->size() == query.limit) body["next_cursor"] = std::to_string(page->back().entry.timestamp);
  respond(json_response(200, body));
}

}  // namespace

void add_ledger_routes(Router& router, ledger::Ledger& ledger, UuidV7Generator& ids) {
  auto context = std::make_shared<LedgerRoutes>(LedgerRoutes{ledger, ids});
  auto bind = [context](void (*handler)(LedgerRoutes&, HttpRequest&, Responder)) {
    return [context, handler](HttpRequest& request, Responder respond) {
      handler(*context, request, std::move(respond));
    };
  };
  // Load balancers' and probes' checks may carry a cache-buster; health reads no query.
  router.add({verb::get, "/healthz", "", 0, bind(healthz)}).query_ignored = true;
  router.add({verb::post, "/v1/ledger/accounts", kOperatorScope, kLedgerBodyBytesMax,
              bind(create_accounts), /*idempotent=*/true});
  router.add({verb::post, "/v1/ledger/transfers", kOperatorScope, kLedgerBodyBytesMax,
              bind(create_transfers), /*idempotent=*/true});
  router.add({verb::get, "/v1/ledger/accounts/{id}", kOperatorScope, 0, bind(get_account)});
  router.add({verb::get, "/v1/ledger/transfers/{id}", kOperatorScope, 0, bind(get_transfer)});
  router
      .add({verb::get, "/v1/ledger/accounts/{id}/transfers", kOperatorScope, 0,
            bind(get_account_transfers)})
      .query_parameters = {"limit", "after", "order"};
}

}  // namespace mpay::api
