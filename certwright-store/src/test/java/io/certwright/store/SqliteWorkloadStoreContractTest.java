package io.certwright.store;

import io.certwright.ca.workload.WorkloadStore;
import io.certwright.testing.WorkloadStoreContract;
import org.junit.jupiter.api.AfterEach;

class SqliteWorkloadStoreContractTest extends WorkloadStoreContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.SQLITE);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected WorkloadStore newStore() throws Exception {
        return new JdbcWorkloadStore(dbs.open());
    }
}
