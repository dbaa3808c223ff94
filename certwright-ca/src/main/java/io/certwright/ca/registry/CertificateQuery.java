package io.certwright.ca.registry;

import io.certwright.ca.profile.Profile;
import java.time.Duration;
import java.util.Optional;

/// Filters for listing certificates; all given filters must match. Results are ordered by serial and
/// paged with an opaque cursor.
///
/// @param status only this status
/// @param expiringWithin only certificates whose notAfter falls within this duration from now (and not yet past)
/// @param spiffeIdPrefix only SPIFFE IDs starting with this
/// @param dnsPrefix only certificates with a DNS SAN starting with this
/// @param profile only this profile
/// @param requester only this requester
/// @param cursor continue after this cursor (from a previous page)
/// @param limit page size, 1 to 1000
public record CertificateQuery(Optional<CertificateStatus> status, Optional<Duration> expiringWithin,
        Optional<String> spiffeIdPrefix, Optional<String> dnsPrefix, Optional<Profile> profile,
        Optional<String> requester, Optional<String> cursor, int limit) {

    public static final int MAX_LIMIT = 1000;

    public CertificateQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /// Everything, first page of 100.
    public static CertificateQuery all() {
        return new CertificateQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 100);
    }
}
