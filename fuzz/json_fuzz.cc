// Fuzz target: request bodies. parse_json_body, then parse_transfers and parse_accounts on what it
// accepted, as the ledger routes do.
//
// Properties:
// - errors carry one of the documented codes, and messages are printable ASCII (they must not echo
//   client bytes, which may be invalid UTF-8 or personal data);
// - an accepted document prints (dump) to JSON that parses back to an equal document;
// - transfers and accounts that parse are within the documented limits, and printing them back to
//   JSON and parsing again yields the same values.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/json_body.h"
#include "api/ledger_json.h"
#include "core/check.h"
#include "core/clock.h"
#include "core/currency.h"
#include "core/ids.h"
#include "core/random.h"

namespace {

// Items without an id get one from the server's generator; a fixed clock and seed keep runs
// reproducible.
mpay::UuidV7Generator& id_generator() {
  static mpay::ManualClock clock(1'700'000'000'000'000'000);
  static mpay::SeededRandom random(1);
  static mpay::UuidV7Generator generator(clock, random);
  return generator;
}


using nlohmann::json;
namespace ledger = mpay::ledger;

const size_t kItemsMax = ledger::LedgerOptions{}.submission_events_max;

bool printable_ascii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

bool one_of(const std::string& code, std::initializer_list<std::string_view> codes) {
  for (std::string_view candidate : codes) {
    if (code == candidate) return true;
  }
  return false;
}

void check_body_error(const mpay::Error& error) {
  MPAY_CHECK(one_of(error.code, {"body_empty", "json_invalid", "json_duplicate_key", "json_too_deep",
                                 "json_number_out_of_range"}),
             "parse_json_body returned an undocumented error code");
  MPAY_CHECK(printable_ascii(error.message), "a JSON error message is not printable ASCII");
}

void check_item_error(const mpay::Error& error) {
  MPAY_CHECK(!error.code.empty(), "an item error without a code");
  MPAY_CHECK(printable_ascii(error.code), "an item error code is not printable ASCII");
}

json transfer_to_json(const ledger::Transfer& t) {
  json item = {{"id", t.id.to_string()},
               {"amount", t.amount},
               {"timeout_s", t.timeout_s},
               {"code", t.code},
               {"user_data", t.user_data}};
  json flags = json::array();
  if (t.flags & ledger::transfer_flags::linked) flags.push_back("linked");
  if (t.flags & ledger::transfer_flags::pending) flags.push_back("pending");
  if (t.flags & ledger::transfer_flags::post_pending_transfer) flags.push_back("post_pending_transfer");
  if (t.flags & ledger::transfer_flags::void_pending_transfer) flags.push_back("void_pending_transfer");
  item["flags"] = flags;
  // Fields a post/void may leave out are written only when they carry something.
  if (!t.debit_account_id.is_zero()) item["debit_account_id"] = t.debit_account_id.to_string();
  if (!t.credit_account_id.is_zero()) item["credit_account_id"] = t.credit_account_id.to_string();
  if (!t.pending_id.is_zero()) item["pending_id"] = t.pending_id.to_string();
  if (t.currency != 0) item["currency"] = mpay::api::currency_code(t.currency);
  return item;
}

void check_transfers(const json& document) {
  auto transfers = mpay::api::parse_transfers(document, kItemsMax, id_generator());
  if (!transfers.ok()) {
    check_item_error(transfers.error());
    return;
  }
  MPAY_CHECK(document.is_array() && transfers->size() == document.size(),
             "parse_transfers returned a different number of items");
  MPAY_CHECK(!transfers->empty() && transfers->size() <= kItemsMax, "item count out of limits");
  json printed = json::array();
  for (const ledger::Transfer& t : *transfers) {
    MPAY_CHECK((t.flags & ~ledger::transfer_flags::all) == 0, "a transfer with an unknown flag");
    MPAY_CHECK(t.currency == 0 || mpay::currency_by_numeric(t.currency).has_value(),
               "a transfer with an unknown currency");
    // Zero ids are written as explicit all-zero UUIDs unless the field is optional.
    json item = transfer_to_json(t);
    const bool second_phase = (t.flags & (ledger::transfer_flags::post_pending_transfer |
                                          ledger::transfer_flags::void_pending_transfer)) != 0;
    if (!second_phase) {
      item["debit_account_id"] = t.debit_account_id.to_string();
      item["credit_account_id"] = t.credit_account_id.to_string();
      MPAY_CHECK(t.currency != 0, "a single-phase transfer without a currency");
    }
    printed.push_back(std::move(item));
  }
  auto again = mpay::api::parse_transfers(printed, kItemsMax, id_generator());
  MPAY_CHECK(again.ok(), "printed transfers do not parse again");
  MPAY_CHECK(*again == *transfers, "printed transfers parse to different values");
}

void check_accounts(const json& document) {
  auto accounts = mpay::api::parse_accounts(document, kItemsMax, id_generator());
  if (!accounts.ok()) {
    check_item_error(accounts.error());
    return;
  }
  MPAY_CHECK(document.is_array() && accounts->size() == document.size(),
             "parse_accounts returned a different number of items");
  json printed = json::array();
  for (const ledger::Account& a : *accounts) {
    MPAY_CHECK((a.flags & ~ledger::account_flags::all) == 0, "an account with an unknown flag");
    MPAY_CHECK(mpay::currency_by_numeric(a.currency).has_value(),
               "an account with an unknown currency");
    uint16_t kind = static_cast<uint16_t>(a.kind);
    MPAY_CHECK(kind >= 1 && kind <= ledger::kAccountKindMax, "an account with an unknown kind");
    // account_json prints the balances too; a client cannot send those.
    json item = mpay::api::account_json(ledger::AccountState{a, {}, 0});
    for (const char* key : {"debits_pending", "debits_posted", "credits_pending", "credits_posted",
                            "timestamp"}) {
      item.erase(key);
    }
    printed.push_back(std::move(item));
  }
  auto again = mpay::api::parse_accounts(printed, kItemsMax, id_generator());
  MPAY_CHECK(again.ok(), "printed accounts do not parse again");
  MPAY_CHECK(again->size() == accounts->size(), "printed accounts parse to a different count");
  for (size_t i = 0; i < accounts->size(); ++i) {
    const ledger::Account& a = (*accounts)[i];
    const ledger::Account& b = (*again)[i];
    MPAY_CHECK(a.id == b.id && a.user_data == b.user_data && a.currency == b.currency &&
                   a.kind == b.kind && a.flags == b.flags && a.code == b.code,
               "printed accounts parse to different values");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto document = mpay::api::parse_json_body(body);
  if (!document.ok()) {
    check_body_error(document.error());
    return 0;
  }
  // The parser checked UTF-8, so dump() cannot throw; an exception here is a finding.
  std::string printed = document->dump();
  auto reparsed = mpay::api::parse_json_body(printed);
  MPAY_CHECK(reparsed.ok(), "an accepted document prints to JSON that is refused");
  MPAY_CHECK(*reparsed == *document, "an accepted document does not survive dump and parse");

  check_transfers(*document);
  check_accounts(*document);
  return 0;
}
