package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.CertificateLedger;
import io.certwright.ca.PendingCertificate;
import io.certwright.ca.Requester;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.audit.AuditLog;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.registry.CertificatePage;
import io.certwright.ca.registry.CertificateQuery;
import io.certwright.ca.registry.CertificateRecord;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.core.Validity;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    }

    @Test
    void revokingAValidCertificateRecordsItAndItsAuditEntry() throws Exception {
        Subject s = newSubject();
        X509Certificate cert = signed(s, Requester.LOCAL);
        SerialNumber serial = new SerialNumber(cert.getSerialNumber());
        int auditBefore = audit(s).size();
        Instant at = NOW.plusSeconds(30);

        Optional<CertificateRecord> revoked = s.repository().revoke(serial, RevocationReason.KEY_COMPROMISE, at,
                revokeEvent(serial));

        assertThat(revoked).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(CertificateStatus.REVOKED);
            assertThat(r.revokedAt()).contains(at);
            assertThat(r.revocationReason()).contains(RevocationReason.KEY_COMPROMISE);
        });
        assertThat(s.repository().find(serial)).isEqualTo(revoked);
        List<AuditEntry> entries = audit(s);
        assertThat(entries).hasSize(auditBefore + 1);
        assertThat(entries.getLast().event()).isEqualTo(revokeEvent(serial));
    }

    @Test
    void revokingTwiceOrAPendingCertificateIsTheWrongState() throws Exception {
        Subject s = newSubject();
        X509Certificate cert = signed(s, Requester.LOCAL);
        SerialNumber serial = new SerialNumber(cert.getSerialNumber());
        PendingCertificate p = pending(Profile.SVID, List.of("spiffe://example.org/x"), NOW.plusSeconds(3600),
                Requester.LOCAL);
        s.ledger().recordPending(p);
        s.repository().revoke(serial, RevocationReason.SUPERSEDED, NOW, revokeEvent(serial));
        int auditBefore = audit(s).size();

        assertThatThrownBy(() -> s.repository().revoke(serial, RevocationReason.KEY_COMPROMISE, NOW,
                revokeEvent(serial))).isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.WRONG_STATE));
        assertThatThrownBy(() -> s.repository().revoke(p.serial(), RevocationReason.KEY_COMPROMISE, NOW,
                revokeEvent(p.serial()))).isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.WRONG_STATE));

        assertThat(s.repository().find(serial).orElseThrow().revocationReason()).contains(RevocationReason.SUPERSEDED);
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
