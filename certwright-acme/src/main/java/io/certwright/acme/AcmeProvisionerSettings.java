package io.certwright.acme;

import io.certwright.acme.store.Identifier;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/// One ACME provisioner: a directory at `/acme/<name>/directory` with its own accounts, rules and
/// certificate lifetime.
///
/// @param name the provisioner's name, the path segment after `/acme/`
/// @param challenges the challenge types offered: a non-empty subset of `http-01`, `dns-01`, `tls-alpn-01`
/// @param allowedIdentifiers which identifiers orders may ask for; empty admits every valid identifier
/// @param eabRequired whether new accounts need an external account binding (RFC 8555 section 7.3.4)
/// @param certificateTtl the lifetime of the certificates issued
/// @param termsOfService the directory's `meta.termsOfService`; when set, new accounts must agree to it
/// @param website the directory's `meta.website`
/// @param caaIdentities the directory's `meta.caaIdentities`
public record AcmeProvisionerSettings(String name, Set<String> challenges, List<IdentifierPattern> allowedIdentifiers,
        boolean eabRequired, Duration certificateTtl, Optional<URI> termsOfService, Optional<URI> website,
        List<String> caaIdentities) {

    /// The challenge types this server can validate.
    public static final Set<String> CHALLENGE_TYPES = Set.of("http-01", "dns-01", "tls-alpn-01");
    /// The certificate lifetime unless configured.
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /// Checks the settings.
    public AcmeProvisionerSettings {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an ACME provisioner name is 1 to 63 lower-case letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit; not '" + name + "'");
        }
        challenges = Set.copyOf(challenges);
        if (challenges.isEmpty() || !CHALLENGE_TYPES.containsAll(challenges)) {
            throw new IllegalArgumentException("challenges must be a non-empty subset of " + CHALLENGE_TYPES.stream()
                    .sorted().toList() + "; got " + challenges.stream().sorted().toList());
        }
        allowedIdentifiers = List.copyOf(allowedIdentifiers);
        if (certificateTtl.isNegative() || certificateTtl.isZero()) {
            throw new IllegalArgumentException("certificateTtl must be positive");
        }
        Objects.requireNonNull(termsOfService, "termsOfService");
        Objects.requireNonNull(website, "website");
        caaIdentities = List.copyOf(caaIdentities);
    }

    /// A provisioner offering every challenge type for any identifier, without EAB, issuing for 24 hours.
    public static AcmeProvisionerSettings of(String name) {
        return new AcmeProvisionerSettings(name, CHALLENGE_TYPES, List.of(), false, DEFAULT_TTL, Optional.empty(),
                Optional.empty(), List.of());
    }

    /// These settings with other challenge types.
    public AcmeProvisionerSettings withChallenges(Set<String> next) {
        return new AcmeProvisionerSettings(name, next, allowedIdentifiers, eabRequired, certificateTtl,
                termsOfService, website, caaIdentities);
    }

    /// These settings with an allow-list (patterns as [IdentifierPattern] reads them).
    public AcmeProvisionerSettings withAllowedIdentifiers(String... patterns) {
        return new AcmeProvisionerSettings(name, challenges, java.util.Arrays.stream(patterns)
                .map(IdentifierPattern::new).toList(), eabRequired, certificateTtl, termsOfService, website,
                caaIdentities);
    }

    /// These settings with or without mandatory external account binding.
    public AcmeProvisionerSettings withEabRequired(boolean required) {
        return new AcmeProvisionerSettings(name, challenges, allowedIdentifiers, required, certificateTtl,
                termsOfService, website, caaIdentities);
    }

    /// These settings with another certificate lifetime.
    public AcmeProvisionerSettings withCertificateTtl(Duration ttl) {
        return new AcmeProvisionerSettings(name, challenges, allowedIdentifiers, eabRequired, ttl, termsOfService,
                website, caaIdentities);
    }

    /// These settings with directory metadata.
    public AcmeProvisionerSettings withMeta(Optional<URI> tos, Optional<URI> site, List<String> caa) {
        return new AcmeProvisionerSettings(name, challenges, allowedIdentifiers, eabRequired, certificateTtl, tos,
                site, caa);
    }

    /// Whether the allow-list admits `identifier` (a wildcard is checked as written, `*.` included).
    public boolean allows(Identifier identifier) {
        return allowedIdentifiers.isEmpty() || allowedIdentifiers.stream().anyMatch(p -> p.matches(identifier));
    }
}
