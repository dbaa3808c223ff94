-- Finds the pending, unexpired authorizations among which a challenge may have been left `processing` by a
-- server that stopped mid-validation (JdbcAcmeStore.stalledValidations, run once a minute by each replica),
-- without reading every authorization ever stored.
CREATE INDEX acme_authorizations_status_expires ON acme_authorizations (status, expires_at);
