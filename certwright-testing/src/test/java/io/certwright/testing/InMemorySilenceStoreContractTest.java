package io.certwright.testing;

import io.certwright.inventory.alert.InMemorySilenceStore;
import io.certwright.inventory.alert.SilenceStore;

class InMemorySilenceStoreContractTest extends SilenceStoreContract {

    @Override
    protected SilenceStore newStore() {
        return new InMemorySilenceStore();
    }
}
