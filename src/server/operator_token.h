// The operator API token: created on first start as DATA/operator-token (64 hex characters from
// the kernel CSPRNG, file mode 0600, created exclusively so two starts cannot race), read on later
// starts. Errors: "operator_token_unreadable", "operator_token_invalid" (wrong shape),
// "operator_token_insecure" (readable by group or others).
#pragma once

#include <string>

#include "core/error.h"
#include "core/random.h"

namespace mpay::server {

Result<std::string> load_or_create_operator_token(const std::string& data_directory,
                                                  RandomSource& random);

}  // namespace mpay::server
