-- Revocation: which CA key signed each certificate, a per-key revocation counter for CRL publishers, and
-- the published CRLs. ${blob_column} is BYTEA on PostgreSQL and BLOB on SQLite.
-- V3 (a Java migration, BackfillIssuerKeyIds) fills issuer_key_id for certificates signed before V2.

-- Hex of the certificate's authority key identifier; NULL while pending or when it names none.
ALTER TABLE certificates ADD COLUMN issuer_key_id VARCHAR(128);

-- Serves the CRL query (issuer, status 'revoked', not_after after a time), bulk revocation by issuer,
-- and OCSP needs nothing more than the unique index on serial.
CREATE INDEX certificates_issuer_status ON certificates (issuer_key_id, status, not_after);

-- Grows by one per certificate revoked under the key, in the revoking transaction.
CREATE TABLE revocation_counters (
    issuer_key_id  VARCHAR(128) NOT NULL PRIMARY KEY,
    sequence       BIGINT       NOT NULL,
    changed_at     BIGINT       NOT NULL
);

-- crl_number is the CRL number in hex, zero-padded to 40 digits (20 octets), so text order is numeric order.
CREATE TABLE crls (
    ca_id         VARCHAR(255)   NOT NULL,
    crl_number    VARCHAR(40)    NOT NULL,
    this_update   BIGINT         NOT NULL,
    next_update   BIGINT         NOT NULL,
    der           ${blob_column} NOT NULL,
    published_at  BIGINT         NOT NULL,
    PRIMARY KEY (ca_id, crl_number)
);
