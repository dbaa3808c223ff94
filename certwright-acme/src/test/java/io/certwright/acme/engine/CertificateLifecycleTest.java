package io.certwright.acme.engine;

import static io.certwright.acme.engine.AcmeClient.json;
import static io.certwright.acme.engine.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.ari.CertificateId;
import io.certwright.acme.ari.RenewalOverrides;
import io.certwright.acme.ari.RenewalWindow;
import io.certwright.acme.ari.RenewalWindows;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Pem;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import io.certwright.testing.TestCa;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/// Revocation (RFC 8555 section 7.6), renewal information (RFC 9773) and replacement orders.
class CertificateLifecycleTest {

    private AcmeHarness h;
    private AcmeClient c;

    @BeforeEach
    void start() throws Exception {
        h = new AcmeHarness();
        c = h.account();
    }

    @AfterEach
    void close() {
        h.close();
    }

    private record Held(X509Certificate certificate, KeyPair key) {
    }

    private Held issue(AcmeClient client, String... names) throws Exception {
        JsonNode order = json(client.newOrder(names));
        client.authorize(order, "http-01");
        KeyPair key = TestCa.keyPair(KeyAlgorithm.P256);
        AcmeResponse r = client.finalizeOrder(order, AcmeClient.csr(key, KeyAlgorithm.P256, List.of(names), List.of(),
                Optional.empty()));
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        AcmeResponse pem = client.postAsGet(json(r).get("certificate").asString());
        return new Held(Pem.readCertificates(pem.body(), "download").getFirst(), key);
    }

    private static String revokeBody(X509Certificate cert, String reason) throws Exception {
        return "{\"certificate\":\"" + AcmeClient.b64(cert.getEncoded()) + "\"" + reason + "}";
    }

    @Test
    void theOrderingAccountRevokesItsCertificateWithAReason() throws Exception {
        Held held = issue(c, "rev.example.com");
        AcmeResponse r = c.post(c.url("revoke-cert"), revokeBody(held.certificate(), ",\"reason\":4"));
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(h.issuer.revocationReason(new SerialNumber(held.certificate().getSerialNumber())))
                .contains(RevocationReason.SUPERSEDED);
        assertThat(h.audit.last().action()).isEqualTo("acme.certificate.revoke");
        assertRefused(h, c.post(c.url("revoke-cert"), revokeBody(held.certificate(), "")),
                AcmeProblemType.ALREADY_REVOKED, 400);
    }

    @Test
    void aReplayedRevocationIsBadNonce() throws Exception {
        Held held = issue(c, "replayed-revocation.example.com");
        String url = c.url("revoke-cert");
        byte[] body = AcmeClient.jws(c.header(url, false), revokeBody(held.certificate(), ",\"reason\":4"),
                c.algorithm, c.keys.getPrivate());
        assertThat(c.send(url, body, AcmeClient.JOSE).status()).isEqualTo(200);

        assertRefused(h, c.send(url, body, AcmeClient.JOSE), AcmeProblemType.BAD_NONCE, 400);
        assertThat(h.issuer.revocationReason(new SerialNumber(held.certificate().getSerialNumber())))
                .contains(RevocationReason.SUPERSEDED);
    }

    @Test
    void theCertificatesOwnKeyRevokesItWithAJwkRequest() throws Exception {
        Held held = issue(c, "key.example.com");
        AcmeClient holder = h.client(KeyAlgorithm.P256);
        holder.keys = held.key();
        AcmeResponse r = holder.postWithJwk(holder.url("revoke-cert"), revokeBody(held.certificate(), ",\"reason\":1"));
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(h.issuer.revocationReason(new SerialNumber(held.certificate().getSerialNumber())))
                .contains(RevocationReason.KEY_COMPROMISE);
    }

    @Test
    void anotherKeyOrAnUnauthorizedAccountCannotRevoke() throws Exception {
        Held held = issue(c, "guarded.example.com");
        AcmeClient stranger = h.client(KeyAlgorithm.P256);
        assertRefused(h, stranger.postWithJwk(stranger.url("revoke-cert"), revokeBody(held.certificate(), "")),
                AcmeProblemType.UNAUTHORIZED, 403);
        AcmeClient other = h.account();
        assertRefused(h, other.post(other.url("revoke-cert"), revokeBody(held.certificate(), "")),
                AcmeProblemType.UNAUTHORIZED, 403);
        other.authorize(json(other.newOrder("guarded.example.com")), "http-01");
        assertThat(other.post(other.url("revoke-cert"), revokeBody(held.certificate(), "")).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "11", "-1", "2", "6", "8", "10", "\"keyCompromise\"", "1.5"})
    void aReasonASubscriberMayNotGiveIsBadRevocationReason(String reason) throws Exception {
        Held held = issue(c, "reason.example.com");
        assertRefused(h, c.post(c.url("revoke-cert"), revokeBody(held.certificate(), ",\"reason\":" + reason)),
                AcmeProblemType.BAD_REVOCATION_REASON, 400);
        assertThat(h.issuer.revocationReason(new SerialNumber(held.certificate().getSerialNumber()))).isEmpty();
    }

    @Test
    void aCertificateThisServerDidNotIssueCannotBeRevoked() throws Exception {
        TestCa elsewhere = TestCa.builder(KeyAlgorithm.P256).clock(h.clock).build();
        IssuedCertificate foreign = elsewhere.issueServer(Duration.ofHours(1), "foreign.example.com");
        assertRefused(h, c.post(c.url("revoke-cert"), revokeBody(foreign.certificate(), "")),
                AcmeProblemType.MALFORMED, 400);
        assertRefused(h, c.post(c.url("revoke-cert"), "{\"certificate\":\"AAAA\"}"), AcmeProblemType.MALFORMED, 400);
    }

    @Test
    void renewalInfoSuggestsTheStableDefaultWindowWithRetryAfter() throws Exception {
        Held held = issue(c, "ari.example.com");
        String id = CertificateId.of(held.certificate()).orElseThrow().toString();
        AcmeResponse r = c.get(c.url("renewal-info/" + id));
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.header("Retry-After")).contains("21600");
        JsonNode w = json(r).get("suggestedWindow");
        RenewalWindow expected = RenewalWindows.standard(held.certificate().getNotBefore().toInstant(),
                held.certificate().getNotAfter().toInstant(), new SerialNumber(held.certificate().getSerialNumber()));
        assertThat(Instant.parse(w.get("start").asString())).isEqualTo(expected.start());
        assertThat(Instant.parse(w.get("end").asString())).isEqualTo(expected.end());
        assertRefused(h, c.get(c.url("renewal-info/AAAA.AQ")), AcmeProblemType.MALFORMED, 404);
        assertRefused(h, c.get(c.url("renewal-info/not-an-id")), AcmeProblemType.MALFORMED, 400);
    }

    @Test
    void anAdministratorsOverrideReplacesTheWindowOfTheCertificatesItSelects() throws Exception {
        Held held = issue(c, "pull.example.com");
        String id = CertificateId.of(held.certificate()).orElseThrow().toString();
        Instant now = h.clock.instant();
        RenewalWindow pulled = new RenewalWindow(now, now.plus(Duration.ofHours(1)),
                Optional.of("https://status.example.com/rotation"));
        new RenewalOverrides(h.store, h.audit, h.clock, new SecureRandom()).pullRenewalWindows("cli",
                new RenewalOverrides.Selector(Optional.empty(), Optional.empty(), now.plusSeconds(1)), pulled);
        assertThat(h.audit.last().action()).isEqualTo("acme.renewal-window.pull");
        JsonNode info = json(c.get(c.url("renewal-info/" + id)));
        assertThat(Instant.parse(info.get("suggestedWindow").get("start").asString())).isEqualTo(now);
        assertThat(info.get("explanationURL").asString()).isEqualTo("https://status.example.com/rotation");

        // Selection compares with notBefore, which the CA backdates by a minute.
        h.clock.advance(Duration.ofMinutes(5));
        Held later = issue(c, "later.example.com");
        JsonNode untouched = json(c.get(c.url("renewal-info/" + CertificateId.of(later.certificate()).orElseThrow())));
        assertThat(untouched.has("explanationURL")).isFalse();
    }

    @Test
    void aReplacementOrderNamesTheCertificateOnceOnly() throws Exception {
        Held held = issue(c, "renew.example.com");
        String id = CertificateId.of(held.certificate()).orElseThrow().toString();
        String body = "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"renew.example.com\"}],\"replaces\":\"" + id
                + "\"}";
        AcmeResponse first = c.post(c.url("new-order"), body);
        assertThat(first.status()).as(first.bodyText()).isEqualTo(201);
        assertThat(json(first).get("replaces").asString()).isEqualTo(id);
        assertRefused(h, c.post(c.url("new-order"), body), AcmeProblemType.ALREADY_REPLACED, 409);

        AcmeClient stranger = h.account();
        assertRefused(h, stranger.post(stranger.url("new-order"), "{\"identifiers\":[{\"type\":\"dns\",\"value\":"
                + "\"unrelated.example.com\"}],\"replaces\":\"" + id + "\"}"), AcmeProblemType.UNAUTHORIZED, 403);
        assertRefused(h, c.post(c.url("new-order"), "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"x.example.com\"}],"
                + "\"replaces\":\"AAAA.AQ\"}"), AcmeProblemType.MALFORMED, 400);
    }

    @Test
    void anInvalidReplacementOrderDoesNotUseUpTheReplacement() throws Exception {
        Held held = issue(c, "retry.example.com");
        String id = CertificateId.of(held.certificate()).orElseThrow().toString();
        String body = "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"retry.example.com\"}],\"replaces\":\"" + id
                + "\"}";
        assertThat(c.post(c.url("new-order"), body).status()).isEqualTo(201);
        h.clock.advance(Duration.ofHours(25));
        assertThat(c.post(c.url("new-order"), body).status()).isEqualTo(201);
    }
}
