// `mpay carrier-bill --carrier CMCC --month 2026-11 [--out FILE]`: a carrier's bill for a month
// as CSV (docs/payment-requests.md), fetched from the running mpayd over HTTP (operator_client.h)
// because the bill is read from the ledger that mpayd owns. Writes to stdout, or to --out.
// Common options: --server http://127.0.0.1:8080, --data ./data (for DATA/operator-token).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace mpay::cli {

// Adds the "carrier-bill" subcommand; the returned function runs it if it was parsed and
// returns the exit status, or -1 if it was not.
std::function<int()> add_carrier_bill_command(CLI::App& app);

}  // namespace mpay::cli
