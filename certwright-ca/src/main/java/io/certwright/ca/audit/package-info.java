/// The tamper-evident audit log: every issuance, renewal, revocation, token and provisioner change and
/// refused request is an [AuditEvent]; the [AuditLog] port appends them as hash-chained [AuditEntry]s,
/// and [AuditChain] verifies a chain from any source (database or export).
@NullMarked
package io.certwright.ca.audit;

import org.jspecify.annotations.NullMarked;
