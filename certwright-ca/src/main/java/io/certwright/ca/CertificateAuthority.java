package io.certwright.ca;

import io.certwright.ca.internal.x509.Keys;
import io.certwright.ca.internal.x509.NameConstraintsReader;
import io.certwright.ca.internal.x509.PreparedCertificate;
import io.certwright.ca.keys.SigningKey;
import io.certwright.ca.policy.DnsNames;
import io.certwright.ca.policy.KeyDescription;
import io.certwright.ca.profile.CertificateTemplate;
import io.certwright.ca.profile.IssuerInfo;
import io.certwright.ca.profile.NameConstraints;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.PolicyRule;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.Refusal;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.core.SpiffeId;
import io.certwright.core.Validity;
import java.net.InetAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/// The authority: the one issuance path.
///
/// For every request it (1) checks key policy, name policy, the profile's name rules and lifetime rules,
/// collecting every refusal; (2) builds the to-be-signed certificate; (3) lints it; (4) records it in the
/// [CertificateLedger]; (5) signs it through the [io.certwright.ca.keys.SigningKey] port; (6) records the
/// signed certificate. Nothing is signed that the ledger has not recorded first.
///
/// Thread-safe. The active [Issuer] is an immutable snapshot swapped atomically.
public final class CertificateAuthority {

    /// Longest common name allowed by RFC 5280's upper bound `ub-common-name`.
    private static final int MAX_COMMON_NAME = 64;

    private final AtomicReference<Snapshot> active;
    private final List<X509Certificate> roots;
    private final CaSettings settings;
    private final CertificateLedger ledger;
    private final Clock clock;
    private final SecureRandom random;

    private record Snapshot(Issuer issuer, IssuerInfo info, NameConstraints constraints) {
        Snapshot(Issuer issuer) {
            this(issuer, issuer.info(), NameConstraintsReader.read(issuer.certificate()));
        }
    }

    public CertificateAuthority(Issuer issuer, List<X509Certificate> roots, CaSettings settings,
            CertificateLedger ledger, Clock clock, SecureRandom random) {
        this.active = new AtomicReference<>(new Snapshot(issuer));
        this.roots = List.copyOf(roots);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        if (this.roots.isEmpty()) {
            throw new IllegalArgumentException("a CA needs at least one root certificate");
        }
    }

    public Issuer issuer() {
        return active.get().issuer();
    }

    /// Replaces the issuing CA, for rotation; issuance in flight finishes with the old one.
    public void rotate(Issuer next) {
        active.set(new Snapshot(next));
    }

    public CaSettings settings() {
        return settings;
    }

    public CertificateLedger ledger() {
        return ledger;
    }

    /// The trust bundle: every root certificate relying parties should trust.
    public TrustBundle trustBundle() {
        return new TrustBundle(roots);
    }

    /// Signs a PKCS#10 request (DER) with the given profile. Names come from the CSR; a CN that is a DNS
    /// name or IP address and is missing from the SANs is added to them, as step-ca and ACME CAs do.
    public IssuedCertificate sign(byte[] csrDer, Profile profile, Optional<Duration> lifetime)
            throws PolicyException, GeneralSecurityException, LedgerException {
        return sign(csrDer, profile, lifetime, Requester.LOCAL);
    }

    /// As [#sign(byte[], Profile, Optional)], recording `requester` with the certificate.
    public IssuedCertificate sign(byte[] csrDer, Profile profile, Optional<Duration> lifetime, Requester requester)
            throws PolicyException, GeneralSecurityException, LedgerException {
        return issue(CsrContents.read(csrDer, profile).toRequest(profile, lifetime), requester);
    }

    /// Issues a certificate for a decoded request.
    ///
    /// @throws PolicyException when policy refuses, listing every reason
    /// @throws LedgerException when the ledger cannot record; nothing is signed then
    /// @throws GeneralSecurityException when the signing key fails; the ledger keeps the pending record
    public IssuedCertificate issue(IssuanceRequest request)
            throws PolicyException, GeneralSecurityException, LedgerException {
        return issue(request, Requester.LOCAL);
    }

    /// As [#issue(IssuanceRequest)], recording `requester` with the certificate.
    public IssuedCertificate issue(IssuanceRequest request, Requester requester)
            throws PolicyException, GeneralSecurityException, LedgerException {
        Snapshot snap = active.get();
        Issuer issuer = snap.issuer();
        IssuerInfo info = snap.info();
        Profile profile = request.profile();
        if (profile == Profile.ROOT) {
            throw new PolicyException(PolicyRule.PROFILE_NAMES, "root certificates are only made by CA creation");
        }
        List<Refusal> refusals = new ArrayList<>();
        if (profile.isCa() && issuer.certificate().getBasicConstraints() == 0) {
            refusals.add(new Refusal(PolicyRule.PROFILE_NAMES, "the issuing CA has pathLen 0 and cannot issue CA "
                    + "certificates; intermediates are issued by the root"));
        }
        KeyDescription key = Keys.describe(request.publicKey());
        settings.keyPolicy().refusalFor(key).ifPresent(r -> refusals.add(new Refusal(PolicyRule.KEY_TYPE, r)));
        SubjectNames names = normalise(request.names());
        checkNames(profile, names, snap.constraints(), refusals);
        Optional<String> cn = commonName(profile, request.commonName(), names, refusals);
        List<String> notes = new ArrayList<>();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Validity validity = validity(profile, request.lifetime(), now, info, refusals, notes);
        if (!refusals.isEmpty()) {
            throw new PolicyException(refusals);
        }
        KeyAlgorithm.Family family = key.family().orElseThrow();
        X500Principal subject = cn.map(c -> new X500Principal("CN=" + escape(c))).orElseGet(() -> new X500Principal(""));
        CertificateTemplate template = new CertificateTemplate(SerialNumber.random(random), info, subject,
                request.publicKey(), family, validity, profile, names,
                profile.isCa() ? Optional.of(0) : Optional.empty(), NameConstraints.none(), settings.revocationUrls(),
                settings.mustStaple(profile));
        X509Certificate cert = signTemplate(template, issuer.key(), ledger, clock, requester);
        return new IssuedCertificate(cert, issuer.issuingChain(), notes, names);
    }

    /// Builds, lints, records and signs a template. Shared with CA creation, so roots and intermediates
    /// pass the same lint and ledger as leaves.
    static X509Certificate signTemplate(CertificateTemplate template, SigningKey signer, @Nullable CertificateLedger ledger,
            Clock clock, Requester requester) throws PolicyException, GeneralSecurityException, LedgerException {
        PreparedCertificate prepared = PreparedCertificate.prepare(template);
        if (!prepared.findings().isEmpty()) {
            throw new PolicyException(prepared.findings().stream()
                    .map(f -> new Refusal(PolicyRule.LINT, f.toString())).toList());
        }
        byte[] tbsDer = prepared.tbsDer();
        if (ledger != null) {
            ledger.recordPending(new PendingCertificate(template.serial(), template.profile(),
                    template.subject().getName(), template.names().all(), template.validity(), sha256(tbsDer),
                    clock.instant(), requester));
        }
        byte[] signature = signer.sign(tbsDer);
        X509Certificate cert;
        try {
            cert = prepared.assemble(signature);
        } catch (CertificateException e) {
            throw new GeneralSecurityException("assembled certificate does not parse", e);
        }
        if (ledger != null) {
            ledger.recordSigned(template.serial(), cert);
        }
        return cert;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String escape(String cn) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cn.length(); i++) {
            char c = cn.charAt(i);
            if (",+\"\\<>;=#".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static SubjectNames normalise(SubjectNames n) {
        List<String> dns = n.dns().stream().map(d -> d.toLowerCase(java.util.Locale.ROOT)).distinct().toList();
        return new SubjectNames(dns, n.ips().stream().distinct().toList(), n.uris().stream().distinct().toList(),
                n.emails().stream().distinct().toList());
    }

    private void checkNames(Profile profile, SubjectNames names, NameConstraints constraints, List<Refusal> refusals) {
        var policy = settings.sanPolicy();
        for (String d : names.dns()) {
            if (!DnsNames.isValidSanName(d)) {
                refusals.add(new Refusal(PolicyRule.SAN_DNS, "'" + d + "' is not a valid DNS name"));
            } else if (!policy.allowsDns(d) || !constraints.permitsDns(d)) {
                refusals.add(new Refusal(PolicyRule.SAN_DNS, "'" + d + "' is not allowed by this CA"));
            }
        }
        for (InetAddress ip : names.ips()) {
            if (!policy.allowsIp(ip)) {
                refusals.add(new Refusal(PolicyRule.SAN_IP, ip.getHostAddress() + " is not allowed by this CA"));
            }
        }
        int spiffeCount = 0;
        for (URI u : names.uris()) {
            String text = u.toString();
            if ("spiffe".equalsIgnoreCase(u.getScheme())) {
                spiffeCount++;
                SpiffeId id;
                try {
                    id = SpiffeId.parse(text);
                } catch (IllegalArgumentException e) {
                    refusals.add(new Refusal(PolicyRule.SAN_SPIFFE_ID, "'" + text + "': " + e.getMessage()));
                    continue;
                }
                if (!policy.allowsSpiffeId(id) || !constraints.permitsTrustDomain(id.trustDomain())) {
                    refusals.add(new Refusal(PolicyRule.SAN_SPIFFE_ID, id + " is not allowed by this CA"));
                }
            } else if (u.getScheme() == null || !u.isAbsolute()) {
                refusals.add(new Refusal(PolicyRule.SAN_URI, "'" + text + "' is not an absolute URI"));
            } else if (!policy.allowsUri(text)) {
                refusals.add(new Refusal(PolicyRule.SAN_URI, "'" + text + "' is not allowed by this CA"));
            }
        }
        for (String e : names.emails()) {
            int at = e.indexOf('@');
            if (at <= 0 || at != e.lastIndexOf('@') || !DnsNames.isValidHostname(e.substring(at + 1))) {
                refusals.add(new Refusal(PolicyRule.SAN_EMAIL, "'" + e + "' is not a valid email address"));
            } else if (!policy.allowsEmail(e)) {
                refusals.add(new Refusal(PolicyRule.SAN_EMAIL, "'" + e + "' is not allowed by this CA"));
            }
        }
        switch (profile) {
            case SVID -> {
                if (names.uris().size() != 1 || spiffeCount != 1) {
                    refusals.add(new Refusal(PolicyRule.PROFILE_NAMES,
                            "an SVID needs exactly one URI SAN, its SPIFFE ID; got " + names.uris().size() + " URIs"));
                } else if (SpiffeId.isValid(names.uris().getFirst().toString())
                        && !SpiffeId.parse(names.uris().getFirst().toString()).hasPath()) {
                    refusals.add(new Refusal(PolicyRule.SAN_SPIFFE_ID, "a workload SPIFFE ID needs a path"));
                }
            }
            case SERVER -> {
                if (names.dns().isEmpty() && names.ips().isEmpty()) {
                    refusals.add(new Refusal(PolicyRule.SAN_MISSING, "a server certificate needs a DNS name or IP address"));
                }
            }
            case CLIENT, MTLS -> {
                if (names.isEmpty()) {
                    refusals.add(new Refusal(PolicyRule.SAN_MISSING, "a " + profile + " certificate needs at least one name"));
                }
            }
            case OCSP_SIGNER -> {
                if (!names.isEmpty()) {
                    refusals.add(new Refusal(PolicyRule.PROFILE_NAMES,
                            "an OCSP signing certificate carries no subject alternative names"));
                }
            }
            case INTERMEDIATE, ROOT -> {
                if (spiffeCount > 0) {
                    refusals.add(new Refusal(PolicyRule.PROFILE_NAMES, "CA certificates carry no workload SPIFFE ID"));
                }
            }
        }
        if (spiffeCount > 0 && profile != Profile.SVID && names.uris().size() > 1) {
            refusals.add(new Refusal(PolicyRule.PROFILE_NAMES, "a certificate with a SPIFFE ID may carry only one URI SAN"));
        }
    }

    private static Optional<String> commonName(Profile profile, Optional<String> requested, SubjectNames names,
            List<Refusal> refusals) {
        if (requested.isPresent()) {
            String cn = requested.get();
            if (cn.isBlank() || cn.length() > MAX_COMMON_NAME) {
                refusals.add(new Refusal(PolicyRule.SUBJECT_COMMON_NAME, "common name must be 1 to 64 characters"));
                return Optional.empty();
            }
            boolean looksLikeHost = DnsNames.isValidSanName(cn.toLowerCase(java.util.Locale.ROOT));
            if (looksLikeHost && !names.dns().contains(cn.toLowerCase(java.util.Locale.ROOT))) {
                refusals.add(new Refusal(PolicyRule.SUBJECT_COMMON_NAME, "common name '" + cn
                        + "' looks like a host name but is not among the DNS SANs"));
            }
            return Optional.of(cn);
        }
        if (profile == Profile.SVID) {
            return Optional.empty();
        }
        if (profile == Profile.OCSP_SIGNER) {
            refusals.add(new Refusal(PolicyRule.SUBJECT_COMMON_NAME, "an OCSP signing certificate needs a common name"));
            return Optional.empty();
        }
        if (!names.dns().isEmpty() && names.dns().getFirst().length() <= MAX_COMMON_NAME) {
            return Optional.of(names.dns().getFirst());
        }
        return Optional.empty();
    }

    private Validity validity(Profile profile, Optional<Duration> requested, Instant now, IssuerInfo issuer,
            List<Refusal> refusals, List<String> notes) {
        Lifetimes rules = settings.lifetimes(profile);
        Duration lifetime = requested.orElse(rules.defaultLifetime());
        if (lifetime.compareTo(rules.minimum()) < 0) {
            refusals.add(new Refusal(PolicyRule.TTL_BELOW_MINIMUM, "lifetime " + human(lifetime)
                    + " is below the " + profile + " minimum of " + human(rules.minimum())));
        }
        if (lifetime.compareTo(rules.maximum()) > 0) {
            refusals.add(new Refusal(PolicyRule.TTL_ABOVE_MAXIMUM, "lifetime " + human(lifetime)
                    + " is above the " + profile + " maximum of " + human(rules.maximum())));
        }
        Instant notBefore = now.minus(settings.backdate());
        if (notBefore.isBefore(issuer.validity().notBefore())) {
            notBefore = issuer.validity().notBefore();
        }
        Instant notAfter = now.plus(lifetime);
        if (notAfter.isAfter(issuer.validity().notAfter())) {
            if (settings.issuerExpiry() == IssuerExpiryPolicy.CAP
                    && Duration.between(now, issuer.validity().notAfter()).compareTo(rules.minimum()) >= 0) {
                notAfter = issuer.validity().notAfter();
                notes.add("notAfter capped at the issuer's expiry " + notAfter);
            } else if (settings.issuerExpiry() == IssuerExpiryPolicy.CAP) {
                refusals.add(new Refusal(PolicyRule.ISSUER_EXPIRY, "the issuer expires " + issuer.validity().notAfter()
                        + ", sooner than the " + profile + " minimum lifetime of " + human(rules.minimum())));
                notAfter = issuer.validity().notAfter();
            } else {
                refusals.add(new Refusal(PolicyRule.ISSUER_EXPIRY, "the certificate would end " + notAfter
                        + ", after its issuer's expiry " + issuer.validity().notAfter()));
                notAfter = issuer.validity().notAfter();
            }
        }
        if (!notAfter.isAfter(notBefore) || !notAfter.isAfter(now)) {
            refusals.add(new Refusal(PolicyRule.ISSUER_EXPIRY, "the issuer has expired"));
            notAfter = notBefore.plusSeconds(1);
        }
        return new Validity(notBefore, notAfter);
    }

    private static String human(Duration d) {
        return io.certwright.core.Durations.format(d);
    }
}
