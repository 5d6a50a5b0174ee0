// Synchronous wrappers around the asynchronous Ledger, for tests and tools.
#pragma once

#include <future>
#include <vector>

#include "ledger/ledger.h"

namespace mpay::testing {

inline std::vector<ledger::EventOutcome> create_accounts_sync(ledger::Ledger& ledger,
                                                              std::vector<ledger::Account> accounts) {
  std::promise<std::vector<ledger::EventOutcome>> done;
  auto future = done.get_future();
  Status submitted = ledger.submit_accounts(
      std::move(accounts), [&done](std::vector<ledger::EventOutcome> o) { done.set_value(std::move(o)); });
  if (!submitted.ok()) return {};
  return future.get();
}

inline std::vector<ledger::EventOutcome> create_transfers_sync(
    ledger::Ledger& ledger, std::vector<ledger::Transfer> transfers) {
  std::promise<std::vector<ledger::EventOutcome>> done;
  auto future = done.get_future();
  Status submitted = ledger.submit_transfers(
      std::move(transfers), [&done](std::vector<ledger::EventOutcome> o) { done.set_value(std::move(o)); });
  if (!submitted.ok()) return {};
  return future.get();
}

inline std::vector<ledger::EventOutcome> submit_with_events_sync(
    ledger::Ledger& ledger, std::vector<ledger::Transfer> transfers,
    std::vector<ledger::AppEvent> events) {
  std::promise<std::vector<ledger::EventOutcome>> done;
  auto future = done.get_future();
  Status submitted = ledger.submit_with_events(
      std::move(transfers), std::move(events),
      [&done](std::vector<ledger::EventOutcome> o) { done.set_value(std::move(o)); });
  if (!submitted.ok()) return {};
  return future.get();
}

}  // namespace mpay::testing
