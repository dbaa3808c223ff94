package io.certwright.it;

import static io.certwright.it.RevocationClients.ocspStatus;
import static io.certwright.it.RevocationClients.run;
import static io.certwright.it.RevocationClients.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSpec;
import io.certwright.ca.InMemoryLedger;
import io.certwright.ca.Pem;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.server.CertwrightServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Bad OCSP requests over HTTP, built with the real `openssl ocsp` where they are well-formed but refused:
/// each gets its exact OCSP status (with HTTP 200, as RFC 6960 A.1 expects) or a 4xx for HTTP-level
/// problems, never a 5xx.
class OcspBadInputOverHttpTest {

    private static final Map<String, String> ENV = Map.of("CERTWRIGHT_CA_PASSPHRASE", "ocsp bad input test");
    private static final int MALFORMED_REQUEST = 1;
    private static final int UNAUTHORIZED = 6;
    private static final int SUCCESSFUL = 0;
    /// No OCSP body is expected: the refusal is at the HTTP level.
    private static final int NONE = -1;

    @TempDir
    static Path dir;

    static CertwrightServer server;
    static URI http;
    static byte[] single;
    static byte[] multi;
    static byte[] sha224;
    static byte[] foreign;

    @BeforeAll
    static void start() throws Exception {
        server = RevocationClients.start(dir.resolve("data"), RevocationClients.freePort(), "", ENV);
        http = server.revocationUrl().orElseThrow();
        ServerApi api = new ServerApi(server.url(), server.root(), Files.readString(server.adminTokenFile()).strip());
        ServerApi.Received leaf = api.issueSvid(SpiffeId.parse("spiffe://certwright.local/ns/bad/sa/input"));
        String chain = ServerApi.JSON.readTree(api.requestSvid(SpiffeId.parse(
                "spiffe://certwright.local/ns/bad/sa/chain")).body()).get("chain").get(0).asString();
        Path issuer = Files.writeString(dir.resolve("intermediate.pem"), chain);
        Path leafPem = Files.writeString(dir.resolve("leaf.pem"), leaf.pem());
        single = request(List.of("-issuer", issuer.toString(), "-cert", leafPem.toString(), "-no_nonce"), "single");
        multi = request(List.of("-issuer", issuer.toString(), "-serial", "0x01", "-serial", "0x02"), "multi");
        sha224 = request(List.of("-sha224", "-issuer", issuer.toString(), "-cert", leafPem.toString()), "sha224");
        CaMaterial other = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Other"), Clock.systemUTC(),
                new SecureRandom(), new InMemoryLedger());
        Path otherIssuer = Files.writeString(dir.resolve("other.pem"), Pem.certificate(other.intermediate()));
        foreign = request(List.of("-issuer", otherIssuer.toString(), "-serial", "0x01"), "foreign");
    }

    private static byte[] request(List<String> args, String name) throws Exception {
        Path out = dir.resolve(name + ".req");
        List<String> cmd = new ArrayList<>(List.of("openssl", "ocsp", "-reqout", out.toString()));
        cmd.addAll(args);
        OpensslInteropTest.Result r = run(cmd);
        assertThat(r.exit()).as(r.output()).isZero();
        return Files.readAllBytes(out);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /// One request of the corpus and what must come back.
    @SuppressWarnings("ArrayRecordComponent") // built once, never modified
    record Case(String name, String method, String path, String contentType, byte[] body, int httpStatus,
            int ocspStatus) {
    }

    private static Case post(String name, byte[] body, int ocspStatus) {
        return new Case(name, "POST", "/ocsp", "application/ocsp-request", body, 200, ocspStatus);
    }

    private static Case getPath(String name, String encoded, int httpStatus, int ocspStatus) {
        return new Case(name, "GET", "/ocsp/" + encoded, "", new byte[0], httpStatus, ocspStatus);
    }

    static List<Case> corpus() {
        byte[] oversized = new byte[64 * 1024 + 1];
        Arrays.fill(oversized, (byte) 0x30);
        List<Case> cases = new ArrayList<>(List.of(
                post("ok a well-formed request", single, SUCCESSFUL),
                post("fail garbage", "hello, responder".getBytes(StandardCharsets.US_ASCII), MALFORMED_REQUEST),
                post("fail empty body", new byte[0], MALFORMED_REQUEST),
                post("fail truncated", Arrays.copyOf(single, single.length - 7), MALFORMED_REQUEST),
                post("fail one byte", new byte[] {0x30}, MALFORMED_REQUEST),
                post("fail trailing bytes", Arrays.copyOf(single, single.length + 3), MALFORMED_REQUEST),
                post("fail two certificates in one request", multi, MALFORMED_REQUEST),
                post("fail CertID hashed with SHA-224", sha224, MALFORMED_REQUEST),
                post("fail another CA's certificate", foreign, UNAUTHORIZED),
                new Case("fail wrong content type", "POST", "/ocsp", "text/plain", single, 200, MALFORMED_REQUEST),
                new Case("fail no content type", "POST", "/ocsp", "", single, 200, MALFORMED_REQUEST),
                new Case("fail body over 64 KiB", "POST", "/ocsp", "application/ocsp-request", oversized, 413, NONE),
                new Case("fail PUT", "PUT", "/ocsp", "application/ocsp-request", single, 405, NONE),
                new Case("fail GET without a request", "GET", "/ocsp", "", new byte[0], 405, NONE),
                new Case("fail DELETE of a GET request", "DELETE", "/ocsp/MAA", "", new byte[0], 405, NONE),
                getPath("ok GET standard base64", Base64.getEncoder().encodeToString(single)
                        .replace("/", "%2F").replace("+", "%2B").replace("=", "%3D"), 200, SUCCESSFUL),
                getPath("ok GET URL-safe base64 without padding",
                        Base64.getUrlEncoder().withoutPadding().encodeToString(single), 200, SUCCESSFUL),
                getPath("fail GET not base64", "not*base64!", 200, MALFORMED_REQUEST),
                getPath("fail GET base64 of garbage", "aGVsbG8gcmVzcG9uZGVy", 200, MALFORMED_REQUEST),
                getPath("fail GET padding in the middle", "MA==MA==", 200, MALFORMED_REQUEST),
                getPath("fail GET percent-encoded control characters, refused by the HTTP layer", "%00%01%02",
                        400, NONE),
                getPath("fail GET percent-encoded non-base64", "%7B%7D", 200, MALFORMED_REQUEST),
                getPath("fail GET base64 of a truncated request",
                        Base64.getUrlEncoder().encodeToString(Arrays.copyOf(single, single.length / 2)), 200,
                        MALFORMED_REQUEST),
                getPath("fail GET of another CA's certificate", Base64.getUrlEncoder().encodeToString(foreign),
                        200, UNAUTHORIZED),
                getPath("fail GET of two certificates", Base64.getUrlEncoder().encodeToString(multi), 200,
                        MALFORMED_REQUEST)));
        return cases;
    }

    @Test
    void badOcspRequestsGetTheirExactStatusAndNeverA5xx() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Case c : corpus()) {
            HttpResponse<byte[]> r = send(URI.create(http + c.path()), c.method(), c.contentType(), c.body());
            if (r.statusCode() >= 500) {
                failures.add(c.name() + ": HTTP " + r.statusCode());
                continue;
            }
            if (r.statusCode() != c.httpStatus()) {
                failures.add(c.name() + ": HTTP " + r.statusCode() + ", expected " + c.httpStatus());
                continue;
            }
            if (c.ocspStatus() == NONE) {
                if (!r.headers().firstValue("Content-Type").orElse("").equals("application/problem+json")) {
                    failures.add(c.name() + ": expected a problem, got " + r.headers().firstValue("Content-Type"));
                }
                continue;
            }
            if (!r.headers().firstValue("Content-Type").orElse("").equals("application/ocsp-response")) {
                failures.add(c.name() + ": content type " + r.headers().firstValue("Content-Type"));
                continue;
            }
            int status = ocspStatus(r.body());
            if (status != c.ocspStatus()) {
                failures.add(c.name() + ": OCSP status " + status + ", expected " + c.ocspStatus());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aHugeGetUrlIsRefusedAtTheHttpLevelNotWithA5xx() throws Exception {
        String huge = "A".repeat(64 * 1024);
        HttpResponse<byte[]> r = send(URI.create(http + "/ocsp/" + huge), "GET", "", new byte[0]);
        assertThat(r.statusCode()).isBetween(400, 499);
    }

    @Test
    void metricsCountOcspAnswersByStatus() throws Exception {
        send(URI.create(http + "/ocsp"), "POST", "application/ocsp-request", single);
        send(URI.create(http + "/ocsp"), "POST", "application/ocsp-request", new byte[] {1});
        ServerApi api = new ServerApi(server.url(), server.root(), Files.readString(server.adminTokenFile()).strip());
        String text = api.get("/metrics").body();
        assertThat(text).contains("certwright_ocsp_responses_total{status=\"good\"}")
                .contains("certwright_ocsp_responses_total{status=\"malformedRequest\"}")
                .contains("certwright_crl_number{ca=\"intermediate\"}")
                .contains("certwright_crl_age_seconds{ca=\"root\"}");
    }
}
