package io.certwright.store;

import io.certwright.ca.CertificateLedger;
import io.certwright.ca.LedgerEntry;
import io.certwright.ca.LedgerException;
import io.certwright.ca.Pem;
import io.certwright.ca.PendingCertificate;
import io.certwright.ca.Requester;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.inspect.CertificateInspector;
import io.certwright.ca.registry.CertificatePage;
import io.certwright.ca.registry.CertificateQuery;
import io.certwright.ca.registry.CertificateRecord;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.SerialNumber;
import io.certwright.core.Validity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// The certificate ledger and registry in table `certificates`: every certificate the CA recorded, pending
/// or signed, with its status and revocation.
///
/// It is the registry ([CertificateRepository]) and carries every operation of the ledger; because both
/// ports declare a `find(SerialNumber)` with different results, the ledger is handed out as the view
/// [#ledger()], whose `find` is [#findEntry].
///
/// Every write goes through the database's group-commit writer and is durable when the method returns.
/// [#recordSigned] and [#revoke] update the certificate and append its audit entry in **one transaction**,
/// so a certificate is never valid or revoked without its audit entry, nor the reverse.
public final class JdbcCertificateStore implements CertificateRepository {

    /// Audit action of [#recordSigned].
    public static final String ISSUE_ACTION = "certificate.issue";

    private static final String COLUMNS = "serial, status, requester, provisioner, tbs_sha256, names, spiffe_id, "
            + "not_before, not_after, profile, subject, recorded_at, pem, sha256, issuer, key_algorithm, "
            + "revoked_at, revocation_reason";

    private static final String SELECT_SQL = "SELECT " + COLUMNS + " FROM certificates WHERE serial = ?";
    // ON CONFLICT DO NOTHING (SQLite and PostgreSQL): a serial recorded before inserts no row.
    private static final String INSERT_SQL = "INSERT INTO certificates (serial, status, requester, provisioner, "
            + "tbs_sha256, names, spiffe_id, not_before, not_after, profile, subject, recorded_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (serial) DO NOTHING";
    private static final String INSERT_DNS_SQL = "INSERT INTO certificate_dns_names (serial, name) VALUES (?, ?)";
    // RETURNING (SQLite 3.35+, PostgreSQL): the pending row's facts for the audit entry, without a second query.
    private static final String SIGN_SQL = "UPDATE certificates SET status = ?, pem = ?, sha256 = ?, issuer = ?, "
            + "key_algorithm = ?, signed_at = ? WHERE serial = ? AND status = ? "
            + "RETURNING requester, provisioner, names, profile, not_after";
    private static final String REVOKE_SQL = "UPDATE certificates SET status = ?, revoked_at = ?, "
            + "revocation_reason = ? WHERE serial = ? AND status = ?";

    private final Database db;
    private final CertificateLedger ledger = new Ledger();

    public JdbcCertificateStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /// This store as a [CertificateLedger].
    public CertificateLedger ledger() {
        return ledger;
    }

    // ---------------------------------------------------------------- ledger

    /// Records a certificate about to be signed, durably, with status pending.
    ///
    /// @throws LedgerException if the serial was recorded before or the write fails
    public void recordPending(PendingCertificate pending) throws LedgerException {
        Objects.requireNonNull(pending, "pending");
        String key = Codec.serialKey(pending.serial());
        Boolean inserted;
        try {
            inserted = db.write(c -> insertPending(c, key, pending));
        } catch (SQLException e) {
            throw new LedgerException("cannot record serial " + pending.serial().hex() + ": " + e.getMessage(), e);
        }
        if (!Boolean.TRUE.equals(inserted)) {
            throw new LedgerException("serial " + pending.serial().hex() + " was recorded before");
        }
    }

    /// Stores the signed certificate for a pending serial and appends its `certificate.issue` audit entry,
    /// in one transaction.
    ///
    /// @throws LedgerException if the serial is unknown or not pending, or the write fails
    public void recordSigned(SerialNumber serial, X509Certificate certificate) throws LedgerException {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(certificate, "certificate");
        if (!certificate.getSerialNumber().equals(serial.value())) {
            throw new LedgerException("certificate serial " + new SerialNumber(certificate.getSerialNumber()).hex()
                    + " does not match " + serial.hex());
        }
        String pem = Pem.certificate(certificate);
        String fingerprint;
        try {
            fingerprint = sha256(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new LedgerException("cannot encode certificate " + serial.hex(), e);
        }
        String issuer = certificate.getIssuerX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
        String keyAlgorithm = CertificateInspector.key(certificate.getPublicKey()).description();
        String key = Codec.serialKey(serial);
        String problem;
        try {
            problem = db.write(c -> {
                PreparedStatement ps = db.statement(c, SIGN_SQL);
                ps.setString(1, CertificateStatus.VALID.wireName());
                ps.setString(2, pem);
                ps.setString(3, fingerprint);
                ps.setString(4, issuer);
                ps.setString(5, keyAlgorithm);
                ps.setLong(6, db.clock().millis());
                ps.setString(7, key);
                ps.setString(8, CertificateStatus.PENDING.wireName());
                Map<String, String> details;
                String requester;
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        // Not updated: say why.
                        return selectForWrite(c, key)
                                .map(r -> "serial " + serial.hex() + " is already " + r.status().wireName())
                                .orElse("serial " + serial.hex() + " was never recorded as pending");
                    }
                    requester = Codec.string(rs, "requester");
                    details = Map.of(
                            "profile", Codec.string(rs, "profile"),
                            "names", String.join(",", Codec.stringList(Codec.string(rs, "names"))),
                            "provisioner", Codec.string(rs, "provisioner"),
                            "not_after", Codec.instant(rs, "not_after").toString());
                }
                JdbcAuditLog.append(db, c, AuditEvent.success(requester, ISSUE_ACTION, serial.hex(), details));
                return null;
            });
        } catch (SQLException e) {
            throw new LedgerException("cannot record the signed certificate " + serial.hex() + ": " + e.getMessage(), e);
        }
        if (problem != null) {
            throw new LedgerException(problem);
        }
    }

    /// The ledger entry for `serial`.
    ///
    /// @throws IllegalStateException when the database cannot be read (the ledger port has no checked error)
    public Optional<LedgerEntry> findEntry(SerialNumber serial) {
        try (Connection c = db.read()) {
            return selectRow(db.readStatement(c, SELECT_SQL), Codec.serialKey(serial)).map(Row::entry);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the ledger: " + e.getMessage(), e);
        }
    }

    /// Every ledger entry, in the order recorded.
    ///
    /// @throws IllegalStateException when the database cannot be read (the ledger port has no checked error)
    public List<LedgerEntry> entries() {
        try (Connection c = db.read();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM certificates ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            List<LedgerEntry> out = new ArrayList<>();
            while (rs.next()) {
                out.add(Row.of(rs).entry());
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the ledger: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- registry

    @Override
    public Optional<CertificateRecord> find(SerialNumber serial) throws RegistryException {
        try (Connection c = db.read()) {
            return selectRow(db.readStatement(c, SELECT_SQL), Codec.serialKey(serial)).map(Row::record);
        } catch (SQLException e) {
            throw storage(e);
        }
    }

    /// Lists certificates matching `query`, ordered by serial.
    ///
    /// @throws IllegalArgumentException when the cursor was not made by this store
    @Override
    public CertificatePage list(CertificateQuery query, Instant now) throws RegistryException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM certificates c WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        query.status().ifPresent(s -> {
            sql.append(" AND c.status = ?");
            params.add(s.wireName());
        });
        query.expiringWithin().ifPresent(d -> {
            sql.append(" AND c.not_after > ? AND c.not_after <= ?");
            params.add(now.toEpochMilli());
            params.add(now.plus(d).toEpochMilli());
        });
        query.spiffeIdPrefix().ifPresent(p -> {
            sql.append(" AND c.spiffe_id IS NOT NULL AND substr(c.spiffe_id, 1, ?) = ?");
            params.add(p.codePointCount(0, p.length()));
            params.add(p);
        });
        query.dnsPrefix().ifPresent(p -> {
            String lower = p.toLowerCase(Locale.ROOT);
            sql.append(" AND EXISTS (SELECT 1 FROM certificate_dns_names d WHERE d.serial = c.serial"
                    + " AND substr(d.name, 1, ?) = ?)");
            params.add(lower.codePointCount(0, lower.length()));
            params.add(lower);
        });
        query.profile().ifPresent(p -> {
            sql.append(" AND c.profile = ?");
            params.add(p.wireName());
        });
        query.requester().ifPresent(r -> {
            sql.append(" AND c.requester = ?");
            params.add(r);
        });
        query.cursor().ifPresent(cursor -> {
            sql.append(" AND c.serial > ?");
            params.add(decodeCursor(cursor));
        });
        sql.append(" ORDER BY c.serial LIMIT ?");
        params.add(query.limit() + 1);
        try (Connection c = db.read(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                switch (p) {
                    case String s -> ps.setString(i + 1, s);
                    case Long l -> ps.setLong(i + 1, l);
                    case Integer n -> ps.setInt(i + 1, n);
                    default -> throw new IllegalStateException("unexpected parameter " + p.getClass());
                }
            }
            List<CertificateRecord> items = new ArrayList<>();
            boolean more = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (items.size() == query.limit()) {
                        more = true;
                        break;
                    }
                    items.add(Row.of(rs).record());
                }
            }
            Optional<String> next = more
                    ? Optional.of(encodeCursor(Codec.serialKey(items.getLast().serial())))
                    : Optional.empty();
            return new CertificatePage(items, next);
        } catch (SQLException e) {
            throw storage(e);
        }
    }

    @Override
    public Optional<CertificateRecord> revoke(SerialNumber serial, RevocationReason reason, Instant at,
            AuditEvent audit) throws RegistryException {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(audit, "audit");
        String key = Codec.serialKey(serial);
        RevokeOutcome outcome;
        try {
            outcome = Objects.requireNonNull(db.write(c -> {
                Optional<CertificateRecord> current = selectForWrite(c, key);
                if (current.isEmpty()) {
                    return new RevokeOutcome(null, null);
                }
                if (current.get().status() != CertificateStatus.VALID) {
                    return new RevokeOutcome(null, "certificate " + serial.hex() + " is "
                            + current.get().status().wireName() + ", only a valid certificate can be revoked");
                }
                PreparedStatement ps = db.statement(c, REVOKE_SQL);
                ps.setString(1, CertificateStatus.REVOKED.wireName());
                ps.setLong(2, at.toEpochMilli());
                ps.setInt(3, reason.code());
                ps.setString(4, key);
                ps.setString(5, CertificateStatus.VALID.wireName());
                if (ps.executeUpdate() != 1) {
                    throw new SQLException("certificate " + serial.hex() + " changed while being revoked");
                }
                JdbcAuditLog.append(db, c, audit);
                return new RevokeOutcome(selectForWrite(c, key).orElseThrow(), null);
            }));
        } catch (SQLException e) {
            throw storage(e);
        }
        if (outcome.wrongState() != null) {
            throw new RegistryException(RegistryException.Kind.WRONG_STATE, outcome.wrongState());
        }
        return Optional.ofNullable(outcome.record());
    }

    private record RevokeOutcome(@Nullable CertificateRecord record, @Nullable String wrongState) {
    }

    // ---------------------------------------------------------------- rows

    /// Inserts the pending row and its DNS names on the writer connection `c`, unless the serial is there.
    ///
    /// @return whether it inserted
    private boolean insertPending(Connection c, String key, PendingCertificate p) throws SQLException {
        PreparedStatement ps = db.statement(c, INSERT_SQL);
        ps.setString(1, key);
        ps.setString(2, CertificateStatus.PENDING.wireName());
        ps.setString(3, p.requester().actor());
        ps.setString(4, p.requester().provisioner());
        ps.setString(5, p.tbsSha256());
        ps.setString(6, Codec.stringList(p.names()));
        Optional<String> spiffeId = spiffeId(p.names());
        if (spiffeId.isPresent()) {
            ps.setString(7, spiffeId.get());
        } else {
            ps.setNull(7, Types.VARCHAR);
        }
        ps.setLong(8, p.validity().notBefore().toEpochMilli());
        ps.setLong(9, p.validity().notAfter().toEpochMilli());
        ps.setString(10, p.profile().wireName());
        ps.setString(11, p.subject());
        ps.setLong(12, p.recordedAt().toEpochMilli());
        if (ps.executeUpdate() != 1) {
            return false;
        }
        List<String> dns = p.names().stream().filter(JdbcCertificateStore::isDnsName)
                .map(n -> n.toLowerCase(Locale.ROOT)).distinct().toList();
        if (!dns.isEmpty()) {
            PreparedStatement names = db.statement(c, INSERT_DNS_SQL);
            for (String name : dns) {
                names.setString(1, key);
                names.setString(2, name);
                names.addBatch();
            }
            names.executeBatch();
        }
        return true;
    }

    private static Optional<String> spiffeId(List<String> names) {
        return names.stream().filter(n -> n.startsWith("spiffe://")).findFirst();
    }

    /// Whether a SAN, as the ledger records it in text, is a DNS name: not a URI, an email or an IP literal.
    static boolean isDnsName(String name) {
        if (name.isEmpty() || name.contains(":") || name.contains("@") || name.contains("/")) {
            return false;
        }
        return !name.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
    }

    /// The record of `key` on the writer connection `c`, with the writer's cached statement.
    private Optional<CertificateRecord> selectForWrite(Connection c, String key) throws SQLException {
        return selectRow(db.statement(c, SELECT_SQL), key).map(Row::record);
    }

    private static Optional<Row> selectRow(PreparedStatement ps, String key) throws SQLException {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Row.of(rs)) : Optional.empty();
        }
    }

    /// One row of `certificates`, decoded.
    private record Row(PendingCertificate pending, CertificateStatus status, Optional<String> spiffeId,
            Optional<String> pem, Optional<String> sha256, String issuer, String keyAlgorithm,
            Optional<Instant> revokedAt, Optional<RevocationReason> reason) {

        static Row of(ResultSet rs) throws SQLException {
            PendingCertificate pending = new PendingCertificate(
                    Codec.serial(Codec.string(rs, "serial")),
                    Codec.profile(Codec.string(rs, "profile")),
                    Codec.string(rs, "subject"),
                    Codec.stringList(Codec.string(rs, "names")),
                    new Validity(Codec.instant(rs, "not_before"), Codec.instant(rs, "not_after")),
                    Codec.string(rs, "tbs_sha256"),
                    Codec.instant(rs, "recorded_at"),
                    new Requester(Codec.string(rs, "requester"), Codec.string(rs, "provisioner")));
            int code = rs.getInt("revocation_reason");
            Optional<RevocationReason> reason = rs.wasNull() ? Optional.empty()
                    : Optional.of(RevocationReason.ofCode(code));
            return new Row(pending, CertificateStatus.parse(Codec.string(rs, "status")),
                    Codec.optionalString(rs, "spiffe_id"), Codec.optionalString(rs, "pem"),
                    Codec.optionalString(rs, "sha256"), Codec.optionalString(rs, "issuer").orElse(""),
                    Codec.optionalString(rs, "key_algorithm").orElse(""), Codec.optionalInstant(rs, "revoked_at"),
                    reason);
        }

        LedgerEntry entry() {
            return new LedgerEntry(pending, pem);
        }

        CertificateRecord record() {
            return new CertificateRecord(pending.serial(), issuer, pending.subject(), pending.names(), spiffeId,
                    pending.validity(), pending.profile(), keyAlgorithm, sha256, pem,
                    pending.requester().actor(), pending.requester().provisioner(), status, revokedAt, reason);
        }
    }

    private static String encodeCursor(String serialKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(serialKey.getBytes(StandardCharsets.US_ASCII));
    }

    private static String decodeCursor(String cursor) {
        try {
            String key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            Codec.serial(key);
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor '" + cursor + "'", e);
        }
    }

    private static String sha256(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static RegistryException storage(SQLException e) {
        return new RegistryException(RegistryException.Kind.STORAGE, "certificate store: " + e.getMessage(), e);
    }

    /// The [CertificateLedger] view of this store.
    private final class Ledger implements CertificateLedger {

        @Override
        public void recordPending(PendingCertificate pending) throws LedgerException {
            JdbcCertificateStore.this.recordPending(pending);
        }

        @Override
        public void recordSigned(SerialNumber serial, X509Certificate certificate) throws LedgerException {
            JdbcCertificateStore.this.recordSigned(serial, certificate);
        }

        @Override
        public Optional<LedgerEntry> find(SerialNumber serial) {
            return findEntry(serial);
        }

        @Override
        public List<LedgerEntry> entries() {
            return JdbcCertificateStore.this.entries();
        }

        @Override
        public String toString() {
            return "JdbcCertificateStore.ledger";
        }
    }
}
