package io.certwright.store;

import io.certwright.ca.access.AccessStore;
import io.certwright.testing.AccessStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresAccessStoreContractTest extends AccessStoreContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.POSTGRES);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected AccessStore newStore() throws Exception {
        return new JdbcAccessStore(dbs.open());
    }
}
