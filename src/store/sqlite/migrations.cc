#include "store/sqlite/migrations.h"

#include <array>
#include <string>

namespace mpay::store::sqlite {
namespace {

constexpr std::array kJournalMigrations{
    Migration{1, "journal", R"sql(
      -- One row per batch: the batch's whole journal record (see src/ledger/journal_format.h).
      CREATE TABLE journal (
        seq    INTEGER PRIMARY KEY,
        record BLOB NOT NULL
      );
    )sql"},
};

constexpr std::array kMainMigrations{
    Migration{1, "idempotency keys", R"sql(
      -- Idempotency-Key records (src/api/idempotency.h): the request that claimed the key (as a
      -- SHA-256 digest) and, once it completed, the response to replay. Kept for 24 hours.
      CREATE TABLE idempotency_keys (
        scope          TEXT NOT NULL,     -- the authenticated principal
        key            TEXT NOT NULL,
        request_digest BLOB NOT NULL,
        state          TEXT NOT NULL CHECK (state IN ('in_progress', 'completed')),
        status         INTEGER NOT NULL DEFAULT 0,
        content_type   TEXT NOT NULL DEFAULT '',
        body           BLOB NOT NULL DEFAULT x'',
        created_at_ns  INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at_ns);
    )sql"},
    Migration{2, "wallet", R"sql(
      -- Wallet users. Personal data only sealed (AEAD) or as a keyed digest; see wallet_records.h.
      CREATE TABLE users (
        id                  BLOB PRIMARY KEY CHECK (length(id) = 16),
        phone_digest        BLOB NOT NULL UNIQUE CHECK (length(phone_digest) = 32),
        phone_key_id        INTEGER NOT NULL,
        phone_sealed        BLOB NOT NULL,
        wallet_account_id   BLOB NOT NULL UNIQUE CHECK (length(wallet_account_id) = 16),
        currency            INTEGER NOT NULL CHECK (currency BETWEEN 0 AND 65535),
        kyc_level           INTEGER NOT NULL CHECK (kyc_level BETWEEN 0 AND 2),
        status              TEXT NOT NULL CHECK (status IN ('active', 'frozen')),
        full_name_sealed    BLOB NOT NULL,
        document_type       TEXT NOT NULL,
        document_sealed     BLOB NOT NULL,
        document_masked     TEXT NOT NULL,
        birth_date          TEXT NOT NULL,
        pin_key_id          INTEGER NOT NULL,
        pin_digest          BLOB NOT NULL CHECK (length(pin_digest) = 32),
        pin_failures        INTEGER NOT NULL,
        pin_locked_until_ns INTEGER NOT NULL,
        created_at_ns       INTEGER NOT NULL
      ) STRICT;

      -- One outstanding one-time code per phone and purpose.
      CREATE TABLE otp_challenges (
        phone_digest  BLOB NOT NULL CHECK (length(phone_digest) = 32),
        purpose       TEXT NOT NULL,
        code_digest   BLOB NOT NULL CHECK (length(code_digest) = 32),
        expires_at_ns INTEGER NOT NULL,
        attempts      INTEGER NOT NULL,
        consumed      INTEGER NOT NULL CHECK (consumed IN (0, 1)),
        PRIMARY KEY (phone_digest, purpose)
      ) STRICT, WITHOUT ROWID;

      -- Fixed-window event counters; rows of past windows are deleted lazily.
      CREATE TABLE rate_counters (
        key             TEXT NOT NULL,
        window_start_ns INTEGER NOT NULL,
        window_end_ns   INTEGER NOT NULL,
        count           INTEGER NOT NULL,
        PRIMARY KEY (key, window_start_ns)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX rate_counters_by_end ON rate_counters (window_end_ns);

      CREATE TABLE sessions (
        token_digest  BLOB PRIMARY KEY CHECK (length(token_digest) = 32),
        user_id       BLOB NOT NULL CHECK (length(user_id) = 16),
        device_digest BLOB NOT NULL CHECK (length(device_digest) = 32),
        created_at_ns INTEGER NOT NULL,
        expires_at_ns INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sessions_by_user ON sessions (user_id);

      CREATE TABLE devices (
        user_id       BLOB NOT NULL CHECK (length(user_id) = 16),
        device_digest BLOB NOT NULL CHECK (length(device_digest) = 32),
        first_seen_ns INTEGER NOT NULL,
        PRIMARY KEY (user_id, device_digest)
      ) STRICT, WITHOUT ROWID;

      -- Sealed notes can be a few hundred bytes: an ordinary rowid table suits them better.
      CREATE TABLE transfer_notes (
        transfer_id BLOB PRIMARY KEY CHECK (length(transfer_id) = 16),
        note_sealed BLOB NOT NULL
      ) STRICT;

      CREATE TABLE bank_accounts (
        id                 BLOB PRIMARY KEY CHECK (length(id) = 16),
        user_id            BLOB NOT NULL CHECK (length(user_id) = 16),
        bank_code          TEXT NOT NULL,
        bank_account_token TEXT NOT NULL,
        masked_number      TEXT NOT NULL,
        created_at_ns      INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX bank_accounts_by_user ON bank_accounts (user_id, created_at_ns);

      CREATE TABLE bank_orders (
        reference          TEXT PRIMARY KEY,
        kind               TEXT NOT NULL CHECK (kind IN ('top_up', 'withdrawal')),
        user_id            BLOB NOT NULL CHECK (length(user_id) = 16),
        bank_account_id    BLOB NOT NULL CHECK (length(bank_account_id) = 16),
        amount_minor       INTEGER NOT NULL,
        currency           INTEGER NOT NULL CHECK (currency BETWEEN 0 AND 65535),
        ledger_transfer_id BLOB NOT NULL CHECK (length(ledger_transfer_id) = 16),
        status             TEXT NOT NULL
                           CHECK (status IN ('pending', 'confirmed', 'declined', 'timed_out')),
        decline_code       TEXT NOT NULL,
        created_at_ns      INTEGER NOT NULL,
        updated_at_ns      INTEGER NOT NULL
      ) STRICT;
      -- Only pending orders are indexed: the sweeper asks for them, the rest stay out of the way.
      CREATE INDEX bank_orders_pending ON bank_orders (created_at_ns) WHERE status = 'pending';

      -- Append-only, hash-chained (see sqlite_wallet_repository.h).
      CREATE TABLE audit_log (
        seq            INTEGER PRIMARY KEY AUTOINCREMENT,
        at_ns          INTEGER NOT NULL,
        actor          TEXT NOT NULL,
        action         TEXT NOT NULL,
        target         TEXT NOT NULL,
        remote_address TEXT NOT NULL,
        request_id     TEXT NOT NULL,
        details        TEXT NOT NULL,
        prev_hash      BLOB NOT NULL CHECK (length(prev_hash) = 32),
        hash           BLOB NOT NULL CHECK (length(hash) = 32)
      ) STRICT;
    )sql"},
    Migration{3, "merchants", R"sql(
      -- Merchants (src/payments/merchant/merchant_records.h). Secrets and the settlement account
      -- only sealed (AEAD, associated data = row and column); masks are safe to show.
      CREATE TABLE merchants (
        id                        BLOB PRIMARY KEY CHECK (length(id) = 16),
        legal_name                TEXT NOT NULL,
        display_name              TEXT NOT NULL,
        mcc                       TEXT NOT NULL CHECK (length(mcc) = 4),
        country                   TEXT NOT NULL CHECK (length(country) = 2),
        city                      TEXT NOT NULL,
        fee_bps                   INTEGER NOT NULL CHECK (fee_bps BETWEEN 0 AND 10000),
        settlement_bank_code      TEXT NOT NULL,
        settlement_account_sealed BLOB NOT NULL,
        settlement_account_masked TEXT NOT NULL,
        settlement_holder_sealed  BLOB NOT NULL,
        settlement_holder_masked  TEXT NOT NULL,
        webhook_url               TEXT NOT NULL,
        webhook_secret_sealed     BLOB NOT NULL,
        status                    TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
        created_at_ns             INTEGER NOT NULL,
        updated_at_ns             INTEGER NOT NULL
      ) STRICT;

      -- One ledger account per merchant and accepted currency.
      CREATE TABLE merchant_accounts (
        merchant_id BLOB NOT NULL CHECK (length(merchant_id) = 16),
        currency    INTEGER NOT NULL CHECK (currency BETWEEN 0 AND 65535),
        account_id  BLOB NOT NULL UNIQUE CHECK (length(account_id) = 16),
        PRIMARY KEY (merchant_id, currency)
      ) STRICT, WITHOUT ROWID;

      -- API keys. future_reserved_until_s: see src/payments/merchant/request_verifier.h.
      CREATE TABLE merchant_keys (
        key_id                  TEXT PRIMARY KEY,
        merchant_id             BLOB NOT NULL CHECK (length(merchant_id) = 16),
        secret_sealed           BLOB NOT NULL,
        status                  TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
        created_at_ns           INTEGER NOT NULL,
        revoked_at_ns           INTEGER NOT NULL,
        future_reserved_until_s INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX merchant_keys_by_merchant ON merchant_keys (merchant_id, created_at_ns);
    )sql"},
    Migration{4, "payment requests", R"sql(
      -- Payment requests as the merchant created them. Their statuses live in the ledger journal
      -- (application events), never here.
      CREATE TABLE payment_requests (
        id                 BLOB PRIMARY KEY CHECK (length(id) = 16),
        merchant_id        BLOB NOT NULL CHECK (length(merchant_id) = 16),
        merchant_reference TEXT NOT NULL,
        payer_id           BLOB NOT NULL CHECK (length(payer_id) = 16),
        payer_phone_masked TEXT NOT NULL,
        amount_minor       INTEGER NOT NULL CHECK (amount_minor > 0),
        currency           INTEGER NOT NULL,
        description        TEXT NOT NULL,
        metadata_json      TEXT NOT NULL,
        capture            TEXT NOT NULL CHECK (capture IN ('automatic', 'manual')),
        created_at_ns      INTEGER NOT NULL,
        expires_at_ns      INTEGER NOT NULL,
        mandate_id         BLOB,
        UNIQUE (merchant_id, merchant_reference)
      ) STRICT;
      CREATE TABLE payment_refunds (
        id            BLOB PRIMARY KEY CHECK (length(id) = 16),
        request_id    BLOB NOT NULL REFERENCES payment_requests (id),
        amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
        reason        TEXT NOT NULL,
        created_at_ns INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE mandates (
        id                   BLOB PRIMARY KEY CHECK (length(id) = 16),
        user_id              BLOB NOT NULL CHECK (length(user_id) = 16),
        merchant_id          BLOB NOT NULL CHECK (length(merchant_id) = 16),
        currency             INTEGER NOT NULL,
        per_charge_max_minor INTEGER NOT NULL CHECK (per_charge_max_minor > 0),
        monthly_max_minor    INTEGER NOT NULL CHECK (monthly_max_minor > 0),
        created_at_ns        INTEGER NOT NULL,
        revoked_at_ns        INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      -- The carrier that bills each subscriber's phone bill, set by an operator.
      CREATE TABLE subscriber_carriers (
        user_id       BLOB PRIMARY KEY CHECK (length(user_id) = 16),
        carrier       TEXT NOT NULL,
        updated_at_ns INTEGER NOT NULL
      ) STRICT;
      -- Confirmations paid from a bank account that were handed to the bank (finished at start-up
      -- if the process stopped before the bank answered).
      CREATE TABLE payment_bank_pulls (
        request_id      BLOB PRIMARY KEY CHECK (length(request_id) = 16),
        bank_account_id BLOB NOT NULL,
        reference       TEXT NOT NULL UNIQUE,
        started_at_ns   INTEGER NOT NULL
      ) STRICT;
    )sql"},
    Migration{5, "payment_code_devices", R"sql(
      -- Phones that show consumer-presented payment codes (src/channels/qr/payment_code). The
      -- device number is inside every code; secret_sealed is the device's HMAC key sealed with the
      -- "pii" key, bound to the row's id. last_counter spends codes (only newer ones pass);
      -- failed_attempts and locked_at_ns are the durable lockout. Rows are never deleted, so a
      -- revoked device's number is never handed out again.
      CREATE TABLE payment_code_devices (
        id              BLOB PRIMARY KEY CHECK (length(id) = 16),
        user_id         BLOB NOT NULL CHECK (length(user_id) = 16),
        device_number   INTEGER NOT NULL UNIQUE CHECK (device_number BETWEEN 10000000 AND 99999999),
        label           TEXT NOT NULL,
        secret_sealed   BLOB NOT NULL,
        created_at_ns   INTEGER NOT NULL,
        revoked_at_ns   INTEGER NOT NULL DEFAULT 0,
        last_counter    INTEGER NOT NULL DEFAULT 0 CHECK (last_counter >= 0),
        failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
        locked_at_ns    INTEGER NOT NULL DEFAULT 0
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX payment_code_devices_by_user ON payment_code_devices (user_id, created_at_ns);
    )sql"},
    Migration{6, "qr codes", R"sql(
      -- Merchants' QR codes (src/channels/qr). A dynamic code's claim names its first scanner;
      -- claimed_by is written once (the UPDATE checks it is still NULL).
      CREATE TABLE qr_merchant_codes (
        id                 BLOB PRIMARY KEY CHECK (length(id) = 16),
        merchant_id        BLOB NOT NULL CHECK (length(merchant_id) = 16),
        kind               TEXT NOT NULL CHECK (kind IN ('static', 'dynamic')),
        token              TEXT NOT NULL UNIQUE,
        payload            TEXT NOT NULL,
        currency           INTEGER NOT NULL,
        amount_minor       INTEGER NOT NULL CHECK (amount_minor >= 0),
        merchant_reference TEXT NOT NULL,
        description        TEXT NOT NULL,
        terminal_label     TEXT NOT NULL,
        metadata_json      TEXT NOT NULL,
        created_at_ns      INTEGER NOT NULL,
        expires_at_ns      INTEGER NOT NULL,
        deactivated_at_ns  INTEGER NOT NULL DEFAULT 0,
        claimed_by         BLOB,
        claimed_at_ns      INTEGER NOT NULL DEFAULT 0,
        request_id         BLOB
      ) STRICT;
      CREATE INDEX qr_merchant_codes_by_merchant ON qr_merchant_codes (merchant_id, id);
      -- A user's own limit for payment codes charged without confirmation (minor units).
      CREATE TABLE payment_code_limits (
        user_id       BLOB PRIMARY KEY CHECK (length(user_id) = 16),
        limit_minor   INTEGER NOT NULL CHECK (limit_minor >= 0),
        updated_at_ns INTEGER NOT NULL
      ) STRICT;
    )sql"},
    Migration{7, "payment request archive", R"sql(
      -- Final, quiet payment requests that left mpayd's memory (payments/requests/
      -- request_archive.h): terms and state (the state as the journal's events made it, up to
      -- last_event_ts) in one row. A request written here is skipped when payment_requests and
      -- payment_refunds are loaded at start-up; the book loads it back from here when it needs it.
      -- Enum columns hold the records' numbers (request_records.h, never renumbered).
      CREATE TABLE payment_request_archive (
        id                          BLOB PRIMARY KEY CHECK (length(id) = 16),
        merchant_id                 BLOB NOT NULL CHECK (length(merchant_id) = 16),
        merchant_reference          TEXT NOT NULL,
        payer_id                    BLOB NOT NULL CHECK (length(payer_id) = 16),
        payer_phone_masked          TEXT NOT NULL,
        amount_minor                INTEGER NOT NULL CHECK (amount_minor > 0),
        currency                    INTEGER NOT NULL CHECK (currency BETWEEN 0 AND 65535),
        description                 TEXT NOT NULL,
        metadata_json               TEXT NOT NULL,
        capture                     TEXT NOT NULL CHECK (capture IN ('automatic', 'manual')),
        created_at_ns               INTEGER NOT NULL,
        expires_at_ns               INTEGER NOT NULL,
        mandate_id                  BLOB CHECK (mandate_id IS NULL OR length(mandate_id) = 16),
        status                      INTEGER NOT NULL CHECK (status BETWEEN 1 AND 9),
        funding                     INTEGER NOT NULL CHECK (funding BETWEEN 0 AND 3),
        authorized_minor            INTEGER NOT NULL CHECK (authorized_minor >= 0),
        captured_minor              INTEGER NOT NULL CHECK (captured_minor >= 0),
        fee_minor                   INTEGER NOT NULL CHECK (fee_minor >= 0),
        refunded_minor              INTEGER NOT NULL CHECK (refunded_minor >= 0),
        fee_returned_minor          INTEGER NOT NULL CHECK (fee_returned_minor >= 0),
        hold_id                     BLOB NOT NULL CHECK (length(hold_id) = 16),    -- zeros: none
        charge_id                   BLOB NOT NULL CHECK (length(charge_id) = 16),  -- zeros: none
        authorization_expires_at_ns INTEGER NOT NULL,
        failure                     INTEGER NOT NULL CHECK (failure BETWEEN 0 AND 65535),
        updated_at_ns               INTEGER NOT NULL,
        refund_count                INTEGER NOT NULL CHECK (refund_count BETWEEN 0 AND 4294967295),
        charged_at_ns               INTEGER NOT NULL,
        last_event_ts               INTEGER NOT NULL CHECK (last_event_ts >= 0),
        UNIQUE (merchant_id, merchant_reference)
      ) STRICT;
      -- Lists page by id within a merchant or a payer; usage sums read one payer's phone-bill
      -- charges (funding 3) or one mandate's charges by month.
      CREATE INDEX payment_request_archive_by_merchant ON payment_request_archive (merchant_id, id);
      CREATE INDEX payment_request_archive_by_payer ON payment_request_archive (payer_id, id);
      CREATE INDEX payment_request_archive_phone_bill ON payment_request_archive
        (payer_id, charged_at_ns) WHERE funding = 3;
      CREATE INDEX payment_request_archive_by_mandate ON payment_request_archive
        (mandate_id, charged_at_ns) WHERE mandate_id IS NOT NULL;

      -- The archived requests' refunds, as the journal settled them. A refund created after its
      -- request was archived is only in payment_refunds until the request is archived again.
      CREATE TABLE payment_refund_archive (
        id                     BLOB PRIMARY KEY CHECK (length(id) = 16),
        request_id             BLOB NOT NULL CHECK (length(request_id) = 16),
        amount_minor           INTEGER NOT NULL CHECK (amount_minor > 0),
        reason                 TEXT NOT NULL,
        created_at_ns          INTEGER NOT NULL,
        status                 INTEGER NOT NULL CHECK (status IN (0, 1, 2)),
        fee_returned_minor     INTEGER NOT NULL CHECK (fee_returned_minor >= 0),
        settled_at_ns          INTEGER NOT NULL,
        fee_returned_with_hold INTEGER NOT NULL CHECK (fee_returned_with_hold IN (0, 1))
      ) STRICT;
      CREATE INDEX payment_refund_archive_by_request ON payment_refund_archive (request_id);
      -- An archived request's refunds not yet archived are found by their request.
      CREATE INDEX payment_refunds_by_request ON payment_refunds (request_id);

      -- The ledger transfers that name an archived request (payment, capture, refunds).
      CREATE TABLE payment_request_archive_transfers (
        transfer_id BLOB PRIMARY KEY CHECK (length(transfer_id) = 16),
        request_id  BLOB NOT NULL CHECK (length(request_id) = 16)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX payment_request_archive_transfers_by_request
        ON payment_request_archive_transfers (request_id);

      -- The replay mark: start-up reads the journal's events from this ledger time on.
      CREATE TABLE payment_request_archive_mark (
        singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
        replay_from INTEGER NOT NULL CHECK (replay_from >= 0)
      ) STRICT;
      INSERT INTO payment_request_archive_mark (singleton, replay_from) VALUES (1, 0);
    )sql"},
};

constexpr std::array kProjectionMigrations{
    Migration{1, "ledger projections", R"sql(
      -- Created transfers, keyed by their unique ledger timestamp (append order).
      CREATE TABLE transfers (
        timestamp          INTEGER PRIMARY KEY,
        id                 BLOB NOT NULL,
        seq                INTEGER NOT NULL,
        debit_account_id   BLOB NOT NULL,
        credit_account_id  BLOB NOT NULL,
        pending_id         BLOB,
        amount             INTEGER NOT NULL,
        amount_applied     INTEGER NOT NULL,
        amount_released    INTEGER NOT NULL,
        user_data          INTEGER NOT NULL,
        timeout_s          INTEGER NOT NULL,
        currency           INTEGER NOT NULL,
        code               INTEGER NOT NULL,
        flags              INTEGER NOT NULL,
        defaulted          INTEGER NOT NULL,
        status             INTEGER NOT NULL,  -- PendingStatus: 0 none, 1 pending, 2 posted, 3 voided, 4 expired
        resolved_timestamp INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE transfer_ids (
        id        BLOB PRIMARY KEY,
        timestamp INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE account_transfers (
        account_id BLOB NOT NULL,
        timestamp  INTEGER NOT NULL,
        PRIMARY KEY (account_id, timestamp)
      ) WITHOUT ROWID;
      -- Rejections remembered against their id (id_already_failed on retry).
      CREATE TABLE failed_transfers (
        id                BLOB PRIMARY KEY,
        seq               INTEGER NOT NULL,
        timestamp         INTEGER NOT NULL,
        result            INTEGER NOT NULL,
        debit_account_id  BLOB NOT NULL,
        credit_account_id BLOB NOT NULL,
        pending_id        BLOB NOT NULL,
        amount            INTEGER NOT NULL,
        user_data         INTEGER NOT NULL,
        timeout_s         INTEGER NOT NULL,
        currency          INTEGER NOT NULL,
        code              INTEGER NOT NULL,
        flags             INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE accounts (
        id              BLOB PRIMARY KEY,
        timestamp       INTEGER NOT NULL,
        seq             INTEGER NOT NULL,
        user_data       INTEGER NOT NULL,
        currency        INTEGER NOT NULL,
        kind            INTEGER NOT NULL,
        flags           INTEGER NOT NULL,
        code            INTEGER NOT NULL,
        debits_pending  INTEGER NOT NULL DEFAULT 0,
        debits_posted   INTEGER NOT NULL DEFAULT 0,
        credits_pending INTEGER NOT NULL DEFAULT 0,
        credits_posted  INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE TABLE projection_state (
        name        TEXT PRIMARY KEY,
        applied_seq INTEGER NOT NULL
      );
      INSERT INTO projection_state (name, applied_seq) VALUES ('ledger', 0);
    )sql"},
    Migration{2, "application events", R"sql(
      -- Applied application events (ledger AppEvent), keyed by their unique ledger timestamp.
      CREATE TABLE app_events (
        timestamp  INTEGER PRIMARY KEY,
        seq        INTEGER NOT NULL,
        id         BLOB NOT NULL,
        subject_id BLOB NOT NULL,
        ref_id     BLOB NOT NULL,
        amount     INTEGER NOT NULL,
        amount2    INTEGER NOT NULL,
        user_data  INTEGER NOT NULL,
        kind       INTEGER NOT NULL,
        status     INTEGER NOT NULL,
        currency   INTEGER NOT NULL
      );
    )sql"},
    Migration{3, "application event payloads", R"sql(
      -- The bytes an application event carries (ledger AppEvent::payload, e.g. a payment
      -- request's terms); empty for events without one.
      ALTER TABLE app_events ADD COLUMN payload BLOB NOT NULL DEFAULT x'';
    )sql"},
};

constexpr std::array kWebhookMigrations{
    Migration{1, "webhook outbox", R"sql(
      -- Events to tell merchants about (src/notify/webhooks/webhook_outbox.h); the event id makes
      -- enqueue idempotent. payload_json is the event's "data" object.
      CREATE TABLE webhook_events (
        event_id      TEXT PRIMARY KEY,
        merchant_id   BLOB NOT NULL CHECK (length(merchant_id) = 16),
        subject_id    TEXT NOT NULL,
        type          TEXT NOT NULL,
        payload_json  TEXT NOT NULL,
        created_at_ns INTEGER NOT NULL
      ) STRICT;

      -- One row per delivery of an event (a replay adds another). seq is the order of arrival:
      -- a subject's deliveries are sent in seq order. is_head marks the oldest pending delivery
      -- of its (merchant, subject), the only one that may be attempted.
      CREATE TABLE webhook_deliveries (
        seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
        id                  BLOB NOT NULL UNIQUE CHECK (length(id) = 16),
        event_id            TEXT NOT NULL REFERENCES webhook_events (event_id),
        merchant_id         BLOB NOT NULL CHECK (length(merchant_id) = 16),
        subject_id          TEXT NOT NULL,
        type                TEXT NOT NULL,
        status              TEXT NOT NULL
                            CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
        is_head             INTEGER NOT NULL CHECK (is_head IN (0, 1)),
        attempts            INTEGER NOT NULL,
        first_attempt_at_ns INTEGER NOT NULL,
        next_attempt_at_ns  INTEGER NOT NULL,
        last_http_status    INTEGER NOT NULL,
        last_error          TEXT NOT NULL,
        created_at_ns       INTEGER NOT NULL,
        finished_at_ns      INTEGER NOT NULL,
        replay_of           BLOB
      ) STRICT;
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at_ns)
        WHERE status = 'pending' AND is_head = 1;
      CREATE INDEX webhook_deliveries_pending_by_subject
        ON webhook_deliveries (merchant_id, subject_id, seq) WHERE status = 'pending';
      CREATE INDEX webhook_deliveries_by_merchant ON webhook_deliveries (merchant_id, seq);
      CREATE INDEX webhook_deliveries_by_subject ON webhook_deliveries (merchant_id, subject_id, seq);
      CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at_ns)
        WHERE status != 'pending';
      CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id);

      -- Every attempt of a delivery: when, how long, and what came back.
      CREATE TABLE webhook_attempts (
        delivery_seq INTEGER NOT NULL,
        number       INTEGER NOT NULL,
        at_ns        INTEGER NOT NULL,
        http_status  INTEGER NOT NULL,
        error        TEXT NOT NULL,
        duration_ns  INTEGER NOT NULL,
        PRIMARY KEY (delivery_seq, number)
      ) STRICT, WITHOUT ROWID;
    )sql"},
};

}  // namespace

std::span<const Migration> journal_migrations() { return kJournalMigrations; }
std::span<const Migration> main_migrations() { return kMainMigrations; }
std::span<const Migration> projection_migrations() { return kProjectionMigrations; }
std::span<const Migration> webhook_migrations() { return kWebhookMigrations; }

Status migrate(SqliteDatabase& db, std::span<const Migration> migrations, int64_t now_ns) {
  Status created = db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ns INTEGER NOT NULL)");
  if (!created.ok()) return created;
  Result<std::unique_ptr<Statement>> current =
      db.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!current.ok()) return current.error();
  Result<bool> row = (*current)->step();
  if (!row.ok()) return row.error();
  int64_t applied = (*current)->column_int64(0);
  current->reset();

  int64_t newest_known = migrations.empty() ? 0 : migrations.back().version;
  if (applied > newest_known) {
    return Error("schema_too_new", db.path() + " has schema version " + std::to_string(applied) +
                                       "; this binary knows up to " + std::to_string(newest_known));
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= applied) continue;
    Status status = in_transaction(db, [&]() -> Status {
      Status ran = db.exec(migration.sql);
      if (!ran.ok()) return ran;
      Result<std::unique_ptr<Statement>> insert = db.prepare(
          "INSERT INTO schema_migrations (version, name, applied_at_ns) VALUES (?, ?, ?)");
      if (!insert.ok()) return insert.error();
      return (*insert)->bind(1, int64_t{migration.version}).bind(2, migration.name).bind(3, now_ns).run();
    });
    if (!status.ok()) return status;
  }
  return ok_status();
}

}  // namespace mpay::store::sqlite
