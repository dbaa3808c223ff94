package io.certwright.acme.engine;

import io.certwright.acme.AcmeProvisionerSettings;
import io.certwright.acme.AcmeSettings;
import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.InMemoryAcmeStore;
import io.certwright.acme.validation.CaaChecker;
import io.certwright.acme.validation.CaaOutcome;
import io.certwright.acme.validation.ChallengeValidator;
import io.certwright.ca.CaSettings;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.MutableClock;
import io.certwright.testing.TestCa;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/// One ACME server with real parts around it: a store (in memory unless given), a [TestCa] issuing real
/// certificates, a scripted challenge validator, a recording audit log and a clock the test moves. Only the
/// provisioner `caa` checks CAA records, with the checker the test gives (by default one that refuses every
/// name).
final class AcmeHarness implements AutoCloseable {

    static final String BASE = "https://acme.test:8443";
    /// The CAA issuer domains of the provisioner `caa`.
    static final List<String> CAA_IDENTITIES = List.of("certwright.test", "pki.example.net");
    /// A CAA checker for tests that look up no CAA records: it refuses every name.
    static final CaaChecker NO_CAA_LOOKUPS = (identifier, issuers) -> CompletableFuture.completedFuture(
            new CaaOutcome.LookupFailed("this test looks up no CAA records"));

    final MutableClock clock = MutableClock.at("2030-01-01T00:00:00Z");
    final TestCa ca;
    final AcmeStore store;
    final CaBackedIssuer issuer;
    final ScriptedValidator validator = new ScriptedValidator();
    final RecordingAudit audit = new RecordingAudit();
    final CaaChecker caa;
    final AcmeSettings settings;
    final List<AcmeProvisionerSettings> provisioners;
    final AcmeServer server;

    AcmeHarness() throws Exception {
        this(UnaryOperator.identity());
    }

    AcmeHarness(UnaryOperator<AcmeSettings> adjust) throws Exception {
        this(null, adjust, NO_CAA_LOOKUPS);
    }

    AcmeHarness(UnaryOperator<AcmeSettings> adjust, CaaChecker caa) throws Exception {
        this(null, adjust, caa);
    }

    AcmeHarness(AcmeStore store, UnaryOperator<AcmeSettings> adjust) throws Exception {
        this(store, adjust, NO_CAA_LOOKUPS);
    }

    /// A harness over `store`, or over an in-memory store auditing into [#audit] when it is null.
    AcmeHarness(@Nullable AcmeStore store, UnaryOperator<AcmeSettings> adjust, CaaChecker caa) throws Exception {
        this(store, adjust, caa, UnaryOperator.identity());
    }

    /// As [#AcmeHarness(AcmeStore, UnaryOperator, CaaChecker)], with the CA's settings adjusted by `caSettings`
    /// (its policy, say).
    AcmeHarness(@Nullable AcmeStore store, UnaryOperator<AcmeSettings> adjust, CaaChecker caa,
            UnaryOperator<CaSettings> caSettings) throws Exception {
        this.store = store != null ? store : new InMemoryAcmeStore(audit::record);
        this.caa = caa;
        ca = TestCa.builder(KeyAlgorithm.P256).clock(clock).settings(caSettings).build();
        issuer = new CaBackedIssuer(ca);
        settings = adjust.apply(AcmeSettings.defaults(URI.create(BASE)));
        provisioners = List.of(
                AcmeProvisionerSettings.of("main"),
                AcmeProvisionerSettings.of("eab").withEabRequired(true),
                AcmeProvisionerSettings.of("internal").withAllowedIdentifiers("*.svc.cluster.local", "10.0.0.0/8"),
                AcmeProvisionerSettings.of("http").withChallenges(Set.of("http-01")),
                AcmeProvisionerSettings.of("caa").withMeta(Optional.empty(), Optional.empty(), CAA_IDENTITIES));
        server = newServer();
    }

    /// Another replica: a second engine over the same store, CA and validator.
    AcmeServer newServer() {
        return newServer(validator);
    }

    /// Another replica over the same store and CA, validating challenges with `challenges`.
    AcmeServer newServer(ChallengeValidator challenges) {
        return new AcmeServer(settings, provisioners, store, issuer, challenges, caa, audit, clock,
                new SecureRandom());
    }

    /// Another replica that looks for stalled validations every `sweep`.
    AcmeServer newServer(ChallengeValidator challenges, Duration sweep) {
        return new AcmeServer(settings, provisioners, store, issuer, challenges, caa, audit, clock,
                new SecureRandom(), sweep);
    }

    AcmeClient client(KeyAlgorithm algorithm) throws Exception {
        return new AcmeClient(server, BASE, "main", algorithm, "192.0.2.1");
    }

    AcmeClient client(String provisioner) throws Exception {
        return new AcmeClient(server, BASE, provisioner, KeyAlgorithm.P256, "192.0.2.1");
    }

    /// A registered client of provisioner `main`.
    AcmeClient account() throws Exception {
        AcmeClient c = client(KeyAlgorithm.P256);
        c.register();
        return c;
    }

    @Override
    public void close() {
        server.close();
    }
}
