package io.certwright.store;

import io.certwright.inventory.alert.AlertKind;
import io.certwright.inventory.alert.DeliveryLog;
import io.certwright.inventory.alert.DeliveryOutcome;
import io.certwright.inventory.alert.DeliveryRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// The delivery log in table `alert_deliveries`, in the order records were appended (newest has the highest
/// id; on PostgreSQL, appends of all replicas are ordered by their commits).
///
/// Records older than the retention, by the database's clock, are deleted in the transaction of each append,
/// through the index on their time, so the table stays bounded without a separate job.
///
/// The ports have no checked exceptions: a database failure is an [IllegalStateException].
public final class JdbcDeliveryLog implements DeliveryLog {

    /// How long records are kept unless told otherwise.
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);

    private static final String COLUMNS = "delivered_at, notification_id, kind, channel_type, channel, target, "
            + "outcome, attempts, error";
    private static final String APPEND_SQL = "INSERT INTO alert_deliveries (" + COLUMNS + ") "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String PRUNE_SQL = "DELETE FROM alert_deliveries WHERE delivered_at < ?";
    private static final String RECENT_SQL = "SELECT " + COLUMNS + " FROM alert_deliveries ORDER BY id DESC LIMIT ?";

    private final Database db;
    private final Duration retention;

    /// A log keeping records for [#DEFAULT_RETENTION].
    public JdbcDeliveryLog(Database db) {
        this(db, DEFAULT_RETENTION);
    }

    /// A log keeping records for `retention` (positive) after their time.
    public JdbcDeliveryLog(Database db, Duration retention) {
        this.db = Objects.requireNonNull(db, "db");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, not " + retention);
        }
    }

    @Override
    public void append(DeliveryRecord record) {
        Objects.requireNonNull(record, "record");
        String notificationId = Codec.storedText(record.notificationId());
        String channelType = Codec.storedText(record.channelType());
        String channel = Codec.storedText(record.channel());
        String target = Codec.storedText(record.target());
        Optional<String> error = record.error().map(Codec::storedText);
        try {
            db.write(c -> {
                PreparedStatement prune = db.statement(c, PRUNE_SQL);
                prune.setLong(1, db.clock().instant().minus(retention).toEpochMilli());
                prune.executeUpdate();
                PreparedStatement ps = db.statement(c, APPEND_SQL);
                ps.setLong(1, record.at().toEpochMilli());
                ps.setString(2, notificationId);
                ps.setString(3, record.kind().wireName());
                ps.setString(4, channelType);
                ps.setString(5, channel);
                ps.setString(6, target);
                ps.setString(7, record.outcome().wireName());
                ps.setInt(8, record.attempts());
                if (error.isPresent()) {
                    ps.setString(9, error.get());
                } else {
                    ps.setNull(9, Types.VARCHAR);
                }
                return ps.executeUpdate();
            });
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public List<DeliveryRecord> recent(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, RECENT_SQL);
            ps.setInt(1, limit);
            List<DeliveryRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(record(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static DeliveryRecord record(ResultSet rs) throws SQLException {
        String error = rs.getString("error");
        return new DeliveryRecord(Codec.instant(rs, "delivered_at"), Codec.text(rs, "notification_id"),
                JdbcAlertStateStore.kind(Codec.string(rs, "kind")), Codec.text(rs, "channel_type"),
                Codec.text(rs, "channel"), Codec.text(rs, "target"), outcome(Codec.string(rs, "outcome")),
                rs.getInt("attempts"), error == null ? Optional.empty() : Optional.of(Codec.text(error)));
    }

    private static DeliveryOutcome outcome(String wireName) throws SQLException {
        for (DeliveryOutcome o : DeliveryOutcome.values()) {
            if (o.wireName().equals(wireName)) {
                return o;
            }
        }
        throw new SQLException("unknown delivery outcome '" + wireName + "' in the database");
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("delivery log: " + e.getMessage(), e);
    }
}
