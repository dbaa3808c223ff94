package io.certwright.ca;

import io.certwright.ca.profile.Profile;
import io.certwright.core.SerialNumber;
import io.certwright.core.Validity;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/// A certificate about to be signed, as the ledger records it: enough to list, audit and revoke it even if
/// the process dies before the signature exists.
///
/// @param serial its serial number
/// @param profile its profile
/// @param subject its subject DN (RFC 2253), possibly empty
/// @param names its SANs, as text
/// @param validity its validity
/// @param tbsSha256 hex SHA-256 of the DER to-be-signed certificate, binding the record to exact content
/// @param recordedAt when it was recorded
/// @param requester who asked for it
public record PendingCertificate(SerialNumber serial, Profile profile, String subject, List<String> names,
        Validity validity, String tbsSha256, Instant recordedAt, Requester requester) {

    public PendingCertificate {
        names = List.copyOf(names);
        HexFormat.of().parseHex(tbsSha256);
        java.util.Objects.requireNonNull(requester, "requester");
    }

    /// A record requested by the offline command line ([Requester#LOCAL]).
    public PendingCertificate(SerialNumber serial, Profile profile, String subject, List<String> names,
            Validity validity, String tbsSha256, Instant recordedAt) {
        this(serial, profile, subject, names, validity, tbsSha256, recordedAt, Requester.LOCAL);
    }
}
