package io.certwright.ca.audit;

import java.util.List;

/// Port: the append-only audit log. Implementations serialise appends so sequence numbers have no gaps,
/// and make an entry durable before returning it.
public interface AuditLog {

    /// Appends an event as the next link of the chain.
    AuditEntry append(AuditEvent event) throws AuditException;

    /// Up to `limit` entries with sequence >= `fromSequence`, in order.
    List<AuditEntry> read(long fromSequence, int limit) throws AuditException;
}
