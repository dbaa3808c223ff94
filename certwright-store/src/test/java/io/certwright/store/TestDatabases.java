package io.certwright.store;

import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/// Fresh databases for tests: an SQLite file in a temporary directory, or a new database on one embedded
/// PostgreSQL server shared by the whole test JVM. Every database opened is closed by [#close()], and every
/// PostgreSQL database created is dropped, so that the shared server stays small however many tests run.
final class TestDatabases implements AutoCloseable {

    /// Which engine a test runs on.
    enum Engine { SQLITE, POSTGRES }

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Engine engine;
    private final List<Database> open = new ArrayList<>();
    private final List<String> created = new ArrayList<>();
    private @Nullable Path dir;

    TestDatabases(Engine engine) {
        this.engine = engine;
    }

    private Path dir() throws IOException {
        Path d = dir;
        if (d == null) {
            d = Files.createTempDirectory("certwright-store-test");
            dir = d;
        }
        return d;
    }

    /// A fresh, migrated, empty database.
    /// Every event in the audit log of `db` (the database a test opened last), in order.
    static List<AuditEvent> auditEvents(@Nullable Database db) throws Exception {
        return new JdbcAuditLog(Objects.requireNonNull(db, "no database opened yet")).read(0, 100_000).stream()
                .map(AuditEntry::event).toList();
    }

    Database open() throws Exception {
        return open(Clock.systemUTC());
    }

    /// A fresh, migrated, empty database whose records are stamped by `clock`.
    Database open(Clock clock) throws Exception {
        Database db = Database.open(config(), clock);
        open.add(db);
        return db;
    }

    /// Configuration of a fresh, empty database.
    StoreConfig config() throws Exception {
        int n = COUNTER.incrementAndGet();
        return switch (engine) {
            case SQLITE -> StoreConfig.sqlite(dir().resolve("certwright-" + n + ".db"));
            case POSTGRES -> {
                String name = "certwright_" + n;
                StoreConfig config = Postgres.freshDatabase(name);
                created.add(name);
                yield config;
            }
        };
    }

    /// Opens `config` again and tracks it for closing.
    Database reopen(StoreConfig config) throws StoreException {
        Database db = Database.open(config, Clock.systemUTC());
        open.add(db);
        return db;
    }

    @Override
    public void close() {
        open.forEach(Database::close);
        open.clear();
        for (String name : created) {
            try {
                Postgres.drop(name);
            } catch (SQLException e) {
                // a database left behind is removed with the server's data directory at JVM exit
            }
        }
        created.clear();
        Path d = dir;
        if (d != null) {
            try (Stream<Path> files = Files.walk(d)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                // a temporary directory left behind is harmless
            }
        }
    }

    /// One embedded PostgreSQL server per test JVM, started on first use and stopped at JVM exit.
    static final class Postgres {

        private static final EmbeddedPostgres SERVER = start();

        private Postgres() {
        }

        static StoreConfig freshDatabase(String name) throws SQLException {
            try (Connection c = SERVER.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return StoreConfig.postgres(SERVER.getJdbcUrl("postgres", name), Optional.empty(), Optional.empty(), 4);
        }

        /// Drops database `name`, ending any connection still open to it.
        static void drop(String name) throws SQLException {
            try (Connection c = SERVER.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }

        private static EmbeddedPostgres start() {
            Path work = Path.of(System.getProperty("java.io.tmpdir"), "certwright-embedded-pg");
            try {
                EmbeddedPostgres pg = builder(work).start();
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                    try {
                        pg.close();
                    } catch (IOException e) {
                        // the JVM is exiting; nothing more to do
                    }
                }));
                return pg;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the embedded PostgreSQL server", e);
            }
        }

        private static EmbeddedPostgres.Builder builder(Path work) {
            return EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(work.toFile())
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off");
        }
    }
}
