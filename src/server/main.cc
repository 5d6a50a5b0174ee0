// mpayd: the mpay server. Wiring only: data directory, store, ledger, wallet, merchants, metrics,
// HTTP, signals.
//
//   mpayd [--data DIR] [--listen HOST:PORT] [--log-level LEVEL] [--config FILE] [--keys DIR] [--currency CODE]
//         [--ledger-mode journal|plain] [--sandbox-bank-latency-ms N]
//         [--sandbox-bank-timeout-ms N] [--otp-per-address-per-hour N]
//         [--public-url URL] [--payment-code-limit AMOUNT]
//         [--webhook-private-networks auto|allow|refuse] [--webhook-https-only] [--webhook-...]
//
// Defaults: ./data and 127.0.0.1:8080; zero configuration (SQLite files are created under DIR,
// server keys under DIR/keys unless --keys names another place).
// On start it prints one line "mpayd listening on http://HOST:PORT" (tests read the port from it
// when started with port 0). SIGTERM or SIGINT: stop accepting, finish requests in flight, drain
// the ledger, write a snapshot, exit 0. A store failure exits with status 3 (fail-stop).
#include <CLI/CLI.hpp>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "api/api_routes.h"
#include "api/blocking_pool.h"
#include "api/http_metrics.h"
#include "api/http_server.h"
#include "api/idempotency.h"
#include "api/ledger_metrics.h"
#include "api/ledger_routes.h"
#include "api/metrics.h"
#include "api/operator_auth.h"
#include "api/request_metrics.h"
#include "api/router.h"
#include "api/user_auth.h"
#include "api/webhook_metrics.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/random.h"
#include "ledger/ledger.h"
#include "notify/webhooks/beast_webhook_transport.h"
#include "notify/webhooks/webhook_dispatcher.h"
#include "notify/webhooks/webhook_outbox.h"
#include "server/listen_address.h"
#include "server/merchant_profiles.h"
#include "server/merchant_service.h"
#include "server/operator_token.h"
#include "server/payment_webhooks.h"
#include "server/qr_service.h"
#include "server/request_service.h"
#include "server/wallet_config_file.h"
#include "server/wallet_service.h"
#include "server/webhook_network_mode.h"
#include "store/data_directory_lock.h"
#include "store/sqlite/sqlite_idempotency_store.h"
#include "store/sqlite/sqlite_ledger_storage.h"

namespace {

int fail(const char* what, const mpay::Error& error) {
  spdlog::critical("mpayd: {}: {}: {}", what, error.code, error.message);
  return 1;
}

struct ServerConfig {
  std::string data = "./data";
  std::string listen = "127.0.0.1:8080";
  std::string keys;  // empty: DATA/keys
  std::string ledger_mode = "journal";
  mpay::server::WalletServiceOptions wallet;
  unsigned blocking_threads = 32;
  unsigned http_threads = 0;  // 0: half the cores, at least one (api::http_worker_threads)
  int64_t webhook_retry_base_ms = 10'000;  // first retry of a failed webhook delivery
  // Webhook sending (notify/webhooks/webhook_dispatcher.h has the defaults and the limits).
  size_t webhook_concurrency = mpay::notify::webhooks::DispatcherOptions{}.concurrency;
  size_t webhook_threads = mpay::notify::webhooks::DispatcherOptions{}.threads;
  int64_t webhook_timeout_ms =
      mpay::notify::webhooks::DispatcherOptions{}.attempt_timeout_ns / 1'000'000;
  std::string phone_bill_allowance = "500.00";  // per user and month, in the wallets' currency
  bool refunds_return_fee = true;
  int64_t archive_requests_after_s = mpay::server::RequestServiceOptions{}.archive_after_s;
  int64_t authorization_ttl_s = mpay::requests::RequestOptions{}.authorization_ttl_s;
  std::string webhook_ca_file;             // extra CA certificates for https webhook URLs
  std::string webhook_private_networks{mpay::server::kPrivateNetworksAuto};
  bool webhook_https_only = false;
  // Nice value of the webhook threads (feed, outbox writer, scheduler, senders): deliveries yield
  // the CPU to payments (docs/performance.md measured 10 against 0, 5, 15 and 19).
  int webhook_nice = 10;
  std::string public_url;                  // where phones reach mpayd; default http://LISTEN
  std::string payment_code_limit = "1000.00";  // payment codes without confirmation, at most
};

// "plain": every submission (a transfer; a payment's transfers with their status event) is its own
// batch and its own SQLite transaction, committed before the next starts: the way a service without group commit works, kept for side-by-side benchmarks.
mpay::ledger::LedgerOptions ledger_options_for(const std::string& mode) {
  mpay::ledger::LedgerOptions options;
  if (mode == "plain") {
    // One submission (a transfer, or a payment's chain with its status event) per batch.
    options.submission_events_max = 16;
    options.batch_events_max = 16;
    options.batch_submissions_max = 1;
    options.pipeline_depth = 1;
  }
  return options;
}

int run(const ServerConfig& config) {
  const std::string& data = config.data;
  auto address = mpay::server::parse_listen_address(config.listen);
  if (!address.ok()) return fail("--listen", address.error());

  // Block the stop signals in every thread; main waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto lock = mpay::store::DataDirectoryLock::acquire(data);
  if (!lock.ok()) return fail("data directory", lock.error());
  mpay::SystemClock clock;
  mpay::SystemRandom random;
  auto token = mpay::server::load_or_create_operator_token(data, random);
  if (!token.ok()) return fail("operator token", token.error());

  auto storage = mpay::store::sqlite::SqliteLedgerStorage::open({data}, clock);
  if (!storage.ok()) return fail("store", storage.error());
  // Declared before the ledger: closing the ledger completes requests, which store their
  // idempotent responses.
  auto idempotency = mpay::store::sqlite::SqliteIdempotencyStore::open(data, clock);
  if (!idempotency.ok()) return fail("idempotency store", idempotency.error());
  mpay::api::IdempotencyExpirer expirer(**idempotency, clock);
  mpay::api::MetricsRegistry metrics;
  mpay::ledger::LedgerOptions ledger_options = ledger_options_for(config.ledger_mode);
  ledger_options.on_commit = mpay::api::ledger_commit_observer(metrics);
  auto ledger = mpay::ledger::Ledger::open(std::move(ledger_options), **storage, clock);
  if (!ledger.ok()) return fail("ledger", ledger.error());
  mpay::api::add_ledger_metrics(metrics, **ledger);

  mpay::UuidV7Generator ids(clock, random);
  mpay::server::WalletServiceOptions wallet_options = config.wallet;
  wallet_options.data_directory = data;
  wallet_options.keys_directory = config.keys.empty() ? data + "/keys" : config.keys;
  auto wallet = mpay::server::WalletService::open(wallet_options, **ledger, clock, random, ids);
  if (!wallet.ok()) return fail("wallet", wallet.error());
  const mpay::notify::webhooks::WebhookNetworkPolicy webhook_policy =
      mpay::server::webhook_network_policy(config.webhook_private_networks, *address,
                                           config.webhook_https_only);
  spdlog::info("mpayd: webhook network policy: {}",
               mpay::server::describe(webhook_policy, config.webhook_private_networks));
  mpay::server::MerchantServiceOptions merchant_options;
  merchant_options.data_directory = data;
  merchant_options.webhook_url_policy = [webhook_policy](std::string_view url) {
    return mpay::notify::webhooks::check_webhook_url_policy(url, webhook_policy);
  };
  auto merchants = mpay::server::MerchantService::open(merchant_options, **ledger, (*wallet)->context(), clock,
                                                       random, ids);
  if (!merchants.ok()) return fail("merchants", merchants.error());
  if (size_t refused = mpay::server::merchants_with_refused_webhook_urls((*merchants)->directory(),
                                                                         webhook_policy);
      refused > 0) {
    spdlog::warn(
        "mpayd: {} merchant(s) have a webhook URL the webhook network policy refuses; their "
        "deliveries fail (address_refused or https_required) until the URL or the policy changes",
        refused);
  }
  // Webhooks: the durable outbox (DATA/webhooks.db), its dispatcher, and the feed from payment
  // requests into it. Opened before the requests, which republish recent changes at start.
  mpay::notify::webhooks::OutboxOptions outbox_options;
  outbox_options.writer_nice = config.webhook_nice;
  auto webhook_outbox =
      mpay::notify::webhooks::WebhookOutbox::open(data, clock, ids, outbox_options);
  if (!webhook_outbox.ok()) return fail("webhooks", webhook_outbox.error());
  mpay::server::MerchantWebhookEndpoints webhook_endpoints((*merchants)->directory());
  // As many kept connections per sending thread as it may run sequences at once.
  mpay::notify::webhooks::BeastWebhookTransport webhook_transport(
      config.webhook_ca_file,
      std::max(mpay::notify::webhooks::kIdleConnectionsPerThreadMax, config.webhook_concurrency),
      webhook_policy);
  mpay::notify::webhooks::DispatcherOptions dispatcher_options;
  dispatcher_options.retry.base_ns = config.webhook_retry_base_ms * 1'000'000;
  dispatcher_options.thread_nice = config.webhook_nice;
  dispatcher_options.concurrency = config.webhook_concurrency;
  dispatcher_options.threads = config.webhook_threads;
  dispatcher_options.attempt_timeout_ns = config.webhook_timeout_ms * 1'000'000;
  mpay::notify::webhooks::WebhookDispatcher webhook_dispatcher(
      **webhook_outbox, webhook_endpoints, webhook_transport, clock, random, dispatcher_options);
  (*webhook_outbox)->set_on_new_work([&webhook_dispatcher] { webhook_dispatcher.wake(); });
  (*webhook_outbox)
      ->set_on_fresh_work(
          [&webhook_dispatcher](std::vector<mpay::notify::webhooks::DueDelivery> fresh) {
            webhook_dispatcher.offer(std::move(fresh));
          });
  mpay::api::add_webhook_metrics(metrics, **webhook_outbox, webhook_dispatcher);
  mpay::server::PaymentWebhookFeed webhook_feed(**webhook_outbox, (*wallet)->context().currency,
                                                config.webhook_nice);

  mpay::server::MerchantProfiles merchant_profiles((*merchants)->directory());
  mpay::server::RequestServiceOptions request_options;
  request_options.data_directory = data;
  request_options.requests.refund_returns_fee = config.refunds_return_fee;
  request_options.archive_after_s = config.archive_requests_after_s;
  request_options.requests.authorization_ttl_s = config.authorization_ttl_s;
  auto allowance = mpay::parse_amount(config.phone_bill_allowance, (*wallet)->context().currency);
  if (!allowance.ok()) return fail("--phone-bill-allowance", allowance.error());
  request_options.requests.phone_bill_monthly_allowance_minor = *allowance;
  // Far enough back to cover events that were only in the outbox's fresh lane at a crash.
  auto newest_event = (*webhook_outbox)->newest_event_at_ns();
  if (!newest_event.ok()) return fail("webhooks", newest_event.error());
  request_options.republish_window_ns =
      mpay::server::republish_window_ns(clock.now_ns(), *newest_event);
  if (request_options.republish_window_ns > mpay::server::kRepublishWindowMin) {
    spdlog::info(
        "webhooks: republishing {} hours of payment-request changes (the outbox's newest "
        "event is older than a day)",
        request_options.republish_window_ns / 3'600'000'000'000LL);
  }
  auto payment_requests = mpay::server::RequestService::open(request_options, **wallet,
                                                             merchant_profiles, webhook_feed.listener());
  if (!payment_requests.ok()) return fail("payment requests", payment_requests.error());
  // Sending starts once the start's republish is stored: a subject a crash left without its
  // in-flight event gets that event back in front, however long the start took. Payments need
  // not wait for that: the HTTP server starts meanwhile, and new webhooks queue until then.
  std::jthread webhook_starter([&webhook_feed, &webhook_dispatcher] {
    webhook_feed.wait_until_handed_over();
    webhook_dispatcher.start();
  });
  mpay::api::add_payment_request_metrics(metrics, (*payment_requests)->context().book);
  mpay::server::QrServiceOptions qr_options;
  qr_options.data_directory = data;
  auto code_limit = mpay::parse_amount(config.payment_code_limit, (*wallet)->context().currency);
  if (!code_limit.ok()) return fail("--payment-code-limit", code_limit.error());
  qr_options.qr.payment_code_limit_minor = *code_limit;
  auto qr = mpay::server::QrService::open(qr_options, **wallet, **payment_requests);
  if (!qr.ok()) return fail("qr", qr.error());
  // Declared after the wallet, so destroyed before it: no handler outlives what it uses.
  auto blocking = std::make_unique<mpay::api::BlockingPool>(config.blocking_threads);

  mpay::api::Router router;
  mpay::api::add_all_routes(router, {**ledger, ids, metrics, **idempotency, clock, &(*wallet)->context(),
                                     blocking.get(), &(*merchants)->context(),
                                     &(*payment_requests)->context(), webhook_outbox->get(),
                                     &(*qr)->context()});
  mpay::api::HttpMetrics http_metrics(metrics, router);
  mpay::api::HttpServerOptions http_options;
  http_options.listen_address = address->host;
  http_options.port = address->port;
  http_options.body_bytes_max = mpay::api::kLedgerBodyBytesMax;
  http_options.threads = config.http_threads;
  mpay::api::OperatorTokenAuthorizer operators(*token);
  mpay::api::MerchantAuthorizer merchant_authorizer((*merchants)->verifier());
  mpay::api::CallerAuthorizer authorizer(operators, (*wallet)->context(), &merchant_authorizer);
  mpay::api::HttpServer server(http_options, router, std::ref(authorizer));
  server.set_observer(http_metrics.observer());
  // Before the port is known (port 0), codes' URLs name the configured address.
  (*qr)->set_public_base_url(config.public_url.empty() ? "http://" + config.listen : config.public_url);
  mpay::Status started = server.start();
  if (!started.ok()) return fail("http", started.error());
  if (config.public_url.empty()) {
    (*qr)->set_public_base_url("http://" + address->host + ":" + std::to_string(server.port()));
  }

  std::printf("mpayd listening on http://%s:%u (data: %s; operator token in %s/operator-token)\n",
              address->host.c_str(), server.port(), data.c_str(), data.c_str());
  std::fflush(stdout);
  spdlog::info("mpayd: serving on {}:{}", address->host, server.port());

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("mpayd: signal {} received, shutting down", signal_number);
  server.stop();
  blocking.reset();         // requests handed to blocking threads finish
  (*payment_requests)->shutdown();  // no more expiries
  (*wallet)->shutdown();    // the bank answers what is in flight; the answers are booked
  (*ledger)->close();
  webhook_feed.stop();      // the last changes reach the outbox
  webhook_starter.join();
  webhook_dispatcher.stop();
  spdlog::info("mpayd: stopped cleanly");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mpayd: the mpay mobile payment platform server"};
  ServerConfig config;
  std::string log_level = "info";
  std::string config_file;
  app.add_option("--config", config_file,
                 "TOML file with the wallet's settings (limits per KYC level, OTP and PIN rules); "
                 "options given on the command line win")
      ->check(CLI::ExistingFile);
  app.add_option("--data", config.data, "data directory (created if missing)")->capture_default_str();
  app.add_option("--listen", config.listen, "HOST:PORT to serve HTTP on (port 0 = any free port)")
      ->capture_default_str();
  app.add_option("--keys", config.keys,
                 "directory of the server keys (PIN, personal data, lookup, token); default DATA/keys. "
                 "Keep it out of database backups");
  app.add_option("--currency", config.wallet.wallet.currency, "the wallets' ISO 4217 currency")
      ->capture_default_str();
  app.add_option("--ledger-mode", config.ledger_mode,
                 "journal (group commit) or plain (one SQLite transaction per transfer, for benchmarks)")
      ->check(CLI::IsMember({"journal", "plain"}))
      ->capture_default_str();
  app.add_option("--sandbox-bank-latency-ms", config.wallet.bank_latency_ms,
                 "how long the sandbox bank takes to answer")
      ->check(CLI::Range(0u, 60'000u))
      ->capture_default_str();
  app.add_option("--sandbox-bank-timeout-ms", config.wallet.bank_answer_timeout_ms,
                 "when an unanswered bank order counts as timed out")
      ->check(CLI::Range(1u, 600'000u))
      ->capture_default_str();
  app.add_option("--otp-per-address-per-hour", config.wallet.wallet.otp_per_address_per_hour,
                 "one-time codes one client address may request per hour")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  app.add_option("--phone-bill-allowance", config.phone_bill_allowance,
                 "what one user may charge to the phone bill per calendar month (UTC), a decimal "
                 "amount of the wallets' currency")
      ->capture_default_str();
  app.add_option("--refunds-return-fee", config.refunds_return_fee,
                 "refunds give the merchant its fee back in proportion (true) or not (false)")
      ->capture_default_str();
  app.add_option("--authorization-ttl-s", config.authorization_ttl_s,
                 "seconds a manual-capture authorization holds the payer's money; not captured by "
                 "then, it is voided and the money released")
      ->check(CLI::Range(int64_t{1}, int64_t{30LL * 86400}))
      ->capture_default_str();
  app.add_option("--archive-requests-after-s", config.archive_requests_after_s,
                 "seconds a payment request stays in memory once final (and with no refund "
                 "pending) before it moves to the archive in mpay.db; 0 keeps every request in "
                 "memory")
      ->check(CLI::Range(int64_t{0}, int64_t{400LL * 86400}))
      ->capture_default_str();
  app.add_option("--webhook-retry-base-ms", config.webhook_retry_base_ms,
                 "wait before the first retry of a failed webhook delivery (then doubling, at most 1 h)")
      ->check(CLI::Range(int64_t{1}, int64_t{3'600'000}))
      ->capture_default_str();
  app.add_option("--webhook-concurrency", config.webhook_concurrency,
                 "webhook attempts in flight at once, over all merchants")
      ->check(CLI::Range(size_t{1}, mpay::notify::webhooks::kConcurrencyMax))
      ->capture_default_str();
  app.add_option("--webhook-threads", config.webhook_threads,
                 "threads that send webhooks (the first takes the merchants that answer, the "
                 "others the slow ones; at most --webhook-concurrency are used)")
      ->check(CLI::Range(size_t{1}, size_t{64}))
      ->capture_default_str();
  app.add_option("--webhook-timeout-ms", config.webhook_timeout_ms,
                 "how long one webhook attempt may take before it counts as failed and is retried")
      ->check(CLI::Range(int64_t{100}, int64_t{120'000}))
      ->capture_default_str();
  app.add_option("--webhook-ca-file", config.webhook_ca_file,
                 "PEM file of extra CA certificates trusted for https webhook URLs")
      ->check(CLI::ExistingFile);
  app.add_option("--webhook-private-networks", config.webhook_private_networks,
                 "whether webhooks may go to loopback, private, link-local and other special-"
                 "purpose addresses: refuse, allow, or auto (allow only while --listen is "
                 "loopback); see docs/webhooks.md")
      ->check(CLI::IsMember({std::string(mpay::server::kPrivateNetworksAuto),
                             std::string(mpay::server::kPrivateNetworksAllow),
                             std::string(mpay::server::kPrivateNetworksRefuse)}))
      ->capture_default_str();
  app.add_flag("--webhook-https-only", config.webhook_https_only,
               "refuse http:// webhook URLs (at onboarding, and at sending for URLs set before)");
  app.add_option(
         "--webhook-nice", config.webhook_nice,
         "nice value of the webhook threads, 0 (like payments) .. 19: deliveries take the CPU "
         "time payments leave and catch up after a burst")
      ->check(CLI::Range(0, 19))
      ->capture_default_str();
  app.add_option("--public-url", config.public_url,
                 "the base URL phones reach mpayd at, for the URL form of QR codes "
                 "(<url>/q/<token>); default http://LISTEN");
  app.add_option("--payment-code-limit", config.payment_code_limit,
                 "the most a till may charge a user's payment code without the user confirming in "
                 "the app, a decimal amount of the wallets' currency; users may set less")
      ->capture_default_str();
  app.add_option("--blocking-threads", config.blocking_threads,
                 "threads for requests that wait on storage, the bank or KYC")
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  app.add_option("--http-threads", config.http_threads,
                 "threads that read requests and write answers; 0 = half the cores, at least one")
      ->check(CLI::Range(0u, 256u))
      ->capture_default_str();
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  // The file first, then the command line again so that its options override the file's.
  CLI11_PARSE(app, argc, argv);
  if (!config_file.empty()) {
    mpay::Status loaded = mpay::server::load_wallet_config(config_file, config.wallet.wallet);
    if (!loaded.ok()) {
      std::fprintf(stderr, "mpayd: --config: %s: %s\n", loaded.error().code.c_str(), loaded.error().message.c_str());
      return 2;
    }
    CLI11_PARSE(app, argc, argv);
  }
  // Logs go to stderr; stdout carries only the "listening on" line.
  spdlog::set_default_logger(spdlog::stderr_color_mt("mpayd"));
  spdlog::set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
  spdlog::set_level(spdlog::level::from_str(log_level));
  return run(config);
}
