package io.certwright.ca;

import io.certwright.ca.policy.KeyPolicy;
import io.certwright.ca.policy.SanPolicy;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.RevocationUrls;
import io.certwright.core.TrustDomain;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/// How an issuing CA behaves: lifetimes per profile, what happens near its own expiry, the policies
/// requests must satisfy, and the revocation URLs written into certificates.
///
/// @param lifetimes lifetime rules per profile
/// @param issuerExpiry refuse or cap certificates that would outlive the issuer
/// @param backdate how far notBefore lies before the time of issuance, for clock skew
/// @param sanPolicy names certificates may carry
/// @param keyPolicy subject keys accepted
/// @param revocationUrls CRL and AIA URLs
public record CaSettings(Map<Profile, Lifetimes> lifetimes, IssuerExpiryPolicy issuerExpiry, Duration backdate,
        SanPolicy sanPolicy, KeyPolicy keyPolicy, RevocationUrls revocationUrls) {

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
                KeyPolicy.defaults(), RevocationUrls.none());
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
        return new CaSettings(m, issuerExpiry, backdate, sanPolicy, keyPolicy, revocationUrls);
    }

    public CaSettings withIssuerExpiry(IssuerExpiryPolicy policy) {
        return new CaSettings(lifetimes, policy, backdate, sanPolicy, keyPolicy, revocationUrls);
    }

    public CaSettings withSanPolicy(SanPolicy policy) {
        return new CaSettings(lifetimes, issuerExpiry, backdate, policy, keyPolicy, revocationUrls);
    }

    public CaSettings withKeyPolicy(KeyPolicy policy) {
        return new CaSettings(lifetimes, issuerExpiry, backdate, sanPolicy, policy, revocationUrls);
    }

    public CaSettings withRevocationUrls(RevocationUrls urls) {
        return new CaSettings(lifetimes, issuerExpiry, backdate, sanPolicy, keyPolicy, urls);
    }
}
