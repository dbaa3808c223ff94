package io.certwright.store;

import io.certwright.ca.CertificateLedger;
import io.certwright.testing.CertificateLedgerContract;
import org.junit.jupiter.api.AfterEach;

class SqliteLedgerContractTest extends CertificateLedgerContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.SQLITE);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected CertificateLedger newLedger() throws Exception {
        return new JdbcCertificateStore(dbs.open()).ledger();
    }
}
