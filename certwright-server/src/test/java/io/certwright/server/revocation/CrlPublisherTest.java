package io.certwright.server.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSettings;
import io.certwright.ca.CaSpec;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.Issuer;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.ca.registry.CrlPublication;
import io.certwright.ca.registry.CrlRepository;
import io.certwright.ca.registry.PublishedCrl;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.ca.revocation.CrlSigner;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.store.Database;
import io.certwright.store.JdbcCertificateStore;
import io.certwright.store.JdbcCrlStore;
import io.certwright.store.StoreConfig;
import io.certwright.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The CRL publisher against a real SQLite store, with two publishers on one database standing in for two
/// replicas and the clock moved by hand.
class CrlPublisherTest {

    private static final Duration LIFETIME = Duration.ofHours(3);

    @TempDir
    Path dir;

    MutableClock clock;
    Database db;
    JdbcCertificateStore store;
    JdbcCrlStore crls;
    CertificateAuthority ca;
    CaMaterial material;

    @BeforeEach
    void setUp() throws Exception {
        CryptoProviders.installPreferred();
        clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
        db = Database.open(StoreConfig.sqlite(dir.resolve("certwright.db")), clock);
        store = new JdbcCertificateStore(db);
        crls = new JdbcCrlStore(db);
        material = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Publisher"), clock, new SecureRandom(),
                store.ledger());
        var key = JcaSigningKey.of(KeyAlgorithm.P256, material.intermediateKey(), material.intermediate().getPublicKey());
        ca = new CertificateAuthority(new Issuer(material.intermediate(), List.of(), key, Optional.empty()),
                List.of(material.root()), CaSettings.defaults(List.of()), store.ledger(), clock, new SecureRandom());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private CrlPublisher replica(CrlRepository repository) {
        return new CrlPublisher("intermediate", material.intermediate(), Optional.of(CrlSigner.of(ca.issuer())), store,
                repository, clock, LIFETIME, Duration.ofDays(1));
    }

    private SerialNumber issueAndRevoke() throws Exception {
        SerialNumber serial = ca.issue(new IssuanceRequest(Profile.SERVER,
                CryptoProviders.generate(KeyAlgorithm.P256).getPublic(), Optional.empty(),
                new SubjectNames(List.of("svc.example.test"), List.of(), List.of(), List.of()),
                Optional.of(Duration.ofHours(1)))).serial();
        store.revoke(serial, RevocationReason.KEY_COMPROMISE, clock.instant(),
                AuditEvent.success("test", "certificate.revoke", serial.hex(), Map.of()));
        return serial;
    }

    private static X509CRL parse(ServedCrl crl) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crl.der()));
    }

    private static BigInteger number(CrlPublisher p) {
        return p.served().orElseThrow().number();
    }

    @Test
    void publishTakesTheNextNumberAndListsTheRevokedCertificates() throws Exception {
        CrlPublisher a = replica(crls);
        assertThat(a.publish().orElseThrow().number()).isEqualTo(BigInteger.ONE);
        SerialNumber revoked = issueAndRevoke();
        ServedCrl second = a.publish().orElseThrow();
        assertThat(second.number()).isEqualTo(BigInteger.TWO);
        assertThat(parse(second).getRevokedCertificate(revoked.value())).isNotNull();
        parse(second).verify(material.intermediate().getPublicKey());
    }

    @Test
    void anotherReplicaAdoptsTheNewerCrlFromTheDatabaseInsteadOfPublishingItsOwn() throws Exception {
        CrlPublisher a = replica(crls);
        CrlPublisher b = replica(crls);
        a.publish();
        b.tick();
        assertThat(b.served()).isEqualTo(a.served());
        assertThat(crls.latest(a.caId()).orElseThrow().number()).isEqualTo(BigInteger.ONE);
    }

    @Test
    void aCrlIsRepublishedOnceAThirdOfItsLifetimeIsLeftAndNotBefore() throws Exception {
        CrlPublisher a = replica(crls);
        a.publish();
        a.tick();
        clock.advance(LIFETIME.multipliedBy(2).dividedBy(3).minusSeconds(1));
        a.tick();
        assertThat(number(a)).isEqualTo(BigInteger.ONE);
        clock.advance(Duration.ofSeconds(1));
        a.tick();
        assertThat(number(a)).isEqualTo(BigInteger.TWO);
    }

    @Test
    void aRevocationWhoseReplicaNeverPublishedIsPublishedByAnotherAfterTheWait() throws Exception {
        CrlPublisher b = replica(crls);
        b.publish();
        b.tick();
        SerialNumber revoked = issueAndRevoke(); // as if on a replica that died before publishing
        b.tick();
        assertThat(number(b)).isEqualTo(BigInteger.ONE);
        clock.advance(CrlPublisher.ADOPTION_WAIT);
        b.tick();
        assertThat(number(b)).isEqualTo(BigInteger.TWO);
        assertThat(parse(b.served().orElseThrow()).getRevokedCertificate(revoked.value())).isNotNull();
        assertThat(b.behind()).isFalse();
    }

    @Test
    void losingTheNumberToAnOlderCrlAdoptsItThenPublishesTheNextNumberWithTheRevocation() throws Exception {
        CrlPublisher winner = replica(crls);
        winner.publish();
        SerialNumber revoked = issueAndRevoke();
        // The other replica publishes a CRL built before this revocation was counted, just ahead of this one.
        PublishedCrl stale = crls.latest(winner.caId()).orElseThrow();
        CrlRepository racing = new CrlRepository() {
            private boolean raced;

            @Override
            public Optional<PublishedCrl> latest(String caId) throws RegistryException {
                return crls.latest(caId);
            }

            @Override
            public List<PublishedCrl> recent(String caId) throws RegistryException {
                return crls.recent(caId);
            }

            @Override
            public CrlPublication publish(String caId, BigInteger number, Instant thisUpdate, Instant nextUpdate,
                    byte[] der) throws RegistryException {
                if (!raced) {
                    raced = true;
                    crls.publish(caId, number, stale.thisUpdate(), stale.nextUpdate().plusSeconds(1), stale.der());
                }
                return crls.publish(caId, number, thisUpdate, nextUpdate, der);
            }
        };
        CrlPublisher loser = replica(racing);
        ServedCrl served = loser.publish().orElseThrow();
        assertThat(served.number()).isEqualTo(BigInteger.valueOf(3));
        assertThat(parse(served).getRevokedCertificate(revoked.value())).isNotNull();
        List<BigInteger> numbers = crls.recent(winner.caId()).stream().map(PublishedCrl::number).toList();
        assertThat(numbers).containsExactly(BigInteger.valueOf(3), BigInteger.TWO, BigInteger.ONE);
    }
}
