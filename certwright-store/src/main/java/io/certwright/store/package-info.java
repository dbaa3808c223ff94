/// JDBC storage for Certwright: the certificate ledger and registry, the published CRLs, the audit log, the
/// access store, the ACME server's state, the inventory and the alerting state, on SQLite (the embedded
/// default) or PostgreSQL (several server replicas on one database).
///
/// [Database] owns the connection pools, runs the Flyway migrations and funnels every write through one
/// group-commit writer; [JdbcCertificateStore], [JdbcCrlStore], [JdbcAuditLog] and [JdbcAccessStore]
/// implement the ports of `certwright-ca` on it, [JdbcAcmeStore] that of `certwright-acme`, and
/// [JdbcInventoryStore], [JdbcAlertStateStore], [JdbcSilenceStore] and [JdbcDeliveryLog] those of
/// `certwright-inventory`.
@NullMarked
package io.certwright.store;

import org.jspecify.annotations.NullMarked;
