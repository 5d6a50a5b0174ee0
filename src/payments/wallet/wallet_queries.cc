#include "payments/wallet/wallet_queries.h"

#include <unordered_map>

#include "identity/masking.h"
#include "ledger/types.h"
#include "payments/wallet/kyc.h"
#include "payments/wallet/phone_identity.h"

namespace mpay::wallet {
namespace {

// Pages of ledger history looked at per request when a filter drops most entries: bounds the work.
constexpr int kHistoryPagesMax = 10;

std::string masked_phone_of(const WalletContext& context, const UserRecord& user) {
  return mask_phone(unsealed_phone(context, user));  // "" masks to "***"
}

std::optional<TransactionType> type_of(uint16_t code) {
  switch (code) {
    case transfer_codes::p2p_transfer: return TransactionType::p2p_transfer;
    case transfer_codes::top_up: return TransactionType::top_up;
    case transfer_codes::withdrawal: return TransactionType::withdrawal;
    default: return std::nullopt;
  }
}

std::string status_of(const ledger::TransferRecord& record) {
  switch (record.status) {
    case ledger::PendingStatus::none:
    case ledger::PendingStatus::posted: return "completed";
    case ledger::PendingStatus::pending: return "pending";
    case ledger::PendingStatus::voided:
    case ledger::PendingStatus::expired: return "failed";
  }
  return "completed";
}

}  // namespace

std::string_view to_string(TransactionType type) {
  switch (type) {
    case TransactionType::p2p_transfer: return "p2p_transfer";
    case TransactionType::top_up: return "top_up";
    case TransactionType::withdrawal: return "withdrawal";
  }
  return "unknown";
}

std::optional<TransactionType> parse_transaction_type(std::string_view text) {
  for (TransactionType type : {TransactionType::p2p_transfer, TransactionType::top_up,
                               TransactionType::withdrawal}) {
    if (text == to_string(type)) return type;
  }
  return std::nullopt;
}

Result<Profile> profile_of(WalletContext& context, const UserRecord& user) {
  Profile profile;
  profile.user = user;
  profile.phone_masked = masked_phone_of(context, user);
  if (!user.full_name_sealed.empty()) {
    Result<std::string> name = unsealed_full_name(context, user);
    if (!name.ok()) return name.error();
    profile.name_masked = identity::mask_name(*name);
  }
  profile.limits = context.options.limits.at(static_cast<size_t>(user.kyc_level));
  profile.used = context.spending.spending(user.id, context.clock.now_ns());
  return profile;
}

Result<Profile> read_profile(WalletContext& context, const UserId& user_id) {
  Result<std::optional<UserRecord>> user = context.users.by_id(user_id);
  if (!user.ok()) return user.error();
  if (!user->has_value()) return Error("user_not_found", "the user does not exist");
  return profile_of(context, **user);
}

Result<TransactionPage> list_transactions(WalletContext& context, const UserId& user_id,
                                          const TransactionQuery& query) {
  Result<std::optional<UserRecord>> found = context.users.by_id(user_id);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return Error("user_not_found", "the user does not exist");
  const UserRecord& user = **found;

  TransactionPage page;
  ledger::HistoryQuery history;
  history.order = ledger::HistoryOrder::descending;
  history.limit = std::max<uint32_t>(query.limit, 50);
  history.after_timestamp = query.cursor;
  if (!history.after_timestamp && query.to_ns) history.after_timestamp = *query.to_ns;
  std::unordered_map<Id128, std::string, Id128Hash> counterparties;
  std::vector<TransferId> with_notes;
  bool exhausted = false;
  for (int pages = 0; pages < kHistoryPagesMax && page.items.size() < query.limit && !exhausted; ++pages) {
    Result<std::vector<ledger::TransferRecord>> records =
        context.ledger.account_transfers(user.wallet_account_id, history);
    if (!records.ok()) return records.error();
    exhausted = records->size() < history.limit;
    for (const ledger::TransferRecord& record : *records) {
      const ledger::JournalEntry& entry = record.entry;
      history.after_timestamp = entry.timestamp;
      page.next_cursor = entry.timestamp;
      if (query.from_ns && entry.timestamp < *query.from_ns) {
        exhausted = true;
        break;
      }
      std::optional<TransactionType> type = type_of(entry.code);
      // Posts and voids of a withdrawal show through the hold's status, not as items of their own.
      bool resolution = (entry.flags & (ledger::transfer_flags::post_pending_transfer |
                                        ledger::transfer_flags::void_pending_transfer)) != 0;
      if (!type || resolution || (query.type && *query.type != *type)) continue;

      TransactionItem item;
      item.id = TransferId(entry.id);
      item.type = *type;
      item.incoming = entry.credit_account_id == user.wallet_account_id.value();
      item.amount_minor = entry.amount;
      item.status = status_of(record);
      item.at_ns = entry.timestamp;
      if (*type == TransactionType::p2p_transfer) {
        Id128 other = item.incoming ? entry.debit_account_id : entry.credit_account_id;
        auto cached = counterparties.find(other);
        if (cached == counterparties.end()) {
          Result<std::optional<UserRecord>> party = context.users.by_wallet(AccountId(other));
          std::string masked = party.ok() && party->has_value() ? masked_phone_of(context, **party) : "***";
          cached = counterparties.emplace(other, masked).first;
        }
        item.counterparty = cached->second;
        with_notes.push_back(item.id);
      } else {
        item.counterparty = "bank";
      }
      page.items.push_back(std::move(item));
      if (page.items.size() == query.limit) break;
    }
  }
  if (exhausted && page.items.size() < query.limit) page.next_cursor.reset();

  if (!with_notes.empty()) {
    Result<std::vector<TransferNote>> notes = context.repository.find_notes(with_notes);
    if (!notes.ok()) return notes.error();
    std::unordered_map<Id128, std::string, Id128Hash> by_id;
    for (const TransferNote& note : *notes) {
      Result<std::string> text =
          context.sealer.open(note.note_sealed, "transfer:" + note.transfer_id.to_string() + ":note");
      if (text.ok()) by_id[note.transfer_id.value()] = *text;
    }
    for (TransactionItem& item : page.items) {
      auto found_note = by_id.find(item.id.value());
      if (found_note != by_id.end()) item.note = found_note->second;
    }
  }
  return page;
}

}  // namespace mpay::wallet
