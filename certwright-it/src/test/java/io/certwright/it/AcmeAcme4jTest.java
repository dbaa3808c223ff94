package io.certwright.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.core.SerialNumber;
import io.certwright.server.CertwrightServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.exception.AcmeServerException;
import tools.jackson.databind.JsonNode;

/// acme4j, a complete RFC 8555 client, against a running server on SQLite: accounts, each challenge type
/// validated for real over loopback, IP and wildcard identifiers, renewal information and `replaces`, key
/// rollover, external account binding and both ways of revoking.
class AcmeAcme4jTest {

    private static final String PROVISIONERS = """
                - name: default
                  challenges: [http-01, dns-01, tls-alpn-01]
                  certificateTtl: 24h
                - name: bound
                  challenges: [http-01]
                  eabRequired: true
                  certificateTtl: 6h
            """;

    @TempDir
    static Path dir;

    static ChallengeResponders responders;
    static CertwrightServer server;
    static ServerApi api;
    static X509Certificate root;

    @BeforeAll
    static void start() throws Exception {
        responders = ChallengeResponders.start();
        for (String name : List.of("app.acme.test", "dns.acme.test", "alpn.acme.test", "renew.acme.test",
                "pull.acme.test", "roll.acme.test", "bound.acme.test", "revoke1.acme.test",
                "revoke2.acme.test")) {
            responders.dns.a(name, "127.0.0.1");
        }
        server = ItAcme.start(dir.resolve("data"), responders.acmeYaml(PROVISIONERS, ""));
        api = ItAcme.api(server);
        List<X509Certificate> roots = ItAcme.roots(api);
        assertThat(roots).hasSize(1);
        root = roots.getFirst();
        assertThat(root).isEqualTo(server.root());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (responders != null) {
            responders.close();
        }
    }

    private static Session session(String provisioner) throws Exception {
        return ItAcme.session(ItAcme.directory(server, provisioner), root);
    }

    private static Login newAccount(Session session, KeyPair key) throws Exception {
        return new AccountBuilder().agreeToTermsOfService().addEmail("ops@example.com").useKeyPair(key)
                .createLogin(session);
    }

    /// A certificate acme4j obtained, with the key its CSR was made with.
    record Issued(Certificate certificate, KeyPair key, Order order) {
        X509Certificate x509() {
            return certificate.getCertificate();
        }

        String serial() {
            return new SerialNumber(x509().getSerialNumber()).hex();
        }
    }

    /// Answers the `type` challenge of every pending authorization of `order` through the responders and
    /// waits until each is valid.
    private static void authorize(Order order, String type) throws Exception {
        for (Authorization auth : order.getAuthorizations()) {
            if (auth.getStatus() == Status.VALID) {
                continue;
            }
            Challenge challenge = switch (type) {
                case Http01Challenge.TYPE -> {
                    Http01Challenge c = auth.findChallenge(Http01Challenge.class).orElseThrow();
                    responders.http01.put(c.getToken(), c.getAuthorization());
                    yield c;
                }
                case Dns01Challenge.TYPE -> {
                    Dns01Challenge c = auth.findChallenge(Dns01Challenge.class).orElseThrow();
                    responders.dns.txt(c.getRRName(auth.getIdentifier()), c.getDigest());
                    yield c;
                }
                case TlsAlpn01Challenge.TYPE -> {
                    TlsAlpn01Challenge c = auth.findChallenge(TlsAlpn01Challenge.class).orElseThrow();
                    // acme4j signs the responder's self-signed certificate with SHA256withRSA.
                    KeyPair key = ItAcme.rsa2048();
                    responders.tlsAlpn01.present(key, c.createCertificate(key, auth.getIdentifier()));
                    yield c;
                }
                default -> throw new IllegalArgumentException(type);
            };
            challenge.trigger();
            Status status = auth.waitForCompletion(ItAcme.WAIT);
            assertThat(status).as("authorization of %s by %s: %s", auth.getIdentifier(), type,
                    challenge.getError().map(Object::toString).orElse("")).isEqualTo(Status.VALID);
        }
    }

    /// Orders `identifiers`, answers `type` challenges, finalizes with a CSR for a fresh key and downloads
    /// the certificate.
    private static Issued issue(Login login, String type, Identifier... identifiers) throws Exception {
        return finish(login.newOrder().identifiers(List.of(identifiers)).create(), type);
    }

    private static Issued finish(Order order, String type) throws Exception {
        authorize(order, type);
        assertThat(order.waitUntilReady(ItAcme.WAIT)).isEqualTo(Status.READY);
        KeyPair key = ItAcme.p256();
        order.execute(key);
        assertThat(order.waitForCompletion(ItAcme.WAIT)).as(order.getError().map(Object::toString).orElse(""))
                .isEqualTo(Status.VALID);
        Certificate certificate = order.getCertificate();
        certificate.download();
        return new Issued(certificate, key, order);
    }

    /// The downloaded chain verifies to the root `/roots.pem` serves, and the leaf names exactly `names`
    /// (DNS names and IP addresses, as `getSubjectAlternativeNames` gives their values).
    private static void assertChainsToRootFor(Issued issued, String... names) throws Exception {
        List<X509Certificate> chain = new ArrayList<>(issued.certificate().getCertificateChain());
        assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
        if (chain.getLast().getSubjectX500Principal().equals(chain.getLast().getIssuerX500Principal())) {
            chain.removeLast();
        }
        OpensslInteropTest.pkixValidate(ItAcme.roots(api).getFirst(), chain);
        X509Certificate leaf = chain.getFirst();
        assertThat(leaf.getPublicKey()).isEqualTo(issued.key().getPublic());
        List<String> sans = new ArrayList<>();
        Collection<List<?>> all = leaf.getSubjectAlternativeNames();
        for (List<?> san : all) {
            sans.add(String.valueOf(san.get(1)));
        }
        assertThat(sans).containsExactlyInAnyOrder(names);
        assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
    }

    private static String status(String serial) throws Exception {
        return api.certificate(serial).get("status").asString();
    }

    private static URI problemType(Throwable e) {
        assertThat(e).isInstanceOf(AcmeServerException.class);
        return ((AcmeServerException) e).getType();
    }

    private static URI acmeError(String name) {
        return URI.create("urn:ietf:params:acme:error:" + name);
    }

    // ------------------------------------------------------------------ accounts

    @Test
    void aNewAccountKeepsItsContactsAndIsFoundAgainByItsKey() throws Exception {
        Session session = session("default");
        KeyPair key = ItAcme.p256();
        Account account = new AccountBuilder().agreeToTermsOfService().addEmail("ops@example.com")
                .addEmail("pki@example.com").useKeyPair(key).create(session);

        assertThat(account.getStatus()).isEqualTo(Status.VALID);
        assertThat(account.getContacts()).containsExactly(URI.create("mailto:ops@example.com"),
                URI.create("mailto:pki@example.com"));
        Account again = new AccountBuilder().onlyExisting().useKeyPair(key).create(session);
        assertThat(again.getLocation()).isEqualTo(account.getLocation());
        assertThatThrownBy(() -> new AccountBuilder().onlyExisting().useKeyPair(ItAcme.p256()).create(session))
                .satisfies(e -> assertThat(problemType(e)).isEqualTo(acmeError("accountDoesNotExist")));
    }

    // ------------------------------------------------------------------ each challenge type

    @Test
    void http01OrderIsValidatedAgainstTheClientsHttpServerAndIssuesAChainToTheRoot() throws Exception {
        Login login = newAccount(session("default"), ItAcme.p256());
        Issued issued = issue(login, Http01Challenge.TYPE, Identifier.dns("app.acme.test"));
        assertChainsToRootFor(issued, "app.acme.test");
        assertThat(status(issued.serial())).isEqualTo("valid");
        assertThat(responders.http01.served()).isNotEmpty();
    }

    @Test
    void dns01OrderIsValidatedAgainstTheTxtRecordAndIssuesAChainToTheRoot() throws Exception {
        Login login = newAccount(session("default"), ItAcme.p256());
        Issued issued = issue(login, Dns01Challenge.TYPE, Identifier.dns("dns.acme.test"));
        assertChainsToRootFor(issued, "dns.acme.test");
        assertThat(responders.dns.questions()).anyMatch(q -> q.contains("_acme-challenge.dns.acme.test"));
    }

    @Test
    void tlsAlpn01OrderIsValidatedAgainstTheAcmeTlsCertificateAndIssuesAChainToTheRoot() throws Exception {
        Login login = newAccount(session("default"), ItAcme.p256());
        Issued issued = issue(login, TlsAlpn01Challenge.TYPE, Identifier.dns("alpn.acme.test"));
        assertChainsToRootFor(issued, "alpn.acme.test");
    }

    @Test
    void anIpAddressIdentifierIsValidatedOverHttp01() throws Exception {
        Login login = newAccount(session("default"), ItAcme.p256());
        Issued issued = issue(login, Http01Challenge.TYPE, Identifier.ip(InetAddress.ofLiteral("127.0.0.1")));
        assertChainsToRootFor(issued, "127.0.0.1");
    }

    @Test
    void aWildcardIsValidatedOverDns01AndIssuedBesideItsBaseName() throws Exception {
        Login login = newAccount(session("default"), ItAcme.p256());
        Order order = login.newOrder().domains("*.wild.acme.test", "wild.acme.test").create();
        for (Authorization auth : order.getAuthorizations()) {
            if (auth.isWildcard()) {
                assertThat(auth.getChallenges()).extracting(Challenge::getType).containsExactly(Dns01Challenge.TYPE);
            }
        }
        Issued issued = finish(order, Dns01Challenge.TYPE);
        assertChainsToRootFor(issued, "*.wild.acme.test", "wild.acme.test");
    }

    // ------------------------------------------------------------------ renewal information (ARI)

    @Test
    void renewalInformationSuggestsAWindowAndARenewalReplacesTheCertificateOnlyOnce() throws Exception {
        Login login = newAccount(session("default"), ItAcme.p256());
        Issued first = issue(login, Http01Challenge.TYPE, Identifier.dns("renew.acme.test"));
        X509Certificate x = first.x509();

        assertThat(first.certificate().hasRenewalInfo()).isTrue();
        RenewalInfo info = first.certificate().getRenewalInfo();
        Instant start = info.getSuggestedWindowStart();
        Instant end = info.getSuggestedWindowEnd();
        assertThat(start).isAfter(x.getNotBefore().toInstant()).isBefore(end);
        assertThat(end).isBeforeOrEqualTo(x.getNotAfter().toInstant());
        assertThat(info.renewalIsNotRequired(x.getNotBefore().toInstant())).isTrue();
        assertThat(info.renewalIsOverdue(x.getNotAfter().toInstant())).isTrue();

        Order renewal = login.newOrder().domain("renew.acme.test").replaces(first.certificate()).create();
        // The authorization of the first order is reused: the renewal is ready at once.
        assertThat(renewal.getStatus()).isEqualTo(Status.READY);
        Issued second = finish(renewal, Http01Challenge.TYPE);
        assertChainsToRootFor(second, "renew.acme.test");
        assertThat(second.serial()).isNotEqualTo(first.serial());

        assertThatThrownBy(() -> login.newOrder().domain("renew.acme.test").replaces(x).create())
                .satisfies(e -> assertThat(problemType(e)).isEqualTo(acmeError("alreadyReplaced")));
    }

    @Test
    void anAdminPullingTheRenewalWindowEarlierChangesWhatTheClientReads() throws Exception {
        Login login = newAccount(session("default"), ItAcme.p256());
        Issued issued = issue(login, Http01Challenge.TYPE, Identifier.dns("pull.acme.test"));
        RenewalInfo before = login.bindRenewalInfo(issued.x509());
        before.fetch();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertThat(before.getSuggestedWindowStart()).isAfter(now);

        Instant windowStart = now.minus(1, ChronoUnit.HOURS);
        Instant windowEnd = now.plus(1, ChronoUnit.HOURS);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serial", issued.serial());
        body.put("window_start", windowStart.toString());
        body.put("window_end", windowEnd.toString());
        HttpResponse<String> pulled = api.post("/api/v1/acme/renewal-windows", body);
        assertThat(pulled.statusCode()).as(pulled.body()).isEqualTo(201);

        RenewalInfo after = login.bindRenewalInfo(issued.x509());
        after.fetch();
        assertThat(after.getSuggestedWindowStart()).isEqualTo(windowStart);
        assertThat(after.getSuggestedWindowEnd()).isEqualTo(windowEnd);
        assertThat(after.renewalIsRecommended(Instant.now())).isTrue();
    }

    // ------------------------------------------------------------------ key rollover

    @Test
    void afterKeyRolloverTheOldKeyIsRefusedAndTheNewKeyWorks() throws Exception {
        Session session = session("default");
        KeyPair oldKey = ItAcme.p256();
        KeyPair newKey = ItAcme.p256();
        Login login = newAccount(session, oldKey);
        URI location = login.getAccountLocation().toURI();

        login.getAccount().changeKey(newKey);

        Login withOldKey = session.login(location.toURL(), oldKey);
        assertThatThrownBy(() -> withOldKey.getAccount().fetch())
                .satisfies(e -> assertThat(problemType(e)).isIn(acmeError("malformed"), acmeError("unauthorized")));
        assertThatThrownBy(() -> new AccountBuilder().onlyExisting().useKeyPair(oldKey).create(session))
                .satisfies(e -> assertThat(problemType(e)).isEqualTo(acmeError("accountDoesNotExist")));

        Login withNewKey = session.login(location.toURL(), newKey);
        Issued issued = issue(withNewKey, Http01Challenge.TYPE, Identifier.dns("roll.acme.test"));
        assertChainsToRootFor(issued, "roll.acme.test");
        assertThat(new AccountBuilder().onlyExisting().useKeyPair(newKey).create(session).getLocation().toURI())
                .isEqualTo(location);
    }

    // ------------------------------------------------------------------ external account binding

    @Test
    void aProvisionerRequiringEabRefusesAnAccountWithoutOneAndAcceptsAnAdminKeyOnlyOnce() throws Exception {
        Session session = session("bound");
        assertThat(session.getMetadata().isExternalAccountRequired()).isTrue();
        assertThatThrownBy(() -> newAccount(session, ItAcme.p256()))
                .satisfies(e -> assertThat(problemType(e)).isEqualTo(acmeError("externalAccountRequired")));

        HttpResponse<String> created = api.post("/api/v1/acme/eab", Map.of("provisioner", "bound"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode eab = ServerApi.JSON.readTree(created.body());
        String kid = eab.get("key_id").asString();
        String hmac = eab.get("hmac_key").asString();

        Login login = new AccountBuilder().agreeToTermsOfService().withKeyIdentifier(kid, hmac)
                .useKeyPair(ItAcme.p256()).createLogin(session);
        Account account = login.getAccount();
        assertThat(account.getStatus()).isEqualTo(Status.VALID);
        Issued issued = issue(login, Http01Challenge.TYPE, Identifier.dns("bound.acme.test"));
        assertChainsToRootFor(issued, "bound.acme.test");

        assertThatThrownBy(() -> new AccountBuilder().agreeToTermsOfService().withKeyIdentifier(kid, hmac)
                .useKeyPair(ItAcme.p256()).create(session))
                .satisfies(e -> assertThat(problemType(e)).isEqualTo(acmeError("unauthorized")));
        byte[] stored;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                + dir.resolve("data").resolve("certwright.db"));
                java.sql.PreparedStatement ps = c.prepareStatement("SELECT hmac_key FROM acme_eab_keys WHERE key_id = ?")) {
            ps.setString(1, kid);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                stored = rs.getBytes(1);
            }
        }
        byte[] clear = java.util.Base64.getUrlDecoder().decode(hmac);
        assertThat(new String(stored, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).as("stored encrypted")
                .isEqualTo("CWS1");
        assertThat(java.util.HexFormat.of().formatHex(stored)).doesNotContain(java.util.HexFormat.of().formatHex(clear));
        HttpResponse<String> listed = api.get("/api/v1/acme/eab?provisioner=bound");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains(kid).contains(account.getLocation().toString()
                .substring(account.getLocation().toString().lastIndexOf('/') + 1));
    }

    @Test
    void anEabKeyOfAnotherProvisionerIsRefused() throws Exception {
        HttpResponse<String> created = api.post("/api/v1/acme/eab", Map.of("provisioner", "default"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode eab = ServerApi.JSON.readTree(created.body());
        assertThatThrownBy(() -> new AccountBuilder().agreeToTermsOfService()
                .withKeyIdentifier(eab.get("key_id").asString(), eab.get("hmac_key").asString())
                .useKeyPair(ItAcme.p256()).create(session("bound")))
                .isInstanceOf(AcmeServerException.class);
    }

    // ------------------------------------------------------------------ revocation

    @Test
    void revocationByTheAccountMarksTheCertificateRevokedInTheRegistry() throws Exception {
        Login login = newAccount(session("default"), ItAcme.p256());
        Issued issued = issue(login, Http01Challenge.TYPE, Identifier.dns("revoke1.acme.test"));
        assertThat(status(issued.serial())).isEqualTo("valid");

        issued.certificate().revoke(RevocationReason.SUPERSEDED);

        JsonNode stored = api.certificate(issued.serial());
        assertThat(stored.get("status").asString()).isEqualTo("revoked");
        assertThatThrownBy(() -> issued.certificate().revoke())
                .satisfies(e -> assertThat(problemType(e)).isEqualTo(acmeError("alreadyRevoked")));
    }

    @Test
    void revocationByTheCertificateKeyAloneMarksTheCertificateRevokedInTheRegistry() throws Exception {
        Session session = session("default");
        Login login = newAccount(session, ItAcme.p256());
        Issued issued = issue(login, Http01Challenge.TYPE, Identifier.dns("revoke2.acme.test"));

        assertThatThrownBy(() -> Certificate.revoke(session, ItAcme.p256(), issued.x509(),
                RevocationReason.KEY_COMPROMISE))
                .satisfies(e -> assertThat(problemType(e)).isEqualTo(acmeError("unauthorized")));
        assertThat(status(issued.serial())).isEqualTo("valid");

        Certificate.revoke(session, issued.key(), issued.x509(), RevocationReason.KEY_COMPROMISE);

        assertThat(status(issued.serial())).isEqualTo("revoked");
    }
}
