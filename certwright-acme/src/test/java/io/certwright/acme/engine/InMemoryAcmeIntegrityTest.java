package io.certwright.acme.engine;

import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.InMemoryAcmeStore;
import io.certwright.ca.audit.AuditEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

class InMemoryAcmeIntegrityTest extends AcmeIntegrityContract {

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    protected AcmeStore newStore() {
        return new InMemoryAcmeStore(events::add);
    }

    @Override
    protected List<AuditEvent> auditedByStore() {
        return List.copyOf(events);
    }
}
