#include "payments/requests/carrier_billing.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

#include "core/money.h"
#include "core/time_text.h"
#include "payments/requests/request_ledger.h"

namespace mpay::requests {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// [start, end) of a "YYYY-MM" month in UTC, in Unix nanoseconds.
Result<std::pair<int64_t, int64_t>> month_range(const std::string& month) {
  Error invalid("month_invalid", "month is YYYY-MM, e.g. 2026-11", "month");
  if (month.size() != 7 || month[4] != '-') return invalid;
  int year = 0;
  unsigned number = 0;
  auto [year_end, year_error] = std::from_chars(month.data(), month.data() + 4, year);
  auto [month_end, month_error] = std::from_chars(month.data() + 5, month.data() + 7, number);
  if (year_error != std::errc() || year_end != month.data() + 4 || month_error != std::errc() ||
      month_end != month.data() + 7 || year < 1970 || year > 9999 || number < 1 || number > 12) {
    return invalid;
  }
  constexpr int64_t kDayNs = 86'400'000'000'000;
  int64_t start = days_from_civil(year, number, 1) * kDayNs;
  int64_t end = (number == 12 ? days_from_civil(year + 1, 1, 1) : days_from_civil(year, number + 1, 1)) *
                kDayNs;
  return std::make_pair(start, end);
}

// A CSV field: quoted when it holds a separator or quote, and a leading =, +, - or @ is defused so
// that a spreadsheet never runs a merchant's text as a formula.
std::string csv_field(std::string_view text) {
  std::string field(text);
  if (!field.empty() && (field[0] == '=' || field[0] == '+' || field[0] == '-' || field[0] == '@')) {
    field.insert(0, "'");
  }
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

int64_t bill_month_start_ns(int64_t at_ns) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<nanoseconds>(nanoseconds(at_ns)));
  const year_month_day date(day);
  const sys_days first = date.year() / date.month() / std::chrono::day(1);
  return duration_cast<nanoseconds>(first.time_since_epoch()).count();
}

Status set_subscriber_carrier(RequestContext& context, const wallet::UserId& user,
                              const std::string& carrier) {
  Status valid = validate_carrier_name(carrier);
  if (!valid.ok()) return valid;
  Result<std::optional<wallet::UserRecord>> found = context.wallet.users.by_id(user);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return Error("user_not_found", "no user has this id");
  Status account = ensure_carrier_account(context.wallet.ledger, carrier,
                                          context.wallet.currency.numeric);
  if (!account.ok()) return account;
  Status stored = context.repository.set_carrier(user, carrier, context.wallet.clock.now_ns());
  if (!stored.ok()) return stored;
  context.carriers.put(user, carrier);
  return ok_status();
}

Result<std::string> carrier_bill_csv(RequestContext& context, const std::string& carrier,
                                     const std::string& month) {
  Status valid = validate_carrier_name(carrier);
  if (!valid.ok()) return valid.error();
  Result<std::pair<int64_t, int64_t>> range = month_range(month);
  if (!range.ok()) return range.error();
  const Currency& currency = context.wallet.currency;
  AccountId account = carrier_receivable_account_id(carrier, currency.numeric);

  std::string csv =
      "line,occurred_at,type,payment_request_id,refund_id,merchant_id,merchant_reference,"
      "subscriber,amount,currency\n";
  int64_t charges = 0;
  int64_t refunds = 0;
  uint64_t line = 0;
  ledger::HistoryQuery query;
  query.limit = 1000;
  query.after_timestamp = range->first - 1;
  bool done = false;
  while (!done) {
    Result<std::vector<ledger::TransferRecord>> page =
        context.wallet.ledger.account_transfers(account, query);
    if (!page.ok()) return page.error();
    for (const ledger::TransferRecord& record : *page) {
      const ledger::JournalEntry& e = record.entry;
      if (e.timestamp >= range->second) {
        done = true;
        break;
      }
      bool pending = (e.flags & ledger::transfer_flags::pending) != 0;
      bool voiding = (e.flags & ledger::transfer_flags::void_pending_transfer) != 0;
      if (pending || voiding || e.amount_applied == 0) continue;  // holds move nothing yet
      bool charge = e.code == transfer_codes::merchant_payment &&
                    e.debit_account_id == account.value();
      bool refund = e.code == transfer_codes::merchant_refund &&
                    e.credit_account_id == account.value();
      if (!charge && !refund) continue;
      std::optional<Id128> request_id = context.book.request_of_transfer(TransferId(e.id));
      std::optional<PaymentRequest> request =
          request_id ? context.book.get(*request_id) : std::nullopt;
      int64_t signed_amount = charge ? e.amount_applied : -e.amount_applied;
      (charge ? charges : refunds) += e.amount_applied;
      csv += fmt::format(
          "{},{},{},{},{},{},{},{},{},{}\n", ++line, format_rfc3339_ms(e.timestamp),
          charge ? "charge" : "refund", request_id ? to_uuid_text(*request_id) : "",
          refund ? to_uuid_text(e.id) : "",
          request ? to_uuid_text(request->terms.merchant_id) : "",
          request ? csv_field(request->terms.merchant_reference) : "",
          request ? request->terms.payer_phone_masked : "",
          (signed_amount < 0 ? "-" : "") + format_amount(signed_amount < 0 ? -signed_amount : signed_amount, currency),
          currency.code);
    }
    if (page->size() < query.limit) break;
    query.after_timestamp = page->back().entry.timestamp;
  }
  csv += fmt::format("total_charges,,,,,,,,{},{}\n", format_amount(charges, currency), currency.code);
  csv += fmt::format("total_refunds,,,,,,,,{},{}\n", format_amount(refunds, currency), currency.code);
  int64_t net = charges - refunds;
  csv += fmt::format("total,,,,,,,,{}{},{}\n", net < 0 ? "-" : "",
                     format_amount(net < 0 ? -net : net, currency), currency.code);
  return csv;
}

}  // namespace mpay::requests
