package io.certwright.store;

import io.certwright.ca.CertificateLedger;
import io.certwright.ca.LedgerEntry;
import io.certwright.ca.LedgerException;
import io.certwright.ca.Pem;
import io.certwright.ca.PendingCertificate;
import io.certwright.ca.Requester;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.inspect.CertificateInspector;
import io.certwright.ca.policy.SpiffeIdPattern;
import io.certwright.ca.registry.CertificatePage;
import io.certwright.ca.registry.CertificateQuery;
import io.certwright.ca.registry.CertificateRecord;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.registry.Revocation;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.ca.registry.RevocationSelector;
import io.certwright.ca.registry.RevocationStatus;
import io.certwright.ca.registry.RevokedCertificate;
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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/// The certificate ledger and registry in table `certificates`: every certificate the CA recorded, pending
/// or signed, with its status and revocation.
///
/// It is the registry ([CertificateRepository]) and carries every operation of the ledger; because both
/// ports declare a `find(SerialNumber)` with different results, the ledger is handed out as the view
/// [#ledger()], whose `find` is [#findEntry].
///
/// Every write goes through the database's group-commit writer and is durable when the method returns.
/// [#recordSigned], [#revoke] and each batch of [#revokeAll] update the certificates and append their audit
/// entries in **one transaction**, so a certificate is never valid or revoked without its audit entry, nor
/// the reverse. The same transaction records the signing key's identifier (from the certificate's authority
/// key identifier) and moves that key's revocation counter, which CRL publishers watch.
///
/// Lookups by serial ([#find], [#status]) are one query on the unique index of `serial`, with a statement
/// prepared once per connection: cached by [Database#readStatement] on SQLite, and prepared server-side by
/// the PostgreSQL driver once reused.
public final class JdbcCertificateStore implements CertificateRepository {

    /// Audit action of [#recordSigned].
    public static final String ISSUE_ACTION = "certificate.issue";

    private static final String COLUMNS = "serial, status, requester, provisioner, tbs_sha256, names, spiffe_id, "
            + "not_before, not_after, profile, subject, recorded_at, pem, sha256, issuer, key_algorithm, "
            + "revoked_at, revocation_reason, issuer_key_id";

    private static final String SELECT_SQL = "SELECT " + COLUMNS + " FROM certificates WHERE serial = ?";
    // ON CONFLICT DO NOTHING (SQLite and PostgreSQL): a serial recorded before inserts no row.
    private static final String INSERT_SQL = "INSERT INTO certificates (serial, status, requester, provisioner, "
            + "tbs_sha256, names, spiffe_id, not_before, not_after, profile, subject, recorded_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (serial) DO NOTHING";
    private static final String INSERT_DNS_SQL = "INSERT INTO certificate_dns_names (serial, name) VALUES (?, ?)";
    // RETURNING (SQLite 3.35+, PostgreSQL): the pending row's facts for the audit entry, without a second query.
    private static final String SIGN_SQL = "UPDATE certificates SET status = ?, pem = ?, sha256 = ?, issuer = ?, "
            + "key_algorithm = ?, signed_at = ?, issuer_key_id = ? WHERE serial = ? AND status = ? "
            + "RETURNING requester, provisioner, names, profile, not_after";
    private static final String REVOKE_SQL = "UPDATE certificates SET status = ?, revoked_at = ?, "
            + "revocation_reason = ? WHERE serial = ? AND status = ?";
    // Status values written into SQL as literals, so that the planner sees them (and they match the index).
    private static final String VALID = "'" + CertificateStatus.VALID.wireName() + "'";
    private static final String REVOKED = "'" + CertificateStatus.REVOKED.wireName() + "'";
    private static final String BULK_REVOKE_SQL = "UPDATE certificates SET status = " + REVOKED
            + ", revoked_at = ?, revocation_reason = ? WHERE serial = ? AND status = " + VALID + " AND not_after > ?";
    static final String STATUS_SQL = "SELECT serial, status, not_after, revoked_at, revocation_reason, "
            + "issuer_key_id FROM certificates WHERE serial = ?";
    static final String REVOKED_SQL = "SELECT serial, revoked_at, revocation_reason, not_after "
            + "FROM certificates WHERE issuer_key_id = ? AND status = " + REVOKED + " AND not_after > ?";
    private static final String COUNTER_SQL = "SELECT sequence FROM revocation_counters WHERE issuer_key_id = ?";
    private static final String BUMP_COUNTER_SQL = "INSERT INTO revocation_counters (issuer_key_id, sequence, "
            + "changed_at) VALUES (?, ?, ?) ON CONFLICT (issuer_key_id) DO UPDATE SET "
            + "sequence = revocation_counters.sequence + excluded.sequence, changed_at = excluded.changed_at";

    /// Certificates revoked per transaction by [#revokeAll].
    static final int BULK_BATCH = 500;
    /// Rows fetched per round trip by [#forEachRevoked] on PostgreSQL.
    static final int FETCH_SIZE = 1000;

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
        Optional<KeyIdentifier> issuerKeyId = KeyIdentifier.authorityKeyOf(certificate);
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
                if (issuerKeyId.isPresent()) {
                    ps.setString(7, issuerKeyId.get().hex());
                } else {
                    ps.setNull(7, Types.VARCHAR);
                }
                ps.setString(8, key);
                ps.setString(9, CertificateStatus.PENDING.wireName());
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
    public Optional<RevocationStatus> status(SerialNumber serial) throws RegistryException {
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, STATUS_SQL);
            ps.setString(1, Codec.serialKey(serial));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RevocationStatus(serial, CertificateStatus.parse(Codec.string(rs, "status")),
                        Codec.instant(rs, "not_after"), Codec.optionalInstant(rs, "revoked_at"), reasonColumn(rs),
                        issuerKeyIdColumn(rs)));
            }
        } catch (SQLException e) {
            throw storage(e);
        }
    }

    @Override
    public Optional<Revocation> revoke(SerialNumber serial, RevocationReason reason, Instant at, AuditEvent audit)
            throws RegistryException {
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
                CertificateRecord r = current.get();
                switch (r.status()) {
                    case REVOKED -> {
                        return new RevokeOutcome(new Revocation(r, true), null);
                    }
                    case PENDING -> {
                        return new RevokeOutcome(null, "certificate " + serial.hex()
                                + " is pending (never signed), only a signed certificate can be revoked");
                    }
                    case VALID -> {
                        // revoked below
                    }
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
                if (r.issuerKeyId().isPresent()) {
                    bumpCounters(c, Map.of(r.issuerKeyId().get().hex(), 1L));
                }
                return new RevokeOutcome(new Revocation(selectForWrite(c, key).orElseThrow(), false), null);
            }));
        } catch (SQLException e) {
            throw storage(e);
        }
        if (outcome.wrongState() != null) {
            throw new RegistryException(RegistryException.Kind.WRONG_STATE, outcome.wrongState());
        }
        return Optional.ofNullable(outcome.revocation());
    }

    private record RevokeOutcome(@Nullable Revocation revocation, @Nullable String wrongState) {
    }

    @Override
    public List<SerialNumber> revokeAll(RevocationSelector selector, RevocationReason reason, Instant at,
            Function<SerialNumber, AuditEvent> audit) throws RegistryException {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(audit, "audit");
        List<Candidate> candidates;
        try {
            candidates = candidates(selector, at);
        } catch (SQLException e) {
            throw storage(e);
        }
        List<SerialNumber> revoked = new ArrayList<>();
        for (int from = 0; from < candidates.size(); from += BULK_BATCH) {
            List<Candidate> batch = candidates.subList(from, Math.min(candidates.size(), from + BULK_BATCH));
            try {
                revoked.addAll(Objects.requireNonNull(db.write(c -> revokeBatch(c, batch, reason, at, audit))));
            } catch (SQLException e) {
                throw new RegistryException(RegistryException.Kind.STORAGE, "certificate store: bulk revocation "
                        + "stopped after revoking " + revoked.size() + " of " + candidates.size()
                        + " certificates: " + e.getMessage(), e);
            }
        }
        return revoked;
    }

    /// A certificate a bulk revocation may take: its serial key and the key that signed it.
    private record Candidate(String key, @Nullable String issuerKeyId) {
    }

    /// The valid, unexpired certificates the selector takes, read without locking; [#revokeBatch] checks
    /// each again in its transaction. SQL narrows by what an index or a prefix can, the pattern decides.
    private List<Candidate> candidates(RevocationSelector selector, Instant at) throws SQLException {
        String valid = " status = " + VALID + " AND not_after > ?";
        Map<String, Candidate> out = new LinkedHashMap<>();
        try (Connection c = db.read()) {
            switch (selector) {
                case RevocationSelector.ByIssuerKey s -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT serial, issuer_key_id FROM certificates "
                            + "WHERE issuer_key_id = ? AND" + valid)) {
                        ps.setString(1, s.issuerKeyId().hex());
                        ps.setLong(2, at.toEpochMilli());
                        collect(ps, out, rs -> true);
                    }
                }
                case RevocationSelector.BySpiffeId s -> {
                    String prefix = literalPrefix(s.pattern());
                    try (PreparedStatement ps = c.prepareStatement("SELECT serial, issuer_key_id, spiffe_id "
                            + "FROM certificates WHERE" + valid
                            + " AND spiffe_id IS NOT NULL AND substr(spiffe_id, 1, ?) = ?")) {
                        ps.setLong(1, at.toEpochMilli());
                        ps.setInt(2, prefix.codePointCount(0, prefix.length()));
                        ps.setString(3, prefix);
                        collect(ps, out, rs -> s.matches(Codec.string(rs, "spiffe_id")));
                    }
                }
                case RevocationSelector.ByDnsName s -> {
                    String pattern = s.pattern().pattern();
                    boolean wildcard = pattern.startsWith("*");
                    // "*.x" and "**.x" both need the suffix ".x"; "**" alone needs nothing.
                    String suffix = pattern.equals("**") ? "" : pattern.substring(pattern.indexOf('.'));
                    try (PreparedStatement ps = c.prepareStatement("SELECT c.serial, c.issuer_key_id, d.name "
                            + "FROM certificates c JOIN certificate_dns_names d ON d.serial = c.serial "
                            + "WHERE c.status = " + VALID + " AND c.not_after > ?"
                            + (wildcard ? " AND d.name LIKE ? ESCAPE '!'" : " AND d.name = ?"))) {
                        ps.setLong(1, at.toEpochMilli());
                        ps.setString(2, wildcard ? "%" + likeEscaped(suffix) : pattern);
                        collect(ps, out, rs -> s.pattern().matches(Codec.string(rs, "name")));
                    }
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    @FunctionalInterface
    private interface RowFilter {
        boolean test(ResultSet rs) throws SQLException;
    }

    private static void collect(PreparedStatement ps, Map<String, Candidate> out, RowFilter filter)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (filter.test(rs)) {
                    String key = Codec.string(rs, "serial");
                    out.putIfAbsent(key, new Candidate(key, rs.getString("issuer_key_id")));
                }
            }
        }
    }

    /// The text every SPIFFE ID the pattern admits starts with: the trust domain and the literal segments
    /// before the first wildcard, each followed by `/`.
    private static String literalPrefix(SpiffeIdPattern pattern) {
        StringBuilder prefix = new StringBuilder("spiffe://").append(pattern.trustDomain().name()).append('/');
        for (String segment : pattern.segments()) {
            if (segment.equals("*") || segment.equals("**")) {
                break;
            }
            prefix.append(segment).append('/');
        }
        return prefix.toString();
    }

    private static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /// Revokes the still valid, unexpired certificates of `batch` on the writer connection `c`, appends an
    /// audit entry for each and moves the counters of their keys.
    private List<SerialNumber> revokeBatch(Connection c, List<Candidate> batch, RevocationReason reason, Instant at,
            Function<SerialNumber, AuditEvent> audit) throws SQLException {
        PreparedStatement ps = db.statement(c, BULK_REVOKE_SQL);
        for (Candidate candidate : batch) {
            ps.setLong(1, at.toEpochMilli());
            ps.setInt(2, reason.code());
            ps.setString(3, candidate.key());
            ps.setLong(4, at.toEpochMilli());
            ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        if (counts.length != batch.size()) {
            throw new SQLException("the database answered " + counts.length + " update counts for "
                    + batch.size() + " updates");
        }
        List<SerialNumber> revoked = new ArrayList<>();
        List<AuditEvent> events = new ArrayList<>();
        Map<String, Long> perKey = new HashMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue; // revoked (or otherwise changed) since it was selected
            }
            if (counts[i] != 1) {
                throw new SQLException("unexpected update count " + counts[i] + " revoking one certificate");
            }
            Candidate candidate = batch.get(i);
            SerialNumber serial = Codec.serial(candidate.key());
            revoked.add(serial);
            events.add(Objects.requireNonNull(audit.apply(serial), "audit event"));
            if (candidate.issuerKeyId() != null) {
                perKey.merge(candidate.issuerKeyId(), 1L, Long::sum);
            }
        }
        JdbcAuditLog.appendAll(db, c, events);
        bumpCounters(c, perKey);
        return revoked;
    }

    /// Adds `perKey` to the revocation counters of those keys, on the writer connection `c`.
    private void bumpCounters(Connection c, Map<String, Long> perKey) throws SQLException {
        if (perKey.isEmpty()) {
            return;
        }
        PreparedStatement ps = db.statement(c, BUMP_COUNTER_SQL);
        long now = db.clock().millis();
        for (Map.Entry<String, Long> e : new TreeMap<>(perKey).entrySet()) {
            ps.setString(1, e.getKey());
            ps.setLong(2, e.getValue());
            ps.setLong(3, now);
            ps.executeUpdate();
        }
    }

    /// Streams the revoked certificates of one issuer. On PostgreSQL, rows come in pages of [#FETCH_SIZE]
    /// through a cursor, which the driver only uses inside a transaction; SQLite steps through the result.
    @Override
    public long forEachRevoked(KeyIdentifier issuer, Instant notAfterAfter, Consumer<RevokedCertificate> sink)
            throws RegistryException {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(notAfterAfter, "notAfterAfter");
        Objects.requireNonNull(sink, "sink");
        try (Connection c = db.read()) {
            boolean cursor = db.isPostgres();
            if (cursor) {
                c.setAutoCommit(false);
            }
            try (PreparedStatement ps = c.prepareStatement(REVOKED_SQL)) {
                ps.setFetchSize(FETCH_SIZE);
                ps.setString(1, issuer.hex());
                ps.setLong(2, notAfterAfter.toEpochMilli());
                long n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new RevokedCertificate(Codec.serial(Codec.string(rs, "serial")),
                                Codec.instant(rs, "revoked_at"), reasonColumn(rs).orElse(RevocationReason.UNSPECIFIED),
                                Codec.instant(rs, "not_after")));
                        n++;
                    }
                }
                return n;
            } finally {
                if (cursor) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw storage(e);
        }
    }

    @Override
    public long revocationSequence(KeyIdentifier issuer) throws RegistryException {
        Objects.requireNonNull(issuer, "issuer");
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, COUNTER_SQL);
            ps.setString(1, issuer.hex());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw storage(e);
        }
    }

    // ---------------------------------------------------------------- followers

    /// One row of the ledger as a follower (the inventory) reads it, by its position in recording order.
    ///
    /// @param id the row's position: rows recorded later have larger ids
    /// @param serial the serial number
    /// @param status pending, valid or revoked
    /// @param recordedAt when the row was recorded (before signing)
    /// @param pem the signed certificate, once signed
    /// @param revokedAt when it was revoked, if it was
    public record LedgerRow(long id, SerialNumber serial, CertificateStatus status, Instant recordedAt,
            Optional<String> pem, Optional<Instant> revokedAt) {
        public LedgerRow {
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(recordedAt, "recordedAt");
            Objects.requireNonNull(pem, "pem");
            Objects.requireNonNull(revokedAt, "revokedAt");
        }
    }

    private static final String ROWS_AFTER_SQL = "SELECT id, serial, status, recorded_at, pem, revoked_at "
            + "FROM certificates WHERE id > ? ORDER BY id LIMIT ?";
    private static final String REVOKED_SINCE_SQL = "SELECT id, serial, status, recorded_at, pem, revoked_at "
            + "FROM certificates WHERE status = " + REVOKED + " AND (revoked_at > ? OR (revoked_at = ? AND id > ?)) "
            + "ORDER BY revoked_at, id LIMIT ?";

    /// The rows recorded after position `afterId`, pending ones included, in recording order: at most `limit`.
    /// A follower keeps the id of the last row it handled and asks again from there; a row is recorded pending
    /// and signed moments later, so a follower waits for a pending row before moving past it.
    public List<LedgerRow> rowsAfter(long afterId, int limit) throws RegistryException {
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, ROWS_AFTER_SQL);
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            return ledgerRows(ps);
        } catch (SQLException e) {
            throw storage(e);
        }
    }

    /// The revoked certificates whose revocation time is after `since`, or equal to it with an id above
    /// `afterId`, ordered by revocation time then id: at most `limit`. Pass the last row's time and id to page.
    public List<LedgerRow> revokedSince(Instant since, long afterId, int limit) throws RegistryException {
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, REVOKED_SINCE_SQL);
            ps.setLong(1, since.toEpochMilli());
            ps.setLong(2, since.toEpochMilli());
            ps.setLong(3, afterId);
            ps.setInt(4, limit);
            return ledgerRows(ps);
        } catch (SQLException e) {
            throw storage(e);
        }
    }

    private static List<LedgerRow> ledgerRows(PreparedStatement ps) throws SQLException {
        List<LedgerRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new LedgerRow(rs.getLong("id"), Codec.serial(Codec.string(rs, "serial")),
                        CertificateStatus.parse(Codec.string(rs, "status")), Codec.instant(rs, "recorded_at"),
                        Codec.optionalString(rs, "pem"), Codec.optionalInstant(rs, "revoked_at")));
            }
        }
        return rows;
    }

    private static Optional<RevocationReason> reasonColumn(ResultSet rs) throws SQLException {
        int code = rs.getInt("revocation_reason");
        return rs.wasNull() ? Optional.empty() : Optional.of(RevocationReason.ofCode(code));
    }

    private static Optional<KeyIdentifier> issuerKeyIdColumn(ResultSet rs) throws SQLException {
        return Codec.optionalString(rs, "issuer_key_id").map(KeyIdentifier::new);
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
            Optional<Instant> revokedAt, Optional<RevocationReason> reason, Optional<KeyIdentifier> issuerKeyId) {

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
            return new Row(pending, CertificateStatus.parse(Codec.string(rs, "status")),
                    Codec.optionalString(rs, "spiffe_id"), Codec.optionalString(rs, "pem"),
                    Codec.optionalString(rs, "sha256"), Codec.optionalString(rs, "issuer").orElse(""),
                    Codec.optionalString(rs, "key_algorithm").orElse(""), Codec.optionalInstant(rs, "revoked_at"),
                    reasonColumn(rs), issuerKeyIdColumn(rs));
        }

        LedgerEntry entry() {
            return new LedgerEntry(pending, pem);
        }

        CertificateRecord record() {
            return new CertificateRecord(pending.serial(), issuer, pending.subject(), pending.names(), spiffeId,
                    pending.validity(), pending.profile(), keyAlgorithm, sha256, pem,
                    pending.requester().actor(), pending.requester().provisioner(), status, revokedAt, reason,
                    issuerKeyId);
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
