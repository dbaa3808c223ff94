package io.certwright.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/// Where the store lives and how many connections it may hold.
///
/// @param jdbcUrl `jdbc:sqlite:<file>` or `jdbc:postgresql://host[:port]/database`
/// @param username database user, if the URL does not carry one
/// @param password database password, if any; never printed
/// @param maxPoolSize most connections held at once (on SQLite: readers; the writer is one more connection)
public record StoreConfig(String jdbcUrl, Optional<String> username, Optional<String> password, int maxPoolSize) {

    static final String SQLITE_PREFIX = "jdbc:sqlite:";
    static final String POSTGRES_PREFIX = "jdbc:postgresql:";

    public StoreConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (!jdbcUrl.startsWith(SQLITE_PREFIX) && !jdbcUrl.startsWith(POSTGRES_PREFIX)) {
            throw new IllegalArgumentException("unsupported JDBC URL: expected " + SQLITE_PREFIX + "<file> or "
                    + POSTGRES_PREFIX + "//host/database");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1");
        }
    }

    /// An SQLite database in `file`, created on first use, with four reader connections.
    public static StoreConfig sqlite(Path file) {
        return new StoreConfig(SQLITE_PREFIX + file.toAbsolutePath(), Optional.empty(), Optional.empty(), 4);
    }

    /// A PostgreSQL database.
    public static StoreConfig postgres(String jdbcUrl, Optional<String> username, Optional<String> password,
            int maxPoolSize) {
        return new StoreConfig(jdbcUrl, username, password, maxPoolSize);
    }

    /// Whether this names a PostgreSQL database.
    public boolean isPostgres() {
        return jdbcUrl.startsWith(POSTGRES_PREFIX);
    }

    @Override
    public String toString() {
        return "StoreConfig[" + jdbcUrl + ", user " + username.orElse("(default)") + ", password "
                + (password.isPresent() ? "(set)" : "(none)") + ", pool " + maxPoolSize + "]";
    }
}
