package io.certwright.store;

import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.AcmeStoreContract;
import org.junit.jupiter.api.AfterEach;

class SqliteAcmeStoreContractTest extends AcmeStoreContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.SQLITE);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected AcmeStore newStore() throws Exception {
        return new JdbcAcmeStore(dbs.open(), TestSecrets.box());
    }
}
