package io.certwright.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/// Prepared statements of one connection, kept by SQL text so each statement is prepared once and then
/// reused: preparing is a large part of a small write's cost on SQLite.
///
/// Not thread-safe: it belongs to the connection's one user (the writer thread). A statement handed out
/// stays owned by the cache: the caller sets every parameter, closes its result sets, and never closes the
/// statement itself. [#close] closes them all, before the connection is closed or returned to its pool.
final class StatementCache implements AutoCloseable {

    /// Most statements kept; the store uses far fewer, this only bounds ad-hoc SQL.
    static final int MAX_STATEMENTS = 64;

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    /// Whether this caches the statements of `c`.
    boolean isFor(Connection c) {
        return c == connection;
    }

    /// The prepared statement for `sql`, prepared on first use.
    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps != null && !ps.isClosed()) {
            ps.clearParameters();
            return ps;
        }
        if (statements.size() >= MAX_STATEMENTS) {
            close();
        }
        ps = connection.prepareStatement(sql);
        statements.put(sql, ps);
        return ps;
    }

    /// Closes every cached statement; the cache can be used again afterwards.
    @Override
    public void close() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                // The statement is dropped either way; its connection is closed or recycled next.
            }
        }
        statements.clear();
    }
}
