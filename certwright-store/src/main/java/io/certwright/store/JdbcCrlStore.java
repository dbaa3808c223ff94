package io.certwright.store;

import io.certwright.ca.registry.CrlPublication;
import io.certwright.ca.registry.CrlRepository;
import io.certwright.ca.registry.PublishedCrl;
import io.certwright.ca.registry.RegistryException;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// Published CRLs in table `crls`, keyed by (CA id, CRL number).
///
/// [#publish] runs in one write transaction of the group-commit writer: it reads the CA's latest number,
/// stores the CRL only if its number is exactly one more, and prunes all but the last [#keep()] CRLs.
/// Write groups are serialised (the one SQLite writer; on PostgreSQL an advisory lock that every replica's
/// writer takes), so no other publication can slip in between the check and the insert. The primary key
/// backs this up: the insert is `ON CONFLICT DO NOTHING`, and a conflict reads as a refusal, never as an
/// error. Numbers are stored as 40 zero-padded hex digits, so text order is numeric order on both databases.
public final class JdbcCrlStore implements CrlRepository {

    /// CRLs kept per CA unless told otherwise.
    public static final int DEFAULT_KEEP = 5;
    private static final int NUMBER_DIGITS = 40;

    private static final String COLUMNS = "ca_id, crl_number, this_update, next_update, der";
    private static final String LATEST_SQL =
            "SELECT " + COLUMNS + " FROM crls WHERE ca_id = ? ORDER BY crl_number DESC LIMIT 1";
    private static final String RECENT_SQL = "SELECT " + COLUMNS + " FROM crls WHERE ca_id = ? ORDER BY crl_number DESC";
    private static final String INSERT_SQL = "INSERT INTO crls (" + COLUMNS + ", published_at) "
            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ca_id, crl_number) DO NOTHING";
    private static final String PRUNE_SQL = "DELETE FROM crls WHERE ca_id = ? AND crl_number < ?";

    private final Database db;
    private final int keep;

    /// A store keeping the last [#DEFAULT_KEEP] CRLs of each CA.
    public JdbcCrlStore(Database db) {
        this(db, DEFAULT_KEEP);
    }

    /// A store keeping the last `keep` CRLs of each CA, at least 1.
    public JdbcCrlStore(Database db, int keep) {
        this.db = Objects.requireNonNull(db, "db");
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one CRL per CA, not " + keep);
        }
        this.keep = keep;
    }

    /// How many CRLs are kept per CA.
    public int keep() {
        return keep;
    }

    @Override
    public Optional<PublishedCrl> latest(String caId) throws RegistryException {
        Objects.requireNonNull(caId, "caId");
        try (Connection c = db.read()) {
            return first(db.readStatement(c, LATEST_SQL), caId);
        } catch (SQLException e) {
            throw storage(e);
        }
    }

    @Override
    public List<PublishedCrl> recent(String caId) throws RegistryException {
        Objects.requireNonNull(caId, "caId");
        try (Connection c = db.read(); PreparedStatement ps = c.prepareStatement(RECENT_SQL)) {
            ps.setString(1, caId);
            List<PublishedCrl> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(crl(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw storage(e);
        }
    }

    @Override
    public CrlPublication publish(String caId, BigInteger number, Instant thisUpdate, Instant nextUpdate, byte[] der)
            throws RegistryException {
        // Validated (and times cut to the stored millisecond) before anything is written.
        PublishedCrl crl = new PublishedCrl(caId, number, millis(thisUpdate), millis(nextUpdate), der);
        try {
            return Objects.requireNonNull(db.write(c -> publish(c, crl)));
        } catch (SQLException e) {
            throw storage(e);
        }
    }

    private CrlPublication publish(Connection c, PublishedCrl crl) throws SQLException {
        Optional<PublishedCrl> latest = first(db.statement(c, LATEST_SQL), crl.caId());
        BigInteger expected = latest.map(l -> l.number().add(BigInteger.ONE)).orElse(BigInteger.ONE);
        if (!crl.number().equals(expected)) {
            return new CrlPublication.Refused(latest);
        }
        PreparedStatement insert = db.statement(c, INSERT_SQL);
        insert.setString(1, crl.caId());
        insert.setString(2, numberKey(crl.number()));
        insert.setLong(3, crl.thisUpdate().toEpochMilli());
        insert.setLong(4, crl.nextUpdate().toEpochMilli());
        insert.setBytes(5, crl.der());
        insert.setLong(6, db.clock().millis());
        if (insert.executeUpdate() != 1) {
            // Someone stored this number after all: theirs stands.
            return new CrlPublication.Refused(first(db.statement(c, LATEST_SQL), crl.caId()));
        }
        // Numbers are contiguous, so everything below number - keep + 1 is older than the last `keep`.
        BigInteger oldestKept = crl.number().subtract(BigInteger.valueOf(keep - 1L));
        if (oldestKept.signum() > 0) {
            PreparedStatement prune = db.statement(c, PRUNE_SQL);
            prune.setString(1, crl.caId());
            prune.setString(2, numberKey(oldestKept));
            prune.executeUpdate();
        }
        return new CrlPublication.Published(crl);
    }

    private static Optional<PublishedCrl> first(PreparedStatement ps, String caId) throws SQLException {
        ps.setString(1, caId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(crl(rs)) : Optional.empty();
        }
    }

    private static PublishedCrl crl(ResultSet rs) throws SQLException {
        byte[] der = rs.getBytes("der");
        if (der == null) {
            throw new SQLException("column der is unexpectedly NULL");
        }
        try {
            return new PublishedCrl(Codec.string(rs, "ca_id"), new BigInteger(Codec.string(rs, "crl_number"), 16),
                    Codec.instant(rs, "this_update"), Codec.instant(rs, "next_update"), der);
        } catch (IllegalArgumentException e) {
            throw new SQLException("malformed CRL row in the database: " + e.getMessage(), e);
        }
    }

    static String numberKey(BigInteger number) {
        String hex = number.toString(16);
        return "0".repeat(NUMBER_DIGITS - hex.length()) + hex;
    }

    private static Instant millis(Instant t) {
        return Instant.ofEpochMilli(Objects.requireNonNull(t, "time").toEpochMilli());
    }

    private static RegistryException storage(SQLException e) {
        return new RegistryException(RegistryException.Kind.STORAGE, "CRL store: " + e.getMessage(), e);
    }
}
