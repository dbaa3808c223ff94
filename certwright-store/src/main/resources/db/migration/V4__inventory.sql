-- The inventory and expiry alerting. Times are epoch milliseconds; ${blob_column} is BYTEA on PostgreSQL
-- and BLOB on SQLite; ${id_column} is the auto-increment primary key of each database.
-- Free-text columns hold text escaped so that both databases keep it exactly (see Codec.storedText).

-- One row per certificate, keyed by the SHA-256 fingerprint of its DER (64 lowercase hex digits).
-- version is the optimistic-concurrency version: a replace names the version it read in its WHERE clause.
-- details holds the rest of the entry as JSON (facts, ownership, sightings); not_after and owner are copied
-- out of it only to be indexed. chain is the issuer certificates' DER, each prefixed with its length.
CREATE TABLE inventory_certificates (
    fingerprint   VARCHAR(64)    NOT NULL PRIMARY KEY,
    version       BIGINT         NOT NULL,
    not_after     BIGINT         NOT NULL,
    owner         TEXT,
    issued_by_us  INTEGER        NOT NULL,
    revoked_at    BIGINT,
    first_seen    BIGINT         NOT NULL,
    last_seen     BIGINT         NOT NULL,
    details       TEXT           NOT NULL,
    der           ${blob_column} NOT NULL,
    chain         ${blob_column} NOT NULL
);

-- Certificates expiring before a time, soonest first.
CREATE INDEX inventory_certificates_not_after ON inventory_certificates (not_after);
-- Certificates of one owner (also in notAfter order).
CREATE INDEX inventory_certificates_owner ON inventory_certificates (owner, not_after);

-- Alert claims: one row per notification that went out (or is going out) on one channel. The primary key
-- is the SHA-256 of the claim key, so that claims are unique however long the key is; inserting with
-- ON CONFLICT DO NOTHING lets exactly one of any number of replicas claim a key.
CREATE TABLE alert_claims (
    key_sha256  VARCHAR(64) NOT NULL PRIMARY KEY,
    claim_key   TEXT        NOT NULL,
    subject     TEXT        NOT NULL,
    kind        VARCHAR(32) NOT NULL,
    channel     TEXT        NOT NULL,
    claimed_at  BIGINT      NOT NULL
);

-- Finds the resolution of a subject on a channel, for the open-claims query.
CREATE INDEX alert_claims_subject ON alert_claims (subject, channel, kind);

-- Silences of one certificate (target_kind 'certificate', target its fingerprint) or one owner ('owner').
CREATE TABLE alert_silences (
    id           VARCHAR(36) NOT NULL PRIMARY KEY,
    target_kind  VARCHAR(16) NOT NULL,
    target       TEXT        NOT NULL,
    ends_at      BIGINT      NOT NULL,
    reason       TEXT        NOT NULL
);

CREATE INDEX alert_silences_ends_at ON alert_silences (ends_at);

-- The delivery log, newest last by id.
CREATE TABLE alert_deliveries (
    id               ${id_column},
    delivered_at     BIGINT      NOT NULL,
    notification_id  TEXT        NOT NULL,
    kind             VARCHAR(32) NOT NULL,
    channel_type     TEXT        NOT NULL,
    channel          TEXT        NOT NULL,
    target           TEXT        NOT NULL,
    outcome          VARCHAR(16) NOT NULL,
    attempts         INTEGER     NOT NULL,
    error            TEXT
);

-- Pruning records older than the retention.
CREATE INDEX alert_deliveries_delivered_at ON alert_deliveries (delivered_at);
