package io.certwright.ca.registry;

import io.certwright.ca.policy.DnsPattern;
import io.certwright.ca.policy.SpiffeIdPattern;
import io.certwright.core.SpiffeId;
import java.util.Objects;

/// Which certificates a bulk revocation ([CertificateRepository#revokeAll]) takes: those whose SPIFFE ID
/// or one of whose DNS names matches a pattern, or everything one CA key signed. Only certificates valid
/// at the time of revocation (signed, not revoked, not expired) are ever taken.
public sealed interface RevocationSelector {

    /// Whether `record` is selected, leaving its status and validity aside.
    boolean matches(CertificateRecord record);

    /// Certificates whose SPIFFE ID matches, e.g. `spiffe://example.org/ns/prod/*` (one segment) or
    /// `spiffe://example.org/ns/prod/**` (any depth); see [SpiffeIdPattern].
    ///
    /// @param pattern the pattern
    record BySpiffeId(SpiffeIdPattern pattern) implements RevocationSelector {

        public BySpiffeId {
            Objects.requireNonNull(pattern, "pattern");
        }

        @Override
        public boolean matches(CertificateRecord record) {
            return record.spiffeId().map(this::matches).orElse(false);
        }

        /// Whether the SPIFFE ID text matches; false when it is not a valid SPIFFE ID.
        public boolean matches(String spiffeId) {
            try {
                return pattern.matches(SpiffeId.parse(spiffeId));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    /// Certificates with at least one DNS name matching, e.g. `*.example.com` (one label) or
    /// `**.example.com` (any depth); see [DnsPattern].
    ///
    /// @param pattern the pattern
    record ByDnsName(DnsPattern pattern) implements RevocationSelector {

        public ByDnsName {
            Objects.requireNonNull(pattern, "pattern");
        }

        @Override
        public boolean matches(CertificateRecord record) {
            return record.names().stream().anyMatch(pattern::matches);
        }
    }

    /// Everything signed by the CA key with this identifier (the certificates' authority key identifier):
    /// "everything this intermediate signed".
    ///
    /// @param issuerKeyId the issuing key's identifier
    record ByIssuerKey(KeyIdentifier issuerKeyId) implements RevocationSelector {

        public ByIssuerKey {
            Objects.requireNonNull(issuerKeyId, "issuerKeyId");
        }

        @Override
        public boolean matches(CertificateRecord record) {
            return record.issuerKeyId().filter(issuerKeyId::equals).isPresent();
        }
    }
}
