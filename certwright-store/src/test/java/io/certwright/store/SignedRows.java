package io.certwright.store;

import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.core.SerialNumber;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/// Many signed certificate rows written straight into `certificates`, for tests of bulk operations at a
/// scale where signing each certificate would only slow the test down. The rows carry no PEM; everything
/// revocation reads (status, validity, issuing key, names) is there.
final class SignedRows {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CHUNK = 1000;
    private static final String INSERT_SQL = "INSERT INTO certificates (serial, status, requester, provisioner, "
            + "tbs_sha256, names, not_before, not_after, profile, subject, recorded_at, issuer, key_algorithm, "
            + "signed_at, issuer_key_id) VALUES (?, ?, 'token:test', 'admin-api', ?, '[]', ?, ?, 'server', "
            + "'CN=bulk', ?, 'CN=Bulk CA', 'ECDSA P-256', ?, ?)";

    private SignedRows() {
    }

    /// Inserts `count` valid certificates signed by `issuer`, valid from `now` for a day.
    static List<SerialNumber> insert(Database db, int count, KeyIdentifier issuer, Instant now) throws Exception {
        List<SerialNumber> serials = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            serials.add(SerialNumber.random(RANDOM));
        }
        for (int from = 0; from < count; from += CHUNK) {
            List<SerialNumber> chunk = serials.subList(from, Math.min(count, from + CHUNK));
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(INSERT_SQL)) {
                    for (SerialNumber serial : chunk) {
                        byte[] h = new byte[32];
                        RANDOM.nextBytes(h);
                        ps.setString(1, Codec.serialKey(serial));
                        ps.setString(2, CertificateStatus.VALID.wireName());
                        ps.setString(3, HexFormat.of().formatHex(h));
                        ps.setLong(4, now.toEpochMilli());
                        ps.setLong(5, now.plus(Duration.ofDays(1)).toEpochMilli());
                        ps.setLong(6, now.toEpochMilli());
                        ps.setLong(7, now.toEpochMilli());
                        ps.setString(8, issuer.hex());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
        }
        return serials;
    }
}
