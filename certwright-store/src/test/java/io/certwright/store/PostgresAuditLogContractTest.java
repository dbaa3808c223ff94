package io.certwright.store;

import io.certwright.ca.audit.AuditLog;
import io.certwright.testing.AuditLogContract;
import java.sql.PreparedStatement;
import java.util.IdentityHashMap;
import org.junit.jupiter.api.AfterEach;

class PostgresAuditLogContractTest extends AuditLogContract {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.POSTGRES);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    private final IdentityHashMap<AuditLog, Database> databases = new IdentityHashMap<>();

    @Override
    protected AuditLog newLog() throws Exception {
        Database db = dbs.open();
        AuditLog log = new JdbcAuditLog(db);
        databases.put(log, db);
        return log;
    }

    @Override
    protected void tamper(AuditLog log, long sequence) throws Exception {
        Database db = databases.get(log);
        if (db == null) {
            throw new IllegalArgumentException("not a log of this test");
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_log SET actor = ? WHERE sequence = ?")) {
                ps.setString(1, "token:mallory");
                ps.setLong(2, sequence);
                return ps.executeUpdate();
            }
        });
    }
}
