package io.certwright.ca.revocation;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSettings;
import io.certwright.ca.CaSpec;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.InMemoryLedger;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.Issuer;
import io.certwright.ca.Pem;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.keys.SigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/// A root, an issuing intermediate and an authority over it, for the revocation tests.
final class Pki {

    final CaMaterial material;
    final SigningKey rootKey;
    final SigningKey intermediateKey;
    final InMemoryLedger ledger = new InMemoryLedger();
    final CertificateAuthority ca;

    private Pki(Clock clock, CaSpec spec, UnaryOperator<CaSettings> settings) throws Exception {
        this.material = CaBootstrap.create(spec, clock, new SecureRandom(), null);
        this.rootKey = JcaSigningKey.of(spec.keyAlgorithm(), material.rootKey().orElseThrow(), material.root().getPublicKey());
        this.intermediateKey = JcaSigningKey.of(spec.keyAlgorithm(), material.intermediateKey(),
                material.intermediate().getPublicKey());
        this.ca = new CertificateAuthority(new Issuer(material.intermediate(), List.of(), intermediateKey, Optional.empty()),
                List.of(material.root()), settings.apply(CaSettings.defaults(List.of())), ledger, clock, new SecureRandom());
    }

    static Pki create(Clock clock) throws Exception {
        return new Pki(clock, CaSpec.of(KeyAlgorithm.P256, "Revocation"), UnaryOperator.identity());
    }

    static Pki create(Clock clock, String name, UnaryOperator<CaSettings> settings) throws Exception {
        return new Pki(clock, CaSpec.of(KeyAlgorithm.P256, name), settings);
    }

    X509Certificate root() {
        return material.root();
    }

    X509Certificate intermediate() {
        return material.intermediate();
    }

    X509Certificate server(String dns) throws Exception {
        return ca.issue(new IssuanceRequest(Profile.SERVER, CryptoProviders.generate(KeyAlgorithm.P256).getPublic(),
                Optional.empty(), new SubjectNames(List.of(dns), List.of(), List.of(), List.of()),
                Optional.of(Duration.ofHours(1)))).certificate();
    }

    CrlSigner crlSigner() {
        return new CrlSigner(intermediate(), intermediateKey);
    }

    static SerialNumber serial(X509Certificate cert) {
        return new SerialNumber(cert.getSerialNumber());
    }

    static BigInteger number(long n) {
        return BigInteger.valueOf(n);
    }

    static Path write(Path dir, String name, X509Certificate... certs) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, Pem.certificates(List.of(certs)), StandardCharsets.US_ASCII);
        return file;
    }
}
