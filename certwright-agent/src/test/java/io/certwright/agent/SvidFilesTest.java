package io.certwright.agent;

import static io.certwright.agent.AgentHarness.await;
import static io.certwright.agent.AgentHarness.mySelector;
import static io.certwright.agent.TestNodeServer.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.agent.files.SvidFileOptions;
import io.certwright.agent.files.SvidFileWriter;
import io.certwright.core.SpiffeId;
import io.certwright.testing.MutableClock;
import io.certwright.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `--write-svid`: the three PEM files and the reload command.
class SvidFilesTest {

    @TempDir
    Path tmp;

    @Test
    void svidKeyAndBundleAreWrittenWithAPrivateKeyFileAndTheReloadCommandRunsAfterEachRotation()
            throws Exception {
        MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        TestNodeServer server = new TestNodeServer(clock);
        server.addJoinToken("join-1");
        server.entries(entry("api", "spiffe://example.org/api", Duration.ofHours(1), mySelector()),
                entry("web", "spiffe://example.org/web", Duration.ofHours(1), "unix:uid:4242"));
        Path out = tmp.resolve("out");
        Path reloads = tmp.resolve("reloads.log");
        AgentHarness harness = new AgentHarness(tmp);
        try {
            CertwrightAgent agent = harness.start(server, b -> b.joinToken("join-1").svidFiles(new SvidFileOptions(
                    out, SpiffeId.parse("spiffe://example.org/web"),
                    Optional.of("echo reloaded $(ls | tr '\\n' ' ') >> " + reloads), SvidFileOptions.DEFAULT_RELOAD_TIMEOUT)));

            await("a reload", Duration.ofSeconds(30), () -> lines(reloads).size() == 1);
            List<X509Certificate> chain = certificates(out.resolve(SvidFileWriter.SVID));
            assertThat(chain.getFirst().getSubjectAlternativeNames().iterator().next().get(1))
                    .isEqualTo("spiffe://example.org/web");
            TestCa.validate(chain, server.ca().root(), clock);
            assertThat(certificates(out.resolve(SvidFileWriter.BUNDLE))).containsExactly(server.ca().root());
            assertThat(Files.getPosixFilePermissions(out.resolve(SvidFileWriter.KEY)))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(keyMatches(out.resolve(SvidFileWriter.KEY), chain.getFirst())).isTrue();
            assertThat(lines(reloads).getFirst()).contains("bundle.pem").contains("svid.key").contains("svid.pem");

            clock.advance(Duration.ofMinutes(40));
            agent.syncNow();

            await("a second reload", Duration.ofSeconds(30), () -> lines(reloads).size() == 2);
            assertThat(certificates(out.resolve(SvidFileWriter.SVID)).getFirst().getSerialNumber())
                    .isNotEqualTo(chain.getFirst().getSerialNumber());
        } finally {
            harness.close();
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static List<X509Certificate> certificates(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        }
    }

    /// Whether the PKCS#8 PEM key signs what the certificate's public key verifies.
    private static boolean keyMatches(Path keyPem, X509Certificate cert) throws Exception {
        String pem = Files.readString(keyPem, StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        Signature sig = Signature.getInstance("SHA256withECDSA");
        sig.initSign(key);
        sig.update(new byte[] {1, 2, 3});
        byte[] signature = sig.sign();
        sig.initVerify(cert.getPublicKey());
        sig.update(new byte[] {1, 2, 3});
        return sig.verify(signature);
    }
}
