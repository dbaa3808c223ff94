package io.certwright.store;

import io.certwright.inventory.alert.AlertStateStore;
import io.certwright.testing.AlertStateStoreContract;
import org.junit.jupiter.api.AfterEach;

class SqliteAlertStateStoreContractTest extends AlertStateStoreContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.SQLITE);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected AlertStateStore newStore() throws Exception {
        return new JdbcAlertStateStore(dbs.open());
    }
}
