package io.certwright.acme.store;

import io.certwright.ca.audit.AuditEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

class InMemoryAcmeStoreTest extends AcmeStoreContract {

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    protected AcmeStore newStore() {
        return new InMemoryAcmeStore(events::add);
    }

    @Override
    protected List<AuditEvent> audited() {
        return List.copyOf(events);
    }
}
