package io.certwright.store;

import io.certwright.inventory.alert.SilenceStore;
import io.certwright.testing.SilenceStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresSilenceStoreContractTest extends SilenceStoreContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.POSTGRES);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected SilenceStore newStore() throws Exception {
        return new JdbcSilenceStore(dbs.open());
    }
}
