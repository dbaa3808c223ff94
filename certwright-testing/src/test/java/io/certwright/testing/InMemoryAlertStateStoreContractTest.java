package io.certwright.testing;

import io.certwright.inventory.alert.AlertStateStore;
import io.certwright.inventory.alert.InMemoryAlertStateStore;

class InMemoryAlertStateStoreContractTest extends AlertStateStoreContract {

    @Override
    protected AlertStateStore newStore() {
        return new InMemoryAlertStateStore();
    }
}
