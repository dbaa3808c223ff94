package io.certwright.store;

import io.certwright.inventory.InventoryStore;
import io.certwright.testing.InventoryStoreContract;
import org.junit.jupiter.api.AfterEach;

class SqliteInventoryStoreContractTest extends InventoryStoreContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.SQLITE);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected InventoryStore newStore() throws Exception {
        return new JdbcInventoryStore(dbs.open());
    }
}
