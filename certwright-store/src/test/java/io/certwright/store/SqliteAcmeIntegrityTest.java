package io.certwright.store;

import io.certwright.acme.engine.AcmeIntegrityContract;
import io.certwright.acme.store.AcmeStore;
import io.certwright.ca.audit.AuditEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;

class SqliteAcmeIntegrityTest extends AcmeIntegrityContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.SQLITE);
    private @Nullable Database db;

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    @Override
    protected AcmeStore newStore() throws Exception {
        db = dbs.open();
        return new JdbcAcmeStore(db);
    }

    @Override
    protected List<AuditEvent> auditedByStore() throws Exception {
        return TestDatabases.auditEvents(db);
    }
}
