// What a merchant's or payer's list of payment requests asks for: the book and the archive answer
// the same query (request_book.h, request_archive.h).
#pragma once

#include <cstdint>
#include <optional>

#include "core/ids.h"
#include "payments/requests/request_records.h"

namespace mpay::requests {

struct RequestListQuery {
  std::optional<PaymentStatus> status;
  std::optional<int64_t> created_after_ns;
  std::optional<Id128> after;  // cursor: the last id of the previous page (ids grow with time)
  uint32_t limit = 50;
};

}  // namespace mpay::requests
