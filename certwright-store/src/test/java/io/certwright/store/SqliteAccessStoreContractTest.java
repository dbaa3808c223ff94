package io.certwright.store;

import io.certwright.ca.access.AccessStore;
import io.certwright.testing.AccessStoreContract;
import org.junit.jupiter.api.AfterEach;

class SqliteAccessStoreContractTest extends AccessStoreContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.SQLITE);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected AccessStore newStore() throws Exception {
        return new JdbcAccessStore(dbs.open());
    }
}
