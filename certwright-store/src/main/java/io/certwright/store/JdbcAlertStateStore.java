package io.certwright.store;

import io.certwright.inventory.alert.AlertClaim;
import io.certwright.inventory.alert.AlertKind;
import io.certwright.inventory.alert.AlertStateStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/// Alert claims in table `alert_claims`, so that each notification goes out once across restarts and server
/// replicas.
///
/// A claim is an `INSERT ... ON CONFLICT DO NOTHING` on a primary key: the SHA-256 of the claim key, which
/// keeps the index small and any key length acceptable on both databases. The database decides the race, so
/// of any number of replicas exactly one wins, whether or not their write groups are serialised. Claims and
/// releases are durable when they return.
///
/// The ports have no checked exceptions: a database failure is an [IllegalStateException].
public final class JdbcAlertStateStore implements AlertStateStore {

    static final String CLAIM_SQL = "INSERT INTO alert_claims (key_sha256, claim_key, subject, kind, channel, "
            + "claimed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_sha256) DO NOTHING";
    private static final String RELEASE_SQL = "DELETE FROM alert_claims WHERE key_sha256 = ?";
    private static final String RESOLVED = "'" + AlertKind.RESOLVED.wireName() + "'";
    static final String OPEN_SQL = "SELECT claim_key, subject, kind, channel, claimed_at FROM alert_claims a "
            + "WHERE NOT EXISTS (SELECT 1 FROM alert_claims r WHERE r.subject = a.subject AND r.channel = a.channel "
            + "AND r.kind = " + RESOLVED + ")";

    private final Database db;

    public JdbcAlertStateStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public boolean tryClaim(AlertClaim claim) {
        Objects.requireNonNull(claim, "claim");
        Row row = new Row(claim);
        try {
            return Boolean.TRUE.equals(db.write(c -> row.claim(db.statement(c, CLAIM_SQL))));
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /// The column values of one claim.
    static final class Row {
        private final String hash;
        private final String key;
        private final String subject;
        private final String kind;
        private final String channel;
        private final long claimedAt;

        Row(AlertClaim claim) {
            this.key = Codec.storedText(claim.key());
            this.hash = sha256(key);
            this.subject = Codec.storedText(claim.subject());
            this.kind = claim.kind().wireName();
            this.channel = Codec.storedText(claim.channel());
            this.claimedAt = claim.claimedAt().toEpochMilli();
        }

        /// Runs [#CLAIM_SQL] for this claim; whether it inserted it.
        boolean claim(PreparedStatement ps) throws SQLException {
            ps.setString(1, hash);
            ps.setString(2, key);
            ps.setString(3, subject);
            ps.setString(4, kind);
            ps.setString(5, channel);
            ps.setLong(6, claimedAt);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public void release(String key) {
        Objects.requireNonNull(key, "key");
        String hash = sha256(Codec.storedText(key));
        try {
            db.write(c -> {
                PreparedStatement ps = db.statement(c, RELEASE_SQL);
                ps.setString(1, hash);
                return ps.executeUpdate();
            });
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public List<AlertClaim> openClaims() {
        try (Connection c = db.read(); PreparedStatement ps = c.prepareStatement(OPEN_SQL);
                ResultSet rs = ps.executeQuery()) {
            List<AlertClaim> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new AlertClaim(Codec.text(rs, "claim_key"), Codec.text(rs, "subject"),
                        kind(Codec.string(rs, "kind")), Codec.text(rs, "channel"), Codec.instant(rs, "claimed_at")));
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    static AlertKind kind(String wireName) throws SQLException {
        for (AlertKind k : AlertKind.values()) {
            if (k.wireName().equals(wireName)) {
                return k;
            }
        }
        throw new SQLException("unknown alert kind '" + wireName + "' in the database");
    }

    /// The primary key of a stored key: SHA-256 of its UTF-8 encoding, which is exact for stored text.
    private static String sha256(String storedKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(storedKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("alert state store: " + e.getMessage(), e);
    }
}
