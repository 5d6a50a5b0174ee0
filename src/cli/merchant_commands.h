// `mpay merchant ...`: operator commands on merchants, sent to the running mpayd over HTTP
// (operator_client.h) so that the ledger keeps its single writer:
//
//   mpay merchant create --legal-name ... --display-name ... --mcc 5814 --country CN --city Shanghai
//                        --fee-bps 120 [--currency CNY ...] --settlement-bank-code ICBC
//                        --settlement-account-number ... --settlement-holder ... --webhook-url ...
//   mpay merchant keys create --merchant ID
//   mpay merchant keys revoke --merchant ID --key mk_...
//
// Common options: --server http://127.0.0.1:8080, --data ./data (for DATA/operator-token),
// --idempotency-key K (a retry with the same key cannot onboard twice; its replay shows no
// secrets). Secrets are printed once, on stdout; errors go to stderr with the server's code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace mpay::cli {

// Adds the "merchant" subcommand tree to `app`; the returned function runs whichever of its
// commands was parsed and returns the exit status, or -1 if none was.
std::function<int()> add_merchant_commands(CLI::App& app);

}  // namespace mpay::cli
