#include "api/wallet_routes.h"

#include "api/pooled_route.h"
#include "api/user_auth.h"
#include "api/wallet_json.h"
#include "api/wallet_requests.h"
#include "payments/wallet/access.h"
#include "payments/wallet/admin.h"
#include "payments/wallet/bank_orders.h"
#include "payments/wallet/kyc.h"
#include "payments/wallet/otp.h"
#include "payments/wallet/p2p_transfer.h"
#include "payments/wallet/wallet_queries.h"

namespace mpay::api {
namespace {

namespace http = boost::beast::http;
using wallet::WalletContext;

HttpResponse failure(const Error& error) { return error_response(wallet_error_status(error.code), error); }

void request_otp(WalletContext& wallet, HttpRequest& request, Responder respond) {
  Result<std::string> phone = decode_otp_request(request.body);
  if (!phone.ok()) return respond(failure(phone.error()));
  Status sent = wallet::request_otp(wallet, *phone, request.remote_address);
  if (!sent.ok()) return respond(failure(sent.error()));
  respond(json_response(202, {{"expires_in_s", wallet.options.otp_ttl_ns / 1'000'000'000}}));
}

void sign_up(WalletContext& wallet, HttpRequest& request, Responder respond) {
  Result<wallet::SignUpRequest> sign_up = decode_sign_up(request.body);
  if (!sign_up.ok()) return respond(failure(sign_up.error()));
  Result<wallet::UserRecord> user = wallet::sign_up(wallet, *sign_up);
  if (!user.ok()) return respond(failure(user.error()));
  Result<wallet::Profile> profile = wallet::profile_of(wallet, *user);
  if (!profile.ok()) return respond(failure(profile.error()));
  respond(json_response(201, {{"user_id", user->id.to_string()},
                              {"phone", profile->phone_masked},
                              {"wallet",
                               {{"account_id", user->wallet_account_id.to_string()},
                                {"currency", wallet.currency.code}}}}));
}

void open_session(WalletContext& wallet, HttpRequest& request, Responder respond) {
  Result<wallet::SessionRequest> session = decode_session_request(request.body);
  if (!session.ok()) return respond(failure(session.error()));
  Result<wallet::SessionGrant> grant = wallet::open_session(wallet, *session);
  if (!grant.ok()) return respond(failure(grant.error()));
  respond(json_response(201, session_json(*grant)));
}

void reset_pin(WalletContext& wallet, HttpRequest& request, Responder respond) {
  Result<PinResetRequest> decoded = decode_pin_reset(request.body);
  if (!decoded.ok()) return respond(failure(decoded.error()));
  Status reset = wallet::reset_pin(wallet, decoded->phone, decoded->otp, decoded->new_pin);
  if (!reset.ok()) return respond(failure(reset.error()));
  respond(HttpResponse{204, "application/json", "", {}});
}

void change_pin(WalletContext& wallet, HttpRequest& request, Responder respond) {
  Result<PinChangeRequest> decoded = decode_pin_change(request.body);
  if (!decoded.ok()) return respond(failure(decoded.error()));
  Status changed = wallet::change_pin(wallet, user_caller(request), decoded->pin, decoded->new_pin);
  if (!changed.ok()) return respond(failure(changed.error()));
  respond(HttpResponse{204, "application/json", "", {}});
}

void get_me(WalletContext& wallet, HttpRequest& request, Responder respond) {
  Result<wallet::Profile> profile = wallet::read_profile(wallet, user_caller(request));
  if (!profile.ok()) return respond(failure(profile.error()));
  respond(json_response(200, profile_json(*profile, wallet.currency)));
}

void get_wallet(WalletContext& wallet, HttpRequest& request, Responder respond) {
  Result<wallet::Profile> profile = wallet::read_profile(wallet, user_caller(request));
  if (!profile.ok()) return respond(failure(profile.error()));
  Result<wallet::WalletBalance> balance = wallet::wallet_balance(wallet.ledger, profile->user.wallet_account_id);
  if (!balance.ok()) return respond(failure(balance.error()));
  nlohmann::json json = wallet_balance_json(*balance, wallet.currency);
  json["account_id"] = profile->user.wallet_account_id.to_string();
  respond(json_response(200, json));
}

void get_transactions(WalletContext& wallet, HttpRequest& request, Responder respond) {
  Result<wallet::TransactionQuery> query = decode_transaction_query(request.query);
  if (!query.ok()) return respond(failure(query.error()));
  Result<wallet::TransactionPage> page = wallet::list_transactions(wallet, user_caller(request), *query);
  if (!page.ok()) return respond(failure(page.error()));
  respond(json_response(200, transaction_page_json(*page, wallet.currency)));
}

void submit_kyc(WalletContext& wallet, HttpRequest& request, Responder respond) {
  Result<wallet::KycSubmission> submission = decode_kyc(request.body);
  if (!submission.ok()) return respond(failure(submission.error()));
  Result<wallet::UserRecord> user = wallet::submit_kyc(wallet, user_caller(request), *submission);
  if (!user.ok()) return respond(failure(user.error()));
  Result<wallet::Profile> profile = wallet::profile_of(wallet, *user);
  if (!profile.ok()) return respond(failure(profile.error()));
  respond(json_response(200, profile_json(*profile, wallet.currency)));
}

void link_bank_account(WalletContext& wallet, HttpRequest& request, Responder respond) {
  Result<BankLinkRequest> link = decode_bank_link(request.body);
  if (!link.ok()) return respond(failure(link.error()));
  Result<wallet::BankAccountRecord> account =
      wallet::link_bank_account(wallet, user_caller(request), link->bank_code, link->account_number);
  if (!account.ok()) return respond(failure(account.error()));
  respond(json_response(201, bank_account_json(*account)));
}

void list_bank_accounts(WalletContext& wallet, HttpRequest& request, Responder respond) {
  Result<std::vector<wallet::BankAccountRecord>> accounts = wallet.repository.bank_accounts_of(user_caller(request));
  if (!accounts.ok()) return respond(failure(accounts.error()));
  nlohmann::json items = nlohmann::json::array();
  for (const wallet::BankAccountRecord& account : *accounts) items.push_back(bank_account_json(account));
  respond(json_response(200, {{"items", std::move(items)}}));
}

void start_bank_order(WalletContext& wallet, wallet::BankOrderKind kind, HttpRequest& request,
                      Responder respond) {
  Result<wallet::BankOrderRequest> order = decode_bank_order(request.body, kind);
  if (!order.ok()) return respond(failure(order.error()));
  Result<wallet::BankOrderRecord> started = kind == wallet::BankOrderKind::top_up
                                                ? wallet::start_top_up(wallet, user_caller(request), *order)
                                                : wallet::start_withdrawal(wallet, user_caller(request), *order);
  if (!started.ok()) return respond(failure(started.error()));
  respond(json_response(202, bank_order_json(*started, wallet.currency)));
}

void get_bank_order(WalletContext& wallet, wallet::BankOrderKind kind, HttpRequest& request,
                    Responder respond) {
  Result<wallet::BankOrderRecord> order =
      wallet::find_bank_order(wallet, user_caller(request), kind, request.path_params.at("id"));
  if (!order.ok()) return respond(failure(order.error()));
  respond(json_response(200, bank_order_json(*order, wallet.currency)));
}

void send_transfer(WalletContext& wallet, HttpRequest& request, Responder respond) {
  Result<wallet::P2pRequest> transfer = decode_transfer(request.body, wallet.options.note_chars_max);
  if (!transfer.ok()) return respond(failure(transfer.error()));
  wallet::send_p2p(wallet, user_caller(request), *transfer,
                   [&wallet, respond](Result<wallet::P2pReceipt> receipt) {
                     if (!receipt.ok()) return respond(failure(receipt.error()));
                     respond(json_response(201, p2p_receipt_json(*receipt, wallet.currency)));
                   });
}

wallet::OperatorCall operator_call(const HttpRequest& request) {
  return {request.principal, request.remote_address, request.request_id};
}

void admin_find_users(WalletContext& wallet, HttpRequest& request, Responder respond) {
  std::optional<std::string> phone = request.query_param("phone");
  if (!phone) return respond(failure(Error("phone_missing", "add ?phone=<number>", "phone")));
  Result<std::vector<wallet::Profile>> found = wallet::find_users_by_phone(wallet, operator_call(request), *phone);
  if (!found.ok()) return respond(failure(found.error()));
  nlohmann::json items = nlohmann::json::array();
  for (const wallet::Profile& profile : *found) items.push_back(profile_json(profile, wallet.currency));
  respond(json_response(200, {{"items", std::move(items)}}));
}

void admin_set_frozen(WalletContext& wallet, bool frozen, HttpRequest& request, Responder respond) {
  std::optional<Id128> id = parse_uuid_text(request.path_params.at("id"));
  if (!id) return respond(failure(Error("invalid_id", "the id in the path must be a UUID", "id")));
  Result<std::optional<std::string>> reason = decode_freeze(request.body);
  if (!reason.ok()) return respond(failure(reason.error()));
  Result<wallet::Profile> profile =
      wallet::set_user_frozen(wallet, operator_call(request), wallet::UserId(*id), frozen, *reason);
  if (!profile.ok()) return respond(failure(profile.error()));
  respond(json_response(200, profile_json(*profile, wallet.currency)));
}

}  // namespace

void add_wallet_routes(Router& router, WalletContext& wallet, BlockingPool& pool) {
  using wallet::BankOrderKind;
  auto add = [&](http::verb method, std::string pattern, std::string_view scope, size_t body_max,
                 auto handler) -> Route& {
    return router.add(
        pooled_route(pool, wallet, method, std::move(pattern), scope, body_max, handler));
  };
  const std::string_view user = kUserScope;
  const size_t body = kWalletBodyBytesMax;
  add(http::verb::post, "/v1/auth/otp", "", body, request_otp);
  add(http::verb::post, "/v1/auth/pin-reset", "", body, reset_pin);
  add(http::verb::post, "/v1/users", "", body, sign_up);
  add(http::verb::post, "/v1/sessions", "", body, open_session);
  add(http::verb::get, "/v1/me", user, 0, get_me);
  add(http::verb::post, "/v1/me/pin", user, body, change_pin);
  add(http::verb::get, "/v1/me/wallet", user, 0, get_wallet);
  add(http::verb::get, "/v1/me/transactions", user, 0, get_transactions).query_parameters = {
      "limit", "cursor", "type", "from", "to"};  // decode_transaction_query
  add(http::verb::post, "/v1/me/kyc", user, body, submit_kyc);
  add(http::verb::post, "/v1/me/bank-accounts", user, body, link_bank_account);
  add(http::verb::get, "/v1/me/bank-accounts", user, 0, list_bank_accounts);
  add(http::verb::post, "/v1/me/top-ups", user, body, [](WalletContext& w, HttpRequest& r, Responder d) {
    start_bank_order(w, BankOrderKind::top_up, r, std::move(d));
  });
  add(http::verb::get, "/v1/me/top-ups/{id}", user, 0, [](WalletContext& w, HttpRequest& r, Responder d) {
    get_bank_order(w, BankOrderKind::top_up, r, std::move(d));
  });
  add(http::verb::post, "/v1/me/withdrawals", user, body, [](WalletContext& w, HttpRequest& r, Responder d) {
    start_bank_order(w, BankOrderKind::withdrawal, r, std::move(d));
  });
  add(http::verb::get, "/v1/me/withdrawals/{id}", user, 0, [](WalletContext& w, HttpRequest& r, Responder d) {
    get_bank_order(w, BankOrderKind::withdrawal, r, std::move(d));
  });
  add(http::verb::post, "/v1/transfers", user, body, send_transfer);
  add(http::verb::get, "/v1/admin/users", kOperatorScope, 0, admin_find_users).query_parameters = {
      "phone"};
  add(http::verb::post, "/v1/admin/users/{id}/freeze", kOperatorScope, body,
      [](WalletContext& w, HttpRequest& r, Responder d) { admin_set_frozen(w, true, r, std::move(d)); });
  add(http::verb::post, "/v1/admin/users/{id}/unfreeze", kOperatorScope, body,
      [](WalletContext& w, HttpRequest& r, Responder d) { admin_set_frozen(w, false, r, std::move(d)); });

  // Logout needs the token itself, which only the I/O thread can read (the request's headers).
  Route logout;
  logout.method = http::verb::delete_;
  logout.pattern = "/v1/sessions/current";
  logout.scope = std::string(user);
  logout.handler = [&wallet, &pool](HttpRequest& request, Responder respond) {
    std::optional<std::string> token = bearer_token(request);
    pool.post([&wallet, token, respond = std::move(respond)] {
      Status closed = wallet::close_session(wallet, token.value_or(""));
      if (!closed.ok()) return respond(failure(closed.error()));
      respond(HttpResponse{204, "application/json", "", {}});
    });
  };
  router.add(std::move(logout));
}

}  // namespace mpay::api
