package io.certwright.store;

import io.certwright.acme.engine.AcmeIntegrityContract;
import io.certwright.acme.store.AcmeStore;
import org.junit.jupiter.api.AfterEach;

class SqliteAcmeIntegrityTest extends AcmeIntegrityContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.SQLITE);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected AcmeStore newStore() throws Exception {
        return new JdbcAcmeStore(dbs.open());
    }
}
