package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.CertificateLedger;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.PendingCertificate;
import io.certwright.ca.Requester;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.audit.AuditLog;
import io.certwright.ca.policy.DnsPattern;
import io.certwright.ca.policy.SpiffeIdPattern;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.registry.CertificatePage;
import io.certwright.ca.registry.CertificateQuery;
import io.certwright.ca.registry.CertificateRecord;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.registry.Revocation;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.ca.registry.RevocationSelector;
import io.certwright.ca.registry.RevocationStatus;
import io.certwright.ca.registry.RevokedCertificate;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.core.Validity;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/// The contract every [CertificateRepository] must honour, for a repository that shares its records with a
/// [CertificateLedger] (what the ledger records, the repository lists) and appends revocations to an
/// [AuditLog] in the same transaction.
///
/// Extend it and implement [#newSubject()].
public abstract class CertificateRepositoryContract {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final SecureRandom RANDOM = new SecureRandom();

    /// The three ports of one store under test, sharing the same records.
    ///
    /// @param ledger records certificates
    /// @param repository reads and revokes them
    /// @param audit the audit log revocations are appended to
    public record Subject(CertificateLedger ledger, CertificateRepository repository, AuditLog audit) {
    }

    /// A new, empty store. Called once per test.
    protected abstract Subject newSubject() throws Exception;

    private static final class Fixture {
        static final TestCa CA = create();

        private static TestCa create() {
            try {
                return TestCa.builder(KeyAlgorithm.P256).name("Repository Contract").build();
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the test CA", e);
            }
        }
    }

    private static String randomHash() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /// A pending record with the given attributes and a fresh random serial.
    protected static PendingCertificate pending(Profile profile, List<String> names, Instant notAfter,
            Requester requester) {
        return pending(SerialNumber.random(RANDOM), profile, names, notAfter, requester);
    }

    private static PendingCertificate pending(SerialNumber serial, Profile profile, List<String> names,
            Instant notAfter, Requester requester) {
        return new PendingCertificate(serial, profile, "CN=" + serial.hex(), names,
                new Validity(NOW.minus(Duration.ofMinutes(5)), notAfter), randomHash(), NOW, requester);
    }

    /// Records and signs a real server certificate; returns it.
    private static X509Certificate signed(Subject s, Requester requester) throws Exception {
        X509Certificate cert = Fixture.CA.issueServer(Duration.ofHours(1), "api.example.com").certificate();
        SerialNumber serial = new SerialNumber(cert.getSerialNumber());
        s.ledger().recordPending(new PendingCertificate(serial, Profile.SERVER, "CN=" + serial.hex(),
                List.of("api.example.com"), new Validity(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()),
                randomHash(), NOW, requester));
        s.ledger().recordSigned(serial, cert);
        return cert;
    }

    /// Two CAs with clocks fixed at the contract's `NOW`: "prod" (trust domain example.org) and "other".
    private static final class Fixtures {
        private static final TestCa PROD = create("Repository Prod", Optional.of("example.org"));
        private static final TestCa OTHER = create("Repository Other", Optional.empty());

        static TestCa prod() {
            return PROD;
        }

        static TestCa other() {
            return OTHER;
        }

        private static TestCa create(String name, Optional<String> trustDomain) {
            try {
                TestCa.Builder b = TestCa.builder(KeyAlgorithm.P256).name(name).clock(Clock.fixed(NOW, ZoneOffset.UTC));
                trustDomain.ifPresent(b::trustDomain);
                return b.build();
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the test CA", e);
            }
        }
    }

    /// Records and signs an issued certificate, with its SANs as the recorded names; returns it.
    private static X509Certificate store(Subject s, IssuedCertificate issued) throws Exception {
        X509Certificate cert = issued.certificate();
        SerialNumber serial = serial(cert);
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans != null) {
            sans.forEach(san -> names.add(String.valueOf(san.get(1))));
        }
        Profile profile = names.stream().anyMatch(n -> n.startsWith("spiffe://")) ? Profile.SVID : Profile.SERVER;
        s.ledger().recordPending(new PendingCertificate(serial, profile, "CN=" + serial.hex(), names,
                new Validity(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()), randomHash(), NOW,
                Requester.LOCAL));
        s.ledger().recordSigned(serial, cert);
        return cert;
    }

    private static SerialNumber serial(X509Certificate cert) {
        return new SerialNumber(cert.getSerialNumber());
    }

    private static AuditEvent bulkEvent(SerialNumber serial) {
        return AuditEvent.success("token:admin", "certificate.revoke", serial.hex(), Map.of("bulk", "true"));
    }

    private static AuditEvent revokeEvent(SerialNumber serial) {
        return AuditEvent.success("token:admin", "certificate.revoke", serial.hex(), Map.of("reason", "keyCompromise"));
    }

    private static List<AuditEntry> audit(Subject s) throws Exception {
        return s.audit().read(1, 1000);
    }

    @Test
    void findOfAnUnknownSerialIsEmpty() throws Exception {
        Subject s = newSubject();

        assertThat(s.repository().find(SerialNumber.random(RANDOM))).isEmpty();
    }

    @Test
    void pendingRecordIsListedAsPending() throws Exception {
        Subject s = newSubject();
        Requester requester = new Requester("token:ops", "admin-api");
        PendingCertificate p = pending(Profile.SVID, List.of("spiffe://example.org/ns/prod/sa/web"),
                NOW.plus(Duration.ofDays(1)), requester);

        s.ledger().recordPending(p);

        CertificateRecord r = s.repository().find(p.serial()).orElseThrow();
        assertThat(r.status()).isEqualTo(CertificateStatus.PENDING);
        assertThat(r.serial()).isEqualTo(p.serial());
        assertThat(r.names()).isEqualTo(p.names());
        assertThat(r.spiffeId()).contains("spiffe://example.org/ns/prod/sa/web");
        assertThat(r.validity()).isEqualTo(p.validity());
        assertThat(r.profile()).isEqualTo(Profile.SVID);
        assertThat(r.subject()).isEqualTo(p.subject());
        assertThat(r.requester()).isEqualTo("token:ops");
        assertThat(r.provisioner()).isEqualTo("admin-api");
        assertThat(r.pem()).isEmpty();
        assertThat(r.sha256()).isEmpty();
        assertThat(r.revokedAt()).isEmpty();
    }

    @Test
    void signedRecordCarriesTheCertificateFacts() throws Exception {
        Subject s = newSubject();

        X509Certificate cert = signed(s, Requester.LOCAL);

        CertificateRecord r = s.repository().find(new SerialNumber(cert.getSerialNumber())).orElseThrow();
        assertThat(r.status()).isEqualTo(CertificateStatus.VALID);
        assertThat(r.pem()).isPresent();
        assertThat(r.sha256()).contains(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));
        assertThat(r.issuer()).isEqualTo(cert.getIssuerX500Principal().getName(X500Principal.RFC2253));
        assertThat(r.keyAlgorithm()).isEqualTo("ECDSA P-256");
        assertThat(r.spiffeId()).isEmpty();
        assertThat(r.issuerKeyId()).contains(KeyIdentifier.subjectKeyOf(Fixture.CA.intermediate()));
    }

    @Test
    void revokingAValidCertificateRecordsItAndItsAuditEntry() throws Exception {
        Subject s = newSubject();
        X509Certificate cert = signed(s, Requester.LOCAL);
        SerialNumber serial = new SerialNumber(cert.getSerialNumber());
        int auditBefore = audit(s).size();
        Instant at = NOW.plusSeconds(30);

        Optional<Revocation> revoked = s.repository().revoke(serial, RevocationReason.KEY_COMPROMISE, at,
                revokeEvent(serial));

        assertThat(revoked).hasValueSatisfying(r -> {
            assertThat(r.alreadyRevoked()).isFalse();
            assertThat(r.record().status()).isEqualTo(CertificateStatus.REVOKED);
            assertThat(r.record().revokedAt()).contains(at);
            assertThat(r.record().revocationReason()).contains(RevocationReason.KEY_COMPROMISE);
        });
        assertThat(s.repository().find(serial)).contains(revoked.orElseThrow().record());
        List<AuditEntry> entries = audit(s);
        assertThat(entries).hasSize(auditBefore + 1);
        assertThat(entries.getLast().event()).isEqualTo(revokeEvent(serial));
    }

    @Test
    void revokingARevokedCertificateAgainKeepsTheFirstRevocationAndAuditsNothing() throws Exception {
        Subject s = newSubject();
        X509Certificate cert = signed(s, Requester.LOCAL);
        SerialNumber serial = new SerialNumber(cert.getSerialNumber());
        CertificateRecord first = s.repository().revoke(serial, RevocationReason.SUPERSEDED, NOW, revokeEvent(serial))
                .orElseThrow().record();
        int auditBefore = audit(s).size();

        Optional<Revocation> again = s.repository().revoke(serial, RevocationReason.KEY_COMPROMISE,
                NOW.plusSeconds(60), revokeEvent(serial));

        assertThat(again).hasValueSatisfying(r -> {
            assertThat(r.alreadyRevoked()).isTrue();
            assertThat(r.record()).isEqualTo(first);
            assertThat(r.record().revokedAt()).contains(NOW);
            assertThat(r.record().revocationReason()).contains(RevocationReason.SUPERSEDED);
        });
        assertThat(s.repository().find(serial)).contains(first);
        assertThat(audit(s)).hasSize(auditBefore);
    }

    @Test
    void revokingAPendingCertificateIsTheWrongStateAndChangesNothing() throws Exception {
        Subject s = newSubject();
        PendingCertificate p = pending(Profile.SVID, List.of("spiffe://example.org/x"), NOW.plusSeconds(3600),
                Requester.LOCAL);
        s.ledger().recordPending(p);
        int auditBefore = audit(s).size();

        assertThatThrownBy(() -> s.repository().revoke(p.serial(), RevocationReason.KEY_COMPROMISE, NOW,
                revokeEvent(p.serial()))).isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.WRONG_STATE));

        assertThat(s.repository().find(p.serial()).orElseThrow().status()).isEqualTo(CertificateStatus.PENDING);
        assertThat(audit(s)).hasSize(auditBefore);
    }

    @Test
    void revokingAnUnknownSerialIsEmptyAndAuditsNothing() throws Exception {
        Subject s = newSubject();
        SerialNumber serial = SerialNumber.random(RANDOM);

        assertThat(s.repository().revoke(serial, RevocationReason.UNSPECIFIED, NOW, revokeEvent(serial))).isEmpty();
        assertThat(audit(s)).isEmpty();
    }

    @Test
    void statusOfAnUnknownSerialIsEmpty() throws Exception {
        Subject s = newSubject();

        assertThat(s.repository().status(SerialNumber.random(RANDOM))).isEmpty();
    }

    @Test
    void statusTellsPendingValidAndRevokedWithTheSigningKey() throws Exception {
        Subject s = newSubject();
        PendingCertificate p = pending(Profile.SERVER, List.of("p.example.com"), NOW.plusSeconds(3600),
                Requester.LOCAL);
        s.ledger().recordPending(p);
        X509Certificate good = store(s, Fixtures.prod().issueServer(Duration.ofHours(1), "good.example.com"));
        X509Certificate bad = store(s, Fixtures.prod().issueServer(Duration.ofHours(1), "bad.example.com"));
        s.repository().revoke(serial(bad), RevocationReason.KEY_COMPROMISE, NOW.plusSeconds(5), revokeEvent(serial(bad)));
        KeyIdentifier prodKey = KeyIdentifier.subjectKeyOf(Fixtures.prod().intermediate());

        RevocationStatus pendingStatus = s.repository().status(p.serial()).orElseThrow();
        RevocationStatus goodStatus = s.repository().status(serial(good)).orElseThrow();
        RevocationStatus badStatus = s.repository().status(serial(bad)).orElseThrow();

        assertThat(pendingStatus).isEqualTo(new RevocationStatus(p.serial(), CertificateStatus.PENDING,
                p.validity().notAfter(), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(goodStatus).isEqualTo(new RevocationStatus(serial(good), CertificateStatus.VALID,
                good.getNotAfter().toInstant(), Optional.empty(), Optional.empty(), Optional.of(prodKey)));
        assertThat(badStatus).isEqualTo(new RevocationStatus(serial(bad), CertificateStatus.REVOKED,
                bad.getNotAfter().toInstant(), Optional.of(NOW.plusSeconds(5)),
                Optional.of(RevocationReason.KEY_COMPROMISE), Optional.of(prodKey)));
    }

    @Test
    void bulkRevocationBySpiffeIdTakesOnlyMatchingCertificatesValidAtThatTime() throws Exception {
        Subject s = newSubject();
        TestCa ca = Fixtures.prod();
        X509Certificate web = store(s, ca.issueSvid("spiffe://example.org/ns/prod/web", Duration.ofHours(2)));
        X509Certificate api = store(s, ca.issueSvid("spiffe://example.org/ns/prod/api", Duration.ofHours(2)));
        X509Certificate deeper = store(s, ca.issueSvid("spiffe://example.org/ns/prod/sa/db", Duration.ofHours(2)));
        X509Certificate dev = store(s, ca.issueSvid("spiffe://example.org/ns/dev/web", Duration.ofHours(2)));
        X509Certificate expired = store(s, ca.issueSvid("spiffe://example.org/ns/prod/old", Duration.ofMinutes(10)));
        X509Certificate revokedBefore = store(s, ca.issueSvid("spiffe://example.org/ns/prod/gone", Duration.ofHours(2)));
        s.repository().revoke(serial(revokedBefore), RevocationReason.SUPERSEDED, NOW, revokeEvent(serial(revokedBefore)));
        PendingCertificate pendingMatch = pending(Profile.SVID, List.of("spiffe://example.org/ns/prod/new"),
                NOW.plus(Duration.ofHours(2)), Requester.LOCAL);
        s.ledger().recordPending(pendingMatch);
        Instant at = NOW.plus(Duration.ofMinutes(30));

        List<SerialNumber> revoked = s.repository().revokeAll(
                new RevocationSelector.BySpiffeId(SpiffeIdPattern.parse("spiffe://example.org/ns/prod/*")),
                RevocationReason.CESSATION_OF_OPERATION, at, CertificateRepositoryContract::bulkEvent);

        assertThat(revoked).containsExactlyInAnyOrder(serial(web), serial(api));
        for (X509Certificate c : List.of(web, api)) {
            CertificateRecord r = s.repository().find(serial(c)).orElseThrow();
            assertThat(r.status()).isEqualTo(CertificateStatus.REVOKED);
            assertThat(r.revokedAt()).contains(at);
            assertThat(r.revocationReason()).contains(RevocationReason.CESSATION_OF_OPERATION);
        }
        for (X509Certificate c : List.of(deeper, dev, expired)) {
            assertThat(s.repository().find(serial(c)).orElseThrow().status()).isEqualTo(CertificateStatus.VALID);
        }
        assertThat(s.repository().find(serial(revokedBefore)).orElseThrow().revocationReason())
                .contains(RevocationReason.SUPERSEDED);
        assertThat(s.repository().find(pendingMatch.serial()).orElseThrow().status())
                .isEqualTo(CertificateStatus.PENDING);
        assertThat(s.repository().revokeAll(
                new RevocationSelector.BySpiffeId(SpiffeIdPattern.parse("spiffe://example.org/ns/prod/**")),
                RevocationReason.CESSATION_OF_OPERATION, at, CertificateRepositoryContract::bulkEvent))
                .containsExactly(serial(deeper));
    }

    @Test
    void bulkRevocationByDnsNameMatchesAnyOfTheCertificatesDnsNames() throws Exception {
        Subject s = newSubject();
        TestCa ca = Fixtures.prod();
        X509Certificate one = store(s, ca.issueServer(Duration.ofHours(1), "a.example.com"));
        X509Certificate second = store(s, ca.issueServer(Duration.ofHours(1), "internal.test", "b.example.com"));
        X509Certificate deep = store(s, ca.issueServer(Duration.ofHours(1), "x.b.example.com"));
        X509Certificate apex = store(s, ca.issueServer(Duration.ofHours(1), "example.com"));
        X509Certificate lookalike = store(s, ca.issueServer(Duration.ofHours(1), "a.example.com.evil.test",
                "aexample.com"));

        List<SerialNumber> revoked = s.repository().revokeAll(
                new RevocationSelector.ByDnsName(DnsPattern.parse("*.Example.COM")), RevocationReason.KEY_COMPROMISE,
                NOW, CertificateRepositoryContract::bulkEvent);

        assertThat(revoked).containsExactlyInAnyOrder(serial(one), serial(second));
        for (X509Certificate c : List.of(deep, apex, lookalike)) {
            assertThat(s.repository().find(serial(c)).orElseThrow().status()).isEqualTo(CertificateStatus.VALID);
        }
        assertThat(s.repository().revokeAll(new RevocationSelector.ByDnsName(DnsPattern.parse("example.com")),
                RevocationReason.KEY_COMPROMISE, NOW, CertificateRepositoryContract::bulkEvent))
                .containsExactly(serial(apex));
        assertThat(s.repository().revokeAll(new RevocationSelector.ByDnsName(DnsPattern.parse("**.example.com")),
                RevocationReason.KEY_COMPROMISE, NOW, CertificateRepositoryContract::bulkEvent))
                .containsExactly(serial(deep));
    }

    @Test
    void bulkRevocationByIssuerKeyTakesEverythingThatKeySignedAndNothingElse() throws Exception {
        Subject s = newSubject();
        List<SerialNumber> prod = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            prod.add(serial(store(s, Fixtures.prod().issueServer(Duration.ofHours(1), "p" + i + ".example.com"))));
        }
        X509Certificate other = store(s, Fixtures.other().issueServer(Duration.ofHours(1), "p0.example.com"));
        KeyIdentifier prodKey = KeyIdentifier.subjectKeyOf(Fixtures.prod().intermediate());

        List<SerialNumber> revoked = s.repository().revokeAll(new RevocationSelector.ByIssuerKey(prodKey),
                RevocationReason.CA_COMPROMISE, NOW, CertificateRepositoryContract::bulkEvent);

        assertThat(revoked).containsExactlyInAnyOrderElementsOf(prod);
        assertThat(s.repository().find(serial(other)).orElseThrow().status()).isEqualTo(CertificateStatus.VALID);
        assertThat(s.repository().find(prod.getFirst()).orElseThrow().issuerKeyId()).contains(prodKey);
    }

    @Test
    void bulkRevocationAuditsEachCertificateOnceAndARepeatRevokesNothing() throws Exception {
        Subject s = newSubject();
        List<SerialNumber> serials = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            serials.add(serial(store(s, Fixtures.prod().issueServer(Duration.ofHours(1), "h" + i + ".bulk.test"))));
        }
        int auditBefore = audit(s).size();
        RevocationSelector selector = new RevocationSelector.ByDnsName(DnsPattern.parse("*.bulk.test"));

        List<SerialNumber> first = s.repository().revokeAll(selector, RevocationReason.SUPERSEDED, NOW,
                CertificateRepositoryContract::bulkEvent);
        List<SerialNumber> again = s.repository().revokeAll(selector, RevocationReason.SUPERSEDED, NOW,
                CertificateRepositoryContract::bulkEvent);

        assertThat(first).containsExactlyInAnyOrderElementsOf(serials);
        assertThat(again).isEmpty();
        List<AuditEntry> added = audit(s).subList(auditBefore, audit(s).size());
        assertThat(added).extracting(e -> e.event()).containsExactlyInAnyOrderElementsOf(
                serials.stream().map(CertificateRepositoryContract::bulkEvent).toList());
    }

    @Test
    void revokedListOfAnIssuerHoldsItsRevokedCertificatesThatExpireAfterTheGivenTime() throws Exception {
        Subject s = newSubject();
        X509Certificate shortLived = store(s, Fixtures.prod().issueServer(Duration.ofMinutes(10), "s.example.com"));
        X509Certificate longLived = store(s, Fixtures.prod().issueServer(Duration.ofHours(5), "l.example.com"));
        X509Certificate stillValid = store(s, Fixtures.prod().issueServer(Duration.ofHours(5), "v.example.com"));
        X509Certificate otherIssuer = store(s, Fixtures.other().issueServer(Duration.ofHours(5), "o.example.com"));
        for (X509Certificate c : List.of(shortLived, longLived, otherIssuer)) {
            s.repository().revoke(serial(c), RevocationReason.KEY_COMPROMISE, NOW, revokeEvent(serial(c)));
        }
        KeyIdentifier prodKey = KeyIdentifier.subjectKeyOf(Fixtures.prod().intermediate());

        List<RevokedCertificate> now = new ArrayList<>();
        long counted = s.repository().forEachRevoked(prodKey, NOW, now::add);
        List<RevokedCertificate> inAnHour = new ArrayList<>();
        s.repository().forEachRevoked(prodKey, NOW.plus(Duration.ofHours(1)), inAnHour::add);

        assertThat(counted).isEqualTo(2);
        assertThat(now).containsExactlyInAnyOrder(
                new RevokedCertificate(serial(shortLived), NOW, RevocationReason.KEY_COMPROMISE,
                        shortLived.getNotAfter().toInstant()),
                new RevokedCertificate(serial(longLived), NOW, RevocationReason.KEY_COMPROMISE,
                        longLived.getNotAfter().toInstant()));
        assertThat(inAnHour).extracting(RevokedCertificate::serial).containsExactly(serial(longLived));
        assertThat(now).extracting(RevokedCertificate::serial).doesNotContain(serial(stillValid), serial(otherIssuer));
        assertThat(s.repository().forEachRevoked(KeyIdentifier.parse("00ff"), NOW, r -> { })).isZero();
    }

    @Test
    void revocationSequenceGrowsWithEachRevocationOfTheIssuersCertificatesOnly() throws Exception {
        Subject s = newSubject();
        KeyIdentifier prodKey = KeyIdentifier.subjectKeyOf(Fixtures.prod().intermediate());
        KeyIdentifier otherKey = KeyIdentifier.subjectKeyOf(Fixtures.other().intermediate());
        X509Certificate single = store(s, Fixtures.prod().issueServer(Duration.ofHours(1), "one.seq.test"));
        store(s, Fixtures.prod().issueServer(Duration.ofHours(1), "two.seq.test"));
        store(s, Fixtures.prod().issueServer(Duration.ofHours(1), "three.seq.test"));
        X509Certificate other = store(s, Fixtures.other().issueServer(Duration.ofHours(1), "other.seq.test"));
        assertThat(s.repository().revocationSequence(prodKey)).isZero();

        s.repository().revoke(serial(single), RevocationReason.UNSPECIFIED, NOW, revokeEvent(serial(single)));
        long afterOne = s.repository().revocationSequence(prodKey);
        s.repository().revoke(serial(single), RevocationReason.UNSPECIFIED, NOW, revokeEvent(serial(single)));
        long afterRepeat = s.repository().revocationSequence(prodKey);
        s.repository().revokeAll(new RevocationSelector.ByDnsName(DnsPattern.parse("*.seq.test")),
                RevocationReason.UNSPECIFIED, NOW, CertificateRepositoryContract::bulkEvent);
        long afterBulk = s.repository().revocationSequence(prodKey);

        assertThat(afterOne).isEqualTo(1);
        assertThat(afterRepeat).isEqualTo(afterOne);
        assertThat(afterBulk).isEqualTo(3);
        assertThat(s.repository().revocationSequence(otherKey)).isEqualTo(1);
        assertThat(s.repository().find(serial(other)).orElseThrow().status()).isEqualTo(CertificateStatus.REVOKED);
    }

    @Test
    void listFiltersByEveryCriterion() throws Exception {
        Subject s = newSubject();
        Requester alice = new Requester("token:alice", "admin-api");
        Requester bob = new Requester("token:bob", "enroll");
        PendingCertificate soon = pending(Profile.SVID, List.of("spiffe://example.org/ns/prod/sa/web"),
                NOW.plus(Duration.ofDays(2)), alice);
        PendingCertificate later = pending(Profile.SVID, List.of("spiffe://example.org/ns/dev/sa/web"),
                NOW.plus(Duration.ofDays(20)), bob);
        PendingCertificate server = pending(Profile.SERVER, List.of("api.example.com", "10.0.0.1"),
                NOW.plus(Duration.ofDays(5)), alice);
        PendingCertificate expired = pending(Profile.SERVER, List.of("old.example.com"), NOW.minusSeconds(1), bob);
        for (PendingCertificate p : List.of(soon, later, server, expired)) {
            s.ledger().recordPending(p);
        }
        X509Certificate valid = signed(s, bob);

        assertThat(serials(s, q -> q.status(CertificateStatus.VALID))).containsExactly(
                new SerialNumber(valid.getSerialNumber()));
        assertThat(serials(s, q -> q.status(CertificateStatus.PENDING)))
                .containsExactlyInAnyOrder(soon.serial(), later.serial(), server.serial(), expired.serial());
        assertThat(serials(s, q -> q.expiringWithin(Duration.ofDays(7))))
                .containsExactlyInAnyOrder(soon.serial(), server.serial());
        assertThat(serials(s, q -> q.spiffeIdPrefix("spiffe://example.org/ns/prod/"))).containsExactly(soon.serial());
        assertThat(serials(s, q -> q.spiffeIdPrefix("spiffe://example.org/"))).containsExactlyInAnyOrder(
                soon.serial(), later.serial());
        assertThat(serials(s, q -> q.dnsPrefix("api.")))
                .containsExactlyInAnyOrder(server.serial(), new SerialNumber(valid.getSerialNumber()));
        assertThat(serials(s, q -> q.dnsPrefix("example"))).isEmpty();
        assertThat(serials(s, q -> q.dnsPrefix("10.0"))).isEmpty();
        assertThat(serials(s, q -> q.profile(Profile.SVID))).containsExactlyInAnyOrder(soon.serial(), later.serial());
        assertThat(serials(s, q -> q.requester("token:alice"))).containsExactlyInAnyOrder(soon.serial(),
                server.serial());
        assertThat(serials(s, q -> q.requester("token:alice").profile(Profile.SERVER))).containsExactly(
                server.serial());
    }

    @Test
    void listPagesInSerialOrderWithACursor() throws Exception {
        Subject s = newSubject();
        List<SerialNumber> recorded = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            PendingCertificate p = pending(Profile.SERVER, List.of("h" + i + ".example.com"), NOW.plusSeconds(3600),
                    Requester.LOCAL);
            s.ledger().recordPending(p);
            recorded.add(p.serial());
        }
        // a short serial sorts before the long random ones
        PendingCertificate small = pending(new SerialNumber(java.math.BigInteger.valueOf(0x0a)), Profile.SERVER,
                List.of("small.example.com"), NOW.plusSeconds(3600), Requester.LOCAL);
        s.ledger().recordPending(small);
        recorded.add(small.serial());

        List<SerialNumber> seen = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            CertificateQuery q = new CertificateQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), cursor, 3);
            CertificatePage page = s.repository().list(q, NOW);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(3);
            page.items().forEach(r -> seen.add(r.serial()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor.isPresent() && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(
                recorded.stream().sorted(Comparator.comparing(SerialNumber::value)).toList());
    }

    private List<SerialNumber> serials(Subject s, java.util.function.UnaryOperator<Query> filter) throws Exception {
        Query q = filter.apply(new Query());
        CertificateQuery query = new CertificateQuery(q.status, q.expiringWithin, q.spiffeIdPrefix, q.dnsPrefix,
                q.profile, q.requester, Optional.empty(), CertificateQuery.MAX_LIMIT);
        return s.repository().list(query, NOW).items().stream().map(CertificateRecord::serial).toList();
    }

    /// A small builder of query filters for the tests.
    protected static final class Query {
        private Optional<CertificateStatus> status = Optional.empty();
        private Optional<Duration> expiringWithin = Optional.empty();
        private Optional<String> spiffeIdPrefix = Optional.empty();
        private Optional<String> dnsPrefix = Optional.empty();
        private Optional<Profile> profile = Optional.empty();
        private Optional<String> requester = Optional.empty();

        Query status(CertificateStatus s) {
            status = Optional.of(s);
            return this;
        }

        Query expiringWithin(Duration d) {
            expiringWithin = Optional.of(d);
            return this;
        }

        Query spiffeIdPrefix(String p) {
            spiffeIdPrefix = Optional.of(p);
            return this;
        }

        Query dnsPrefix(String p) {
            dnsPrefix = Optional.of(p);
            return this;
        }

        Query profile(Profile p) {
            profile = Optional.of(p);
            return this;
        }

        Query requester(String r) {
            requester = Optional.of(r);
            return this;
        }
    }
}
