package io.certwright.store;

import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.alert.Silence;
import io.certwright.inventory.alert.SilenceStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/// Silences in table `alert_silences`, keyed by id; adding a silence with an id already stored replaces it.
///
/// Ended silences stay in the table (they are few, and a record of them is useful); [#active] reads only
/// those that have not ended, through the index on their end. Times are kept to the millisecond.
///
/// The ports have no checked exceptions: a database failure is an [IllegalStateException].
public final class JdbcSilenceStore implements SilenceStore {

    private static final String CERTIFICATE = "certificate";
    private static final String OWNER = "owner";
    private static final String UPSERT_SQL = "INSERT INTO alert_silences (id, target_kind, target, ends_at, reason) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET target_kind = excluded.target_kind, "
            + "target = excluded.target, ends_at = excluded.ends_at, reason = excluded.reason";
    private static final String REMOVE_SQL = "DELETE FROM alert_silences WHERE id = ?";
    private static final String ACTIVE_SQL = "SELECT id, target_kind, target, ends_at, reason FROM alert_silences "
            + "WHERE ends_at > ?";

    private final Database db;

    public JdbcSilenceStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public void add(Silence silence) {
        Objects.requireNonNull(silence, "silence");
        String kind;
        String target;
        switch (silence.target()) {
            case Silence.CertificateTarget c -> {
                kind = CERTIFICATE;
                target = c.fingerprint().hex();
            }
            case Silence.OwnerTarget o -> {
                kind = OWNER;
                target = Codec.storedText(o.owner());
            }
        }
        String reason = Codec.storedText(silence.reason());
        try {
            db.write(c -> {
                PreparedStatement ps = db.statement(c, UPSERT_SQL);
                ps.setString(1, silence.id().toString());
                ps.setString(2, kind);
                ps.setString(3, target);
                ps.setLong(4, silence.until().toEpochMilli());
                ps.setString(5, reason);
                return ps.executeUpdate();
            });
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public boolean remove(UUID id) {
        Objects.requireNonNull(id, "id");
        try {
            return Boolean.TRUE.equals(db.write(c -> {
                PreparedStatement ps = db.statement(c, REMOVE_SQL);
                ps.setString(1, id.toString());
                return ps.executeUpdate() == 1;
            }));
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public List<Silence> active(Instant now) {
        Objects.requireNonNull(now, "now");
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, ACTIVE_SQL);
            // until > now, with until stored in whole milliseconds.
            ps.setLong(1, now.toEpochMilli());
            List<Silence> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(silence(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static Silence silence(ResultSet rs) throws SQLException {
        String kind = Codec.string(rs, "target_kind");
        String target = Codec.string(rs, "target");
        try {
            Silence.Target t = switch (kind) {
                case CERTIFICATE -> new Silence.CertificateTarget(new Fingerprint(target));
                case OWNER -> new Silence.OwnerTarget(Codec.text(target));
                default -> throw new SQLException("unknown silence target '" + kind + "' in the database");
            };
            return new Silence(UUID.fromString(Codec.string(rs, "id")), t, Codec.instant(rs, "ends_at"),
                    Codec.text(rs, "reason"));
        } catch (IllegalArgumentException e) {
            throw new SQLException("malformed silence in the database: " + e.getMessage(), e);
        }
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("silence store: " + e.getMessage(), e);
    }
}
