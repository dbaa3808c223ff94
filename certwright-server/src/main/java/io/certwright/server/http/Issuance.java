package io.certwright.server.http;

import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.CsrContents;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.LedgerException;
import io.certwright.ca.Requester;
import io.certwright.ca.access.EnrollmentToken;
import io.certwright.ca.access.Provisioner;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.audit.AuditException;
import io.certwright.ca.audit.AuditLog;
import io.certwright.ca.policy.SanPolicy;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.PolicyRule;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.Refusal;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.ca.registry.CertificateRecord;
import io.certwright.core.Durations;
import io.certwright.core.SpiffeId;
import java.net.InetAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The three ways the API obtains a certificate, each ending in [CertificateAuthority#issue]: an API token
/// (the CA's own policy applies), a one-time enrollment token (the token's bound names and its
/// provisioner's profiles, name patterns and maximum lifetime apply on top), and renewal of a current
/// certificate (same names, same profile). Refusals are audited and counted here.
final class Issuance {

    private static final Logger LOG = LoggerFactory.getLogger(Issuance.class);

    private final CertificateAuthority ca;
    private final AuditLog audit;
    private final Metrics metrics;

    Issuance(CertificateAuthority ca, AuditLog audit, Metrics metrics) {
        this.ca = ca;
        this.audit = audit;
        this.metrics = metrics;
    }

    IssuedCertificate withToken(byte[] csrDer, Profile profile, Optional<Duration> ttl, Requester who)
            throws PolicyException, GeneralSecurityException, LedgerException {
        return run("issue", profile, who, csrDer, () -> {
            CsrContents csr = CsrContents.read(csrDer, profile);
            return ca.issue(csr.toRequest(profile, ttl), who);
        });
    }

    IssuedCertificate withEnrollment(byte[] csrDer, Profile profile, Optional<Duration> ttl, EnrollmentToken token,
            Provisioner provisioner) throws PolicyException, GeneralSecurityException, LedgerException {
        Requester who = new Requester("enrollment:" + token.id(), provisioner.name());
        return run("issue", profile, who, csrDer, () -> {
            CsrContents csr = CsrContents.read(csrDer, profile);
            List<Refusal> refusals = new ArrayList<>();
            if (!provisioner.profiles().contains(profile)) {
                refusals.add(new Refusal(PolicyRule.PROFILE_NAMES, "provisioner " + provisioner.name()
                        + " does not issue " + profile + " certificates"));
            }
            if (!text(csr.names()).equals(text(token.names()))) {
                refusals.add(new Refusal(PolicyRule.PROFILE_NAMES, "the CSR asks for " + sorted(csr.names())
                        + " but the enrollment token is bound to " + sorted(token.names())));
            }
            refusals.addAll(disallowed(provisioner.names(), csr.names(), "provisioner " + provisioner.name()));
            Duration lifetime = ttl.orElse(min(ca.settings().lifetimes(profile).defaultLifetime(),
                    provisioner.maxLifetime()));
            if (lifetime.compareTo(provisioner.maxLifetime()) > 0) {
                refusals.add(new Refusal(PolicyRule.TTL_ABOVE_MAXIMUM, "lifetime " + Durations.format(lifetime)
                        + " is above provisioner " + provisioner.name() + "'s maximum of "
                        + Durations.format(provisioner.maxLifetime())));
            }
            if (!refusals.isEmpty()) {
                throw new PolicyException(refusals);
            }
            return ca.issue(csr.toRequest(profile, Optional.of(lifetime)), who);
        });
    }

    IssuedCertificate renew(byte[] csrDer, Optional<Duration> ttl, CertificateRecord current)
            throws PolicyException, GeneralSecurityException, LedgerException {
        Requester who = new Requester("cert:" + current.serial().hex(), "renew");
        Profile profile = current.profile();
        return run("renew", profile, who, csrDer, () -> {
            CsrContents csr = CsrContents.read(csrDer, profile);
            Set<String> wanted = text(csr.names());
            Set<String> held = current.names().stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            if (!wanted.equals(held)) {
                throw new PolicyException(PolicyRule.PROFILE_NAMES, "a renewal must carry exactly the names of "
                        + "the current certificate " + held.stream().sorted().toList() + "; the CSR asks for "
                        + wanted.stream().sorted().toList());
            }
            Duration original = Duration.between(current.validity().notBefore(), current.validity().notAfter());
            return ca.issue(csr.toRequest(profile, Optional.of(ttl.orElse(original))), who);
        });
    }

    /// An X509-SVID for a registration entry or a node agent: the CSR supplies only the key (its names are
    /// ignored), the SPIFFE ID and DNS names come from the caller, the lifetime is `ttl` capped at the CA's
    /// SVID maximum.
    IssuedCertificate svid(byte[] csrDer, SpiffeId id, List<String> dns, Duration ttl, Requester who, String operation)
            throws PolicyException, GeneralSecurityException, LedgerException {
        return run(operation, Profile.SVID, who, csrDer, () -> {
            CsrContents csr = CsrContents.read(csrDer, Profile.SVID);
            Duration max = ca.settings().lifetimes(Profile.SVID).maximum();
            Duration lifetime = ttl.compareTo(max) > 0 ? max : ttl;
            SubjectNames names = new SubjectNames(dns, List.of(), List.of(URI.create(id.toString())), List.of());
            return ca.issue(new IssuanceRequest(Profile.SVID, csr.publicKey(), Optional.empty(), names,
                    Optional.of(lifetime)), who);
        });
    }

    /// The names of `names` that `policy` does not admit, as refusals.
    static List<Refusal> disallowed(SanPolicy policy, SubjectNames names, String who) {
        List<Refusal> out = new ArrayList<>();
        for (String d : names.dns()) {
            if (!policy.allowsDns(d.toLowerCase(Locale.ROOT))) {
                out.add(new Refusal(PolicyRule.SAN_DNS, "'" + d + "' is not allowed by " + who));
            }
        }
        for (InetAddress ip : names.ips()) {
            if (!policy.allowsIp(ip)) {
                out.add(new Refusal(PolicyRule.SAN_IP, ip.getHostAddress() + " is not allowed by " + who));
            }
        }
        for (URI u : names.uris()) {
            boolean ok = SpiffeId.isValid(u.toString()) ? policy.allowsSpiffeId(SpiffeId.parse(u.toString()))
                    : policy.allowsUri(u.toString());
            if (!ok) {
                out.add(new Refusal(SpiffeId.isValid(u.toString()) ? PolicyRule.SAN_SPIFFE_ID : PolicyRule.SAN_URI,
                        "'" + u + "' is not allowed by " + who));
            }
        }
        for (String e : names.emails()) {
            if (!policy.allowsEmail(e)) {
                out.add(new Refusal(PolicyRule.SAN_EMAIL, "'" + e + "' is not allowed by " + who));
            }
        }
        return out;
    }

    private static Set<String> text(SubjectNames names) {
        return names.all().stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static List<String> sorted(SubjectNames names) {
        return text(names).stream().sorted().toList();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @FunctionalInterface
    private interface Attempt {
        IssuedCertificate run() throws PolicyException, GeneralSecurityException, LedgerException;
    }

    private IssuedCertificate run(String operation, Profile profile, Requester who, byte[] csrDer, Attempt attempt)
            throws PolicyException, GeneralSecurityException, LedgerException {
        long start = System.nanoTime();
        try {
            IssuedCertificate issued = attempt.run();
            metrics.issuance(operation, profile.wireName(), "issued", Duration.ofNanos(System.nanoTime() - start));
            return issued;
        } catch (PolicyException e) {
            metrics.issuance(operation, profile.wireName(), "refused", Duration.ofNanos(System.nanoTime() - start));
            metrics.refused(e);
            refused(who.actor(), "certificate." + operation, "", Map.of("profile", profile.wireName(),
                    "provisioner", who.provisioner(), "csr_bytes", Integer.toString(csrDer.length),
                    "refusals", e.getMessage() == null ? "" : e.getMessage()));
            throw e;
        } catch (GeneralSecurityException | LedgerException | RuntimeException e) {
            metrics.issuance(operation, profile.wireName(), "failed", Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
    }

    /// Appends a refused-request audit entry; an audit failure is logged, the refusal still answered.
    void refused(String actor, String action, String target, Map<String, String> details) {
        try {
            audit.append(AuditEvent.refused(actor, action, target, details));
        } catch (AuditException e) {
            LOG.error("cannot audit a refused {} by {}: {}", action, actor, e.getMessage());
        }
    }
}
