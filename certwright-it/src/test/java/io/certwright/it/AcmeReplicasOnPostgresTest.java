package io.certwright.it;

import static io.certwright.it.RawAcmeClient.JOSE;
import static io.certwright.it.RawAcmeClient.json;
import static io.certwright.it.RawAcmeClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.Pem;
import io.certwright.core.SerialNumber;
import io.certwright.server.CertwrightServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/// Two server replicas on one PostgreSQL database behind one ACME base URL, as behind a load balancer:
/// a nonce handed out by one replica is good once at the other, and an order placed at one is finalized
/// and downloaded at the other.
class AcmeReplicasOnPostgresTest {

    private static final String DATABASE = "certwright_acme_replicas";
    /// The URL clients use; the test sends each request to the replica it chooses.
    private static final String BALANCED = "https://acme.balancer.test:8443";

    @TempDir
    static Path dir;

    static EmbeddedPostgres postgres;
    static ChallengeResponders responders;
    static CertwrightServer a;
    static CertwrightServer b;

    @BeforeAll
    static void start() throws Exception {
        postgres = ItPostgres.startWithDatabase(DATABASE);
        responders = ChallengeResponders.start();
        responders.dns.a("ha.acme.test", "127.0.0.1");
        String yaml = "database:\n  url: " + postgres.getJdbcUrl("postgres", DATABASE) + "\n  username: postgres\n"
                + responders.acmeYaml("""
                    - name: default
                      challenges: [http-01]
                """, "  baseUrl: " + BALANCED + "\n");
        Path data = dir.resolve("data");
        a = ItAcme.start(data, yaml);
        b = ItAcme.start(data, yaml);
    }

    @AfterAll
    static void stop() throws Exception {
        for (CertwrightServer s : new CertwrightServer[] {a, b}) {
            if (s != null) {
                s.close();
            }
        }
        if (responders != null) {
            responders.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static RawAcmeClient client() throws Exception {
        return new RawAcmeClient(a.root(), BALANCED, a.url(), "default");
    }

    @Test
    void aNonceFromOneReplicaIsAcceptedOnceAtTheOther() throws Exception {
        RawAcmeClient client = client();
        client.sendTo(a.url());
        String nonce = client.nonce();

        client.sendTo(b.url());
        String url = client.url("new-account");
        ObjectNode header = client.header(url, true);
        header.put("nonce", nonce);
        byte[] body = client.signed(header, "{\"termsOfServiceAgreed\":true}");
        HttpResponse<byte[]> first = client.send(url, body, JOSE);
        assertThat(first.statusCode()).as(text(first)).isEqualTo(201);

        client.sendTo(a.url());
        HttpResponse<byte[]> againAtA = client.send(url, body, JOSE);
        assertThat(againAtA.statusCode()).as(text(againAtA)).isEqualTo(400);
        assertThat(json(againAtA).get("type").asString()).isEqualTo("urn:ietf:params:acme:error:badNonce");
        client.sendTo(b.url());
        HttpResponse<byte[]> againAtB = client.send(url, body, JOSE);
        assertThat(againAtB.statusCode()).as(text(againAtB)).isEqualTo(400);
        assertThat(json(againAtB).get("type").asString()).isEqualTo("urn:ietf:params:acme:error:badNonce");
    }

    @Test
    void anOrderPlacedAtOneReplicaIsFinalizedAndDownloadedAtTheOther() throws Exception {
        RawAcmeClient client = client();
        client.sendTo(a.url());
        client.register();
        ObjectNode order = client.newOrder("ha.acme.test");
        client.authorizeHttp01(order, responders.http01);

        client.sendTo(b.url());
        KeyPair key = ItAcme.p256();
        HttpResponse<byte[]> finalized = client.finalizeOrder(order, RawAcmeClient.csr(key, List.of("ha.acme.test")));
        assertThat(finalized.statusCode()).as(text(finalized)).isEqualTo(200);
        JsonNode valid = client.awaitOrder(order.get("url").asString(), "valid");

        client.sendTo(a.url());
        HttpResponse<byte[]> download = client.postAsGet(valid.get("certificate").asString());
        assertThat(download.statusCode()).as(text(download)).isEqualTo(200);
        List<X509Certificate> chain = new ArrayList<>(Pem.readCertificates(download.body(), "chain"));
        // Byte for byte the PEM blocks of the certificates it holds, leaf first, as the CA encodes them.
        assertThat(new String(download.body(), StandardCharsets.US_ASCII)).isEqualTo(Pem.certificates(chain));
        assertThat(chain.getFirst().getPublicKey()).isEqualTo(key.getPublic());
        if (chain.getLast().getSubjectX500Principal().equals(chain.getLast().getIssuerX500Principal())) {
            chain.removeLast();
        }
        OpensslInteropTest.pkixValidate(a.root(), chain);
        String serial = new SerialNumber(chain.getFirst().getSerialNumber()).hex();
        assertThat(ItAcme.api(a).certificate(serial).get("status").asString()).isEqualTo("valid");
        assertThat(ItAcme.api(b).certificate(serial).get("status").asString()).isEqualTo("valid");
    }
}
