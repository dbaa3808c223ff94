package io.certwright.store;

import io.certwright.ca.Pem;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.KeyIdentifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Schema version 3, in Java because SQL cannot read X.509: fills `certificates.issuer_key_id` (added
/// empty by V2) for the certificates signed before it, from the authority key identifier of each stored
/// certificate, and starts each key's `revocation_counters` row at the number of its revoked certificates.
///
/// It reads the table in pages of [#PAGE] rows by id and updates each page in one batch, inside Flyway's
/// migration transaction. A stored certificate that cannot be parsed keeps an empty key id (it then
/// appears on no CRL, as before) and is counted in a warning; it does not stop the migration.
final class BackfillIssuerKeyIds implements JavaMigration {

    static final int PAGE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(BackfillIssuerKeyIds.class);

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("3");
    }

    @Override
    public String getDescription() {
        return "backfill issuer key ids";
    }

    @Override
    public Integer getChecksum() {
        // Changes only when what this migration computes changes.
        return 1;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        long after = 0;
        int filled = 0;
        int unreadable = 0;
        try (PreparedStatement select = c.prepareStatement("SELECT id, pem FROM certificates WHERE id > ? "
                        + "AND pem IS NOT NULL AND issuer_key_id IS NULL ORDER BY id LIMIT " + PAGE);
                PreparedStatement update = c.prepareStatement(
                        "UPDATE certificates SET issuer_key_id = ? WHERE id = ?")) {
            while (true) {
                List<Long> ids = new ArrayList<>();
                List<String> pems = new ArrayList<>();
                select.setLong(1, after);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        pems.add(Codec.string(rs, "pem"));
                    }
                }
                if (ids.isEmpty()) {
                    break;
                }
                int batched = 0;
                for (int i = 0; i < ids.size(); i++) {
                    Optional<KeyIdentifier> id = issuerKeyId(pems.get(i));
                    if (id.isEmpty()) {
                        unreadable++;
                        continue;
                    }
                    update.setString(1, id.get().hex());
                    update.setLong(2, ids.get(i));
                    update.addBatch();
                    batched++;
                }
                if (batched > 0) {
                    update.executeBatch();
                    filled += batched;
                }
                after = ids.getLast();
            }
        }
        try (PreparedStatement counters = c.prepareStatement("INSERT INTO revocation_counters "
                + "(issuer_key_id, sequence, changed_at) SELECT issuer_key_id, COUNT(*), MAX(revoked_at) "
                + "FROM certificates WHERE status = ? AND issuer_key_id IS NOT NULL AND revoked_at IS NOT NULL "
                + "GROUP BY issuer_key_id")) {
            counters.setString(1, CertificateStatus.REVOKED.wireName());
            counters.executeUpdate();
        }
        if (filled > 0 || unreadable > 0) {
            LOG.info("Recorded the issuing key of {} stored certificates", filled);
        }
        if (unreadable > 0) {
            LOG.warn("{} stored certificates name no issuing key or cannot be read; they appear on no CRL",
                    unreadable);
        }
    }

    /// The authority key identifier of the PEM certificate; empty when it has none or cannot be read.
    static Optional<KeyIdentifier> issuerKeyId(String pem) {
        try {
            List<X509Certificate> certs = Pem.readCertificates(pem.getBytes(StandardCharsets.US_ASCII), "database");
            return certs.size() == 1 ? KeyIdentifier.authorityKeyOf(certs.getFirst()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
