#include "store/sqlite/sqlite_request_archive.h"

#include <filesystem>

#include "core/check.h"
#include "store/sqlite/request_terms_row.h"

namespace mpay::store::sqlite {
namespace {

namespace fs = std::filesystem;
using requests::ArchivedCharge;
using requests::ArchivedRequest;
using requests::CaptureMode;
using requests::FundingSource;
using requests::PaymentRequest;
using requests::PaymentStatus;
using requests::RefundRecord;
using requests::RefundStatus;
using requests::RequestListQuery;
using StatementResult = Result<std::unique_ptr<Statement>>;

// The usage sums' SQL names statuses and the funding source by number.
static_assert(static_cast<int>(PaymentStatus::succeeded) == 6);
static_assert(static_cast<int>(PaymentStatus::captured) == 8);
static_assert(static_cast<int>(FundingSource::phone_bill) == 3);

// The terms' columns (request_terms_row.h), then the state's.
const std::string kRequestColumns =
    std::string(kRequestTermsColumns) +
    ", status, funding, authorized_minor, captured_minor, fee_minor, refunded_minor, "
    "fee_returned_minor, "
    "hold_id, charge_id, authorization_expires_at_ns, failure, updated_at_ns, refund_count, "
    "charged_at_ns, last_event_ts";
constexpr int kLastEventTsColumn = 27;

// Archived refunds as they are; refunds created after their request was archived (only in
// payment_refunds) as pending, with nothing settled: the book applies their journal events.
constexpr const char* kRefundColumns =
    "id, request_id, amount_minor, reason, created_at_ns, status, fee_returned_minor, "
    "settled_at_ns, fee_returned_with_hold";
constexpr const char* kUnarchivedRefundColumns =
    "r.id, r.request_id, r.amount_minor, r.reason, r.created_at_ns, 0, 0, 0, 0";

PaymentRequest request_from(const Statement& s) {
  static_assert(kRequestTermsColumnCount == 13);
  PaymentRequest request;
  request.terms = request_terms_from(s);
  requests::RequestState& st = request.state;
  st.status = static_cast<PaymentStatus>(s.column_int64(13));  // CHECKed by the table
  st.funding = static_cast<FundingSource>(s.column_int64(14));
  st.authorized_minor = s.column_int64(15);
  st.captured_minor = s.column_int64(16);
  st.fee_minor = s.column_int64(17);
  st.refunded_minor = s.column_int64(18);
  st.fee_returned_minor = s.column_int64(19);
  st.hold_id = TransferId(s.column_id(20));
  st.charge_id = TransferId(s.column_id(21));
  st.authorization_expires_at_ns = s.column_int64(22);
  st.failure = static_cast<uint16_t>(s.column_int64(23));
  st.updated_at_ns = s.column_int64(24);
  st.refund_count = static_cast<uint32_t>(s.column_int64(25));
  st.charged_at_ns = s.column_int64(26);
  return request;
}

RefundRecord refund_from(const Statement& s) {
  RefundRecord r;
  r.id = s.column_id(0);
  r.request_id = s.column_id(1);
  r.amount_minor = s.column_int64(2);
  r.reason = s.column_text(3);
  r.created_at_ns = s.column_int64(4);
  r.status = static_cast<RefundStatus>(s.column_int64(5));
  r.fee_returned_minor = s.column_int64(6);
  r.settled_at_ns = s.column_int64(7);
  r.fee_returned_with_hold = s.column_int64(8) != 0;
  return r;
}

Status insert_request(SqliteDatabase& db, const ArchivedRequest& archived) {
  const requests::RequestTerms& t = archived.request.terms;
  const requests::RequestState& st = archived.request.state;
  StatementResult insert =
      db.prepare(std::string("INSERT INTO payment_request_archive (") + kRequestColumns +
                 ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,"  // 28: the terms, the state,
                 "?,?,?,?,?,?,?,?,?,?,?,?,?,?)");          // last_event_ts
  if (!insert.ok()) return insert.error();
  Statement& s = **insert;
  s.bind(1, t.id)
      .bind(2, t.merchant_id)
      .bind(3, t.merchant_reference)
      .bind(4, t.payer_id.value())
      .bind(5, t.payer_phone_masked)
      .bind(6, t.amount_minor)
      .bind(7, int64_t{t.currency})
      .bind(8, t.description)
      .bind(9, t.metadata_json)
      .bind(10, std::string_view(t.capture == CaptureMode::manual ? "manual" : "automatic"))
      .bind(11, t.created_at_ns)
      .bind(12, t.expires_at_ns);
  if (t.mandate_id) {
    s.bind(13, *t.mandate_id);
  } else {
    s.bind_null(13);
  }
  s.bind(14, int64_t{static_cast<uint16_t>(st.status)})
      .bind(15, int64_t{static_cast<uint16_t>(st.funding)})
      .bind(16, st.authorized_minor)
      .bind(17, st.captured_minor)
      .bind(18, st.fee_minor)
      .bind(19, st.refunded_minor)
      .bind(20, st.fee_returned_minor)
      .bind(21, st.hold_id.value())
      .bind(22, st.charge_id.value())
      .bind(23, st.authorization_expires_at_ns)
      .bind(24, int64_t{st.failure})
      .bind(25, st.updated_at_ns)
      .bind(26, int64_t{st.refund_count})
      .bind(27, st.charged_at_ns)
      .bind(28, archived.last_event_ts);
  return s.run();
}

Status insert_refund(SqliteDatabase& db, const RefundRecord& r) {
  StatementResult insert = db.prepare(std::string("INSERT INTO payment_refund_archive (") +
                                      kRefundColumns + ") VALUES (?,?,?,?,?,?,?,?,?)");
  if (!insert.ok()) return insert.error();
  return (*insert)
      ->bind(1, r.id)
      .bind(2, r.request_id)
      .bind(3, r.amount_minor)
      .bind(4, r.reason)
      .bind(5, r.created_at_ns)
      .bind(6, int64_t{static_cast<uint16_t>(r.status)})
      .bind(7, r.fee_returned_minor)
      .bind(8, r.settled_at_ns)
      .bind(9, int64_t{r.fee_returned_with_hold ? 1 : 0})
      .run();
}

Status insert_transfer(SqliteDatabase& db, const TransferId& transfer, const Id128& request) {
  StatementResult insert = db.prepare(
      "INSERT INTO payment_request_archive_transfers (transfer_id, request_id) VALUES (?,?)");
  if (!insert.ok()) return insert.error();
  return (*insert)->bind(1, transfer.value()).bind(2, request).run();
}

// Deletes the request's row, refunds and transfers, so that a request archived again (loaded
// back, refunded, archived) leaves nothing of its older copy.
Status delete_request(SqliteDatabase& db, const Id128& id) {
  for (const char* sql : {"DELETE FROM payment_request_archive WHERE id = ?",
                          "DELETE FROM payment_refund_archive WHERE request_id = ?",
                          "DELETE FROM payment_request_archive_transfers WHERE request_id = ?"}) {
    StatementResult remove = db.prepare(sql);
    if (!remove.ok()) return remove.error();
    Status removed = (*remove)->bind(1, id).run();
    if (!removed.ok()) return removed;
  }
  return ok_status();
}

Result<std::vector<ArchivedCharge>> charges_of(Statement& s) {
  std::vector<ArchivedCharge> charges;
  Status read = each_row(s, [&](const Statement& row) {
    charges.push_back(ArchivedCharge{row.column_id(0), row.column_int64(1)});
  });
  if (!read.ok()) return read.error();
  return charges;
}

// Several reads that must see one state of the archive (a put between them would mix an old
// row with new refunds): one read transaction, ended whatever happens, so that the connection
// never keeps an old snapshot (which would also hold back checkpoints).
class ReadTransaction {
 public:
  explicit ReadTransaction(SqliteDatabase& db) : db_(db), begun_(db.exec("BEGIN")) {}
  ~ReadTransaction() {
    if (begun_.ok() && !db_.exec("COMMIT").ok()) (void)db_.exec("ROLLBACK");
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  const Status& begun() const { return begun_; }

 private:
  SqliteDatabase& db_;
  Status begun_;
};

}  // namespace

// --- connections -------------------------------------------------------------------------------

Result<std::unique_ptr<SqliteRequestArchive>> SqliteRequestArchive::open(
    const std::string& data_directory, GroupCommitWriter& writer) {
  std::string path = (fs::path(data_directory) / "mpay.db").string();
  std::unique_ptr<SqliteRequestArchive> archive(new SqliteRequestArchive(writer));
  Status readers = archive->readers_.open(path, kReaderConnections);
  if (!readers.ok()) return readers.error();
  // A database the migrations have not reached yet fails here, not at the first miss.
  Result<int64_t> mark = archive->replay_from();
  if (!mark.ok()) return mark.error();
  return archive;
}

SqliteRequestArchive::~SqliteRequestArchive() = default;

// --- writes ------------------------------------------------------------------------------------

Status SqliteRequestArchive::put(std::span<const ArchivedRequest> requests) {
  if (requests.empty()) return ok_status();
  for (const ArchivedRequest& archived : requests) {
    for (const RefundRecord& refund : archived.refunds) {
      MPAY_CHECK(refund.request_id == archived.request.terms.id,
                 "an archived refund names another request");
    }
  }
  // Durable: the book forgets these requests once this returns.
  return writer_.execute_durable([&](SqliteDatabase& db) -> Status {
    for (const ArchivedRequest& archived : requests) {
      const Id128& id = archived.request.terms.id;
      Status status = delete_request(db, id);
      if (!status.ok()) return status;
      status = insert_request(db, archived);
      if (!status.ok()) return status;
      for (const RefundRecord& refund : archived.refunds) {
        status = insert_refund(db, refund);
        if (!status.ok()) return status;
      }
      for (const TransferId& transfer : archived.transfers) {
        status = insert_transfer(db, transfer, id);
        if (!status.ok()) return status;
      }
    }
    return ok_status();
  });
}

Status SqliteRequestArchive::set_replay_from(int64_t ledger_ts) {
  // Durable: start-up skips the journal's events before the mark.
  return writer_.execute_durable([&](SqliteDatabase& db) -> Status {
    StatementResult update =
        db.prepare("UPDATE payment_request_archive_mark SET replay_from = ? WHERE singleton = 1");
    if (!update.ok()) return update.error();
    return (*update)->bind(1, ledger_ts).run();
  });
}

// --- reads -------------------------------------------------------------------------------------

Result<int64_t> SqliteRequestArchive::replay_from() {
  ReaderLease db = borrow_reader();
  StatementResult select =
      db->prepare("SELECT replay_from FROM payment_request_archive_mark WHERE singleton = 1");
  if (!select.ok()) return select.error();
  Result<bool> row = (*select)->step();
  if (!row.ok()) return row.error();
  if (!*row) return Error("store_error", "payment_request_archive_mark has no row");
  return (*select)->column_int64(0);
}

Result<std::optional<ArchivedRequest>> SqliteRequestArchive::get(const Id128& id) {
  ReaderLease db = borrow_reader();
  ReadTransaction transaction(*db);
  if (!transaction.begun().ok()) return transaction.begun().error();
  ArchivedRequest archived;
  {
    StatementResult select = db->prepare(std::string("SELECT ") + kRequestColumns +
                                         " FROM payment_request_archive WHERE id = ?");
    if (!select.ok()) return select.error();
    Result<bool> row = (*select)->bind(1, id).step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<ArchivedRequest>();
    archived.request = request_from(**select);
    archived.last_event_ts = (*select)->column_int64(kLastEventTsColumn);
  }
  {
    StatementResult select =
        db->prepare(std::string("SELECT ") + kRefundColumns +
                    " FROM payment_refund_archive WHERE request_id = ?1 UNION ALL SELECT " +
                    kUnarchivedRefundColumns +
                    " FROM payment_refunds r WHERE r.request_id = ?1 AND NOT EXISTS "
                    "(SELECT 1 FROM payment_refund_archive a WHERE a.id = r.id) ORDER BY 5, 1");
    if (!select.ok()) return select.error();
    Status read = each_row((*select)->bind(1, id), [&](const Statement& row) {
      archived.refunds.push_back(refund_from(row));
    });
    if (!read.ok()) return read.error();
  }
  {
    StatementResult select = db->prepare(
        "SELECT transfer_id FROM payment_request_archive_transfers WHERE request_id = ? "
        "ORDER BY transfer_id");
    if (!select.ok()) return select.error();
    Status read = each_row((*select)->bind(1, id), [&](const Statement& row) {
      archived.transfers.push_back(TransferId(row.column_id(0)));
    });
    if (!read.ok()) return read.error();
  }
  return std::optional<ArchivedRequest>(std::move(archived));
}

Result<std::optional<int64_t>> SqliteRequestArchive::last_event_ts(const Id128& id) {
  ReaderLease db = borrow_reader();
  StatementResult select =
      db->prepare("SELECT last_event_ts FROM payment_request_archive WHERE id = ?");
  if (!select.ok()) return select.error();
  Result<bool> row = (*select)->bind(1, id).step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*select)->column_int64(0));
}

Result<std::optional<RefundRecord>> SqliteRequestArchive::refund(const Id128& refund_id) {
  ReaderLease db = borrow_reader();
  // A refund of a request that is not archived is the book's, not this archive's.
  StatementResult select = db->prepare(
      std::string("SELECT ") + kRefundColumns +
      " FROM payment_refund_archive WHERE id = ?1 UNION ALL SELECT " + kUnarchivedRefundColumns +
      " FROM payment_refunds r WHERE r.id = ?1 AND NOT EXISTS "
      "(SELECT 1 FROM payment_refund_archive a WHERE a.id = r.id) AND EXISTS "
      "(SELECT 1 FROM payment_request_archive q WHERE q.id = r.request_id)");
  if (!select.ok()) return select.error();
  Result<bool> row = (*select)->bind(1, refund_id).step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<RefundRecord>();
  return std::optional<RefundRecord>(refund_from(**select));
}

Result<std::optional<Id128>> SqliteRequestArchive::request_of_transfer(const TransferId& transfer) {
  ReaderLease db = borrow_reader();
  StatementResult select =
      db->prepare("SELECT request_id FROM payment_request_archive_transfers WHERE transfer_id = ?");
  if (!select.ok()) return select.error();
  Result<bool> row = (*select)->bind(1, transfer.value()).step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<Id128>();
  return std::optional<Id128>((*select)->column_id(0));
}

Result<std::vector<PaymentRequest>> SqliteRequestArchive::list(std::string_view owner_column,
                                                               const Id128& owner,
                                                               const RequestListQuery& query) {
  // The cursor is its own SQL text (not "?2 IS NULL OR id > ?2"), so that it bounds the index
  // range and a deep page does not scan the pages before it.
  std::string sql = std::string("SELECT ") + kRequestColumns +
                    " FROM payment_request_archive WHERE " + std::string(owner_column) + " = ?1" +
                    (query.after ? " AND id > ?2" : "") +
                    " AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR created_at_ns > ?4)"
                    " ORDER BY id LIMIT ?5";
  ReaderLease db = borrow_reader();
  StatementResult select = db->prepare(sql);
  if (!select.ok()) return select.error();
  Statement& s = **select;
  s.bind(1, owner);
  if (query.after) s.bind(2, *query.after);
  if (query.status) {
    s.bind(3, int64_t{static_cast<uint16_t>(*query.status)});
  } else {
    s.bind_null(3);
  }
  if (query.created_after_ns) {
    s.bind(4, *query.created_after_ns);
  } else {
    s.bind_null(4);
  }
  s.bind(5, int64_t{query.limit});
  std::vector<PaymentRequest> page;
  Status read = each_row(s, [&](const Statement& row) { page.push_back(request_from(row)); });
  if (!read.ok()) return read.error();
  return page;
}

Result<std::vector<PaymentRequest>> SqliteRequestArchive::list_for_merchant(
    const Id128& merchant, const RequestListQuery& query) {
  return list("merchant_id", merchant, query);
}

Result<std::vector<PaymentRequest>> SqliteRequestArchive::list_for_payer(
    const Id128& payer, const RequestListQuery& query) {
  return list("payer_id", payer, query);
}

Result<std::vector<ArchivedCharge>> SqliteRequestArchive::phone_bill_charges(const Id128& payer,
                                                                             int64_t from_ns,
                                                                             int64_t to_ns) {
  ReaderLease db = borrow_reader();
  // "funding = 3" as written in the partial index's WHERE, so that the planner can use it.
  StatementResult select = db->prepare(
      "SELECT id, captured_minor - refunded_minor FROM payment_request_archive "
      "WHERE payer_id = ? AND funding = 3 AND charged_at_ns >= ? AND charged_at_ns < ? "
      "AND status IN (6, 8) ORDER BY id");
  if (!select.ok()) return select.error();
  return charges_of((*select)->bind(1, payer).bind(2, from_ns).bind(3, to_ns));
}

Result<std::vector<ArchivedCharge>> SqliteRequestArchive::mandate_charges(const Id128& mandate,
                                                                          int64_t from_ns) {
  ReaderLease db = borrow_reader();
  StatementResult select = db->prepare(
      "SELECT id, captured_minor - refunded_minor FROM payment_request_archive "
      "WHERE mandate_id = ? AND charged_at_ns >= ? AND status = 6 ORDER BY id");
  if (!select.ok()) return select.error();
  return charges_of((*select)->bind(1, mandate).bind(2, from_ns));
}

Result<bool> SqliteRequestArchive::has_reference(const Id128& merchant,
                                                 std::string_view reference) {
  ReaderLease db = borrow_reader();
  StatementResult select = db->prepare(
      "SELECT 1 FROM payment_request_archive WHERE merchant_id = ? AND merchant_reference = ?");
  if (!select.ok()) return select.error();
  return (*select)->bind(1, merchant).bind(2, reference).step();
}

Result<uint64_t> SqliteRequestArchive::count() {
  ReaderLease db = borrow_reader();
  StatementResult select = db->prepare("SELECT count(*) FROM payment_request_archive");
  if (!select.ok()) return select.error();
  Result<bool> row = (*select)->step();
  if (!row.ok()) return row.error();
  MPAY_CHECK(*row, "count(*) returned no row");
  return static_cast<uint64_t>((*select)->column_int64(0));
}

}  // namespace mpay::store::sqlite
