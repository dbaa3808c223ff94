package io.certwright.testing;

import io.certwright.inventory.InMemoryInventoryStore;
import io.certwright.inventory.InventoryStore;

class InMemoryInventoryStoreContractTest extends InventoryStoreContract {

    @Override
    protected InventoryStore newStore() {
        return new InMemoryInventoryStore();
    }
}
