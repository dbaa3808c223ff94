package io.certwright.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/// The embedded PostgreSQL server of the end-to-end tests: one real server per test class, in a fixed working
/// directory under the temporary directory (so its binaries are unpacked once), without fsync (the tests
/// check behaviour, not durability against power loss).
final class ItPostgres {

    private ItPostgres() {
    }

    /// Starts a server and creates the empty database `database` in it.
    static EmbeddedPostgres startWithDatabase(String database) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(Path.of(System.getProperty("java.io.tmpdir"), "certwright-it-embedded-pg")
                        .toFile())
                .setServerConfig("fsync", "off")
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        return postgres;
    }
}
