package io.certwright.acme.engine;

import io.certwright.acme.AcmeProvisionerSettings;
import io.certwright.acme.AcmeSettings;
import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.InMemoryAcmeStore;
import io.certwright.core.KeyAlgorithm;
import io.certwright.testing.MutableClock;
import io.certwright.testing.TestCa;
import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/// One ACME server with real parts around it: a store (in memory unless given), a [TestCa] issuing real
/// certificates, a scripted challenge validator, a recording audit log and a clock the test moves.
final class AcmeHarness implements AutoCloseable {

    static final String BASE = "https://acme.test:8443";

    final MutableClock clock = MutableClock.at("2030-01-01T00:00:00Z");
    final TestCa ca;
    final AcmeStore store;
    final CaBackedIssuer issuer;
    final ScriptedValidator validator = new ScriptedValidator();
    final RecordingAudit audit = new RecordingAudit();
    final AcmeSettings settings;
    final List<AcmeProvisionerSettings> provisioners;
    final AcmeServer server;

    AcmeHarness() throws Exception {
        this(UnaryOperator.identity());
    }

    AcmeHarness(UnaryOperator<AcmeSettings> adjust) throws Exception {
        this(new InMemoryAcmeStore(), adjust);
    }

    AcmeHarness(AcmeStore store, UnaryOperator<AcmeSettings> adjust) throws Exception {
        this.store = store;
        ca = TestCa.builder(KeyAlgorithm.P256).clock(clock).build();
        issuer = new CaBackedIssuer(ca);
        settings = adjust.apply(AcmeSettings.defaults(URI.create(BASE)));
        provisioners = List.of(
                AcmeProvisionerSettings.of("main"),
                AcmeProvisionerSettings.of("eab").withEabRequired(true),
                AcmeProvisionerSettings.of("internal").withAllowedIdentifiers("*.svc.cluster.local", "10.0.0.0/8"),
                AcmeProvisionerSettings.of("http").withChallenges(Set.of("http-01")));
        server = newServer();
    }

    /// Another replica: a second engine over the same store, CA and validator.
    AcmeServer newServer() {
        return new AcmeServer(settings, provisioners, store, issuer, validator, audit, clock, new SecureRandom());
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
