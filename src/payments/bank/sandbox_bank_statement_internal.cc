#include "payments/bank/sandbox_bank_statement_internal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "core/money.h"

namespace mpay::bank {

namespace {

constexpr int64_t kNanosecondsPerDay = 86'400'000'000'000;

Error write_failed(std::string_view what, const std::string& path) {
  return Error("statement_write_failed",
               std::string(what) + " " + path + ": " + std::strerror(errno));
}

bool parse_digits(std::string_view text, int* out) {
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

}  // namespace

std::string utc_day_of(int64_t unix_ns) {
  int64_t days = unix_ns / kNanosecondsPerDay;
  if (unix_ns % kNanosecondsPerDay < 0) --days;  // floor, for times before 1970
  std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

bool is_valid_day(std::string_view day) {
  if (day.size() != 10 || day[4] != '-' || day[7] != '-') return false;
  int year = 0;
  int month = 0;
  int day_of_month = 0;
  if (!parse_digits(day.substr(0, 4), &year) || !parse_digits(day.substr(5, 2), &month) ||
      !parse_digits(day.substr(8, 2), &day_of_month) || year == 0) {
    return false;
  }
  std::chrono::year_month_day date{std::chrono::year{year},
                                   std::chrono::month{static_cast<unsigned>(month)},
                                   std::chrono::day{static_cast<unsigned>(day_of_month)}};
  return date.ok();
}

Result<std::string> format_statement(const std::vector<StatementLine>& lines,
                                     std::string_view currency) {
  std::string text(kStatementHeader);
  text += '\n';
  int64_t debit_total_minor = 0;
  int64_t credit_total_minor = 0;
  for (const StatementLine& line : lines) {
    int64_t* total = line.direction == BankOrderDirection::debit ? &debit_total_minor
                                                                   : &credit_total_minor;
    if (!checked_add(*total, line.amount_minor, total)) {
      return Error("statement_total_overflow", "a statement total does not fit in 64 bits");
    }
    text += line.value_date + ',' + line.reference + ',' + line.bank_transaction_id + ',' +
            std::string(to_string(line.direction)) + ',' + line.masked_account_number + ',' +
            std::to_string(line.amount_minor) + ',' + line.currency + '\n';
  }
  text += "total," + std::to_string(lines.size()) + ',' + std::to_string(debit_total_minor) + ',' +
          std::to_string(credit_total_minor) + ',' + std::string(currency) + '\n';
  return text;
}

Status write_file_atomically(const std::string& path, std::string_view contents) {
  std::string temporary_path = path + ".partial";
  int descriptor = ::open(temporary_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (descriptor < 0) return write_failed("cannot create", temporary_path);
  while (!contents.empty()) {
    ssize_t written = ::write(descriptor, contents.data(), contents.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) {
      Error error = write_failed("cannot write", temporary_path);
      ::close(descriptor);
      return error;
    }
    contents.remove_prefix(static_cast<size_t>(written));
  }
  if (::fsync(descriptor) != 0) {
    Error error = write_failed("cannot sync", temporary_path);
    ::close(descriptor);
    return error;
  }
  ::close(descriptor);
  if (::rename(temporary_path.c_str(), path.c_str()) != 0) {
    return write_failed("cannot rename onto", path);
  }
  return ok_status();
}

}  // namespace mpay::bank
