package io.certwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.access.AccessException;
import io.certwright.ca.access.AccessStore;
import io.certwright.ca.access.ApiToken;
import io.certwright.ca.access.EnrollmentToken;
import io.certwright.ca.access.Provisioner;
import io.certwright.ca.access.Redemption;
import io.certwright.ca.access.Role;
import io.certwright.ca.access.Secret;
import io.certwright.ca.policy.DnsPattern;
import io.certwright.ca.policy.GlobPattern;
import io.certwright.ca.policy.IpRange;
import io.certwright.ca.policy.SanPolicy;
import io.certwright.ca.policy.SpiffeIdPattern;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/// The contract every [AccessStore] must honour: tokens found only by the hash of their secret, revocation,
/// provisioners stored and read back whole (name patterns included), and enrollment tokens redeemed at most
/// once, even by concurrent callers.
///
/// Extend it and implement [#newStore()].
public abstract class AccessStoreContract {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    /// A new, empty store. Called once per test.
    protected abstract AccessStore newStore() throws Exception;

    private static ApiToken token(String id, Secret secret, Optional<Instant> expiresAt) {
        return new ApiToken(id, "token " + id, Role.OPERATOR, secret.hash(), NOW, expiresAt, false);
    }

    /// A SAN policy using every kind of pattern.
    protected static SanPolicy richPolicy() {
        return new SanPolicy(
                List.of(DnsPattern.parse("*.svc.example.com"), DnsPattern.parse("**.internal.example.org")),
                List.of(IpRange.parse("10.0.0.0/8"), IpRange.parse("fd00::/8")),
                List.of(SpiffeIdPattern.parse("spiffe://example.org/ns/*/sa/*")),
                List.of(GlobPattern.parse("https://*.example.com/*")),
                List.of(GlobPattern.parse("*@example.com")));
    }

    private static EnrollmentToken enrollment(String id, Secret secret, Instant expiresAt) {
        SubjectNames names = new SubjectNames(List.of("web.svc.example.com"), List.of(IpRange.parseLiteral("10.1.2.3")),
                List.of(URI.create("spiffe://example.org/ns/prod/sa/web")), List.of("ops@example.com"));
        return new EnrollmentToken(id, "enroll", secret.hash(), names, expiresAt, Optional.empty());
    }

    @Test
    void tokenIsFoundByTheHashOfItsSecretOnly() throws Exception {
        AccessStore store = newStore();
        Secret secret = Secret.generate("cwt_");
        ApiToken token = token("t1", secret, Optional.of(NOW.plus(Duration.ofDays(30))));

        store.createToken(token);

        assertThat(store.findToken(secret.hash())).contains(token);
        assertThat(store.findToken(Secret.of(secret.reveal()).hash())).contains(token);
        assertThat(store.findToken(secret.reveal())).isEmpty();
        assertThat(store.findToken(Secret.generate("cwt_").hash())).isEmpty();
    }

    @Test
    void tokensListsEveryToken() throws Exception {
        AccessStore store = newStore();
        ApiToken a = token("a", Secret.generate("cwt_"), Optional.empty());
        ApiToken b = token("b", Secret.generate("cwt_"), Optional.of(NOW.plusSeconds(60)));
        store.createToken(a);
        store.createToken(b);

        assertThat(store.tokens()).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void aTokenIdIsUsedOnce() throws Exception {
        AccessStore store = newStore();
        store.createToken(token("dup", Secret.generate("cwt_"), Optional.empty()));

        assertThatThrownBy(() -> store.createToken(token("dup", Secret.generate("cwt_"), Optional.empty())))
                .isInstanceOf(AccessException.class);
        assertThat(store.tokens()).hasSize(1);
    }

    @Test
    void revokedTokenIsStillFoundButMarkedRevoked() throws Exception {
        AccessStore store = newStore();
        Secret secret = Secret.generate("cwt_");
        store.createToken(token("r", secret, Optional.empty()));

        assertThat(store.revokeToken("r")).isTrue();
        assertThat(store.revokeToken("nobody")).isFalse();

        ApiToken found = store.findToken(secret.hash()).orElseThrow();
        assertThat(found.revoked()).isTrue();
        assertThat(found.usableAt(NOW)).isFalse();
    }

    @Test
    void provisionersRoundTripWithTheirNamePatterns() throws Exception {
        AccessStore store = newStore();
        Provisioner token = new Provisioner.Token("enroll", richPolicy(), Set.of(Profile.SVID, Profile.MTLS),
                Duration.ofHours(24), Duration.ofMinutes(15));
        Provisioner renew = new Provisioner.Renew("renew", SanPolicy.defaultFor(List.of()), Set.of(Profile.SERVER),
                Duration.ofDays(90));

        store.saveProvisioner(token);
        store.saveProvisioner(renew);

        assertThat(store.provisioner("enroll")).contains(token);
        assertThat(store.provisioner("renew")).contains(renew);
        assertThat(store.provisioner("missing")).isEmpty();
        assertThat(store.provisioners()).containsExactlyInAnyOrder(token, renew);
    }

    @Test
    void savingAProvisionerAgainReplacesIt() throws Exception {
        AccessStore store = newStore();
        store.saveProvisioner(new Provisioner.Renew("p", richPolicy(), Set.of(Profile.SERVER), Duration.ofDays(1)));
        Provisioner replacement = new Provisioner.Token("p", richPolicy(), Set.of(Profile.CLIENT), Duration.ofHours(1),
                Duration.ofMinutes(5));

        store.saveProvisioner(replacement);

        assertThat(store.provisioners()).containsExactly(replacement);
    }

    @Test
    void deletingAProvisionerRemovesIt() throws Exception {
        AccessStore store = newStore();
        store.saveProvisioner(new Provisioner.Renew("gone", richPolicy(), Set.of(Profile.SERVER), Duration.ofDays(1)));

        assertThat(store.deleteProvisioner("gone")).isTrue();
        assertThat(store.deleteProvisioner("gone")).isFalse();
        assertThat(store.provisioner("gone")).isEmpty();
    }

    @Test
    void enrollmentIsRedeemedOnceThenReportedUsed() throws Exception {
        AccessStore store = newStore();
        Secret secret = Secret.generate("cwe_");
        EnrollmentToken token = enrollment("e1", secret, NOW.plus(Duration.ofMinutes(10)));
        store.createEnrollment(token);

        Redemption first = store.redeemEnrollment(secret.hash(), NOW);
        Redemption second = store.redeemEnrollment(secret.hash(), NOW.plusSeconds(1));

        assertThat(first).isInstanceOfSatisfying(Redemption.Redeemed.class, r -> {
            assertThat(r.token().id()).isEqualTo("e1");
            assertThat(r.token().names()).isEqualTo(token.names());
            assertThat(r.token().usedAt()).contains(NOW);
        });
        assertThat(second).isInstanceOfSatisfying(Redemption.AlreadyUsed.class,
                r -> assertThat(r.token().usedAt()).contains(NOW));
    }

    @Test
    void expiredEnrollmentIsNotRedeemed() throws Exception {
        AccessStore store = newStore();
        Secret secret = Secret.generate("cwe_");
        store.createEnrollment(enrollment("old", secret, NOW));

        assertThat(store.redeemEnrollment(secret.hash(), NOW)).isInstanceOf(Redemption.Expired.class);
        assertThat(store.redeemEnrollment(secret.hash(), NOW.plusSeconds(1))).isInstanceOf(Redemption.Expired.class);
    }

    @Test
    void unknownEnrollmentIsUnknown() throws Exception {
        AccessStore store = newStore();
        store.createEnrollment(enrollment("e", Secret.generate("cwe_"), NOW.plusSeconds(600)));

        assertThat(store.redeemEnrollment(Secret.generate("cwe_").hash(), NOW)).isInstanceOf(Redemption.Unknown.class);
    }

    @Test
    void concurrentRedeemersRedeemExactlyOnce() throws Exception {
        AccessStore store = newStore();
        Secret secret = Secret.generate("cwe_");
        store.createEnrollment(enrollment("race", secret, NOW.plusSeconds(600)));
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Redemption>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                start.await();
                return store.redeemEnrollment(secret.hash(), NOW);
            });
        }

        List<Redemption> outcomes = Concurrently.run(tasks, start);

        assertThat(outcomes).filteredOn(r -> r instanceof Redemption.Redeemed).hasSize(1);
        assertThat(outcomes).filteredOn(r -> r instanceof Redemption.AlreadyUsed).hasSize(threads - 1);
    }
}
