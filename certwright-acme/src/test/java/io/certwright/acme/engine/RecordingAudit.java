package io.certwright.acme.engine;

import io.certwright.acme.AcmeAudit;
import io.certwright.ca.audit.AuditEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/// Keeps every audit event, in order.
final class RecordingAudit implements AcmeAudit {

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
        events.add(event);
    }

    List<AuditEvent> events() {
        return List.copyOf(events);
    }

    List<AuditEvent> refusals() {
        return events.stream().filter(e -> e.outcome() == AuditEvent.Outcome.REFUSED).toList();
    }

    AuditEvent last() {
        return events.getLast();
    }

    int size() {
        return events.size();
    }
}
