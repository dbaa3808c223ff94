-- Certwright schema, shared by SQLite and PostgreSQL. Timestamps are epoch milliseconds (BIGINT).
-- ${id_column} is the only type that differs: an auto-increment primary key on each database.

CREATE TABLE certificates (
    id                 ${id_column},
    serial             VARCHAR(40)  NOT NULL UNIQUE,
    status             VARCHAR(16)  NOT NULL,
    requester          TEXT         NOT NULL,
    provisioner        TEXT         NOT NULL,
    tbs_sha256         VARCHAR(64)  NOT NULL,
    names              TEXT         NOT NULL,
    spiffe_id          TEXT,
    not_before         BIGINT       NOT NULL,
    not_after          BIGINT       NOT NULL,
    profile            VARCHAR(32)  NOT NULL,
    subject            TEXT         NOT NULL,
    recorded_at        BIGINT       NOT NULL,
    pem                TEXT,
    sha256             VARCHAR(64),
    issuer             TEXT,
    key_algorithm      TEXT,
    signed_at          BIGINT,
    revoked_at         BIGINT,
    revocation_reason  INTEGER
);

CREATE INDEX certificates_not_after ON certificates (not_after);
CREATE INDEX certificates_status ON certificates (status);
CREATE INDEX certificates_spiffe_id ON certificates (spiffe_id);

CREATE TABLE certificate_dns_names (
    serial  VARCHAR(40) NOT NULL REFERENCES certificates (serial),
    name    TEXT        NOT NULL
);

CREATE INDEX certificate_dns_names_serial ON certificate_dns_names (serial);
CREATE INDEX certificate_dns_names_name ON certificate_dns_names (name);

CREATE TABLE audit_log (
    sequence       BIGINT      NOT NULL PRIMARY KEY,
    occurred_at    BIGINT      NOT NULL,
    actor          TEXT        NOT NULL,
    action         TEXT        NOT NULL,
    target         TEXT        NOT NULL,
    outcome        VARCHAR(16) NOT NULL,
    details        TEXT        NOT NULL,
    previous_hash  VARCHAR(64) NOT NULL,
    hash           VARCHAR(64) NOT NULL
);

CREATE TABLE api_tokens (
    id           VARCHAR(128) NOT NULL PRIMARY KEY,
    name         TEXT         NOT NULL,
    role         VARCHAR(16)  NOT NULL,
    secret_hash  VARCHAR(64)  NOT NULL UNIQUE,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT,
    revoked      INTEGER      NOT NULL DEFAULT 0
);

CREATE TABLE provisioners (
    name        VARCHAR(255) NOT NULL PRIMARY KEY,
    kind        VARCHAR(16)  NOT NULL,
    definition  TEXT         NOT NULL,
    updated_at  BIGINT       NOT NULL
);

CREATE TABLE enrollment_tokens (
    id           VARCHAR(128) NOT NULL PRIMARY KEY,
    provisioner  VARCHAR(255) NOT NULL,
    secret_hash  VARCHAR(64)  NOT NULL UNIQUE,
    names        TEXT         NOT NULL,
    expires_at   BIGINT       NOT NULL,
    used_at      BIGINT
);
