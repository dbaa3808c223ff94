package io.certwright.server.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.acme.AcmeCertificate;
import io.certwright.acme.AcmeIssuerException;
import io.certwright.acme.store.Identifier;
import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSettings;
import io.certwright.ca.CaSpec;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.CsrContents;
import io.certwright.ca.InMemoryLedger;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Issuer;
import io.certwright.ca.Pem;
import io.certwright.ca.Requester;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.core.KeyAlgorithm;
import io.certwright.store.Database;
import io.certwright.store.JdbcCertificateStore;
import io.certwright.store.StoreConfig;
import io.certwright.testing.MutableClock;
import io.certwright.testing.TestCa;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The ACME issuance port over a real CA recording into a real SQLite registry.
class ServerAcmeIssuerTest {

    private static final Requester REQUESTER = new Requester("acme:default:1", "acme:default");

    @TempDir
    Path dir;

    MutableClock clock;
    Database db;
    CaMaterial material;
    ServerAcmeIssuer issuer;

    @BeforeEach
    void setUp() throws Exception {
        CryptoProviders.installPreferred();
        clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
        db = Database.open(StoreConfig.sqlite(dir.resolve("certwright.db")), clock);
        JdbcCertificateStore registry = new JdbcCertificateStore(db);
        material = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Acme"), clock, new SecureRandom(),
                new InMemoryLedger());
        var key = JcaSigningKey.of(KeyAlgorithm.P256, material.intermediateKey(), material.intermediate().getPublicKey());
        CertificateAuthority ca = new CertificateAuthority(new Issuer(material.intermediate(), List.of(), key,
                Optional.empty()), List.of(material.root()), CaSettings.defaults(List.of()), registry.ledger(), clock,
                new SecureRandom());
        issuer = new ServerAcmeIssuer(ca, registry, clock);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private IssuedCertificate issue(String dns) throws Exception {
        KeyPair pair = TestCa.keyPair(KeyAlgorithm.P256);
        CsrContents csr = CsrContents.read(TestCa.csr(KeyAlgorithm.P256, pair,
                new SubjectNames(List.of(dns), List.of(), List.of(), List.of()), Optional.empty()), Profile.SERVER);
        return issuer.issue(csr, "default", List.of(Identifier.dns(dns)), Duration.ofHours(1), REQUESTER);
    }

    @Test
    void anIssuedCertificateIsFoundAsTheRegistryStoresItAndParsesToWhatWasSigned() throws Exception {
        IssuedCertificate issued = issue("api.acme.test");

        AcmeCertificate found = issuer.find(issued.serial()).orElseThrow();

        assertThat(found.serial()).isEqualTo(issued.serial());
        assertThat(found.pem()).isEqualTo(Pem.certificate(issued.certificate()));
        assertThat(found.requester()).isEqualTo(REQUESTER.actor());
        assertThat(found.provisioner()).isEqualTo(REQUESTER.provisioner());
        assertThat(found.revoked()).isFalse();
        assertThat(found.certificate()).isEqualTo(issued.certificate());
        assertThat(found.der()).isEqualTo(issued.certificate().getEncoded());
        assertThat(found.issuerKeyId()).isEqualTo(KeyIdentifier.authorityKeyOf(issued.certificate()));
        assertThat(found.notAfter()).isEqualTo(issued.certificate().getNotAfter().toInstant());
        assertThat(issuer.issuingChain(found)).containsExactly(material.intermediate());
    }

    @Test
    void aStoredCertificateThatDoesNotParseFailsTheCallsThatNeedItsContentsAsUnavailable() throws Exception {
        IssuedCertificate issued = issue("garbled.acme.test");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("certwright.db"));
                PreparedStatement ps = c.prepareStatement("UPDATE certificates SET pem = ? WHERE pem = ?")) {
            ps.setString(1, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
            ps.setString(2, Pem.certificate(issued.certificate()));
            assertThat(ps.executeUpdate()).isOne();
        }

        AcmeCertificate found = issuer.find(issued.serial()).orElseThrow();

        assertThatThrownBy(found::certificate).isInstanceOfSatisfying(AcmeIssuerException.class,
                e -> assertThat(e.kind()).isEqualTo(AcmeIssuerException.Kind.UNAVAILABLE))
                .hasMessage("stored certificate " + issued.serial().hex() + " does not parse");
        assertThatThrownBy(found::issuerKeyId).isInstanceOf(AcmeIssuerException.class);
    }
}
