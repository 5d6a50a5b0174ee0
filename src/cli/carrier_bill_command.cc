#include "cli/carrier_bill_command.h"

#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/operator_client.h"

namespace mpay::cli {
namespace {

struct CarrierBillOptions {
  std::string server = "http://127.0.0.1:8080";
  std::string data = "./data";
  std::string carrier;
  std::string month;
  std::string out;
};

int run(const CarrierBillOptions& options) {
  Result<OperatorClient> client = OperatorClient::open(options.server, options.data);
  if (!client.ok()) {
    std::fprintf(stderr, "mpay carrier-bill: %s: %s\n", client.error().code.c_str(),
                 client.error().message.c_str());
    return 1;
  }
  Result<ServerReply> reply =
      client->send({"GET", "/v1/admin/carrier-bills/" + options.carrier + "/" + options.month, "", ""});
  if (!reply.ok()) {
    std::fprintf(stderr, "mpay carrier-bill: %s: %s\n", reply.error().code.c_str(),
                 reply.error().message.c_str());
    return 1;
  }
  if (reply->status != 200) {
    nlohmann::json error = nlohmann::json::parse(reply->body, nullptr, false);
    std::string code = error.is_object() && error.contains("error") ? error["error"].value("code", "") : "";
    std::string message = error.is_object() && error.contains("error") ? error["error"].value("message", "") : reply->body;
    std::fprintf(stderr, "mpay carrier-bill: the server answered %u %s: %s\n", reply->status,
                 code.c_str(), message.c_str());
    return 1;
  }
  if (options.out.empty()) {
    std::fwrite(reply->body.data(), 1, reply->body.size(), stdout);
    return 0;
  }
  std::ofstream file(options.out, std::ios::binary | std::ios::trunc);
  file << reply->body;
  file.close();
  if (!file) {
    std::fprintf(stderr, "mpay carrier-bill: cannot write %s\n", options.out.c_str());
    return 1;
  }
  std::fprintf(stderr, "mpay carrier-bill: wrote %s (%zu bytes)\n", options.out.c_str(), reply->body.size());
  return 0;
}

}  // namespace

std::function<int()> add_carrier_bill_command(CLI::App& app) {
  auto options = std::make_shared<CarrierBillOptions>();
  CLI::App* command = app.add_subcommand("carrier-bill", "a carrier's bill for a month, as CSV (from the running mpayd)");
  command->add_option("--carrier", options->carrier, "carrier name, e.g. CMCC")->required();
  command->add_option("--month", options->month, "YYYY-MM (UTC)")->required();
  command->add_option("--out", options->out, "write the CSV to this file instead of stdout");
  command->add_option("--server", options->server, "mpayd's address")->capture_default_str();
  command->add_option("--data", options->data, "mpayd's data directory (for the operator token)")
      ->capture_default_str();
  return [command, options]() -> int { return command->parsed() ? run(*options) : -1; };
}

}  // namespace mpay::cli
