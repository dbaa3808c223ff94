package io.certwright.store;

import io.certwright.testing.CertificateRepositoryContract;
import org.junit.jupiter.api.AfterEach;

class PostgresCertificateRepositoryContractTest extends CertificateRepositoryContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.POSTGRES);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected Subject newSubject() throws Exception {
        Database db = dbs.open();
        JdbcCertificateStore store = new JdbcCertificateStore(db);
        return new Subject(store.ledger(), store, new JdbcAuditLog(db));
    }
}
