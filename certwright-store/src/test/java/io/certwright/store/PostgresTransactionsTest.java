package io.certwright.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class PostgresTransactionsTest extends TransactionsTest {

    @Override
    TestDatabases.Engine engine() {
        return TestDatabases.Engine.POSTGRES;
    }

    @Test
    void isPostgres() throws Exception {
        try (TestDatabases dbs = new TestDatabases(TestDatabases.Engine.POSTGRES)) {
            Database db = dbs.open();
            assertThat(db.isPostgres()).isTrue();
            try (Connection c = db.read(); PreparedStatement ps = c.prepareStatement("SELECT version()");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("PostgreSQL");
            }
        }
    }
}
