-- The ACME server's state (JdbcAcmeStore). Times are epoch milliseconds; ${blob_column} is BYTEA on
-- PostgreSQL and BLOB on SQLite. Text columns hold text escaped so that both databases keep it exactly (see
-- Codec.storedText); list and challenge columns hold ASCII-only JSON.
-- version is the compare-and-set version: an update names the version it replaces in its WHERE clause.
-- There are no foreign keys between these tables: every write is checked by the ACME server, and rows are
-- never deleted one by one except EAB keys, whose accounts keep the key id as a record.

-- contacts is a JSON array of strings. One key is one account's key per provisioner.
CREATE TABLE acme_accounts (
    id              TEXT        NOT NULL PRIMARY KEY,
    provisioner     TEXT        NOT NULL,
    key_thumbprint  TEXT        NOT NULL,
    jwk             TEXT        NOT NULL,
    contacts        TEXT        NOT NULL,
    status          VARCHAR(16) NOT NULL,
    created_at      BIGINT      NOT NULL,
    eab_key_id      TEXT,
    version         BIGINT      NOT NULL,
    CONSTRAINT acme_accounts_key UNIQUE (provisioner, key_thumbprint)
);

-- identifiers is a JSON array of {"type", "value"} objects, authorization_ids a JSON array of strings.
CREATE TABLE acme_orders (
    id                  TEXT        NOT NULL PRIMARY KEY,
    account_id          TEXT        NOT NULL,
    provisioner         TEXT        NOT NULL,
    status              VARCHAR(16) NOT NULL,
    expires_at          BIGINT      NOT NULL,
    identifiers         TEXT        NOT NULL,
    not_before          BIGINT,
    not_after           BIGINT,
    authorization_ids   TEXT        NOT NULL,
    error               TEXT,
    certificate_serial  TEXT,
    replaces            TEXT,
    created_at          BIGINT      NOT NULL,
    version             BIGINT      NOT NULL
);

-- An account's orders newest first, paged by (created_at, id).
CREATE INDEX acme_orders_account ON acme_orders (account_id, created_at, id);

-- challenges is a JSON array of the authorization's challenges, in order.
CREATE TABLE acme_authorizations (
    id                TEXT        NOT NULL PRIMARY KEY,
    account_id        TEXT        NOT NULL,
    provisioner       TEXT        NOT NULL,
    identifier_type   VARCHAR(8)  NOT NULL,
    identifier_value  TEXT        NOT NULL,
    wildcard          INTEGER     NOT NULL,
    status            VARCHAR(16) NOT NULL,
    expires_at        BIGINT      NOT NULL,
    challenges        TEXT        NOT NULL,
    version           BIGINT      NOT NULL
);

-- Finds an account's valid, unexpired authorization of an identifier for reuse, longest-lasting first.
CREATE INDEX acme_authorizations_reuse
    ON acme_authorizations (account_id, identifier_type, identifier_value, wildcard, status, expires_at);

-- Nonces already used, kept until they expire; an insert that conflicts is a replay.
CREATE TABLE acme_used_nonces (
    nonce       TEXT   NOT NULL PRIMARY KEY,
    expires_at  BIGINT NOT NULL
);

CREATE INDEX acme_used_nonces_expires_at ON acme_used_nonces (expires_at);

-- The one secret every replica signs its nonces with: a single row, inserted with ON CONFLICT DO NOTHING
-- so that of two replicas creating it at once, one secret stands.
CREATE TABLE acme_nonce_secret (
    id          INTEGER        NOT NULL PRIMARY KEY CHECK (id = 1),
    secret      ${blob_column} NOT NULL,
    created_at  BIGINT         NOT NULL
);

-- External account binding keys; bound_account is set once, by a conditional update.
CREATE TABLE acme_eab_keys (
    key_id         TEXT           NOT NULL PRIMARY KEY,
    provisioner    TEXT           NOT NULL,
    hmac_key       ${blob_column} NOT NULL,
    created_at     BIGINT         NOT NULL,
    bound_account  TEXT
);

CREATE INDEX acme_eab_keys_provisioner ON acme_eab_keys (provisioner, created_at);

-- Administrators' renewal-window overrides (RFC 9773), read whole.
CREATE TABLE acme_renewal_overrides (
    id               TEXT   NOT NULL PRIMARY KEY,
    serial           TEXT,
    issuer_key_id    TEXT,
    issued_before    BIGINT NOT NULL,
    window_start     BIGINT NOT NULL,
    window_end       BIGINT NOT NULL,
    explanation_url  TEXT,
    created_at       BIGINT NOT NULL
);
