package io.certwright.store;

import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.InventoryStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/// The inventory in table `inventory_certificates`, one row per certificate fingerprint.
///
/// Writes are conditional in the database itself, so that they hold across server replicas on one
/// PostgreSQL: [#insert] is `INSERT ... ON CONFLICT (fingerprint) DO NOTHING`, and [#replace] is an `UPDATE`
/// whose `WHERE` clause names the version the writer read; a writer learns whether it won from the number of
/// rows changed. Both run through the database's group-commit writer and are durable when they return.
///
/// Iteration streams: [#forEach], [#forEachOwnedBy] and [#forEachExpiringBefore] read through a cursor
/// ([#FETCH_SIZE] rows per round trip on PostgreSQL; SQLite steps through its result natively), inside one
/// read transaction, so each sees one consistent snapshot and every entry at most once, however the entries
/// change meanwhile, and a million entries never sit in memory at once. The owner and expiry queries are
/// answered from indexes on `(owner, not_after)` and `not_after`. The action may use the store (find,
/// replace) while it runs; the iteration holds one read connection until it ends.
///
/// The ports have no checked exceptions: a database failure is an [IllegalStateException], and a row that
/// cannot be read back (damaged by hand) is one too, naming the fingerprint.
public final class JdbcInventoryStore implements InventoryStore {

    /// Rows fetched per round trip when iterating on PostgreSQL.
    static final int FETCH_SIZE = 1000;

    private static final String SELECT = "SELECT " + InventoryRows.COLUMNS + " FROM inventory_certificates";
    static final String FIND_SQL = SELECT + " WHERE fingerprint = ?";
    static final String OWNED_BY_SQL = SELECT + " WHERE owner = ?";
    static final String EXPIRING_SQL = SELECT + " WHERE not_after < ? ORDER BY not_after";
    private static final String COUNT_SQL = "SELECT COUNT(*) FROM inventory_certificates";
    static final String INSERT_SQL = "INSERT INTO inventory_certificates (fingerprint, version, not_after, "
            + "owner, issued_by_us, revoked_at, first_seen, last_seen, details, der, chain) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING";
    // The DER is not rewritten: it is what the fingerprint is the hash of, so it cannot have changed.
    static final String REPLACE_SQL = "UPDATE inventory_certificates SET version = ?, not_after = ?, owner = ?, "
            + "issued_by_us = ?, revoked_at = ?, first_seen = ?, last_seen = ?, details = ?, chain = ? "
            + "WHERE fingerprint = ? AND version = ?";

    private final Database db;

    public JdbcInventoryStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public Optional<InventoryEntry> find(Fingerprint fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, FIND_SQL);
            ps.setString(1, fingerprint.hex());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(InventoryRows.entry(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /// Stores a new entry unless its fingerprint is stored already.
    ///
    /// @throws IllegalArgumentException if the entry's version is not 1
    @Override
    public boolean insert(InventoryEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (entry.version() != 1) {
            throw new IllegalArgumentException("a new entry has version 1, not " + entry.version());
        }
        Row row = new Row(entry);
        return written(() -> db.write(c -> row.insert(db.statement(c, INSERT_SQL))));
    }

    @Override
    public boolean replace(InventoryEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (entry.version() < 2) {
            // Nothing is stored with version 0.
            return false;
        }
        Row row = new Row(entry);
        return written(() -> db.write(c -> row.replace(db.statement(c, REPLACE_SQL))));
    }

    @Override
    public void forEach(Consumer<InventoryEntry> action) {
        stream(SELECT, null, action);
    }

    @Override
    public void forEachOwnedBy(String owner, Consumer<InventoryEntry> action) {
        Objects.requireNonNull(owner, "owner");
        stream(OWNED_BY_SQL, Codec.storedText(owner), action);
    }

    @Override
    public void forEachExpiringBefore(Instant instant, Consumer<InventoryEntry> action) {
        Objects.requireNonNull(instant, "instant");
        // notAfter < instant, with notAfter stored in whole milliseconds: round the bound up.
        long millis = instant.toEpochMilli();
        long bound = Instant.ofEpochMilli(millis).equals(instant) ? millis : millis + 1;
        stream(EXPIRING_SQL, bound, action);
    }

    @Override
    public long count() {
        try (Connection c = db.read(); ResultSet rs = db.readStatement(c, COUNT_SQL).executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /// Runs `sql` (with at most one parameter) in one read transaction and hands each row to `action`.
    private void stream(String sql, @Nullable Object parameter,
            Consumer<InventoryEntry> action) {
        Objects.requireNonNull(action, "action");
        try (Connection c = db.read()) {
            // A PostgreSQL result is fetched in pages only inside a transaction; SQLite keeps one read
            // snapshot while the statement steps, so it reads in auto-commit mode.
            boolean cursor = db.isPostgres();
            if (cursor) {
                c.setAutoCommit(false);
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                switch (parameter) {
                    case null -> { }
                    case String s -> ps.setString(1, s);
                    case Long l -> ps.setLong(1, l);
                    default -> throw new IllegalArgumentException("unsupported parameter " + parameter.getClass());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        action.accept(InventoryRows.entry(rs));
                    }
                }
            } finally {
                if (cursor) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /// The column values of one entry, computed before its write is queued so that the writer thread only binds
    /// them.
    static final class Row {
        private final String fingerprint;
        private final long version;
        private final long notAfter;
        private final @Nullable String owner;
        private final boolean issuedByUs;
        private final Optional<Instant> revokedAt;
        private final long firstSeen;
        private final long lastSeen;
        private final String details;
        private final byte[] der;
        private final byte[] chain;

        Row(InventoryEntry e) {
            this.fingerprint = e.fingerprint().hex();
            this.version = e.version();
            this.notAfter = e.facts().notAfter().toEpochMilli();
            this.owner = e.ownership().owner().map(Codec::storedText).orElse(null);
            this.issuedByUs = e.issuedByUs();
            this.revokedAt = e.revokedAt();
            this.firstSeen = e.firstSeen().toEpochMilli();
            this.lastSeen = e.lastSeen().toEpochMilli();
            this.details = InventoryRows.details(e);
            this.der = e.certificate().der();
            this.chain = InventoryRows.chain(e.chain());
        }

        /// Runs [#INSERT_SQL] for this row; whether it inserted it.
        boolean insert(PreparedStatement ps) throws SQLException {
            ps.setString(1, fingerprint);
            ps.setLong(2, version);
            bindFrom(ps, 3);
            ps.setBytes(10, der);
            ps.setBytes(11, chain);
            return ps.executeUpdate() == 1;
        }

        /// Runs [#REPLACE_SQL] for this row; whether it replaced the previous version.
        boolean replace(PreparedStatement ps) throws SQLException {
            ps.setLong(1, version);
            bindFrom(ps, 2);
            ps.setBytes(9, chain);
            ps.setString(10, fingerprint);
            ps.setLong(11, version - 1);
            return ps.executeUpdate() == 1;
        }

        /// Binds `not_after, owner, issued_by_us, revoked_at, first_seen, last_seen, details` from `index`.
        private void bindFrom(PreparedStatement ps, int index) throws SQLException {
            ps.setLong(index, notAfter);
            if (owner == null) {
                ps.setNull(index + 1, Types.VARCHAR);
            } else {
                ps.setString(index + 1, owner);
            }
            ps.setInt(index + 2, issuedByUs ? 1 : 0);
            Codec.setOptionalInstant(ps, index + 3, revokedAt);
            ps.setLong(index + 4, firstSeen);
            ps.setLong(index + 5, lastSeen);
            ps.setString(index + 6, details);
        }
    }

    @FunctionalInterface
    private interface Write {
        @Nullable Boolean run() throws SQLException;
    }

    private static boolean written(Write write) {
        try {
            return Boolean.TRUE.equals(write.run());
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("inventory store: " + e.getMessage(), e);
    }
}
