package io.certwright.acme.store;

class InMemoryAcmeStoreTest extends AcmeStoreContract {

    @Override
    protected AcmeStore newStore() {
        return new InMemoryAcmeStore();
    }
}
