// Wallet users for the HTTP benchmarks, set up through the wallet API like real clients (not
// timed): sign-up with the one-time code read from mpayd's SMS outbox, a session, real-name KYC,
// a linked sandbox bank account and a confirmed top-up of kTopUpAmount. Also the small blocking
// call helpers the benchmarks' set-up steps share.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "http_load_client.h"

namespace mpay::bench {

inline constexpr const char* kPin = "135790";
inline constexpr const char* kTopUpAmount = "5000.00";

struct WalletUsersOptions {
  uint32_t users = 200;
  uint32_t phone_offset = 0;  // users get phones +86139<8 digits: offset + index
};

Result<std::vector<P2pUser>> set_up_users(const HttpEndpoint& endpoint, const std::string& data_directory,
                                          const WalletUsersOptions& options);

// One call; waits and repeats on 429 (rate limits), fails on any status but `expected`.
Result<nlohmann::json> call(BlockingHttpClient& client, const std::string& method, const std::string& target,
                            const nlohmann::json& body, const std::string& token, unsigned expected);
Result<std::string> string_field(const nlohmann::json& answer, const char* name, const std::string& route);
// At most a few hundred bytes of a body, for error messages.
std::string shortened(const std::string& text);

}  // namespace mpay::bench
