package io.certwright.server.http;

import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Requester;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/// The server's own TLS certificate: a fresh P-256 key and a `server` certificate from its own CA for the
/// listen address and configured names, renewed once two thirds of its lifetime have passed.
final class ServerCertificate {

    /// In-memory key store password; the store never leaves the process.
    static final String STORE_PASSWORD = "certwright";

    private final CertificateAuthority ca;
    private final SubjectNames names;
    private final Duration lifetime;
    private final Clock clock;
    private volatile IssuedCertificate current;
    private volatile KeyStore keyStore;

    ServerCertificate(CertificateAuthority ca, SubjectNames names, Duration lifetime, Clock clock) throws Exception {
        this.ca = ca;
        this.names = names;
        this.lifetime = lifetime;
        this.clock = clock;
        KeyPair key = CryptoProviders.generate(KeyAlgorithm.P256);
        this.current = issue(key);
        this.keyStore = store(key, current);
    }

    private IssuedCertificate issue(KeyPair key) throws Exception {
        return ca.issue(new IssuanceRequest(Profile.SERVER, key.getPublic(), Optional.empty(), names,
                Optional.of(lifetime)), Requester.SYSTEM);
    }

    private static KeyStore store(KeyPair key, IssuedCertificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key.getPrivate(), STORE_PASSWORD.toCharArray(),
                cert.fullChain().toArray(new Certificate[0]));
        return ks;
    }

    X509Certificate certificate() {
        return current.certificate();
    }

    KeyStore keyStore() {
        return keyStore;
    }

    /// Whether two thirds of the current certificate's lifetime have passed at `now`.
    static boolean due(X509Certificate cert, Instant now) {
        Instant from = cert.getNotBefore().toInstant();
        Instant to = cert.getNotAfter().toInstant();
        Instant renewAt = from.plus(Duration.between(from, to).multipliedBy(2).dividedBy(3));
        return !now.isBefore(renewAt);
    }

    /// Issues a new certificate with a new key when the current one is due; returns whether it did.
    synchronized boolean renewIfDue() throws Exception {
        if (!due(current.certificate(), clock.instant())) {
            return false;
        }
        KeyPair key = CryptoProviders.generate(KeyAlgorithm.P256);
        IssuedCertificate next = issue(key);
        this.keyStore = store(key, next);
        this.current = next;
        return true;
    }
}
