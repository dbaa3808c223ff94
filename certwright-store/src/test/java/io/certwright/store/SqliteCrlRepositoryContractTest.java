package io.certwright.store;

import io.certwright.ca.registry.CrlRepository;
import io.certwright.testing.CrlRepositoryContract;
import org.junit.jupiter.api.AfterEach;

class SqliteCrlRepositoryContractTest extends CrlRepositoryContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.SQLITE);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected CrlRepository newRepository() throws Exception {
        return new JdbcCrlStore(dbs.open(), keep());
    }

    @Override
    protected int keep() {
        return 3;
    }
}
