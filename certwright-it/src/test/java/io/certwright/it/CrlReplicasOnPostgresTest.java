package io.certwright.it;

import static io.certwright.it.RevocationClients.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.core.SpiffeId;
import io.certwright.server.CertwrightServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Two server replicas on one PostgreSQL database, each revoking certificates: both end up serving the
/// same CRL, CRL numbers never go backwards on either, and a number never stands for two different CRLs.
class CrlReplicasOnPostgresTest {

    private static final String DATABASE = "certwright_replicas";
    private static final Map<String, String> ENV = Map.of("CERTWRIGHT_CA_PASSPHRASE", "replicas test");

    @TempDir
    static Path dir;

    static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = ItPostgres.startWithDatabase(DATABASE);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    /// What one replica served: CRL numbers in the order seen, and the digest of each number's bytes.
    private record Observed(List<BigInteger> numbers, Map<BigInteger, String> digests) {
        Observed() {
            this(new ArrayList<>(), new HashMap<>());
        }
    }

    private static X509CRL observe(URI http, Observed seen) throws Exception {
        HttpResponse<byte[]> r = get(URI.create(http + "/crl/intermediate.crl"), Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        X509CRL crl = RevocationClients.crl(r.body());
        BigInteger number = new BigInteger(1, java.util.Arrays.copyOfRange(crl.getExtensionValue("2.5.29.20"), 4,
                crl.getExtensionValue("2.5.29.20").length));
        seen.numbers().add(number);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body()));
        String before = seen.digests().putIfAbsent(number, digest);
        assertThat(before == null || before.equals(digest)).as("CRL number %s served with two contents", number)
                .isTrue();
        return crl;
    }

    @Test
    void twoReplicasRevokingOnOneDatabaseServeTheSameCrlsWithNumbersThatNeverGoBack() throws Exception {
        Path data = dir.resolve("data");
        int portA = RevocationClients.freePort();
        int portB = RevocationClients.freePort();
        String database = "database:\n  url: " + postgres.getJdbcUrl("postgres", DATABASE) + "\n  username: postgres\n";
        String shared = "  public-url: http://127.0.0.1:" + portA + "\n";
        try (CertwrightServer a = RevocationClients.start(data, portA, shared + database, ENV);
                CertwrightServer b = RevocationClients.start(data, portB, shared + database, ENV)) {
            String token = Files.readString(a.adminTokenFile()).strip();
            ServerApi apiA = new ServerApi(a.url(), a.root(), token);
            ServerApi apiB = new ServerApi(b.url(), b.root(), token);
            URI httpA = a.revocationUrl().orElseThrow();
            URI httpB = b.revocationUrl().orElseThrow();
            Observed seenA = new Observed();
            Observed seenB = new Observed();

            Set<BigInteger> revoked = new TreeSet<>();
            for (int i = 0; i < 6; i++) {
                ServerApi api = i % 2 == 0 ? apiA : apiB;
                String serial = api.issueSvid(SpiffeId.parse("spiffe://certwright.local/ns/replicas/sa/w" + i))
                        .serial();
                HttpResponse<String> r = api.post("/api/v1/certificates/" + serial + "/revoke",
                        Map.of("reason", "keyCompromise"));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                revoked.add(new BigInteger(serial, 16));
                observe(httpA, seenA);
                observe(httpB, seenB);
            }
            RevocationClients.eventually("both replicas serve a CRL listing all six revocations", () -> {
                boolean all = true;
                for (Map.Entry<URI, Observed> e : Map.of(httpA, seenA, httpB, seenB).entrySet()) {
                    X509CRL crl = observe(e.getKey(), e.getValue());
                    for (BigInteger serial : revoked) {
                        all &= crl.getRevokedCertificate(serial) != null;
                    }
                }
                return all;
            });
            BigInteger lastA = seenA.numbers().getLast();
            BigInteger lastB = seenB.numbers().getLast();
            RevocationClients.eventually("both replicas serve the same latest CRL", () -> {
                observe(httpA, seenA);
                observe(httpB, seenB);
                return seenA.numbers().getLast().equals(seenB.numbers().getLast());
            });
            assertThat(lastA).isPositive();
            assertThat(lastB).isPositive();

            for (Observed seen : List.of(seenA, seenB)) {
                assertThat(seen.numbers()).as("CRL numbers as one replica served them").isSorted();
            }
            Set<BigInteger> common = new TreeSet<>(seenA.digests().keySet());
            common.retainAll(seenB.digests().keySet());
            assertThat(common).isNotEmpty();
            for (BigInteger n : common) {
                assertThat(seenA.digests().get(n)).as("CRL number %s on both replicas", n)
                        .isEqualTo(seenB.digests().get(n));
            }
        }
    }
}
