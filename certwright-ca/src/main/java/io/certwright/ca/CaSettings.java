package io.certwright.ca;

import io.certwright.ca.policy.KeyPolicy;
import io.certwright.ca.policy.SanPolicy;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.RevocationUrls;
import io.certwright.core.TrustDomain;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/// How an issuing CA behaves: lifetimes per profile, what happens near its own expiry, the policies
/// requests must satisfy, and the revocation URLs written into certificates.
///
/// @param lifetimes lifetime rules per profile
/// @param issuerExpiry refuse or cap certificates that would outlive the issuer
/// @param backdate how far notBefore lies before the time of issuance, for clock skew
/// @param sanPolicy names certificates may carry
/// @param keyPolicy subject keys accepted
/// @param revocationUrls CRL and AIA URLs
/// @param mustStaple profiles whose certificates carry the TLS feature extension (must-staple); only
///     profiles that [Profile#mayStaple()]
public record CaSettings(Map<Profile, Lifetimes> lifetimes, IssuerExpiryPolicy issuerExpiry, Duration backdate,
        SanPolicy sanPolicy, KeyPolicy keyPolicy, RevocationUrls revocationUrls, Set<Profile> mustStaple) {

    /// notBefore backdating used unless configured otherwise.
    public static final Duration DEFAULT_BACKDATE = Duration.ofMinutes(1);

    public CaSettings {
        Objects.requireNonNull(issuerExpiry, "issuerExpiry");
        lifetimes = Map.copyOf(lifetimes);
        for (Profile p : Profile.values()) {
            if (p != Profile.ROOT && !lifetimes.containsKey(p)) {
                throw new IllegalArgumentException("no lifetimes for profile " + p);
            }
        }
        if (backdate.isNegative() || backdate.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("backdate must be between 0 and 1 hour");
        }
        mustStaple = Set.copyOf(mustStaple);
        for (Profile p : mustStaple) {
            if (!p.mayStaple()) {
                throw new IllegalArgumentException("must-staple applies to TLS server profiles; " + p + " is not one");
            }
        }
    }

    /// Settings without must-staple for any profile.
    public CaSettings(Map<Profile, Lifetimes> lifetimes, IssuerExpiryPolicy issuerExpiry, Duration backdate,
            SanPolicy sanPolicy, KeyPolicy keyPolicy, RevocationUrls revocationUrls) {
        this(lifetimes, issuerExpiry, backdate, sanPolicy, keyPolicy, revocationUrls, Set.of());
    }

    /// Defaults: 24 h default lifetime, 5 min minimum, each profile's default maximum; refuse past issuer
    /// expiry; 1 min backdate; any DNS name and IP, SPIFFE IDs of the given trust domains; standard keys.
    public static CaSettings defaults(List<TrustDomain> trustDomains) {
        Map<Profile, Lifetimes> l = new EnumMap<>(Profile.class);
        for (Profile p : Profile.values()) {
            if (p != Profile.ROOT) {
                l.put(p, Lifetimes.upTo(p.defaultMaxLifetime()));
            }
        }
        return new CaSettings(l, IssuerExpiryPolicy.REFUSE, DEFAULT_BACKDATE, SanPolicy.defaultFor(trustDomains),
                KeyPolicy.defaults(), RevocationUrls.none(), Set.of());
    }

    public Lifetimes lifetimes(Profile profile) {
        Lifetimes l = lifetimes.get(profile);
        if (l == null) {
            throw new IllegalArgumentException("profile " + profile + " cannot be requested");
        }
        return l;
    }

    public CaSettings withLifetimes(Profile profile, Lifetimes l) {
        Map<Profile, Lifetimes> m = new EnumMap<>(lifetimes);
        m.put(profile, l);
        return new CaSettings(m, issuerExpiry, backdate, sanPolicy, keyPolicy, revocationUrls, mustStaple);
    }

    public CaSettings withIssuerExpiry(IssuerExpiryPolicy policy) {
        return new CaSettings(lifetimes, policy, backdate, sanPolicy, keyPolicy, revocationUrls, mustStaple);
    }

    public CaSettings withSanPolicy(SanPolicy policy) {
        return new CaSettings(lifetimes, issuerExpiry, backdate, policy, keyPolicy, revocationUrls, mustStaple);
    }

    public CaSettings withKeyPolicy(KeyPolicy policy) {
        return new CaSettings(lifetimes, issuerExpiry, backdate, sanPolicy, policy, revocationUrls, mustStaple);
    }

    public CaSettings withRevocationUrls(RevocationUrls urls) {
        return new CaSettings(lifetimes, issuerExpiry, backdate, sanPolicy, keyPolicy, urls, mustStaple);
    }

    /// These settings with must-staple for exactly `profiles`.
    ///
    /// @throws IllegalArgumentException when a profile is not a TLS server profile
    public CaSettings withMustStaple(Set<Profile> profiles) {
        Set<Profile> copy = profiles.isEmpty() ? Set.of() : EnumSet.copyOf(profiles);
        return new CaSettings(lifetimes, issuerExpiry, backdate, sanPolicy, keyPolicy, revocationUrls, copy);
    }

    /// Whether certificates of `profile` carry the TLS feature extension.
    public boolean mustStaple(Profile profile) {
        return mustStaple.contains(profile);
    }
}
