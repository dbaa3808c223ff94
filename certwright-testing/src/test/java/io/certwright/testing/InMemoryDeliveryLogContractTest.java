package io.certwright.testing;

import io.certwright.inventory.alert.DeliveryLog;
import io.certwright.inventory.alert.InMemoryDeliveryLog;

class InMemoryDeliveryLogContractTest extends DeliveryLogContract {

    @Override
    protected DeliveryLog newLog() {
        return new InMemoryDeliveryLog(1_000);
    }
}
