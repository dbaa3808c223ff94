package io.certwright.acme.engine;

import static io.certwright.acme.engine.AcmeClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.AcmeSettings;
import io.certwright.acme.EabCredentials;
import io.certwright.acme.EabKeys;
import io.certwright.acme.ari.CertificateId;
import io.certwright.acme.store.Account;
import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.EabKey;
import io.certwright.acme.store.Order;
import io.certwright.acme.validation.ValidationOutcome;
import io.certwright.ca.Pem;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.Concurrently;
import io.certwright.testing.TestCa;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/// The ACME server's rules that rest on the store doing a step atomically, run through the server against
/// every [AcmeStore]:
///
/// - of concurrent new orders that replace one certificate (RFC 9773), exactly one is stored; the others are
///   refused with `alreadyReplaced` (409), audited, and write nothing; an invalid replacement order frees the
///   certificate;
/// - an external account binding key admits exactly one account, the one it is bound to, however many
///   new-account requests race for it, and a creation that loses leaves its key unbound;
/// - the account's orders list leaves out invalid orders (RFC 8555 section 7.1.2.1), across pages;
/// - the account object says `termsOfServiceAgreed` whenever it is read, not only when it is created.
///
/// Extend it and implement [#newStore()].
public abstract class AcmeIntegrityContract {

    private static final int RACERS = 8;

    private @Nullable AcmeHarness harness;
    private @Nullable Gate gate;

    /// A new, empty store. Called once per test.
    protected abstract AcmeStore newStore() throws Exception;

    /// The audit events the store of this test appended itself, with the changes they record (see
    /// [io.certwright.acme.store.Effects]), in order.
    protected abstract List<AuditEvent> auditedByStore() throws Exception;

    /// Every refusal audited so far: through the harness's audit port and by the store.
    private List<AuditEvent> refusals(AcmeHarness h) throws Exception {
        List<AuditEvent> all = new ArrayList<>(h.audit.refusals());
        auditedByStore().stream().filter(e -> e.outcome() == AuditEvent.Outcome.REFUSED).forEach(all::add);
        return all;
    }

    private AcmeHarness start(UnaryOperator<AcmeSettings> adjust) throws Exception {
        Gate g = new Gate(newStore());
        AcmeStore gated = (AcmeStore) Proxy.newProxyInstance(AcmeStore.class.getClassLoader(),
                new Class<?>[] {AcmeStore.class}, g);
        AcmeHarness h = new AcmeHarness(gated, adjust);
        gate = g;
        harness = h;
        return h;
    }

    /// Passes every call on to the store; once armed, holds the first `RACERS` calls of one method after they
    /// return until all of them have returned. Armed on the check a request makes before it acts (is there an
    /// account with this key, an order replacing this certificate), it makes every racer check before any
    /// acts, the widest window a check-then-act race can have, so that only the store's atomicity can keep
    /// the rule.
    private static final class Gate implements InvocationHandler {

        private final AcmeStore store;
        private final AtomicInteger held = new AtomicInteger();
        private volatile String method = "";
        private volatile CyclicBarrier barrier = new CyclicBarrier(1);

        Gate(AcmeStore store) {
            this.store = store;
        }

        void arm(String name) {
            barrier = new CyclicBarrier(RACERS);
            held.set(RACERS);
            method = name;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method m, @Nullable Object[] args) throws Throwable {
            Object result;
            try {
                result = m.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (m.getName().equals(method) && held.getAndDecrement() > 0) {
                barrier.await(60, TimeUnit.SECONDS);
            }
            return result;
        }
    }

    private Gate gate() {
        return java.util.Objects.requireNonNull(gate, "gate");
    }

    @AfterEach
    void closeServer() {
        if (harness != null) {
            harness.close();
        }
    }

    /// Runs `RACERS` tasks released together; returns their results in task order.
    private static <T> List<T> race(Concurrently.Racer<T> task) throws Exception {
        return Concurrently.race(RACERS, task);
    }

    /// The RFC 9773 identifier of a certificate issued to `client` for `name`.
    private static String issue(AcmeClient client, String name) throws Exception {
        JsonNode order = json(client.newOrder(name));
        client.authorize(order, "http-01");
        AcmeResponse r = client.finalizeOrder(order, AcmeClient.csr(TestCa.keyPair(KeyAlgorithm.P256),
                KeyAlgorithm.P256, List.of(name), List.of(), Optional.empty()));
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        AcmeResponse pem = client.postAsGet(json(r).get("certificate").asString());
        X509Certificate certificate = Pem.readCertificates(pem.body(), "download").getFirst();
        return CertificateId.of(certificate).orElseThrow().toString();
    }

    private static String replacement(String name, String certificateId) {
        return "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"" + name + "\"}],\"replaces\":\"" + certificateId
                + "\"}";
    }

    private static String lastSegment(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static void assertProblem(AcmeResponse r, AcmeProblemType type, int status) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(status);
        assertThat(r.contentType()).contains("application/problem+json");
        assertThat(json(r).get("type").asString()).isEqualTo(type.urn());
    }

    // ---------------------------------------------------------------- replacement orders

    @Test
    void ofConcurrentOrdersReplacingOneCertificateExactlyOneIsStoredAndTheOthersAreAlreadyReplaced()
            throws Exception {
        AcmeHarness h = start(UnaryOperator.identity());
        AcmeClient c = h.account();
        String certificateId = issue(c, "renew.example.com");
        String url = c.url("new-order");
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            requests.add(AcmeClient.jws(c.header(url, false), replacement("renew.example.com", certificateId),
                    c.algorithm, c.keys.getPrivate()));
        }
        int refusalsBefore = refusals(h).size();
        gate().arm("replacingOrder");

        List<AcmeResponse> responses = race(racer -> c.send(url, requests.get(racer), AcmeClient.JOSE));

        List<AcmeResponse> created = responses.stream().filter(r -> r.status() == 201).toList();
        assertThat(created).as("orders stored").hasSize(1);
        responses.stream().filter(r -> r.status() != 201)
                .forEach(r -> assertProblem(r, AcmeProblemType.ALREADY_REPLACED, 409));
        List<AuditEvent> refusals = refusals(h);
        assertThat(refusals.subList(refusalsBefore, refusals.size())).hasSize(RACERS - 1)
                .allSatisfy(e -> assertThat(e.details()).containsEntry("type",
                        AcmeProblemType.ALREADY_REPLACED.urn()));
        String winner = lastSegment(created.getFirst().header("Location").orElseThrow());
        assertThat(h.store.replacingOrder(certificateId).map(Order::id)).contains(winner);
        List<String> replacing = new ArrayList<>();
        for (String id : h.store.orderIds(lastSegment(c.kid.orElseThrow()), Optional.empty(), 100)) {
            if (h.store.order(id).orElseThrow().replaces().equals(Optional.of(certificateId))) {
                replacing.add(id);
            }
        }
        assertThat(replacing).containsExactly(winner);
    }

    @Test
    void aReplacementOrderThatBecameInvalidFreesTheCertificateForAnother() throws Exception {
        AcmeHarness h = start(UnaryOperator.identity());
        AcmeClient c = h.account();
        String certificateId = issue(c, "retry.example.com");
        AcmeResponse first = c.post(c.url("new-order"), replacement("retry.example.com", certificateId));
        assertThat(first.status()).as(first.bodyText()).isEqualTo(201);
        assertProblem(c.post(c.url("new-order"), replacement("retry.example.com", certificateId)),
                AcmeProblemType.ALREADY_REPLACED, 409);

        // Its (reused, valid) authorization is deactivated: the order is invalid, though it is stored so only
        // once it is read.
        AcmeResponse deactivated = c.post(json(first).get("authorizations").get(0).asString(),
                "{\"status\":\"deactivated\"}");
        assertThat(deactivated.status()).as(deactivated.bodyText()).isEqualTo(200);

        AcmeResponse second = c.post(c.url("new-order"), replacement("retry.example.com", certificateId));
        assertThat(second.status()).as(second.bodyText()).isEqualTo(201);
        assertThat(h.store.replacingOrder(certificateId).map(Order::id))
                .contains(lastSegment(second.header("Location").orElseThrow()));
        assertProblem(c.post(c.url("new-order"), replacement("retry.example.com", certificateId)),
                AcmeProblemType.ALREADY_REPLACED, 409);
        // It expires unfinalized: invalid again, and the certificate is free again.
        h.clock.advance(Duration.ofHours(25));
        assertThat(c.post(c.url("new-order"), replacement("retry.example.com", certificateId)).status())
                .isEqualTo(201);
    }

    // ---------------------------------------------------------------- external account binding

    @Test
    void ofConcurrentAccountsWithOneEabKeyExactlyOneIsCreatedAndItIsTheOneBound() throws Exception {
        AcmeHarness h = start(UnaryOperator.identity());
        EabCredentials key = new EabKeys(h.store, h.clock, new SecureRandom()).create("eab");
        byte[] mac = Base64.getUrlDecoder().decode(key.hmacKeyBase64Url());
        List<AcmeClient> clients = new ArrayList<>();
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            AcmeClient client = h.client("eab");
            String url = client.url("new-account");
            clients.add(client);
            requests.add(AcmeClient.jws(client.header(url, true), "{\"termsOfServiceAgreed\":true,"
                    + "\"externalAccountBinding\":" + AccountTest.eab(client, key.keyId(), mac, url) + "}",
                    client.algorithm, client.keys.getPrivate()));
        }
        gate().arm("accountByThumbprint");

        List<AcmeResponse> responses = race(racer -> clients.get(racer).send(clients.get(racer).url("new-account"),
                requests.get(racer), AcmeClient.JOSE));

        assertThat(responses.stream().filter(r -> r.status() == 201)).as("accounts created").hasSize(1);
        int winner = responses.stream().map(AcmeResponse::status).toList().indexOf(201);
        String accountId = lastSegment(responses.get(winner).header("Location").orElseThrow());
        assertThat(h.store.eabKey(key.keyId()).flatMap(EabKey::boundAccount)).contains(accountId);
        assertThat(h.store.account(accountId).flatMap(Account::eabKeyId)).contains(key.keyId());
        for (int i = 0; i < RACERS; i++) {
            if (i != winner) {
                assertProblem(responses.get(i), AcmeProblemType.UNAUTHORIZED, 403);
                assertThat(h.store.accountByThumbprint("eab", clients.get(i).thumbprint())).as("racer %d", i)
                        .isEmpty();
            }
        }
    }

    @Test
    void ofConcurrentAccountsWithOneAccountKeyOnlyTheCreatedAccountsEabKeyIsBound() throws Exception {
        AcmeHarness h = start(UnaryOperator.identity());
        EabKeys eabKeys = new EabKeys(h.store, h.clock, new SecureRandom());
        AcmeClient first = h.client("eab");
        List<EabCredentials> keys = new ArrayList<>();
        List<byte[]> requests = new ArrayList<>();
        String url = first.url("new-account");
        for (int i = 0; i < RACERS; i++) {
            EabCredentials key = eabKeys.create("eab");
            keys.add(key);
            requests.add(AcmeClient.jws(first.header(url, true), "{\"termsOfServiceAgreed\":true,"
                    + "\"externalAccountBinding\":" + AccountTest.eab(first, key.keyId(),
                            Base64.getUrlDecoder().decode(key.hmacKeyBase64Url()), url) + "}",
                    first.algorithm, first.keys.getPrivate()));
        }
        gate().arm("accountByThumbprint");

        List<AcmeResponse> responses = race(racer -> first.send(url, requests.get(racer), AcmeClient.JOSE));

        assertThat(responses).extracting(AcmeResponse::status).containsOnlyOnce(201)
                .allSatisfy(status -> assertThat(status).isIn(200, 201));
        Account account = h.store.accountByThumbprint("eab", first.thumbprint()).orElseThrow();
        assertThat(responses).allSatisfy(r -> assertThat(r.header("Location").map(AcmeIntegrityContract::lastSegment))
                .contains(account.id()));
        String boundKey = account.eabKeyId().orElseThrow();
        for (EabCredentials key : keys) {
            assertThat(h.store.eabKey(key.keyId()).flatMap(EabKey::boundAccount)).as(key.keyId())
                    .isEqualTo(key.keyId().equals(boundKey) ? Optional.of(account.id()) : Optional.empty());
        }
        // A key left unbound admits another account.
        EabCredentials spare = keys.stream().filter(k -> !k.keyId().equals(boundKey)).findFirst().orElseThrow();
        AcmeClient other = h.client("eab");
        AcmeResponse r = other.postWithJwk(other.url("new-account"), "{\"externalAccountBinding\":"
                + AccountTest.eab(other, spare.keyId(), Base64.getUrlDecoder().decode(spare.hmacKeyBase64Url()),
                        other.url("new-account")) + "}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
    }

    // ---------------------------------------------------------------- the orders list

    @Test
    void theOrdersListLeavesOutInvalidOrdersAcrossPages() throws Exception {
        AcmeHarness h = start(s -> s.withOrdersPageSize(1));
        AcmeClient c = h.account();
        ValidationOutcome refused = new ValidationOutcome.Invalid(AcmeProblemType.CONNECTION, "connection refused");
        h.validator.answer("failed-read.example.com", refused);
        h.validator.answer("failed-unread.example.com", refused);
        // Oldest first: valid, invalid (and stored so, having been read), pending, invalid (not read since).
        issue(c, "valid.example.com");
        h.clock.advance(Duration.ofSeconds(1));
        AcmeResponse read = c.newOrder("failed-read.example.com");
        c.authorize(json(read), "http-01");
        assertThat(json(c.postAsGet(read.header("Location").orElseThrow())).get("status").asString())
                .isEqualTo("invalid");
        h.clock.advance(Duration.ofSeconds(1));
        AcmeResponse pending = c.newOrder("pending.example.com");
        h.clock.advance(Duration.ofSeconds(1));
        c.authorize(json(c.newOrder("failed-unread.example.com")), "http-01");

        String next = json(c.postAsGet(c.kid.orElseThrow())).get("orders").asString();
        List<String> listed = new ArrayList<>();
        int pages = 0;
        while (next != null) {
            AcmeResponse page = c.postAsGet(next);
            assertThat(page.status()).as(page.bodyText()).isEqualTo(200);
            json(page).get("orders").forEach(o -> listed.add(o.asString()));
            pages++;
            next = page.headers("Link").stream().filter(l -> l.endsWith("rel=\"next\"")).findFirst()
                    .map(l -> l.substring(1, l.indexOf('>'))).orElse(null);
        }

        assertThat(listed).hasSize(2).first().isEqualTo(pending.header("Location").orElseThrow());
        assertThat(json(c.postAsGet(listed.getLast())).get("status").asString()).isEqualTo("valid");
        assertThat(pages).isEqualTo(2);
    }

    // ---------------------------------------------------------------- terms of service

    @Test
    void theAgreementToTheTermsOfServiceIsReadBackWithTheAccount() throws Exception {
        AcmeHarness h = start(UnaryOperator.identity());
        AcmeClient agreed = h.account();
        String account = agreed.kid.orElseThrow();

        assertThat(json(agreed.postAsGet(account)).get("termsOfServiceAgreed").asBoolean()).isTrue();
        AcmeResponse existing = agreed.postWithJwk(agreed.url("new-account"), "{\"onlyReturnExisting\":true}");
        assertThat(existing.status()).isEqualTo(200);
        assertThat(json(existing).get("termsOfServiceAgreed").asBoolean()).isTrue();
        assertThat(json(agreed.post(account, "{\"contact\":[\"mailto:new@example.com\"]}"))
                .get("termsOfServiceAgreed").asBoolean()).isTrue();
        assertThat(h.store.account(lastSegment(account)).orElseThrow().termsOfServiceAgreed()).isTrue();

        AcmeClient silent = h.client(KeyAlgorithm.P256);
        AcmeResponse created = silent.postWithJwk(silent.url("new-account"), "{}");
        assertThat(created.status()).isEqualTo(201);
        silent.kid = created.header("Location");
        assertThat(json(created).has("termsOfServiceAgreed")).isFalse();
        assertThat(json(silent.postAsGet(silent.kid.orElseThrow())).has("termsOfServiceAgreed")).isFalse();
    }
}
