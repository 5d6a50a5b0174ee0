// The outbox's fast lane: deliveries of new events that go out before they are written, and are
// written once, with their first attempt, in the state it left them in (WebhookOutbox::
// enqueue_fresh). Under load nearly every delivery succeeds at once, so this replaces three
// writes (pending, attempted, next head promoted) and a read of the due heads with one insert.
//
// Order per subject is what makes it subtle. A subject's events take the lane only while nothing
// of that subject is pending in the store; from then on one delivery of the subject is in flight
// and later ones wait behind it here. When the in-flight attempt is recorded:
//   - delivered, failed or skipped: the next waiting one goes out;
//   - still pending (the attempt failed, a retry is due later): it and everything waiting behind
//     it are stored as pending, in order, and the subject leaves the lane (the store's head order
//     takes over).
// A subject with deliveries pending in the store (a retry, a replay, an event that arrived while
// the lane was full) sends new events through the store too, so nothing overtakes them. The
// lane counts those per subject: the count rises when a stored pending delivery is decided on
// (before it is written) and falls only after the one that finishes it is committed, so it errs
// towards the store, which is always correct.
//
// Durability: nothing in the lane is on disk. Producers republish the last day's events from the
// ledger journal at start (more if the outbox's newest event is older: WebhookOutbox::
// newest_event_at_ns); those not in webhooks.db are stored and sent then. WebhookOutbox writes
// the lane out as pending when it closes.
//
// Memory: at most `deliveries_max` deliveries; beyond that admit() sends new subjects to the
// store (a subject already in flight keeps its order: its events still wait here). Not
// thread-safe: WebhookOutbox guards it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "notify/webhooks/delivery_records.h"

namespace mpay::notify::webhooks {

inline constexpr size_t kFreshDeliveriesMax = 4096;

class FreshLane {
 public:
  explicit FreshLane(size_t deliveries_max = kFreshDeliveriesMax);

  enum class Route {
    send_now,  // the subject's only delivery in the lane: the caller hands it to the dispatcher
    wait,      // behind the subject's delivery in flight; comes back from attempted()
    store,     // write it as a pending delivery (counted here as one of the subject's)
  };
  // Where the delivery of a new event goes. The lane keeps a copy unless the route is `store`.
  Route admit(const DueDelivery& item);

  // Stored pending deliveries of a subject: added (counted when the write is decided on) and
  // finished (counted once the write that finished it is committed).
  void stored_pending_added(const Id128& merchant, const std::string& subject, size_t count = 1);
  void stored_pending_finished(const Id128& merchant, const std::string& subject);

  struct AfterAttempt {
    std::optional<DueDelivery> attempted;    // the lane's copy (its event is stored with it)
    std::optional<DueDelivery> send_next;    // now in flight: hand it to the dispatcher
    std::vector<DueDelivery> store_pending;  // store behind `attempted`, in this order
    bool finished = false;                   // as given to attempted()
    bool promote = false;  // finished while the store has some of the subject: promote its head
  };
  // The attempt of the subject's delivery in flight was recorded: `finished` (delivered, failed
  // or skipped) or not (still pending). Returns nothing in `attempted` if `delivery_id` is not
  // the subject's delivery in flight (then nothing changes).
  AfterAttempt attempted(const Id128& merchant, const std::string& subject,
                         const Id128& delivery_id, bool finished);

  // Puts back what attempted() changed, for an attempt whose write failed: the attempt can be
  // recorded again (the dispatcher retries it). Events of the subject that went to the store in
  // between may then be sent beside it; only a failing store gets here.
  void undo_attempted(AfterAttempt after);

  // The subject's deliveries waiting behind the one in flight, in order (a copy).
  std::vector<DueDelivery> waiting(const Id128& merchant, const std::string& subject) const;
  // A delivery of this subject is stored outside the lane (a replay, a republished event): the
  // ones waiting here, which arrived earlier, are stored first and then leave the lane, counted
  // as stored; they are returned. The one in flight stays; new events of the subject now go to
  // the store.
  std::vector<DueDelivery> yield_waiting(const Id128& merchant, const std::string& subject);

  // Whether the subject has a delivery in flight here: a delivery stored meanwhile must not be
  // the subject's head.
  bool in_flight(const Id128& merchant, const std::string& subject) const;

  // Everything in the lane, each subject's delivery in flight first (closing: stored as pending).
  std::vector<DueDelivery> take_all();

  size_t size() const { return deliveries_; }

 private:
  struct Subject {
    DueDelivery in_flight;
    std::deque<DueDelivery> waiting;
  };
  static std::string key_of(const Id128& merchant, const std::string& subject);

  size_t deliveries_max_;
  size_t deliveries_ = 0;
  std::unordered_map<std::string, Subject> subjects_;
  std::unordered_map<std::string, size_t> stored_pending_;  // subjects with at least one
};

}  // namespace mpay::notify::webhooks
