package io.certwright.store;

import io.certwright.ca.audit.AuditChain;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.audit.AuditException;
import io.certwright.ca.audit.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// The audit log in table `audit_log`, hash-chained with [AuditChain].
///
/// Appends go through the database's group-commit writer. Reading the head and inserting the next entry
/// happen in one transaction, a write group of that writer. On PostgreSQL every write group holds the
/// writer's advisory lock ([GroupCommitWriter#WRITE_LOCK]) from its start, so replicas sharing one database
/// append one at a time and the sequence has no gaps or forks; on SQLite the single writer connection
/// serialises appends. Within one write group the head is read once, by the group's first append; later
/// appends of the group chain onto the entry just written. On a group's first attempt the rows of its appends
/// are inserted together just before it commits ([GroupCommitWriter#defers]).
/// An appended entry is durable when [#append] returns.
public final class JdbcAuditLog implements AuditLog {

    private static final int VERIFY_PAGE = 1000;
    private static final String COLUMNS =
            "sequence, occurred_at, actor, action, target, outcome, details, previous_hash, hash";

    /// The last entry of the chain (no row when it is empty).
    static final String HEAD_SQL = "SELECT " + COLUMNS + " FROM audit_log ORDER BY sequence DESC LIMIT 1";
    /// Inserts one entry.
    static final String INSERT_SQL =
            "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Database db;

    public JdbcAuditLog(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public AuditEntry append(AuditEvent event) throws AuditException {
        Objects.requireNonNull(event, "event");
        try {
            return Objects.requireNonNull(db.write(c -> append(db, c, event)));
        } catch (SQLException e) {
            throw new AuditException("cannot append to the audit log: " + e.getMessage(), e);
        }
    }

    /// Appends `event` on the writer connection `c`, inside the caller's transaction.
    static AuditEntry append(Database db, Connection c, AuditEvent event) throws SQLException {
        db.runBeforeAuditAppend(c);
        AuditEntry next = AuditChain.next(head(db, c), db.clock().instant(), event);
        if (db.writer().defers()) {
            db.writer().deferAudit(next);
        } else {
            PreparedStatement ps = db.statement(c, INSERT_SQL);
            bind(ps, next);
            ps.executeUpdate();
        }
        db.writer().auditHead(new GroupCommitWriter.AuditHead(Optional.of(next)));
        return next;
    }

    /// Appends `events`, in order, on the writer connection `c`, inside the caller's transaction, with one
    /// batched insert: for bulk operations that audit every item.
    static List<AuditEntry> appendAll(Database db, Connection c, List<AuditEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        db.runBeforeAuditAppend(c);
        Optional<AuditEntry> head = head(db, c);
        List<AuditEntry> out = new ArrayList<>(events.size());
        for (AuditEvent event : events) {
            AuditEntry next = AuditChain.next(head, db.clock().instant(), event);
            out.add(next);
            head = Optional.of(next);
        }
        if (db.writer().defers()) {
            out.forEach(db.writer()::deferAudit);
        } else {
            insert(db.statement(c, INSERT_SQL), out);
        }
        db.writer().auditHead(new GroupCommitWriter.AuditHead(head));
        return out;
    }

    /// The head of the chain for an append on `c`: as an earlier task of this write group left it, else read
    /// from the database (under the write lock the group holds on PostgreSQL).
    private static Optional<AuditEntry> head(Database db, Connection c) throws SQLException {
        GroupCommitWriter.AuditHead known = db.writer().auditHead();
        if (known != null) {
            // An earlier task of this group appended (under the lock, still held): its entry is the head.
            return known.entry();
        }
        try (ResultSet rs = db.statement(c, HEAD_SQL).executeQuery()) {
            return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
        }
    }

    /// Inserts `entries` with `ps` (prepared from [#INSERT_SQL]) in one batch.
    static void insert(PreparedStatement ps, List<AuditEntry> entries) throws SQLException {
        for (AuditEntry entry : entries) {
            bind(ps, entry);
            ps.addBatch();
        }
        ps.executeBatch();
    }

    private static void bind(PreparedStatement ps, AuditEntry next) throws SQLException {
        AuditEvent event = next.event();
        ps.setLong(1, next.sequence());
        ps.setLong(2, next.time().toEpochMilli());
        ps.setString(3, event.actor());
        ps.setString(4, event.action());
        ps.setString(5, event.target());
        ps.setString(6, event.outcome().wireName());
        ps.setString(7, Codec.stringMap(event.details()));
        ps.setString(8, next.previousHash());
        ps.setString(9, next.hash());
    }

    @Override
    public List<AuditEntry> read(long fromSequence, int limit) throws AuditException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        try (Connection c = db.read();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM audit_log WHERE sequence >= ? ORDER BY sequence LIMIT ?")) {
            ps.setLong(1, fromSequence);
            ps.setInt(2, limit);
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AuditException("cannot read the audit log: " + e.getMessage(), e);
        }
    }

    /// Number of entries in the log.
    public long size() throws AuditException {
        try (Connection c = db.read();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_log");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AuditException("cannot read the audit log: " + e.getMessage(), e);
        }
    }

    /// Walks the whole chain, page by page, with [AuditChain.Verifier].
    ///
    /// @return empty when the chain is intact, else the first problem found
    public Optional<String> verify() throws AuditException {
        AuditChain.Verifier verifier = new AuditChain.Verifier();
        long from = 1;
        while (true) {
            List<AuditEntry> page = read(from, VERIFY_PAGE);
            for (AuditEntry e : page) {
                Optional<String> problem = verifier.accept(e);
                if (problem.isPresent()) {
                    return problem;
                }
            }
            if (page.size() < VERIFY_PAGE) {
                return Optional.empty();
            }
            from = page.getLast().sequence() + 1;
        }
    }

    /// The entry in the current row of `rs`, selected with this class's columns.
    static AuditEntry entry(ResultSet rs) throws SQLException {
        AuditEvent event = new AuditEvent(Codec.string(rs, "actor"), Codec.string(rs, "action"),
                Codec.string(rs, "target"), AuditEvent.Outcome.parse(Codec.string(rs, "outcome")),
                Codec.stringMap(Codec.string(rs, "details")));
        return new AuditEntry(rs.getLong("sequence"), Codec.instant(rs, "occurred_at"), event,
                Codec.string(rs, "previous_hash"), Codec.string(rs, "hash"));
    }
}
