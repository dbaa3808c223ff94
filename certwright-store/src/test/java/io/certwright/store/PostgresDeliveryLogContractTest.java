package io.certwright.store;

import io.certwright.inventory.alert.DeliveryLog;
import io.certwright.testing.DeliveryLogContract;
import io.certwright.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;

class PostgresDeliveryLogContractTest extends DeliveryLogContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.POSTGRES);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected DeliveryLog newLog() throws Exception {
        // The contract's records are dated 2030; a clock then keeps them all within the retention.
        return new JdbcDeliveryLog(dbs.open(MutableClock.at("2030-01-01T00:00:00Z")));
    }
}
