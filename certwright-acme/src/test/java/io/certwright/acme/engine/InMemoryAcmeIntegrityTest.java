package io.certwright.acme.engine;

import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.InMemoryAcmeStore;

class InMemoryAcmeIntegrityTest extends AcmeIntegrityContract {

    @Override
    protected AcmeStore newStore() {
        return new InMemoryAcmeStore();
    }
}
