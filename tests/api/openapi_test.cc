// docs/openapi.yaml against mpayd's whole route table (add_all_routes): every route is documented,
// every documented operation exists, every POST is idempotent and documents Idempotency-Key, and
// public routes (scope "") are exactly those the document marks `security: []`.
//
// A module that adds routes needs nothing here: it adds them through add_all_routes, and this
// test fails until docs/openapi.yaml describes them.
//
// The document is read with a small line-based parser of its `paths:` section (two-space
// indentation: paths at column 2, methods at column 4, their contents deeper), which is all
// this comparison needs and keeps YAML libraries out of the build.
#include "api/openapi.h"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "api/api_routes.h"
#include "api/idempotency_store.h"
#include "api/payment_request_json.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/random.h"
#include "ledger/ledger.h"
#include "notify/webhooks/webhook_outbox.h"
#include "server/merchant_profiles.h"
#include "server/merchant_service.h"
#include "server/qr_service.h"
#include "server/request_service.h"
#include "support/temp_directory.h"
#include "support/wallet_stack.h"

namespace mpay::api {
namespace {

const std::set<std::string> kHttpMethods = {"get", "put", "post", "delete",
                                            "options", "head", "patch", "trace"};

// One operation of the document: "post /v1/ledger/transfers" and its indented lines.
using Operations = std::map<std::string, std::vector<std::string>>;

size_t indentation(const std::string& line) {
  size_t spaces = line.find_first_not_of(' ');
  return spaces == std::string::npos ? line.size() : spaces;
}

bool is_blank_or_comment(const std::string& line) {
  size_t first = line.find_first_not_of(' ');
  return first == std::string::npos || line[first] == '#';
}

// "  /v1/x:" -> "/v1/x"; "    post:" -> "post"; quotes around keys are allowed.
std::string key_of(const std::string& line) {
  std::string key = line.substr(indentation(line));
  if (!key.empty() && key.back() == ':') key.pop_back();
  if (key.size() >= 2 && (key.front() == '\'' || key.front() == '"') && key.back() == key.front()) {
    key = key.substr(1, key.size() - 2);
  }
  return key;
}

Operations parse_operations(std::string_view document) {
  Operations operations;
  std::istringstream in{std::string(document)};
  std::string line;
  bool in_paths = false;
  std::string path;
  std::string operation;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (is_blank_or_comment(line)) continue;
    size_t indent = indentation(line);
    if (indent == 0) {
      in_paths = line == "paths:";
      path.clear();
      operation.clear();
      continue;
    }
    if (!in_paths) continue;
    if (indent == 2) {
      path = key_of(line);
      operation.clear();
      EXPECT_TRUE(path.starts_with("/")) << "not a path under paths: " << line;
    } else if (indent == 4) {
      std::string method = key_of(line);
      operation.clear();
      if (kHttpMethods.count(method) == 0) continue;  // parameters, summary, ... of the path
      operation = method + " " + path;
      EXPECT_EQ(operations.count(operation), 0u) << "documented twice: " << operation;
      operations[operation];
    } else if (!operation.empty()) {
      operations[operation].push_back(line.substr(indent));
    }
  }
  return operations;
}

bool has_line(const std::vector<std::string>& lines, std::string_view wanted) {
  for (const std::string& line : lines) {
    if (line == wanted) return true;
  }
  return false;
}

// The names of the operation's `in: query` parameters ("- name: limit" then "in: query").
std::set<std::string> query_parameters_of(const std::vector<std::string>& lines) {
  std::set<std::string> names;
  constexpr std::string_view kName = "- name: ";
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].starts_with(kName) && lines[i + 1] == "in: query") {
      names.insert(lines[i].substr(kName.size()));
    }
  }
  return names;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// mpayd's route table, built exactly as the server builds it (on a ledger in a temporary
// directory). Members are destroyed in reverse order: the router before the ledger it refers to.
class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(stack_.ok()) << stack_.error();
    server::MerchantServiceOptions options;
    options.data_directory = directory_.path();
    auto merchants = server::MerchantService::open(options, stack_.ledger(), stack_.wallet(), clock_,
                                                   random_, ids_);
    ASSERT_TRUE(merchants.ok()) << merchants.error().message;
    merchants_ = std::move(*merchants);
    profiles_ = std::make_unique<server::MerchantProfiles>(merchants_->directory());
    server::RequestServiceOptions request_options;
    request_options.data_directory = directory_.path();
    request_options.sweep_interval_ms = 0;
    auto requests = server::RequestService::open(request_options, stack_.service(), *profiles_, nullptr);
    ASSERT_TRUE(requests.ok()) << requests.error().message;
    requests_ = std::move(*requests);
    auto webhooks = notify::webhooks::WebhookOutbox::open(directory_.path(), clock_, ids_);
    ASSERT_TRUE(webhooks.ok()) << webhooks.error().message;
    webhooks_ = std::move(*webhooks);
    server::QrServiceOptions qr_options;
    qr_options.data_directory = directory_.path();
    auto qr = server::QrService::open(qr_options, stack_.service(), *requests_);
    ASSERT_TRUE(qr.ok()) << qr.error().message;
    qr_ = std::move(*qr);
    add_all_routes(router_, {stack_.ledger(), ids_, metrics_, idempotency_, clock_, &stack_.wallet(), &blocking_,
                             &merchants_->context(), &requests_->context(), webhooks_.get(),
                             &qr_->context()});
    for (const Route& route : router_.routes()) {
      std::string method(boost::beast::http::to_string(route.method));
      routes_[lower(method) + " " + route.pattern] = &route;
    }
    operations_ = parse_operations(openapi_document());
  }
  testing::TempDirectory directory_;
  SystemClock clock_;
  SeededRandom random_{1};
  UuidV7Generator ids_{clock_, random_};
  MetricsRegistry metrics_;
  InMemoryIdempotencyStore idempotency_;
  testing::WalletStack stack_{directory_.path(), clock_, random_, ids_};
  std::unique_ptr<server::MerchantService> merchants_;
  std::unique_ptr<server::MerchantProfiles> profiles_;
  std::unique_ptr<server::RequestService> requests_;
  std::unique_ptr<notify::webhooks::WebhookOutbox> webhooks_;
  std::unique_ptr<server::QrService> qr_;
  BlockingPool blocking_{1};
  Router router_;
  std::map<std::string, const Route*> routes_;
  Operations operations_;
};

TEST_F(OpenApiTest, EveryRouteIsDocumented) {
  ASSERT_FALSE(routes_.empty());
  for (const auto& [operation, route] : routes_) {
    EXPECT_EQ(operations_.count(operation), 1u)
        << operation << " is in the route table but not in docs/openapi.yaml";
  }
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsARoute) {
  ASSERT_FALSE(operations_.empty());
  for (const auto& [operation, lines] : operations_) {
    EXPECT_EQ(routes_.count(operation), 1u)
        << operation << " is in docs/openapi.yaml but not in the route table (add_all_routes)";
  }
}

TEST_F(OpenApiTest, TheLedgerOperationsAndTheServiceRoutesAreThere) {
  for (const char* expected :
       {"get /healthz", "post /v1/ledger/accounts", "post /v1/ledger/transfers",
        "get /v1/ledger/accounts/{id}", "get /v1/ledger/transfers/{id}",
        "get /v1/ledger/accounts/{id}/transfers", "get /metrics", "get /v1/openapi.yaml"}) {
    EXPECT_EQ(routes_.count(expected), 1u) << expected;
    EXPECT_EQ(operations_.count(expected), 1u) << expected;
  }
}

TEST_F(OpenApiTest, EveryPostIsIdempotentAndDocumentsTheIdempotencyKey) {
  for (const auto& [operation, route] : routes_) {
    if (route->method != boost::beast::http::verb::post) continue;
    EXPECT_TRUE(route->idempotent) << operation << ": every POST must set Route::idempotent";
    auto documented = operations_.find(operation);
    if (documented == operations_.end()) continue;  // reported by EveryRouteIsDocumented
    EXPECT_TRUE(has_line(documented->second, "- $ref: '#/components/parameters/IdempotencyKey'"))
        << operation << " does not document the Idempotency-Key header";
  }
}

// The server refuses any query parameter a route does not declare (Route::query_parameters), so
// the document lists exactly those: a client that follows it never sends one that is refused, and
// none that the server reads is undocumented.
TEST_F(OpenApiTest, EachRouteDocumentsExactlyTheQueryParametersItTakes) {
  for (const auto& [operation, route] : routes_) {
    auto documented = operations_.find(operation);
    if (documented == operations_.end()) continue;
    std::set<std::string> in_document = query_parameters_of(documented->second);
    if (route->query_ignored) {
      EXPECT_TRUE(in_document.empty()) << operation << " reads no query parameter";
      continue;
    }
    std::set<std::string> declared(route->query_parameters.begin(), route->query_parameters.end());
    EXPECT_EQ(declared.size(), route->query_parameters.size())
        << operation << " declares a name twice";
    EXPECT_EQ(in_document, declared) << operation;
  }
}

TEST_F(OpenApiTest, PublicRoutesAreExactlyThoseWithoutSecurity) {
  for (const auto& [operation, route] : routes_) {
    auto documented = operations_.find(operation);
    if (documented == operations_.end()) continue;
    EXPECT_EQ(route->scope.empty(), has_line(documented->second, "security: []"))
        << operation << ": scope \"" << route->scope
        << "\"; public routes say `security: []`, the others inherit the bearer scheme";
  }
}

TEST(OpenApiDocument, IsOpenApi3WithBearerSecurityAndTheErrorSchema) {
  std::string_view document = openapi_document();
  EXPECT_TRUE(document.starts_with("openapi: 3.0.")) << document.substr(0, 40);
  for (const char* expected : {"\nsecurity:\n  - operatorToken: []\n", "      scheme: bearer\n",
                               "    Error:\n", "    IdempotencyKey:\n",
                               "      name: Idempotency-Key\n", "\ncomponents:\n"}) {
    EXPECT_NE(document.find(expected), std::string_view::npos) << expected;
  }
}

TEST(OpenApiDocument, TheCompiledDocumentIsTheOneInTheRepository) {
  std::ifstream file(MPAY_OPENAPI_YAML, std::ios::binary);
  ASSERT_TRUE(file) << MPAY_OPENAPI_YAML;
  std::string on_disk((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(openapi_document(), on_disk);
}

// The description of an operation's response `status` (its line and any continuation lines), or
// "" when the operation documents no such response.
std::string response_description(const std::vector<std::string>& lines, unsigned status) {
  std::string wanted = "'" + std::to_string(status) + "':";
  std::string text;
  bool in_status = false;
  for (const std::string& line : lines) {
    if (line.starts_with("'")) {
      if (in_status) break;
      in_status = line == wanted;
    } else if (in_status && !line.starts_with("content:") && !line.starts_with("application/") &&
               !line.starts_with("schema:") && !line.starts_with("$ref:")) {
      text += line + " ";
    }
  }
  return text;
}

// Error codes appear under the status the server answers them with (payment_request_error_status):
// e.g. a zero amount reads fine and is refused by rule (422, as in the wallet API), a revoked
// mandate is a state (409, as on POST /v1/me/mandates/{id}/revoke).
TEST(OpenApiDocument, PaymentRequestCodesAreListedUnderTheStatusTheServerAnswers) {
  Operations operations = parse_operations(openapi_document());
  struct Case {
    const char* operation;
    const char* code;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"post /v1/payment-requests", "amount_zero"},
           {"post /v1/payment-requests", "mandate_revoked"},
           {"post /v1/payment-requests", "mandate_mismatch"},
           {"post /v1/payment-requests", "mandate_per_charge_exceeded"},
           {"post /v1/payment-requests", "payer_pending_limit"},
           {"post /v1/payment-requests", "service_busy"},
           {"post /v1/payment-requests", "merchant_reference_taken"},
           {"post /v1/payment-requests/{id}/capture", "amount_zero"},
           {"post /v1/payment-requests/{id}/capture", "capture_amount_invalid"},
           {"post /v1/payment-requests/{id}/capture", "payment_request_not_authorized"},
           {"post /v1/payment-requests/{id}/cancel", "payment_request_expired"},
           {"post /v1/me/payment-requests/{id}/decline", "payment_request_expired"},
           {"post /v1/payment-requests/{id}/refunds", "amount_zero"},
           {"post /v1/me/mandates", "amount_zero"},
           {"post /v1/me/mandates/{id}/revoke", "mandate_revoked"},
           // Every route that takes an amount refuses one above the maximum (core/amount_limit.h).
           {"post /v1/payment-requests", "amount_too_large"},
           {"post /v1/payment-requests/{id}/capture", "amount_too_large"},
           {"post /v1/payment-requests/{id}/refunds", "amount_too_large"},
           {"post /v1/me/mandates", "amount_too_large"},
           {"post /v1/transfers", "amount_too_large"},
           {"post /v1/me/top-ups", "amount_too_large"},
           {"post /v1/me/withdrawals", "amount_too_large"},
           {"post /v1/qr/merchant-codes", "amount_too_large"},
           {"post /v1/payment-codes/charge", "amount_too_large"},
           {"post /v1/me/qr/scan", "amount_too_large"},
       }) {
    ASSERT_EQ(operations.count(c.operation), 1u) << c.operation;
    unsigned status = payment_request_error_status(c.code);
    EXPECT_NE(response_description(operations[c.operation], status).find(c.code), std::string::npos)
        << c.operation << ": " << c.code << " is not listed under " << status;
  }
}

TEST(OpenApiParser, ReadsPathsMethodsAndStopsAtTheNextSection) {
  Operations operations = parse_operations(
      "openapi: 3.0.3\n"
      "paths:\n"
      "  # a comment\n"
      "  /a/{id}:\n"
      "    parameters: []\n"
      "    get:\n"
      "      security: []\n"
      "\n"
      "    post:\n"
      "      summary: x\n"
      "  '/b':\n"
      "    delete:\n"
      "components:\n"
      "  /not-a-path:\n"
      "    get:\n");
  ASSERT_EQ(operations.size(), 3u);
  EXPECT_TRUE(has_line(operations["get /a/{id}"], "security: []"));
  EXPECT_TRUE(has_line(operations["post /a/{id}"], "summary: x"));
  EXPECT_EQ(operations.count("delete /b"), 1u);
}

}  // namespace
}  // namespace mpay::api
