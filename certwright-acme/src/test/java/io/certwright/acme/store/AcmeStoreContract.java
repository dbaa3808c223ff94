package io.certwright.acme.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.audit.AuditEvent;
import io.certwright.testing.Concurrently;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/// The contract every [AcmeStore] must honour.
///
/// - A nonce is used once: the first [AcmeStore#useNonce] for it wins, however many callers race, until
///   [AcmeStore#purgeUsedNonces] forgets it. Purging forgets only nonces that expired before the given time,
///   and a forgotten nonce can be used again: the ACME server must reject an expired nonce itself, before it
///   asks the store, so that purging never reopens a replay.
/// - The nonce secret is created once; racing creators all get the one that was stored.
/// - One key is one account's key per provisioner, on creation and on key rollover.
/// - Updates of accounts, orders and authorizations are compare-and-set on the version: a stale update
///   writes nothing, and of racing updates of one version exactly one wins.
/// - An order is stored with its authorizations, or, on any conflict, nothing of it is.
/// - At most one order that is not stored as invalid replaces a certificate, however many callers race; an
///   order that became invalid frees the certificate.
/// - An account's orders list leaves out orders stored as invalid, and pages on from any of its orders.
/// - Every field round-trips, optional ones present or absent, times to the millisecond (the suite uses
///   whole milliseconds: a store may drop finer parts).
/// - An account created with an EAB key binds it in the same step: a key binds one account only, however many
///   callers race, and a creation that fails leaves the key unbound.
/// - Stalled validations are the pending, unexpired authorizations with a challenge `processing` since
///   before the cutoff (or since a time not recorded), those expiring first first.
///
/// - A change made with [Effects] writes them in the same step, all or nothing: the nonce is spent and the
///   audit events appended only when the change is made (not on a stale update or a conflict), and a nonce
///   used before stops the change ([AcmeStoreException.Kind#NONCE_USED]); racing changes carrying one nonce
///   have at most one winner.
/// - A nonce with a signer ([Effects.Nonce#signer]) is spent, and its change made, only while that account
///   is `valid` with that key; otherwise nothing is written ([AcmeStoreException.Kind#SIGNER_CHANGED]).
///
/// Extend it and implement [#newStore()] and [#audited()].
public abstract class AcmeStoreContract {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final int RACERS = 8;
    private static final String PROVISIONER = "acme";

    /// A new, empty store. Called once per test.
    protected abstract AcmeStore newStore() throws Exception;

    /// The audit events the store of this test has appended for [Effects], in order.
    protected abstract List<AuditEvent> audited() throws Exception;

    // ---------------------------------------------------------------- fixtures

    private static Account account(String id, String provisioner, String thumbprint) {
        return new Account(id, provisioner, thumbprint, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + id + "\"}",
                List.of("mailto:ops@example.com"), AccountStatus.VALID, NOW, Optional.empty(), false, 1);
    }

    private static Account boundAccount(String id, String thumbprint, String eabKeyId) {
        Account a = account(id, PROVISIONER, thumbprint);
        return new Account(a.id(), a.provisioner(), a.keyThumbprint(), a.jwk(), a.contacts(), a.status(),
                a.createdAt(), Optional.of(eabKeyId), true, 1);
    }

    private static Account account(String id) {
        return account(id, PROVISIONER, "thumb-" + id);
    }

    private static Challenge pending(String id, String type) {
        return new Challenge(id, type, "token-" + id + "-0123456789abcdef", ChallengeStatus.PENDING, Optional.empty(),
                Optional.empty());
    }

    private static Authorization authorization(String id, String accountId, Identifier identifier, boolean wildcard,
            AuthorizationStatus status, Instant expires) {
        return new Authorization(id, accountId, PROVISIONER, identifier, wildcard, status, expires,
                List.of(pending(id + "-http", "http-01"), pending(id + "-dns", "dns-01")), 1);
    }

    private static Authorization pendingAuthorization(String id, String accountId, String name) {
        return authorization(id, accountId, Identifier.dns(name), false, AuthorizationStatus.PENDING,
                NOW.plus(Duration.ofDays(7)));
    }

    private static Order order(String id, String accountId, Instant createdAt, List<String> authorizationIds) {
        return new Order(id, accountId, PROVISIONER, OrderStatus.PENDING, createdAt.plus(Duration.ofDays(7)),
                List.of(Identifier.dns("www.example.com")), Optional.empty(), Optional.empty(), authorizationIds,
                Optional.empty(), Optional.empty(), Optional.empty(), createdAt, 1);
    }

    private static Order order(String id, String accountId, Instant createdAt) {
        return order(id, accountId, createdAt, List.of());
    }

    private static Order replacing(String id, String certificateId, OrderStatus status,
            List<String> authorizationIds) {
        Order o = order(id, "a", NOW, authorizationIds);
        return new Order(o.id(), o.accountId(), o.provisioner(), status, o.expires(), o.identifiers(),
                o.notBefore(), o.notAfter(), o.authorizationIds(), o.error(), o.certificateSerial(),
                Optional.of(certificateId), o.createdAt(), 1);
    }

    private static Order invalid(Order o) {
        return o.with(OrderStatus.INVALID, Optional.of("{\"type\":\"urn:ietf:params:acme:error:malformed\"}"),
                Optional.empty());
    }

    private static EabKey eabKey(String keyId, String provisioner, Instant createdAt) {
        return new EabKey(keyId, provisioner, ("mac key of " + keyId).getBytes(StandardCharsets.UTF_8), createdAt,
                Optional.empty());
    }

    private static void assertConflict(ThrowingCall call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AcmeStoreException.class,
                e -> assertThat(e.kind()).isEqualTo(AcmeStoreException.Kind.CONFLICT));
    }

    /// A store call expected to fail.
    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    /// Whether a creating call stored what it was given (true) or met a conflict (false).
    private static boolean created(ThrowingCall call) throws Exception {
        try {
            call.run();
            return true;
        } catch (AcmeStoreException e) {
            if (e.kind() != AcmeStoreException.Kind.CONFLICT) {
                throw e;
            }
            return false;
        }
    }

    /// Runs `RACERS` tasks released together; returns their results in task order.
    private static <T> List<T> race(Concurrently.Racer<T> task) throws Exception {
        return Concurrently.race(RACERS, task);
    }

    // ---------------------------------------------------------------- nonces

    @Test
    void aNonceIsUsedOnlyOnce() throws Exception {
        AcmeStore store = newStore();
        Instant expires = NOW.plus(Duration.ofMinutes(10));

        assertThat(store.useNonce("n1", expires)).isTrue();
        assertThat(store.useNonce("n1", expires)).isFalse();
        assertThat(store.useNonce("n1", expires.plusSeconds(60))).isFalse();
        assertThat(store.useNonce("n2", expires)).isTrue();
    }

    @Test
    void racingUsersOfOneNonceHaveExactlyOneWinner() throws Exception {
        AcmeStore store = newStore();
        for (int round = 0; round < 5; round++) {
            String nonce = "raced-" + round;

            List<Boolean> results = race(racer -> store.useNonce(nonce, NOW.plus(Duration.ofMinutes(10))));

            assertThat(results).as("round %d", round).containsOnlyOnce(true);
            assertThat(store.useNonce(nonce, NOW.plus(Duration.ofMinutes(10)))).isFalse();
        }
    }

    @Test
    void purgeForgetsOnlyNoncesThatExpiredBeforeNow() throws Exception {
        AcmeStore store = newStore();
        store.useNonce("expired", NOW.minusMillis(1));
        store.useNonce("expired-long-ago", NOW.minus(Duration.ofDays(1)));
        store.useNonce("expires-now", NOW);
        store.useNonce("live", NOW.plusMillis(1));

        assertThat(store.purgeUsedNonces(NOW)).isEqualTo(2);

        assertThat(store.useNonce("expires-now", NOW)).isFalse();
        assertThat(store.useNonce("live", NOW.plusMillis(1))).isFalse();
        assertThat(store.purgeUsedNonces(NOW)).isZero();
    }

    @Test
    void aPurgedNonceIsForgottenSoTheServerMustRejectExpiredNoncesBeforeUsingThem() throws Exception {
        AcmeStore store = newStore();
        store.useNonce("old", NOW.minusSeconds(1));

        store.purgeUsedNonces(NOW);

        // The store no longer knows it was used: only the server's own expiry check stops a replay now.
        assertThat(store.useNonce("old", NOW.minusSeconds(1))).isTrue();
    }

    @Test
    void theNonceSecretIsCreatedOnceAndThenStable() throws Exception {
        AcmeStore store = newStore();
        byte[] first = {1, 2, 3, 0, (byte) 0xff};
        AtomicInteger created = new AtomicInteger();

        byte[] secret = store.nonceSecret(() -> {
            created.incrementAndGet();
            return first.clone();
        });
        secret[0] = 42;
        byte[] again = store.nonceSecret(() -> {
            created.incrementAndGet();
            return new byte[] {9, 9, 9};
        });

        assertThat(again).isEqualTo(first);
        assertThat(created).hasValue(1);
    }

    @Test
    void racingCreatorsOfTheNonceSecretAllGetTheOneThatWasStored() throws Exception {
        AcmeStore store = newStore();

        List<byte[]> secrets = race(racer -> store.nonceSecret(() -> new byte[] {(byte) racer, 1, 2, 3}));

        byte[] stored = store.nonceSecret(() -> new byte[] {(byte) 0xee});
        assertThat(stored[0]).isBetween((byte) 0, (byte) (RACERS - 1));
        assertThat(Arrays.copyOfRange(stored, 1, stored.length)).isEqualTo(new byte[] {1, 2, 3});
        assertThat(secrets).allSatisfy(s -> assertThat(s).isEqualTo(stored));
    }

    // ---------------------------------------------------------------- accounts

    @Test
    void anAccountRoundTripsEveryField() throws Exception {
        AcmeStore store = newStore();
        Account full = new Account("acct-full", PROVISIONER, "thumb-full",
                "{\"kty\":\"RSA\",\"n\":\"0vx7agoebGcQ\",\"e\":\"AQAB\"}",
                List.of("mailto:ops@example.com", "mailto:zoë@exämple.com"), AccountStatus.DEACTIVATED,
                Instant.parse("2029-12-31T23:59:59.123Z"), Optional.of("eab-key-1"), true, 7);
        Account bare = new Account("acct-bare", PROVISIONER, "thumb-bare", "{}", List.of(), AccountStatus.VALID, NOW,
                Optional.empty(), false, 1);
        store.createEabKey(eabKey("eab-key-1", PROVISIONER, NOW));

        store.createAccount(full);
        store.createAccount(bare);

        assertThat(store.account("acct-full")).contains(full);
        assertThat(store.account("acct-bare")).contains(bare);
        assertThat(store.account("acct-none")).isEmpty();
        assertThat(store.accountByThumbprint(PROVISIONER, "thumb-full")).contains(full);
        assertThat(store.accountByThumbprint(PROVISIONER, "thumb-none")).isEmpty();
        assertThat(store.accountByThumbprint("other", "thumb-full")).isEmpty();
    }

    @Test
    void aKeyIsOneAccountsKeyPerProvisioner() throws Exception {
        AcmeStore store = newStore();
        Account first = account("first", PROVISIONER, "shared-thumb");
        store.createAccount(first);

        assertConflict(() -> store.createAccount(account("second", PROVISIONER, "shared-thumb")));

        assertThat(store.account("second")).isEmpty();
        assertThat(store.accountByThumbprint(PROVISIONER, "shared-thumb")).contains(first);
    }

    @Test
    void theSameKeyMayHoldAnAccountUnderAnotherProvisioner() throws Exception {
        AcmeStore store = newStore();
        Account here = account("here", PROVISIONER, "shared-thumb");
        Account there = account("there", "other-acme", "shared-thumb");

        store.createAccount(here);
        store.createAccount(there);

        assertThat(store.accountByThumbprint(PROVISIONER, "shared-thumb")).contains(here);
        assertThat(store.accountByThumbprint("other-acme", "shared-thumb")).contains(there);
    }

    @Test
    void anAccountIdIsUsedOnce() throws Exception {
        AcmeStore store = newStore();
        Account original = account("dup", PROVISIONER, "thumb-1");
        store.createAccount(original);

        assertConflict(() -> store.createAccount(account("dup", PROVISIONER, "thumb-2")));

        assertThat(store.account("dup")).contains(original);
        assertThat(store.accountByThumbprint(PROVISIONER, "thumb-2")).isEmpty();
    }

    @Test
    void theAgreementToTheTermsOfServiceStaysWithTheAccountThroughUpdates() throws Exception {
        AcmeStore store = newStore();
        store.createEabKey(eabKey("kid", PROVISIONER, NOW));
        Account agreed = boundAccount("agreed", "thumb-agreed", "kid");
        store.createAccount(agreed);
        store.createAccount(account("silent"));
        Account contacts = agreed.withContacts(List.of("mailto:new@example.com"));
        Account rolled = contacts.withKey("thumb-next", "{}");

        assertThat(store.updateAccount(contacts)).isTrue();
        assertThat(store.updateAccount(rolled)).isTrue();

        assertThat(store.account("agreed")).contains(rolled);
        assertThat(store.accountByThumbprint(PROVISIONER, "thumb-next").orElseThrow().termsOfServiceAgreed())
                .isTrue();
        assertThat(store.account("silent").orElseThrow().termsOfServiceAgreed()).isFalse();
    }

    @Test
    void updateAccountReplacesTheVersionItNames() throws Exception {
        AcmeStore store = newStore();
        Account a = account("a");
        store.createAccount(a);
        Account contacts = a.withContacts(List.of("mailto:new@example.com", "mailto:other@example.com"));
        Account deactivated = contacts.withStatus(AccountStatus.DEACTIVATED);

        assertThat(store.updateAccount(contacts)).isTrue();
        assertThat(store.account("a")).contains(contacts);
        assertThat(store.updateAccount(deactivated)).isTrue();
        assertThat(store.account("a")).contains(deactivated);
        assertThat(store.accountByThumbprint(PROVISIONER, "thumb-a")).contains(deactivated);
    }

    @Test
    void aStaleAccountUpdateWritesNothing() throws Exception {
        AcmeStore store = newStore();
        Account a = account("a");
        store.createAccount(a);
        Account winner = a.withContacts(List.of("mailto:winner@example.com"));
        store.updateAccount(winner);

        assertThat(store.updateAccount(a.withStatus(AccountStatus.DEACTIVATED))).isFalse();
        assertThat(store.updateAccount(a)).isFalse();
        assertThat(store.updateAccount(account("nobody").withStatus(AccountStatus.REVOKED))).isFalse();

        assertThat(store.account("a")).contains(winner);
        assertThat(store.account("nobody")).isEmpty();
    }

    @Test
    void keyRolloverMovesTheLookupByThumbprint() throws Exception {
        AcmeStore store = newStore();
        Account a = account("a");
        store.createAccount(a);
        Account rolled = a.withKey("thumb-new", "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"new\"}");

        assertThat(store.updateAccount(rolled)).isTrue();

        assertThat(store.accountByThumbprint(PROVISIONER, "thumb-a")).isEmpty();
        assertThat(store.accountByThumbprint(PROVISIONER, "thumb-new")).contains(rolled);
        // The old key is free again.
        store.createAccount(account("b", PROVISIONER, "thumb-a"));
    }

    @Test
    void keyRolloverToAnotherAccountsKeyIsAConflictAndWritesNothing() throws Exception {
        AcmeStore store = newStore();
        Account a = account("a");
        Account b = account("b");
        store.createAccount(a);
        store.createAccount(b);

        assertConflict(() -> store.updateAccount(a.withKey("thumb-b", "{\"stolen\":true}")));

        assertThat(store.account("a")).contains(a);
        assertThat(store.account("b")).contains(b);
        assertThat(store.accountByThumbprint(PROVISIONER, "thumb-b")).contains(b);
        // The failed rollover used no version: the next update of the stored one succeeds.
        assertThat(store.updateAccount(a.withStatus(AccountStatus.DEACTIVATED))).isTrue();
    }

    @Test
    void keyRolloverToAKeyUsedUnderAnotherProvisionerIsAllowed() throws Exception {
        AcmeStore store = newStore();
        Account a = account("a");
        store.createAccount(a);
        store.createAccount(account("elsewhere", "other-acme", "thumb-elsewhere"));
        Account rolled = a.withKey("thumb-elsewhere", "{}");

        assertThat(store.updateAccount(rolled)).isTrue();

        assertThat(store.accountByThumbprint(PROVISIONER, "thumb-elsewhere")).contains(rolled);
        assertThat(store.accountByThumbprint("other-acme", "thumb-elsewhere").map(Account::id))
                .contains("elsewhere");
    }

    // ---------------------------------------------------------------- orders

    @Test
    void anOrderIsStoredWithItsAuthorizations() throws Exception {
        AcmeStore store = newStore();
        Authorization www = pendingAuthorization("az-www", "a", "www.example.com");
        Authorization wildcard = authorization("az-wild", "a", Identifier.dns("example.com"), true,
                AuthorizationStatus.PENDING, NOW.plus(Duration.ofHours(1)));
        Authorization ip = authorization("az-ip", "a", Identifier.ip("2001:db8::1"), false,
                AuthorizationStatus.PENDING, NOW.plus(Duration.ofHours(1)));
        Order full = new Order("o-full", "a", PROVISIONER, OrderStatus.INVALID, NOW.plus(Duration.ofDays(7)),
                List.of(Identifier.dns("www.example.com"), Identifier.dns("*.example.com"),
                        Identifier.ip("2001:db8::1")),
                Optional.of(Instant.parse("2030-01-02T00:00:00.001Z")),
                Optional.of(Instant.parse("2030-04-02T00:00:00.999Z")), List.of("az-www", "az-wild", "az-ip"),
                Optional.of("{\"type\":\"urn:ietf:params:acme:error:unauthorized\",\"detail\":\"nö\"}"),
                Optional.of("0a1b2c3d"), Optional.of("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"),
                Instant.parse("2030-01-01T00:00:00.456Z"), 3);

        store.createOrder(full, List.of(www, wildcard, ip));

        assertThat(store.order("o-full")).contains(full);
        assertThat(store.authorization("az-www")).contains(www);
        assertThat(store.authorization("az-wild")).contains(wildcard);
        assertThat(store.authorization("az-ip")).contains(ip);
        assertThat(store.order("o-none")).isEmpty();
        assertThat(store.authorization("az-none")).isEmpty();
    }

    @Test
    void anOrderWithoutOptionalFieldsOrNewAuthorizationsRoundTrips() throws Exception {
        AcmeStore store = newStore();
        store.createOrder(order("o-first", "a", NOW, List.of("az-1")),
                List.of(pendingAuthorization("az-1", "a", "www.example.com")));
        // A second order reusing the first one's authorization brings no new ones.
        Order reusing = order("o-reuse", "a", NOW.plusSeconds(1), List.of("az-1"));

        store.createOrder(reusing, List.of());

        assertThat(store.order("o-reuse")).contains(reusing);
    }

    @Test
    void anOrderWithAConflictingAuthorizationWritesNothing() throws Exception {
        AcmeStore store = newStore();
        Authorization existing = pendingAuthorization("az-1", "a", "www.example.com");
        store.createOrder(order("o-1", "a", NOW, List.of("az-1")), List.of(existing));

        assertConflict(() -> store.createOrder(order("o-2", "a", NOW.plusSeconds(1), List.of("az-2", "az-1")),
                List.of(pendingAuthorization("az-2", "a", "api.example.com"),
                        pendingAuthorization("az-1", "a", "mail.example.com"))));

        assertThat(store.order("o-2")).isEmpty();
        assertThat(store.authorization("az-2")).isEmpty();
        assertThat(store.authorization("az-1")).contains(existing);
        assertThat(store.orderIds("a", Optional.empty(), 10)).containsExactly("o-1");
    }

    @Test
    void anOrderIdIsUsedOnceAndAConflictingOrderWritesNoAuthorization() throws Exception {
        AcmeStore store = newStore();
        Order original = order("o-1", "a", NOW);
        store.createOrder(original, List.of());

        assertConflict(() -> store.createOrder(order("o-1", "a", NOW.plusSeconds(5), List.of("az-new")),
                List.of(pendingAuthorization("az-new", "a", "www.example.com"))));

        assertThat(store.order("o-1")).contains(original);
        assertThat(store.authorization("az-new")).isEmpty();
    }

    @Test
    void orderIdsListAnAccountsOrdersNewestFirst() throws Exception {
        AcmeStore store = newStore();
        for (int i : new int[] {3, 1, 5, 2, 4}) {
            store.createOrder(order("o" + i, "a", NOW.plus(Duration.ofMinutes(i))), List.of());
        }
        store.createOrder(order("theirs", "b", NOW.plus(Duration.ofMinutes(10))), List.of());

        assertThat(store.orderIds("a", Optional.empty(), 10)).containsExactly("o5", "o4", "o3", "o2", "o1");
        assertThat(store.orderIds("b", Optional.empty(), 10)).containsExactly("theirs");
        assertThat(store.orderIds("nobody", Optional.empty(), 10)).isEmpty();
    }

    @Test
    void orderIdsPageOnFromTheLastIdOfThePreviousPage() throws Exception {
        AcmeStore store = newStore();
        for (int i = 1; i <= 5; i++) {
            store.createOrder(order("o" + i, "a", NOW.plus(Duration.ofMinutes(i))), List.of());
        }
        store.createOrder(order("theirs", "b", NOW.plus(Duration.ofSeconds(150))), List.of());

        assertThat(store.orderIds("a", Optional.empty(), 2)).containsExactly("o5", "o4");
        assertThat(store.orderIds("a", Optional.of("o4"), 2)).containsExactly("o3", "o2");
        assertThat(store.orderIds("a", Optional.of("o2"), 2)).containsExactly("o1");
        assertThat(store.orderIds("a", Optional.of("o1"), 2)).isEmpty();
    }

    @Test
    void aCursorThatIsNotOneOfTheAccountsOrdersGivesAnEmptyPage() throws Exception {
        AcmeStore store = newStore();
        store.createOrder(order("mine", "a", NOW), List.of());
        store.createOrder(order("theirs", "b", NOW), List.of());

        assertThat(store.orderIds("a", Optional.of("theirs"), 10)).isEmpty();
        assertThat(store.orderIds("a", Optional.of("no-such-order"), 10)).isEmpty();
    }

    @Test
    void orderIdsLeaveOutInvalidOrdersOnEveryPage() throws Exception {
        AcmeStore store = newStore();
        Order bornInvalid = order("o1", "a", NOW.plus(Duration.ofMinutes(1)));
        store.createOrder(new Order(bornInvalid.id(), "a", PROVISIONER, OrderStatus.INVALID, bornInvalid.expires(),
                bornInvalid.identifiers(), Optional.empty(), Optional.empty(), List.of(), Optional.of("{}"),
                Optional.empty(), Optional.empty(), bornInvalid.createdAt(), 1), List.of());
        List<Order> orders = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            Order o = order("o" + i, "a", NOW.plus(Duration.ofMinutes(i)));
            store.createOrder(o, List.of());
            orders.add(o);
        }
        // Newest first: o6 invalid, o5 pending, o4 and o3 invalid, o2 valid, o1 invalid.
        store.updateOrder(orders.get(0).with(OrderStatus.VALID, Optional.empty(), Optional.of("0a")));
        store.updateOrder(invalid(orders.get(1)));
        store.updateOrder(invalid(orders.get(2)));
        store.updateOrder(invalid(orders.get(4)));

        assertThat(store.orderIds("a", Optional.empty(), 10)).containsExactly("o5", "o2");
        assertThat(store.orderIds("a", Optional.empty(), 1)).containsExactly("o5");
        assertThat(store.orderIds("a", Optional.of("o5"), 1)).containsExactly("o2");
        assertThat(store.orderIds("a", Optional.of("o2"), 1)).isEmpty();
        // A cursor that became invalid after its page was read pages on all the same.
        assertThat(store.orderIds("a", Optional.of("o6"), 10)).containsExactly("o5", "o2");
        assertThat(store.orderIds("a", Optional.of("o4"), 10)).containsExactly("o2");
    }

    @Test
    void anOrderNamingOneNewAuthorizationTwiceIsAConflictAndWritesNothing() throws Exception {
        AcmeStore store = newStore();

        assertConflict(() -> store.createOrder(order("o", "a", NOW, List.of("az", "az")),
                List.of(pendingAuthorization("az", "a", "x.test"), pendingAuthorization("az", "a", "y.test"))));

        assertThat(store.order("o")).isEmpty();
        assertThat(store.authorization("az")).isEmpty();
        assertThat(store.orderIds("a", Optional.empty(), 10)).isEmpty();
    }

    @Test
    void aCertificateIsReplacedByOneOrderThatIsNotInvalidAndTheSecondWritesNothing() throws Exception {
        AcmeStore store = newStore();
        Order first = replacing("o-1", "cert-1", OrderStatus.PENDING, List.of());
        store.createOrder(first, List.of());

        assertConflict(() -> store.createOrder(replacing("o-2", "cert-1", OrderStatus.READY, List.of("az-2")),
                List.of(pendingAuthorization("az-2", "a", "www.example.com"))));

        assertThat(store.order("o-2")).isEmpty();
        assertThat(store.authorization("az-2")).isEmpty();
        assertThat(store.replacingOrder("cert-1")).contains(first);
        assertThat(store.replacingOrder("cert-2")).isEmpty();
        // A valid replacement order holds the certificate as a pending one does.
        Order valid = first.with(OrderStatus.VALID, Optional.empty(), Optional.of("0b"));
        assertThat(store.updateOrder(valid)).isTrue();
        assertConflict(() -> store.createOrder(replacing("o-3", "cert-1", OrderStatus.PENDING, List.of()),
                List.of()));
        assertThat(store.replacingOrder("cert-1")).contains(valid);
        // Another certificate is free.
        store.createOrder(replacing("o-4", "cert-2", OrderStatus.PENDING, List.of()), List.of());
        assertThat(store.replacingOrder("cert-2").map(Order::id)).contains("o-4");
    }

    @Test
    void anOrderThatBecameInvalidFreesTheCertificateItReplaces() throws Exception {
        AcmeStore store = newStore();
        Order first = replacing("o-1", "cert-1", OrderStatus.PENDING, List.of());
        store.createOrder(first, List.of());

        assertThat(store.updateOrder(invalid(first))).isTrue();

        assertThat(store.replacingOrder("cert-1")).isEmpty();
        Order second = replacing("o-2", "cert-1", OrderStatus.PENDING, List.of());
        store.createOrder(second, List.of());
        assertThat(store.replacingOrder("cert-1")).contains(second);
        // An order stored as invalid from the start holds nothing, and is no obstacle either.
        store.createOrder(replacing("o-3", "cert-1", OrderStatus.INVALID, List.of()), List.of());
        assertThat(store.order("o-3")).isPresent();
        assertThat(store.replacingOrder("cert-1")).contains(second);
    }

    @Test
    void racingReplacementOrdersForOneCertificateHaveExactlyOneWinner() throws Exception {
        AcmeStore store = newStore();

        List<Boolean> results = race(racer -> created(() -> store.createOrder(
                replacing("o-" + racer, "cert-1", OrderStatus.PENDING, List.of("az-" + racer)),
                List.of(pendingAuthorization("az-" + racer, "a", "www.example.com")))));

        assertThat(results).containsOnlyOnce(true);
        int winner = results.indexOf(true);
        assertThat(store.replacingOrder("cert-1").map(Order::id)).contains("o-" + winner);
        assertThat(store.orderIds("a", Optional.empty(), 100)).containsExactly("o-" + winner);
        for (int i = 0; i < RACERS; i++) {
            assertThat(store.authorization("az-" + i).isPresent()).as("authorization of racer %d", i)
                    .isEqualTo(i == winner);
        }
    }

    @Test
    void aRenewalOverrideIdIsUsedOnce() throws Exception {
        AcmeStore store = newStore();
        RenewalOverride first = new RenewalOverride("ov", Optional.empty(), Optional.empty(), NOW, NOW,
                NOW.plusSeconds(60), Optional.empty(), NOW);
        store.addRenewalOverride(first);

        assertConflict(() -> store.addRenewalOverride(new RenewalOverride("ov", Optional.of("0a"), Optional.empty(),
                NOW, NOW, NOW.plusSeconds(120), Optional.empty(), NOW)));
        assertThat(store.renewalOverrides()).containsExactly(first);
    }

    @Test
    void ordersPlacedInTheSameMillisecondArePagedWithoutLossOrRepeat() throws Exception {
        AcmeStore store = newStore();
        List<String> sameTime = List.of("k7Qw", "Ab-3", "zz_1", "M0n9", "b5X2");
        for (String id : sameTime) {
            store.createOrder(order(id, "a", NOW), List.of());
        }
        store.createOrder(order("older", "a", NOW.minusMillis(1)), List.of());
        store.createOrder(order("newer", "a", NOW.plusMillis(1)), List.of());

        List<String> seen = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        for (int page = 0; page < 10; page++) {
            List<String> ids = store.orderIds("a", cursor, 2);
            if (ids.isEmpty()) {
                break;
            }
            seen.addAll(ids);
            cursor = Optional.of(ids.getLast());
        }

        assertThat(seen).hasSize(7).doesNotHaveDuplicates();
        assertThat(seen.getFirst()).isEqualTo("newer");
        assertThat(seen.getLast()).isEqualTo("older");
        assertThat(seen.subList(1, 6)).containsExactlyInAnyOrderElementsOf(sameTime);
    }

    @Test
    void updateOrderReplacesTheVersionItNames() throws Exception {
        AcmeStore store = newStore();
        Order o = order("o", "a", NOW);
        store.createOrder(o, List.of());
        Order ready = o.with(OrderStatus.READY, Optional.empty(), Optional.empty());
        Order valid = ready.with(OrderStatus.VALID, Optional.empty(), Optional.of("7f3e9a"));

        assertThat(store.updateOrder(ready)).isTrue();
        assertThat(store.updateOrder(valid)).isTrue();

        assertThat(store.order("o")).contains(valid);
    }

    @Test
    void aStaleOrderUpdateWritesNothing() throws Exception {
        AcmeStore store = newStore();
        Order o = order("o", "a", NOW);
        store.createOrder(o, List.of());
        Order ready = o.with(OrderStatus.READY, Optional.empty(), Optional.empty());
        store.updateOrder(ready);

        assertThat(store.updateOrder(o.with(OrderStatus.INVALID, Optional.of("{\"late\":true}"), Optional.empty())))
                .isFalse();
        assertThat(store.updateOrder(ready)).isFalse();
        assertThat(store.updateOrder(order("nobody", "a", NOW).with(OrderStatus.READY, Optional.empty(),
                Optional.empty()))).isFalse();

        assertThat(store.order("o")).contains(ready);
        assertThat(store.order("nobody")).isEmpty();
    }

    @Test
    void racingOrderUpdatesHaveExactlyOneWinner() throws Exception {
        AcmeStore store = newStore();
        Order o = order("o", "a", NOW);
        store.createOrder(o, List.of());
        List<Order> attempts = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            attempts.add(o.with(OrderStatus.INVALID, Optional.of("{\"racer\":" + i + "}"), Optional.empty()));
        }

        List<Boolean> results = race(racer -> store.updateOrder(attempts.get(racer)));

        assertThat(results).containsOnlyOnce(true);
        assertThat(store.order("o")).contains(attempts.get(results.indexOf(true)));
    }

    // ---------------------------------------------------------------- effects

    private static Effects effects(String nonce, String action) {
        return new Effects(Optional.of(new Effects.Nonce(nonce, NOW.plus(Duration.ofMinutes(10)))),
                List.of(AuditEvent.success("acme:acme:a", action, "o", java.util.Map.of("n", nonce))));
    }

    private static Effects signedEffects(String nonce, String action, String accountId, String thumbprint) {
        return new Effects(Optional.of(new Effects.Nonce(nonce, NOW.plus(Duration.ofMinutes(10)),
                Optional.of(new Effects.Signer(accountId, thumbprint)))),
                List.of(AuditEvent.success("acme:acme:" + accountId, action, "o", java.util.Map.of("n", nonce))));
    }

    private static void assertSignerChanged(ThrowingCall call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AcmeStoreException.class,
                e -> assertThat(e.kind()).isEqualTo(AcmeStoreException.Kind.SIGNER_CHANGED));
    }

    private static void assertNonceUsed(ThrowingCall call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AcmeStoreException.class,
                e -> assertThat(e.kind()).isEqualTo(AcmeStoreException.Kind.NONCE_USED));
    }

    private List<String> auditedActions() throws Exception {
        return audited().stream().map(AuditEvent::action).toList();
    }

    @Test
    void aChangeWithEffectsSpendsTheNonceAndAppendsTheEvents() throws Exception {
        AcmeStore store = newStore();
        Order o = order("o", "a", NOW);
        store.createOrder(o, List.of(), effects("n-create", "acme.order.create"));
        Order ready = o.with(OrderStatus.READY, Optional.empty(), Optional.empty());

        assertThat(store.updateOrder(ready, effects("n-update", "acme.order.update"))).isTrue();

        assertThat(store.order("o")).contains(ready);
        assertThat(auditedActions()).containsExactly("acme.order.create", "acme.order.update");
        assertThat(audited().get(1).details()).containsEntry("n", "n-update");
        assertThat(store.useNonce("n-create", NOW.plus(Duration.ofMinutes(10)))).isFalse();
        assertThat(store.useNonce("n-update", NOW.plus(Duration.ofMinutes(10)))).isFalse();
    }

    @Test
    void aStaleUpdateSpendsNoNonceAndAppendsNoEvent() throws Exception {
        AcmeStore store = newStore();
        Order o = order("o", "a", NOW);
        Authorization az = pendingAuthorization("az", "a", "www.example.com");
        Account acct = account("a");
        store.createAccount(acct);
        store.createOrder(o, List.of(az));
        store.updateOrder(o.with(OrderStatus.READY, Optional.empty(), Optional.empty()));
        store.updateAuthorization(az.with(AuthorizationStatus.VALID, az.expires(), az.challenges()));
        store.updateAccount(acct.withContacts(List.of()));

        assertThat(store.updateOrder(o.with(OrderStatus.INVALID, Optional.empty(), Optional.empty()),
                effects("n1", "acme.stale"))).isFalse();
        assertThat(store.updateAuthorization(az.with(AuthorizationStatus.INVALID, az.expires(), az.challenges()),
                effects("n2", "acme.stale"))).isFalse();
        assertThat(store.updateAccount(acct.withContacts(List.of("mailto:x@example.com")),
                effects("n3", "acme.stale"))).isFalse();

        assertThat(audited()).isEmpty();
        for (String n : List.of("n1", "n2", "n3")) {
            assertThat(store.useNonce(n, NOW.plus(Duration.ofMinutes(10)))).as(n).isTrue();
        }
    }

    @Test
    void aConflictingCreationSpendsNoNonceAndAppendsNoEvent() throws Exception {
        AcmeStore store = newStore();
        store.createOrder(order("o", "a", NOW), List.of());
        store.createAccount(account("a"));

        assertConflict(() -> store.createOrder(order("o", "a", NOW), List.of(), effects("n1", "acme.dup")));
        assertConflict(() -> store.createAccount(account("a"), effects("n2", "acme.dup")));

        assertThat(audited()).isEmpty();
        assertThat(store.useNonce("n1", NOW.plus(Duration.ofMinutes(10)))).isTrue();
        assertThat(store.useNonce("n2", NOW.plus(Duration.ofMinutes(10)))).isTrue();
    }

    @Test
    void aNonceUsedBeforeStopsTheChangeAndItsEvents() throws Exception {
        AcmeStore store = newStore();
        Order o = order("o", "a", NOW);
        store.createOrder(o, List.of());
        store.useNonce("spent", NOW.plus(Duration.ofMinutes(10)));

        assertNonceUsed(() -> store.updateOrder(o.with(OrderStatus.READY, Optional.empty(), Optional.empty()),
                effects("spent", "acme.replayed")));
        assertNonceUsed(() -> store.createOrder(order("o2", "a", NOW), List.of(pendingAuthorization("az2", "a",
                "www.example.com")), effects("spent", "acme.replayed")));
        assertNonceUsed(() -> store.createAccount(account("b"), effects("spent", "acme.replayed")));
        assertNonceUsed(() -> store.record(effects("spent", "acme.replayed")));

        assertThat(store.order("o")).contains(o);
        assertThat(store.order("o2")).isEmpty();
        assertThat(store.authorization("az2")).isEmpty();
        assertThat(store.account("b")).isEmpty();
        assertThat(audited()).isEmpty();
    }

    @Test
    void aSignedNonceIsSpentWithItsChangeWhileTheSignerIsValidWithThatKey() throws Exception {
        AcmeStore store = newStore();
        store.createAccount(account("a"));
        Order o = order("o", "a", NOW);

        store.createOrder(o, List.of(), signedEffects("n1", "acme.order.create", "a", "thumb-a"));
        store.record(signedEffects("n2", "acme.read", "a", "thumb-a"));

        assertThat(store.order("o")).contains(o);
        assertThat(auditedActions()).containsExactly("acme.order.create", "acme.read");
        assertNonceUsed(() -> store.record(effects("n1", "acme.replayed")));
        assertNonceUsed(() -> store.record(signedEffects("n2", "acme.replayed", "a", "thumb-a")));
    }

    @Test
    void aSignerDeactivatedOrRekeyedSinceStopsTheChangeAndSpendsNothing() throws Exception {
        AcmeStore store = newStore();
        Account deactivated = account("gone");
        store.createAccount(deactivated);
        assertThat(store.updateAccount(deactivated.withStatus(AccountStatus.DEACTIVATED))).isTrue();
        Account rekeyed = account("moved");
        store.createAccount(rekeyed);
        assertThat(store.updateAccount(rekeyed.withKey("thumb-new", rekeyed.jwk()))).isTrue();
        Order o = order("o", "moved", NOW);
        store.createOrder(o, List.of());

        assertSignerChanged(() -> store.createOrder(order("o2", "gone", NOW), List.of(pendingAuthorization("az2",
                "gone", "www.example.com")), signedEffects("n1", "acme.order.create", "gone", "thumb-gone")));
        assertSignerChanged(() -> store.updateOrder(o.with(OrderStatus.READY, Optional.empty(), Optional.empty()),
                signedEffects("n2", "acme.order.update", "moved", "thumb-moved")));
        assertSignerChanged(() -> store.record(signedEffects("n3", "acme.read", "moved", "thumb-moved")));
        assertSignerChanged(() -> store.record(signedEffects("n4", "acme.read", "nobody", "thumb-nobody")));

        assertThat(store.order("o2")).isEmpty();
        assertThat(store.authorization("az2")).isEmpty();
        assertThat(store.order("o")).contains(o);
        assertThat(audited()).isEmpty();
        for (String n : List.of("n1", "n2", "n3", "n4")) {
            assertThat(store.useNonce(n, NOW.plus(Duration.ofMinutes(10)))).as(n).isTrue();
        }
        store.record(signedEffects("n5", "acme.read", "moved", "thumb-new"));
        assertThat(auditedActions()).containsExactly("acme.read");
    }

    @Test
    void aSignerIsCheckedAgainstTheAccountAsTheChangeLeavesIt() throws Exception {
        AcmeStore store = newStore();
        Account a = account("a");
        store.createAccount(a);

        assertSignerChanged(() -> store.updateAccount(a.withKey("thumb-next", a.jwk()),
                signedEffects("n1", "acme.account.key-change", "a", "thumb-a")));
        assertSignerChanged(() -> store.updateAccount(a.withStatus(AccountStatus.DEACTIVATED),
                signedEffects("n2", "acme.account.deactivate", "a", "thumb-a")));
        assertThat(store.account("a")).contains(a);
        assertThat(audited()).isEmpty();

        Account updated = a.withContacts(List.of("mailto:new@example.com"));
        assertThat(store.updateAccount(updated, signedEffects("n3", "acme.account.update", "a", "thumb-a")))
                .isTrue();
        assertThat(store.account("a")).contains(updated);
        assertThat(auditedActions()).containsExactly("acme.account.update");
    }

    @Test
    void aUsedNonceIsReportedAsUsedEvenWhenItsSignerChanged() throws Exception {
        AcmeStore store = newStore();
        Account a = account("a");
        store.createAccount(a);
        store.record(signedEffects("n", "acme.read", "a", "thumb-a"));
        assertThat(store.updateAccount(a.withStatus(AccountStatus.DEACTIVATED))).isTrue();

        assertNonceUsed(() -> store.record(signedEffects("n", "acme.replayed", "a", "thumb-a")));
        assertThat(auditedActions()).containsExactly("acme.read");
    }

    @Test
    void recordSpendsTheNonceAndAppendsTheEventsAlone() throws Exception {
        AcmeStore store = newStore();

        store.record(effects("alone", "acme.read"));
        store.record(Effects.audit(List.of(AuditEvent.success("system", "acme.sweep", "x", java.util.Map.of()))));

        assertThat(auditedActions()).containsExactly("acme.read", "acme.sweep");
        assertNonceUsed(() -> store.record(effects("alone", "acme.read")));
        assertThat(auditedActions()).hasSize(2);
    }

    @Test
    void racingChangesCarryingOneNonceHaveAtMostOneWinner() throws Exception {
        AcmeStore store = newStore();
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            Order o = order("o" + i, "a", NOW);
            store.createOrder(o, List.of());
            orders.add(o.with(OrderStatus.READY, Optional.empty(), Optional.empty()));
        }

        List<Boolean> results = race(racer -> {
            try {
                return store.updateOrder(orders.get(racer), effects("shared", "acme.race"));
            } catch (AcmeStoreException e) {
                if (e.kind() != AcmeStoreException.Kind.NONCE_USED) {
                    throw e;
                }
                return false;
            }
        });

        assertThat(results).containsOnlyOnce(true);
        assertThat(auditedActions()).containsExactly("acme.race");
        for (int i = 0; i < RACERS; i++) {
            assertThat(store.order("o" + i).orElseThrow().status()).as("order %d", i)
                    .isEqualTo(results.get(i) ? OrderStatus.READY : OrderStatus.PENDING);
        }
    }

    // ---------------------------------------------------------------- authorizations

    @Test
    void anAuthorizationUpdateRoundTripsEveryChallengeField() throws Exception {
        AcmeStore store = newStore();
        Authorization az = pendingAuthorization("az", "a", "www.example.com");
        store.createOrder(order("o", "a", NOW, List.of("az")), List.of(az));
        List<Challenge> challenges = List.of(
                new Challenge("c-http", "http-01", "tok-http", ChallengeStatus.VALID,
                        Optional.of(Instant.parse("2030-01-01T00:05:00.789Z")), Optional.empty()),
                new Challenge("c-dns", "dns-01", "tok-dns", ChallengeStatus.INVALID, Optional.empty(),
                        Optional.of("{\"type\":\"urn:ietf:params:acme:error:dns\",\"detail\":\"NXDOMAIN für "
                                + "\\\"www\\\"\"}")),
                new Challenge("c-alpn", "tls-alpn-01", "tok-alpn", ChallengeStatus.PROCESSING, Optional.empty(),
                        Optional.empty()));
        Authorization valid = az.with(AuthorizationStatus.VALID, NOW.plus(Duration.ofDays(30)), challenges);

        assertThat(store.updateAuthorization(valid)).isTrue();

        Authorization stored = store.authorization("az").orElseThrow();
        assertThat(stored).isEqualTo(valid);
        assertThat(stored.challenges()).containsExactlyElementsOf(challenges);
    }

    @Test
    void aStaleAuthorizationUpdateWritesNothing() throws Exception {
        AcmeStore store = newStore();
        Authorization az = pendingAuthorization("az", "a", "www.example.com");
        store.createOrder(order("o", "a", NOW, List.of("az")), List.of(az));
        Authorization invalid = az.with(AuthorizationStatus.INVALID, az.expires(), az.challenges());
        store.updateAuthorization(invalid);

        assertThat(store.updateAuthorization(az.with(AuthorizationStatus.VALID, NOW.plus(Duration.ofDays(30)),
                az.challenges()))).isFalse();
        assertThat(store.updateAuthorization(pendingAuthorization("nobody", "a", "x.example.com")
                .with(AuthorizationStatus.VALID, NOW, List.of()))).isFalse();

        assertThat(store.authorization("az")).contains(invalid);
        assertThat(store.authorization("nobody")).isEmpty();
    }

    @Test
    void racingAuthorizationUpdatesHaveExactlyOneWinner() throws Exception {
        AcmeStore store = newStore();
        Authorization az = pendingAuthorization("az", "a", "www.example.com");
        store.createOrder(order("o", "a", NOW, List.of("az")), List.of(az));
        List<Authorization> attempts = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            attempts.add(az.with(AuthorizationStatus.VALID, NOW.plus(Duration.ofDays(i + 1)), az.challenges()));
        }

        List<Boolean> results = race(racer -> store.updateAuthorization(attempts.get(racer)));

        assertThat(results).containsOnlyOnce(true);
        assertThat(store.authorization("az")).contains(attempts.get(results.indexOf(true)));
    }

    @Test
    void aReusableAuthorizationIsValidUnexpiredAndOfTheSameAccountIdentifierAndWildcard() throws Exception {
        AcmeStore store = newStore();
        Identifier www = Identifier.dns("www.example.com");
        Instant later = NOW.plus(Duration.ofDays(30));
        Authorization good = authorization("good", "a", www, false, AuthorizationStatus.VALID, later);
        List<Authorization> decoys = List.of(
                authorization("pending", "a", www, false, AuthorizationStatus.PENDING, later.plusSeconds(1)),
                authorization("invalid", "a", www, false, AuthorizationStatus.INVALID, later.plusSeconds(1)),
                authorization("deactivated", "a", www, false, AuthorizationStatus.DEACTIVATED, later.plusSeconds(1)),
                authorization("expired", "a", www, false, AuthorizationStatus.VALID, NOW.minusMillis(1)),
                authorization("expires-now", "a", www, false, AuthorizationStatus.VALID, NOW),
                authorization("other-account", "b", www, false, AuthorizationStatus.VALID, later.plusSeconds(1)),
                authorization("other-name", "a", Identifier.dns("api.example.com"), false, AuthorizationStatus.VALID,
                        later.plusSeconds(1)),
                authorization("wildcard", "a", www, true, AuthorizationStatus.VALID, later.plusSeconds(1)));
        List<Authorization> all = new ArrayList<>(decoys);
        all.add(good);
        store.createOrder(order("o", "a", NOW, all.stream().map(Authorization::id).toList()), all);

        assertThat(store.reusableAuthorization("a", www, false, NOW)).contains(good);
        assertThat(store.reusableAuthorization("a", www, true, NOW).map(Authorization::id)).contains("wildcard");
        assertThat(store.reusableAuthorization("b", www, false, NOW).map(Authorization::id))
                .contains("other-account");
        assertThat(store.reusableAuthorization("a", Identifier.dns("mail.example.com"), false, NOW)).isEmpty();
        assertThat(store.reusableAuthorization("c", www, false, NOW)).isEmpty();
        assertThat(store.reusableAuthorization("a", www, false, later)).isEmpty();
    }

    @Test
    void aReusableAuthorizationMatchesTheIdentifierTypeToo() throws Exception {
        AcmeStore store = newStore();
        Authorization asName = authorization("as-name", "a", Identifier.dns("192.0.2.7"), false,
                AuthorizationStatus.VALID, NOW.plus(Duration.ofDays(1)));
        store.createOrder(order("o", "a", NOW, List.of("as-name")), List.of(asName));

        assertThat(store.reusableAuthorization("a", Identifier.ip("192.0.2.7"), false, NOW)).isEmpty();
        assertThat(store.reusableAuthorization("a", Identifier.dns("192.0.2.7"), false, NOW)).contains(asName);
    }

    @Test
    void theReusableAuthorizationIsTheOneThatLastsLongest() throws Exception {
        AcmeStore store = newStore();
        Identifier www = Identifier.dns("www.example.com");
        Authorization shorter = authorization("shorter", "a", www, false, AuthorizationStatus.VALID,
                NOW.plus(Duration.ofDays(1)));
        Authorization longer = authorization("longer", "a", www, false, AuthorizationStatus.VALID,
                NOW.plus(Duration.ofDays(20)));
        Authorization middle = authorization("middle", "a", www, false, AuthorizationStatus.VALID,
                NOW.plus(Duration.ofDays(10)));
        store.createOrder(order("o", "a", NOW, List.of("shorter", "longer", "middle")),
                List.of(shorter, longer, middle));

        assertThat(store.reusableAuthorization("a", www, false, NOW)).contains(longer);
    }

    @Test
    void anAuthorizationThatBecameValidIsReusedAndOneThatWasRevokedIsNot() throws Exception {
        AcmeStore store = newStore();
        Identifier www = Identifier.dns("www.example.com");
        Authorization az = pendingAuthorization("az", "a", "www.example.com");
        store.createOrder(order("o", "a", NOW, List.of("az")), List.of(az));
        assertThat(store.reusableAuthorization("a", www, false, NOW)).isEmpty();

        Authorization valid = az.with(AuthorizationStatus.VALID, NOW.plus(Duration.ofDays(30)), az.challenges());
        store.updateAuthorization(valid);
        assertThat(store.reusableAuthorization("a", www, false, NOW)).contains(valid);

        store.updateAuthorization(valid.with(AuthorizationStatus.REVOKED, valid.expires(), valid.challenges()));
        assertThat(store.reusableAuthorization("a", www, false, NOW)).isEmpty();
    }

    @Test
    void aProcessingChallengeKeepsWhenItsValidationStarted() throws Exception {
        AcmeStore store = newStore();
        Authorization az = pendingAuthorization("az", "a", "www.example.com");
        store.createOrder(order("o", "a", NOW, List.of("az")), List.of(az));
        Instant started = Instant.parse("2030-01-01T00:01:02.345Z");
        Challenge processing = az.challenges().getFirst().processingSince(started);
        Authorization next = az.with(az.status(), az.expires(), List.of(processing, az.challenges().get(1)));

        assertThat(store.updateAuthorization(next)).isTrue();

        Challenge stored = store.authorization("az").orElseThrow().challenges().getFirst();
        assertThat(stored).isEqualTo(processing);
        assertThat(stored.validationStarted()).contains(started);
        assertThat(stored.with(ChallengeStatus.VALID, Optional.of(NOW), Optional.empty()).validationStarted())
                .contains(started);
    }

    private static Authorization processing(String id, AuthorizationStatus status, Instant expires,
            Optional<Instant> started) {
        Challenge http = pending(id + "-http", "http-01");
        Challenge c = started.map(http::processingSince).orElse(http.with(ChallengeStatus.PROCESSING,
                Optional.empty(), Optional.empty()));
        return new Authorization(id, "a", PROVISIONER, Identifier.dns(id + ".example.com"), false, status, expires,
                List.of(c, pending(id + "-dns", "dns-01")), 1);
    }

    @Test
    void stalledValidationsArePendingUnexpiredAuthorizationsProcessingSinceBeforeTheCutoff() throws Exception {
        AcmeStore store = newStore();
        Instant cutoff = NOW.minus(Duration.ofMinutes(1));
        Instant soon = NOW.plus(Duration.ofMinutes(30));
        Instant later = NOW.plus(Duration.ofMinutes(50));
        List<Authorization> all = List.of(
                processing("stalled", AuthorizationStatus.PENDING, later, Optional.of(cutoff.minusMillis(1))),
                processing("unrecorded", AuthorizationStatus.PENDING, soon, Optional.empty()),
                processing("recent", AuthorizationStatus.PENDING, soon, Optional.of(cutoff.plusSeconds(30))),
                processing("at-cutoff", AuthorizationStatus.PENDING, soon, Optional.of(cutoff)),
                processing("expired", AuthorizationStatus.PENDING, NOW, Optional.of(cutoff.minusSeconds(600))),
                processing("valid", AuthorizationStatus.VALID, later, Optional.of(cutoff.minusSeconds(600))),
                processing("invalid", AuthorizationStatus.INVALID, later, Optional.of(cutoff.minusSeconds(600))),
                pendingAuthorization("idle", "a", "idle.example.com"));
        store.createOrder(order("o", "a", NOW, all.stream().map(Authorization::id).toList()), all);

        assertThat(store.stalledValidations(cutoff, NOW, 10)).extracting(Authorization::id)
                .containsExactly("unrecorded", "stalled");
        assertThat(store.stalledValidations(cutoff, NOW, 1)).extracting(Authorization::id)
                .containsExactly("unrecorded");
        assertThat(store.stalledValidations(cutoff, NOW, 10).getLast()).isEqualTo(all.getFirst());
        assertThat(store.stalledValidations(cutoff, soon, 10)).extracting(Authorization::id)
                .containsExactly("stalled");
        assertThat(store.stalledValidations(NOW, NOW, 10)).extracting(Authorization::id)
                .containsExactly("at-cutoff", "recent", "unrecorded", "stalled");
    }

    @Test
    void aStalledValidationClaimedWithANewStartIsNoLongerStalled() throws Exception {
        AcmeStore store = newStore();
        Instant cutoff = NOW.minus(Duration.ofMinutes(1));
        Authorization az = processing("az", AuthorizationStatus.PENDING, NOW.plus(Duration.ofMinutes(30)),
                Optional.of(cutoff.minusSeconds(5)));
        store.createOrder(order("o", "a", NOW, List.of("az")), List.of(az));
        Challenge stalled = az.stalledChallenge(cutoff, NOW).orElseThrow();

        assertThat(store.updateAuthorization(az.with(az.status(), az.expires(), List.of(
                stalled.processingSince(NOW), az.challenges().get(1))))).isTrue();

        assertThat(store.stalledValidations(cutoff, NOW, 10)).isEmpty();
    }

    // ---------------------------------------------------------------- external account binding

    @Test
    void anEabKeyRoundTripsItsMacKeyBytes() throws Exception {
        AcmeStore store = newStore();
        byte[] mac = new byte[32];
        for (int i = 0; i < mac.length; i++) {
            mac[i] = (byte) (i * 37 - 128);
        }
        mac[0] = 0;
        mac[31] = (byte) 0xff;
        EabKey key = new EabKey("kid-1", PROVISIONER, mac, Instant.parse("2030-01-01T00:00:00.321Z"),
                Optional.empty());

        store.createEabKey(key);

        EabKey stored = store.eabKey("kid-1").orElseThrow();
        assertThat(stored).isEqualTo(key);
        assertThat(stored.hmacKey()).isEqualTo(mac);
        assertThat(store.eabKey("kid-none")).isEmpty();
    }

    @Test
    void anEabKeyIdIsUsedOnce() throws Exception {
        AcmeStore store = newStore();
        EabKey original = eabKey("kid", PROVISIONER, NOW);
        store.createEabKey(original);

        assertConflict(() -> store.createEabKey(new EabKey("kid", "other-acme", new byte[] {1, 2, 3},
                NOW.plusSeconds(1), Optional.empty())));

        assertThat(store.eabKey("kid")).contains(original);
        assertThat(store.eabKeys(Optional.empty())).containsExactly(original);
    }

    @Test
    void eabKeysAreListedOldestFirstForOneProvisionerOrAll() throws Exception {
        AcmeStore store = newStore();
        EabKey k1 = eabKey("k1", PROVISIONER, NOW);
        EabKey other = eabKey("other", "other-acme", NOW.plusSeconds(30));
        EabKey k2 = eabKey("k2", PROVISIONER, NOW.plusSeconds(60));
        EabKey k3 = eabKey("k3", PROVISIONER, NOW.plusSeconds(120));
        for (EabKey k : List.of(k1, other, k2, k3)) {
            store.createEabKey(k);
        }

        assertThat(store.eabKeys(Optional.of(PROVISIONER))).containsExactly(k1, k2, k3);
        assertThat(store.eabKeys(Optional.of("other-acme"))).containsExactly(other);
        assertThat(store.eabKeys(Optional.of("nobody"))).isEmpty();
        assertThat(store.eabKeys(Optional.empty())).containsExactly(k1, other, k2, k3);
    }

    @Test
    void deletingAnEabKeyRemovesIt() throws Exception {
        AcmeStore store = newStore();
        EabKey kept = eabKey("kept", PROVISIONER, NOW);
        store.createEabKey(eabKey("gone", PROVISIONER, NOW));
        store.createEabKey(kept);

        assertThat(store.deleteEabKey("gone")).isTrue();
        assertThat(store.deleteEabKey("gone")).isFalse();
        assertThat(store.deleteEabKey("never")).isFalse();

        assertThat(store.eabKey("gone")).isEmpty();
        assertThat(store.eabKeys(Optional.empty())).containsExactly(kept);
    }

    @Test
    void anAccountCreatedWithAnEabKeyBindsItAndTheKeyAdmitsNoOtherAccount() throws Exception {
        AcmeStore store = newStore();
        EabKey key = eabKey("kid", PROVISIONER, NOW);
        store.createEabKey(key);
        Account first = boundAccount("acct-1", "thumb-1", "kid");

        store.createAccount(first);

        assertConflict(() -> store.createAccount(boundAccount("acct-2", "thumb-2", "kid")));
        assertThat(store.account("acct-1")).contains(first);
        assertThat(store.account("acct-2")).isEmpty();
        assertThat(store.accountByThumbprint(PROVISIONER, "thumb-2")).isEmpty();
        assertThat(store.eabKey("kid")).contains(new EabKey("kid", PROVISIONER, key.hmacKey(), NOW,
                Optional.of("acct-1")));
    }

    @Test
    void anAccountThatCannotBeCreatedLeavesItsEabKeyUnboundAndUsable() throws Exception {
        AcmeStore store = newStore();
        store.createEabKey(eabKey("kid", PROVISIONER, NOW));
        store.createAccount(account("holder", PROVISIONER, "taken-thumb"));

        // Its key is another account's; then its id is.
        assertConflict(() -> store.createAccount(boundAccount("late", "taken-thumb", "kid")));
        assertConflict(() -> store.createAccount(boundAccount("holder", "fresh-thumb", "kid")));

        assertThat(store.eabKey("kid").orElseThrow().boundAccount()).isEmpty();
        assertThat(store.account("late")).isEmpty();
        assertThat(store.accountByThumbprint(PROVISIONER, "fresh-thumb")).isEmpty();
        store.createAccount(boundAccount("admitted", "fresh-thumb", "kid"));
        assertThat(store.eabKey("kid").orElseThrow().boundAccount()).contains("admitted");
    }

    @Test
    void anEabKeyThatIsUnknownBoundOrAnotherProvisionersCreatesNoAccount() throws Exception {
        AcmeStore store = newStore();
        store.createEabKey(eabKey("elsewhere", "other-acme", NOW));
        EabKey bound = new EabKey("bound", PROVISIONER, new byte[] {7}, NOW, Optional.of("acct-0"));
        store.createEabKey(bound);
        store.createEabKey(eabKey("gone", PROVISIONER, NOW));
        store.deleteEabKey("gone");

        for (String kid : List.of("elsewhere", "bound", "gone", "never")) {
            assertConflict(() -> store.createAccount(boundAccount("acct-" + kid, "thumb-" + kid, kid)));
            assertThat(store.account("acct-" + kid)).as(kid).isEmpty();
            assertThat(store.accountByThumbprint(PROVISIONER, "thumb-" + kid)).as(kid).isEmpty();
        }
        assertThat(store.eabKey("elsewhere").orElseThrow().boundAccount()).isEmpty();
        assertThat(store.eabKey("bound")).contains(bound);
        assertThat(store.eabKey("gone")).isEmpty();
    }

    @Test
    void racingAccountsWithOneEabKeyHaveExactlyOneWinnerAndItIsTheOneBound() throws Exception {
        AcmeStore store = newStore();
        store.createEabKey(eabKey("kid", PROVISIONER, NOW));

        List<Boolean> results = race(racer -> created(() -> store.createAccount(
                boundAccount("acct-" + racer, "thumb-" + racer, "kid"))));

        assertThat(results).containsOnlyOnce(true);
        int winner = results.indexOf(true);
        assertThat(store.eabKey("kid").orElseThrow().boundAccount()).contains("acct-" + winner);
        for (int i = 0; i < RACERS; i++) {
            assertThat(store.account("acct-" + i).isPresent()).as("account of racer %d", i).isEqualTo(i == winner);
        }
    }

    @Test
    void racingAccountsWithOneKeyBindOnlyTheWinnersEabKey() throws Exception {
        AcmeStore store = newStore();
        for (int i = 0; i < RACERS; i++) {
            store.createEabKey(eabKey("kid-" + i, PROVISIONER, NOW));
        }

        List<Boolean> results = race(racer -> created(() -> store.createAccount(
                boundAccount("acct-" + racer, "shared-thumb", "kid-" + racer))));

        assertThat(results).containsOnlyOnce(true);
        int winner = results.indexOf(true);
        assertThat(store.accountByThumbprint(PROVISIONER, "shared-thumb").map(Account::id))
                .contains("acct-" + winner);
        for (int i = 0; i < RACERS; i++) {
            assertThat(store.eabKey("kid-" + i).orElseThrow().boundAccount()).as("EAB key of racer %d", i)
                    .isEqualTo(i == winner ? Optional.of("acct-" + winner) : Optional.empty());
        }
    }

    // ---------------------------------------------------------------- renewal overrides

    @Test
    void thereAreNoRenewalOverridesAtFirst() throws Exception {
        assertThat(newStore().renewalOverrides()).isEmpty();
    }

    @Test
    void renewalOverridesRoundTripEveryFieldOldestFirst() throws Exception {
        AcmeStore store = newStore();
        RenewalOverride everything = new RenewalOverride("ov-1", Optional.of("0a1b2c3d4e5f"),
                Optional.of("9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"), Instant.parse("2030-01-01T12:00:00.001Z"),
                Instant.parse("2030-01-02T00:00:00Z"), Instant.parse("2030-01-03T00:00:00.999Z"),
                Optional.of("https://status.example.com/incidents/42?lang=dé"), NOW);
        RenewalOverride bare = new RenewalOverride("ov-2", Optional.empty(), Optional.empty(),
                Instant.parse("2030-02-01T00:00:00Z"), Instant.parse("2030-02-02T00:00:00Z"),
                Instant.parse("2030-02-03T00:00:00Z"), Optional.empty(), NOW.plusSeconds(1));

        store.addRenewalOverride(everything);
        store.addRenewalOverride(bare);

        assertThat(store.renewalOverrides()).containsExactly(everything, bare);
    }

    // ---------------------------------------------------------------- text from outside

    @Test
    void lookupsOfIdsNoStoreWouldIssueFindNothingRatherThanFail() throws Exception {
        AcmeStore store = newStore();
        store.createAccount(account("a"));
        List<String> odd = List.of("a\u0000", "\ud800", "a\u001b", "", "a'; DROP TABLE x; --");

        for (String id : odd) {
            assertThat(store.account(id)).as("account %s", id).isEmpty();
            assertThat(store.accountByThumbprint(PROVISIONER, id)).isEmpty();
            assertThat(store.order(id)).isEmpty();
            assertThat(store.authorization(id)).isEmpty();
            assertThat(store.eabKey(id)).isEmpty();
            assertThat(store.orderIds(id, Optional.of(id), 10)).isEmpty();
            assertThat(store.replacingOrder(id)).isEmpty();
            assertThat(store.deleteEabKey(id)).isFalse();
        }
        Set<String> nonces = new HashSet<>(odd);
        for (String nonce : nonces) {
            assertThat(store.useNonce(nonce, NOW)).as("nonce %s", nonce).isTrue();
            assertThat(store.useNonce(nonce, NOW)).isFalse();
        }
    }

    @Test
    void anyTextRoundTripsExactly() throws Exception {
        AcmeStore store = newStore();
        String odd = "zoë \u0000 \u001b \ud800 \udc00 😀 \\u0000 \"quoted\"";
        Account a = new Account("acct " + odd, PROVISIONER, "thumb " + odd, "{\"x\":\"" + odd + "\"}",
                List.of("mailto:" + odd), AccountStatus.VALID, NOW, Optional.of("eab " + odd), true, 1);
        Authorization az = new Authorization("az " + odd, a.id(), PROVISIONER, Identifier.dns("zoë.example"), false,
                AuthorizationStatus.PENDING, NOW.plusSeconds(60),
                List.of(new Challenge("c " + odd, "http-01", "t " + odd, ChallengeStatus.INVALID, Optional.empty(),
                        Optional.of("problem " + odd))), 1);
        Order o = new Order("order " + odd, a.id(), PROVISIONER, OrderStatus.PENDING, NOW.plusSeconds(60),
                List.of(Identifier.dns("zoë.example")), Optional.empty(), Optional.empty(), List.of(az.id()),
                Optional.of("error " + odd), Optional.empty(), Optional.of("replaces " + odd), NOW, 1);

        store.createEabKey(eabKey("eab " + odd, PROVISIONER, NOW));
        store.createAccount(a);
        store.createOrder(o, List.of(az));

        assertThat(store.account(a.id())).contains(a);
        assertThat(store.accountByThumbprint(PROVISIONER, a.keyThumbprint())).contains(a);
        assertThat(store.order(o.id())).contains(o);
        assertThat(store.authorization(az.id())).contains(az);
        assertThat(store.orderIds(a.id(), Optional.empty(), 10)).containsExactly(o.id());
        assertThat(store.replacingOrder("replaces " + odd)).contains(o);
        assertThat(store.eabKey("eab " + odd).orElseThrow().boundAccount()).contains(a.id());
    }
}
