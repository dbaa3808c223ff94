package io.certwright.inventory.discovery;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/// Judges whether a presented chain leads to one of a set of roots.
///
/// A path is built from the leaf through the presented certificates, in any order and ignoring extras, to
/// a root, the way browsers do, then validated with the JDK's PKIX rules at a given instant: signatures,
/// validity periods, basic constraints, name constraints and the JDK's `jdk.certpath.disabledAlgorithms`
/// (so a SHA-1-signed chain is untrusted). Revocation is not checked. When no path is found, the reason given
/// names the most likely culprit: an expired certificate, a self-signed leaf, or a missing intermediate.
///
/// Many endpoints present the same intermediates with different leaves. The path found for a chain is
/// remembered by the leaf's issuer and the presented certificates other than the leaf; a later chain with
/// the same ones is first validated along that path (the leaf, then the remembered issuers, to the remembered
/// root), with the same PKIX rules at its own instant, and only built from scratch when that fails.
///
/// The issuers of a remembered path were validated when it was found, so for a while
/// ([#ISSUERS_REUSED_FOR]) a later leaf on that path is validated alone, with PKIX, against its issuer as the
/// trust anchor (carrying that issuer's name constraints), once the issuers are checked to be within their
/// validity periods at the later instant. That halves the signature checks per chain. It is done only where
/// it gives the same answer as the whole path: when no issuer above the leaf's own has name constraints and
/// no issuer has policy constraints, policy mappings or an inhibit-anyPolicy extension, the only things the
/// certificates above the leaf's issuer could still impose on the leaf. An instance is safe for concurrent use.
public final class ChainTrust {

    /// The most remembered paths; past it the memory starts over, so a scan of many distinct CAs stays bounded.
    static final int MAX_REMEMBERED_PATHS = 1024;

    /// How long after a whole path was validated a leaf on it is validated against its issuer alone.
    static final Duration ISSUERS_REUSED_FOR = Duration.ofMinutes(10);

    private static final String NAME_CONSTRAINTS = "2.5.29.30";
    /// Policy constraints, policy mappings and inhibit anyPolicy: where any issuer has one, the whole path is
    /// validated every time.
    private static final List<String> POLICY_EXTENSIONS = List.of("2.5.29.36", "2.5.29.33", "2.5.29.54");

    /// A path found earlier, without its leaf: the issuers in order from the leaf's issuer, and the root.
    ///
    /// @param issuerAnchor the leaf's issuer as a trust anchor for validating later leaves alone, or null
    ///     when the path does not allow it (see the class comment)
    /// @param validatedAt when the whole path was last validated
    private record KnownPath(List<X509Certificate> issuers, TrustAnchor anchor, @Nullable TrustAnchor issuerAnchor,
            Instant validatedAt) {

        /// Whether a leaf on this path may be validated against its issuer alone at `at`.
        boolean leafAloneAt(Instant at) {
            if (issuerAnchor == null || at.isBefore(validatedAt) || at.isAfter(validatedAt.plus(ISSUERS_REUSED_FOR))) {
                return false;
            }
            for (X509Certificate c : issuers) {
                if (at.isBefore(c.getNotBefore().toInstant()) || at.isAfter(c.getNotAfter().toInstant())) {
                    return false;
                }
            }
            return true;
        }
    }

    /// What a remembered path is looked up by: the leaf's issuer and the certificates presented after the leaf.
    private record PathKey(X500Principal leafIssuer, List<X509Certificate> presented) {
    }

    private final Set<TrustAnchor> anchors;
    private final Set<X500Principal> anchorSubjects = new HashSet<>();
    private final @Nullable PKIXBuilderParameters template;
    private final Map<PathKey, KnownPath> known = new ConcurrentHashMap<>();

    private ChainTrust(Set<TrustAnchor> anchors) {
        this.anchors = Set.copyOf(anchors);
        for (TrustAnchor a : anchors) {
            X509Certificate c = a.getTrustedCert();
            if (c != null) {
                anchorSubjects.add(c.getSubjectX500Principal());
            }
        }
        this.template = builderTemplate(this.anchors);
    }

    private static @Nullable PKIXBuilderParameters builderTemplate(Set<TrustAnchor> anchors) {
        if (anchors.isEmpty()) {
            return null;
        }
        try {
            PKIXBuilderParameters p = new PKIXBuilderParameters(anchors, null);
            p.setRevocationEnabled(false);
            return p;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable trust anchors", e);
        }
    }

    /// Trust in exactly `roots`; with no roots every check is [TrustCheck#NOT_CHECKED].
    public static ChainTrust of(Collection<X509Certificate> roots) {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate root : roots) {
            anchors.add(new TrustAnchor(root, null));
        }
        return new ChainTrust(anchors);
    }

    /// Trust in the JDK's default trust store (`cacerts`, or what `javax.net.ssl.trustStore` names).
    ///
    /// @throws GeneralSecurityException when the trust store cannot be loaded
    public static ChainTrust jdkDefault() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        List<X509Certificate> roots = new ArrayList<>();
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                roots.addAll(List.of(x.getAcceptedIssuers()));
            }
        }
        return of(roots);
    }

    /// How many roots this trusts.
    public int size() {
        return anchors.size();
    }

    /// Checks `chain` (leaf first, as presented) at instant `at`.
    public TrustCheck check(List<X509Certificate> chain, Instant at) {
        if (anchors.isEmpty()) {
            return TrustCheck.NOT_CHECKED;
        }
        if (chain.isEmpty()) {
            return new TrustCheck(TrustCheck.Verdict.UNTRUSTED, "no certificate");
        }
        X509Certificate leaf = chain.getFirst();
        // A path can only end at a root whose subject issued one of the presented certificates; when none did,
        // the (costly) path builder is skipped.
        if (chain.stream().noneMatch(c -> anchorSubjects.contains(c.getIssuerX500Principal()))) {
            return new TrustCheck(TrustCheck.Verdict.UNTRUSTED,
                    diagnose(chain, at, "no trusted root issued any of the presented certificates"));
        }
        PathKey key = new PathKey(leaf.getIssuerX500Principal(), List.copyOf(chain.subList(1, chain.size())));
        KnownPath path = known.get(key);
        if (path != null) {
            boolean leafAlone = path.leafAloneAt(at);
            if (leafAlone && validates(List.of(leaf), Objects.requireNonNull(path.issuerAnchor()), at)) {
                return trusted(path.anchor());
            }
            if (validates(withIssuers(leaf, path), path.anchor(), at)) {
                if (!leafAlone) {
                    known.put(key, new KnownPath(path.issuers(), path.anchor(), path.issuerAnchor(), at));
                }
                return trusted(path.anchor());
            }
        }
        try {
            PKIXBuilderParameters params = (PKIXBuilderParameters) requireTemplate().clone();
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            params.setTargetCertConstraints(target);
            params.setDate(Date.from(at));
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX")
                    .build(params);
            remember(key, result, at);
            return trusted(result.getTrustAnchor());
        } catch (GeneralSecurityException | RuntimeException e) {
            return new TrustCheck(TrustCheck.Verdict.UNTRUSTED, diagnose(chain, at, rootCause(e)));
        }
    }

    private PKIXBuilderParameters requireTemplate() {
        PKIXBuilderParameters t = template;
        if (t == null) {
            throw new IllegalStateException("no trust anchors");
        }
        return t;
    }

    private static TrustCheck trusted(TrustAnchor anchor) {
        X509Certificate root = anchor.getTrustedCert();
        String name = root == null ? "a trusted root" : root.getSubjectX500Principal().getName();
        return new TrustCheck(TrustCheck.Verdict.TRUSTED, "chains to " + name);
    }

    private static List<X509Certificate> withIssuers(X509Certificate leaf, KnownPath path) {
        List<X509Certificate> certs = new ArrayList<>(path.issuers().size() + 1);
        certs.add(leaf);
        certs.addAll(path.issuers());
        return certs;
    }

    /// Whether `certs` (leaf first) validate to `anchor` at `at`.
    private static boolean validates(List<X509Certificate> certs, TrustAnchor anchor, Instant at) {
        try {
            CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(certs);
            PKIXParameters params = new PKIXParameters(Set.of(anchor));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(cp, params);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private void remember(PathKey key, PKIXCertPathBuilderResult result, Instant at) {
        List<? extends Certificate> found = result.getCertPath().getCertificates();
        List<X509Certificate> issuers = new ArrayList<>(Math.max(0, found.size() - 1));
        for (int i = 1; i < found.size(); i++) {
            if (!(found.get(i) instanceof X509Certificate x)) {
                return;
            }
            issuers.add(x);
        }
        if (known.size() >= MAX_REMEMBERED_PATHS) {
            known.clear();
        }
        TrustAnchor anchor = result.getTrustAnchor();
        known.put(key, new KnownPath(List.copyOf(issuers), anchor, issuerAnchor(issuers, anchor), at));
    }

    /// The leaf's issuer as a trust anchor carrying its name constraints, or null when a leaf on this path
    /// must always be validated along the whole path (see the class comment).
    static @Nullable TrustAnchor issuerAnchor(List<X509Certificate> issuers, TrustAnchor root) {
        if (issuers.isEmpty() || root.getNameConstraints() != null) {
            return null;
        }
        for (int i = 0; i < issuers.size(); i++) {
            X509Certificate c = issuers.get(i);
            for (String oid : POLICY_EXTENSIONS) {
                if (c.getExtensionValue(oid) != null) {
                    return null;
                }
            }
            if (i > 0 && c.getExtensionValue(NAME_CONSTRAINTS) != null) {
                return null;
            }
        }
        X509Certificate issuer = issuers.getFirst();
        byte[] wrapped = issuer.getExtensionValue(NAME_CONSTRAINTS);
        try {
            return new TrustAnchor(issuer, wrapped == null ? null : octetStringContents(wrapped));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /// The contents of a DER OCTET STRING (how [X509Certificate#getExtensionValue] returns an extension's
    /// value).
    ///
    /// @throws IllegalArgumentException when `der` is not one
    static byte[] octetStringContents(byte[] der) {
        if (der.length < 2 || der[0] != 0x04) {
            throw new IllegalArgumentException("not a DER OCTET STRING");
        }
        int first = der[1] & 0xff;
        int offset = 2;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int bytes = first & 0x7f;
            if (bytes == 0 || bytes > 3 || der.length < 2 + bytes) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[2 + i] & 0xff);
            }
            offset += bytes;
        }
        if (offset + length != der.length) {
            throw new IllegalArgumentException("DER length does not match");
        }
        return Arrays.copyOfRange(der, offset, der.length);
    }

    private static String diagnose(List<X509Certificate> chain, Instant at, String cause) {
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            String which = i == 0 ? "the leaf" : "chain certificate " + (i + 1) + " ("
                    + c.getSubjectX500Principal().getName() + ")";
            if (at.isAfter(c.getNotAfter().toInstant())) {
                return which + " expired at " + c.getNotAfter().toInstant();
            }
            if (at.isBefore(c.getNotBefore().toInstant())) {
                return which + " is not valid before " + c.getNotBefore().toInstant();
            }
        }
        X509Certificate leaf = chain.getFirst();
        if (cause.contains("constraints check failed") || cause.contains("disabled")) {
            return "rejected by the JDK's algorithm constraints: " + cause;
        }
        if (leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()) && selfSigned(leaf)) {
            return "self-signed certificate that is not among the trusted roots";
        }
        X509Certificate last = chain.getLast();
        if (!last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            return "no path to a trusted root: the issuer " + last.getIssuerX500Principal().getName()
                    + " is neither presented nor trusted (incomplete chain or unknown CA)";
        }
        return "no path to a trusted root: " + cause;
    }

    private static boolean selfSigned(X509Certificate c) {
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        String message = String.valueOf(e.getMessage());
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }
}
