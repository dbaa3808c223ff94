-- ACME integrity (JdbcAcmeStore): what the account's orders list leaves out, which order replaces a
-- certificate, and whether an account's client agreed to the terms of service. Both databases take the same
-- statements: partial indexes are SQL of SQLite and PostgreSQL alike.

-- Whether the client agreed to the provisioner's terms of service when it created the account (RFC 8555
-- section 7.3); accounts created before this column existed read as not having agreed.
ALTER TABLE acme_accounts ADD COLUMN terms_of_service_agreed INTEGER NOT NULL DEFAULT 0;

-- An account's orders list leaves out invalid orders (RFC 8555 section 7.1.2.1), so its index holds the others
-- only; status is in it too, so that a page is read from the index alone. Queries must say
-- status <> 'invalid' in these words for the index to serve them.
DROP INDEX acme_orders_account;
CREATE INDEX acme_orders_account ON acme_orders (account_id, created_at, id, status) WHERE status <> 'invalid';

-- The order that replaces a certificate (RFC 9773), looked up by its certificate identifier. At most one order
-- that is not invalid names a certificate; JdbcAcmeStore checks that inside the serialised write that creates
-- the order. The index is not UNIQUE because a database of an earlier release may hold two such orders from
-- a race that release lost, and this migration must not fail on it.
CREATE INDEX acme_orders_replaces ON acme_orders (replaces) WHERE status <> 'invalid';
