package io.certwright.ca;

import io.certwright.core.KeyAlgorithm;
import io.certwright.core.TrustDomain;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// What a new CA looks like.
///
/// @param keyAlgorithm key type of root and intermediate
/// @param name the CA's name; the root is "<name> Root CA", the intermediate "<name> Intermediate CA"
/// @param trustDomain the SPIFFE trust domain it issues SVIDs for, if any
/// @param permittedDnsDomains DNS name constraints for the intermediate (empty: unconstrained)
/// @param constrainToTrustDomain whether the intermediate carries a `spiffe://<trust-domain>` URI name constraint
/// @param rootLifetime root validity
/// @param intermediateLifetime intermediate validity (never beyond the root's)
/// @param publicUrls where revocation information will be published; when set, the intermediate carries
///     the root's CRL distribution point and the CA directory's settings the leaf URLs
public record CaSpec(KeyAlgorithm keyAlgorithm, String name, Optional<TrustDomain> trustDomain,
        List<String> permittedDnsDomains, boolean constrainToTrustDomain, Duration rootLifetime,
        Duration intermediateLifetime, Optional<PublicUrls> publicUrls) {

    public static final String DEFAULT_NAME = "Certwright";
    public static final Duration DEFAULT_ROOT_LIFETIME = Duration.ofDays(3650);
    public static final Duration DEFAULT_INTERMEDIATE_LIFETIME = Duration.ofDays(365);

    public CaSpec {
        Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        Objects.requireNonNull(publicUrls, "publicUrls");
        if (name.isBlank() || name.length() > 50) {
            throw new IllegalArgumentException("CA name must be 1 to 50 characters");
        }
        permittedDnsDomains = permittedDnsDomains.stream().map(d -> d.toLowerCase(java.util.Locale.ROOT)).toList();
        for (String d : permittedDnsDomains) {
            if (!io.certwright.ca.policy.DnsNames.isValidHostname(d)) {
                throw new IllegalArgumentException("invalid permitted DNS domain '" + d + "'");
            }
        }
        if (constrainToTrustDomain && trustDomain.isEmpty()) {
            throw new IllegalArgumentException("a SPIFFE name constraint needs a trust domain");
        }
        if (rootLifetime.compareTo(Duration.ofDays(1)) < 0 || intermediateLifetime.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("root lifetime must be at least 1 day, intermediate at least 1 hour");
        }
    }

    /// A spec without public URLs.
    public CaSpec(KeyAlgorithm keyAlgorithm, String name, Optional<TrustDomain> trustDomain,
            List<String> permittedDnsDomains, boolean constrainToTrustDomain, Duration rootLifetime,
            Duration intermediateLifetime) {
        this(keyAlgorithm, name, trustDomain, permittedDnsDomains, constrainToTrustDomain, rootLifetime,
                intermediateLifetime, Optional.empty());
    }

    /// Defaults: the given key type and name, no trust domain, 10-year root, 1-year intermediate.
    public static CaSpec of(KeyAlgorithm keyAlgorithm, String name) {
        return new CaSpec(keyAlgorithm, name, Optional.empty(), List.of(), false, DEFAULT_ROOT_LIFETIME,
                DEFAULT_INTERMEDIATE_LIFETIME);
    }

    public CaSpec withTrustDomain(TrustDomain td, boolean constrain) {
        return new CaSpec(keyAlgorithm, name, Optional.of(td), permittedDnsDomains, constrain, rootLifetime,
                intermediateLifetime, publicUrls);
    }

    public CaSpec withPermittedDns(List<String> domains) {
        return new CaSpec(keyAlgorithm, name, trustDomain, domains, constrainToTrustDomain, rootLifetime,
                intermediateLifetime, publicUrls);
    }

    public CaSpec withLifetimes(Duration root, Duration intermediate) {
        return new CaSpec(keyAlgorithm, name, trustDomain, permittedDnsDomains, constrainToTrustDomain, root,
                intermediate, publicUrls);
    }

    /// This spec with revocation information published under `urls`.
    public CaSpec withPublicUrls(PublicUrls urls) {
        return new CaSpec(keyAlgorithm, name, trustDomain, permittedDnsDomains, constrainToTrustDomain, rootLifetime,
                intermediateLifetime, Optional.of(urls));
    }
}
