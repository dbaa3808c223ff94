package io.certwright.ca;

import io.certwright.ca.policy.DnsPattern;
import io.certwright.ca.policy.GlobPattern;
import io.certwright.ca.policy.IpRange;
import io.certwright.ca.policy.SanPolicy;
import io.certwright.ca.policy.SpiffeIdPattern;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.RevocationUrls;
import io.certwright.core.Durations;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.TrustDomain;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;

/// The settings file of a CA directory, `ca.properties`: the CA's name, trust domain and key type, and
/// the [CaSettings] (lifetimes per profile, issuer-expiry behaviour, name policy, revocation URLs).
///
/// Keys: `name`, `trust-domain`, `key-type`, `issuer-expiry` (`refuse`|`cap`), `backdate`,
/// `policy.dns`, `policy.ip`, `policy.spiffe-id`, `policy.uri`, `policy.email` (comma-separated patterns),
/// `profile.<name>.default-ttl|min-ttl|max-ttl`, `profile.<name>.must-staple` (`true`|`false`, for `svid`,
/// `server` and `mtls`), `url.crl`, `url.ocsp`, `url.ca-issuers` (comma-separated).
///
/// @param name the CA name
/// @param trustDomain its SPIFFE trust domain, if any
/// @param keyType its key type
/// @param settings issuance settings
public record CaConfig(String name, Optional<TrustDomain> trustDomain, KeyAlgorithm keyType, CaSettings settings) {

    /// Parses the properties text; every malformed value is reported with its key.
    public static CaConfig parse(String text) throws CaException {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new CaException("ca.properties is malformed: " + e.getMessage(), e);
        }
        try {
            String name = required(p, "name");
            Optional<TrustDomain> td = Optional.ofNullable(p.getProperty("trust-domain"))
                    .filter(s -> !s.isBlank()).map(s -> value("trust-domain", () -> TrustDomain.parse(s)));
            String keyTypeName = required(p, "key-type");
            KeyAlgorithm keyType = value("key-type", () -> KeyAlgorithm.parse(keyTypeName));
            CaSettings s = CaSettings.defaults(td.map(List::of).orElse(List.of()));
            for (Profile profile : Profile.values()) {
                if (profile == Profile.ROOT) {
                    continue;
                }
                Lifetimes d = s.lifetimes(profile);
                String prefix = "profile." + profile.wireName() + ".";
                Duration defaultTtl = duration(p, prefix + "default-ttl", d.defaultLifetime());
                Duration minTtl = duration(p, prefix + "min-ttl", d.minimum());
                Duration maxTtl = duration(p, prefix + "max-ttl", d.maximum());
                s = s.withLifetimes(profile, value("profile." + profile.wireName(),
                        () -> new Lifetimes(defaultTtl, minTtl, maxTtl)));
            }
            String expiry = p.getProperty("issuer-expiry", "refuse").trim().toUpperCase(Locale.ROOT);
            s = s.withIssuerExpiry(value("issuer-expiry", () -> IssuerExpiryPolicy.valueOf(expiry)));
            SanPolicy def = s.sanPolicy();
            s = s.withSanPolicy(new SanPolicy(
                    list(p, "policy.dns", DnsPattern::parse, def.dns()),
                    list(p, "policy.ip", IpRange::parse, def.ips()),
                    list(p, "policy.spiffe-id", SpiffeIdPattern::parse, def.spiffeIds()),
                    list(p, "policy.uri", GlobPattern::parse, def.uris()),
                    list(p, "policy.email", GlobPattern::parse, def.emails())));
            s = s.withRevocationUrls(new RevocationUrls(list(p, "url.crl", URI::create, List.of()),
                    list(p, "url.ocsp", URI::create, List.of()), list(p, "url.ca-issuers", URI::create, List.of())));
            java.util.Set<Profile> staple = java.util.EnumSet.noneOf(Profile.class);
            for (Profile profile : Profile.values()) {
                String key = "profile." + profile.wireName() + ".must-staple";
                String v = p.getProperty(key);
                if (v == null || v.isBlank()) {
                    continue;
                }
                boolean on = value(key, () -> bool(v));
                if (on && !profile.mayStaple()) {
                    throw new IllegalArgumentException(key + ": must-staple applies to svid, server and mtls only");
                }
                if (on) {
                    staple.add(profile);
                }
            }
            s = s.withMustStaple(staple);
            String backdate = p.getProperty("backdate");
            if (backdate != null && !backdate.isBlank()) {
                CaSettings current = s;
                s = value("backdate", () -> new CaSettings(current.lifetimes(), current.issuerExpiry(),
                        Durations.parse(backdate), current.sanPolicy(), current.keyPolicy(), current.revocationUrls(),
                        current.mustStaple()));
            }
            return new CaConfig(name, td, keyType, s);
        } catch (IllegalArgumentException e) {
            throw new CaException("ca.properties: " + e.getMessage(), e);
        }
    }

    private static boolean bool(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + v.trim() + "'");
        };
    }

    private static String required(Properties p, String key) throws CaException {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new CaException("ca.properties: '" + key + "' is missing");
        }
        return v.trim();
    }

    /// Parses one value, prefixing any refusal with the key it came from.
    private static <T> T value(String key, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static Duration duration(Properties p, String key, Duration fallback) {
        String v = p.getProperty(key);
        try {
            return v == null || v.isBlank() ? fallback : Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static <T> List<T> list(Properties p, String key, Function<String, T> parse, List<T> fallback) {
        String v = p.getProperty(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    /// The properties text, commented, in a stable order.
    public String format() {
        StringWriter w = new StringWriter();
        w.write("# Certwright CA settings. Durations: 90d, 24h, 30m, 45s. Lists are comma-separated.\n");
        line(w, "name", name);
        line(w, "trust-domain", trustDomain.map(TrustDomain::name).orElse(""));
        line(w, "key-type", keyType.cliName());
        w.write("\n# What to do when a certificate would outlive the intermediate: refuse or cap\n");
        line(w, "issuer-expiry", settings.issuerExpiry().name().toLowerCase(Locale.ROOT));
        line(w, "backdate", Durations.format(settings.backdate()));
        w.write("\n# Names certificates may carry. DNS: name, *.suffix (one label), **.suffix (any depth), **.\n");
        w.write("# SPIFFE IDs: spiffe://td/a/*/c (* = one segment), spiffe://td/** (any path).\n");
        line(w, "policy.dns", join(settings.sanPolicy().dns()));
        line(w, "policy.ip", join(settings.sanPolicy().ips()));
        line(w, "policy.spiffe-id", join(settings.sanPolicy().spiffeIds()));
        line(w, "policy.uri", join(settings.sanPolicy().uris()));
        line(w, "policy.email", join(settings.sanPolicy().emails()));
        w.write("\n# Lifetimes per profile\n");
        for (Profile profile : Profile.values()) {
            if (profile == Profile.ROOT) {
                continue;
            }
            Lifetimes l = settings.lifetimes(profile);
            String prefix = "profile." + profile.wireName() + ".";
            line(w, prefix + "default-ttl", Durations.format(l.defaultLifetime()));
            line(w, prefix + "min-ttl", Durations.format(l.minimum()));
            line(w, prefix + "max-ttl", Durations.format(l.maximum()));
        }
        w.write("\n# Must-staple: the TLS feature extension (RFC 7633) makes clients insist on a stapled OCSP response;\n");
        w.write("# only set it when url.ocsp is set and the servers staple.\n");
        for (Profile profile : Profile.values()) {
            if (profile.mayStaple()) {
                line(w, "profile." + profile.wireName() + ".must-staple", Boolean.toString(settings.mustStaple(profile)));
            }
        }
        w.write("\n# Revocation URLs written into issued certificates\n");
        line(w, "url.crl", join(settings.revocationUrls().crlDistributionPoints()));
        line(w, "url.ocsp", join(settings.revocationUrls().ocspResponders()));
        line(w, "url.ca-issuers", join(settings.revocationUrls().caIssuers()));
        return w.toString();
    }

    private static void line(StringWriter w, String key, String value) {
        Properties one = new Properties();
        one.setProperty(key, value);
        StringWriter tmp = new StringWriter();
        try {
            one.store(tmp, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        tmp.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> w.write(l + "\n"));
    }

    private static String join(List<?> items) {
        return String.join(",", items.stream().map(Object::toString).toList());
    }
}
