package io.certwright.acme;

import io.certwright.ca.audit.AuditEvent;

/// Port: where the ACME server reports every refusal and every change of state, as an [AuditEvent]. The
/// server appends them to its audit log.
///
/// Actors are `acme:<provisioner>:<account id>` for requests signed by an account and
/// `anonymous:<address>` otherwise; actions start with `acme.`. Implementations must not throw: a failure to
/// record is theirs to log, and the request is answered all the same.
@FunctionalInterface
public interface AcmeAudit {

    /// Records one event.
    void record(AuditEvent event);
}
