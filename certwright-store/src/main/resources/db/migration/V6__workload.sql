-- Workload identity: registration entries, one-time join tokens and node agents. Times are epoch
-- milliseconds. Lists (selectors, DNS names) are JSON arrays of strings.

-- One row per registration entry. parent is the agent's SPIFFE ID or certwright:node:<glob>; the
-- node API looks entries up by parent, and by the certwright:node: prefix for node selectors.
CREATE TABLE workload_entries (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    spiffe_id     TEXT         NOT NULL,
    parent        VARCHAR(2100) NOT NULL,
    selectors     TEXT         NOT NULL,
    x509_ttl_ms   BIGINT       NOT NULL,
    jwt_ttl_ms    BIGINT       NOT NULL,
    dns_names     TEXT         NOT NULL,
    admin         INTEGER      NOT NULL,
    revision      BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL
);

CREATE INDEX workload_entries_parent ON workload_entries (parent);

-- Join tokens, found by the SHA-256 of their secret; used_at is set once, by a conditional UPDATE.
CREATE TABLE join_tokens (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    node          VARCHAR(63)  NOT NULL,
    secret_hash   VARCHAR(64)  NOT NULL UNIQUE,
    created_at    BIGINT       NOT NULL,
    expires_at    BIGINT       NOT NULL,
    used_at       BIGINT
);

-- Attested node agents, one row per node name. svid_serial is the zero-padded hex serial of its newest SVID.
CREATE TABLE workload_agents (
    name          VARCHAR(63)  NOT NULL PRIMARY KEY,
    spiffe_id     TEXT         NOT NULL,
    svid_serial   VARCHAR(40)  NOT NULL,
    attested_at   BIGINT       NOT NULL,
    last_seen     BIGINT       NOT NULL,
    banned        INTEGER      NOT NULL
);
