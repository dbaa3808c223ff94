package io.certwright.it;

import static io.certwright.it.RevocationClients.get;
import static io.certwright.it.RevocationClients.ocspStatus;
import static io.certwright.it.RevocationClients.run;
import static io.certwright.it.RevocationClients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.ca.CaBootstrap;
import io.certwright.ca.CaMaterial;
import io.certwright.ca.CaSpec;
import io.certwright.ca.InMemoryLedger;
import io.certwright.ca.Pem;
import io.certwright.ca.PublicUrls;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.server.CertwrightServer;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/// Revocation as outside clients check it, against a running server with its plain-HTTP revocation
/// listener: the `openssl ocsp` and `openssl verify -crl_check` binaries, the JDK's PKIX validator fetching
/// CRLs and OCSP from the URLs in the certificates, and a corpus of bad OCSP requests.
class RevocationRealClientsTest {

    private static final Map<String, String> ENV = Map.of("CERTWRIGHT_CA_PASSPHRASE", "revocation clients test");
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    static Path dir;

    static CertwrightServer server;
    static ServerApi api;
    static URI http;
    static Path rootPem;
    static Path intermediatePem;
    static X509Certificate root;
    static X509Certificate intermediate;

    @BeforeAll
    static void start() throws Exception {
        int port = RevocationClients.freePort();
        server = RevocationClients.start(dir.resolve("data"), port, "", ENV);
        http = server.revocationUrl().orElseThrow();
        assertThat(http.getHost()).isEqualTo("127.0.0.1");
        api = new ServerApi(server.url(), server.root(), Files.readString(server.adminTokenFile()).strip());
        root = server.root();
        JsonNode issued = ServerApi.JSON.readTree(api.requestSvid(spiffeId()).body());
        intermediate = Pem.readCertificates(issued.get("chain").get(0).asString()
                .getBytes(StandardCharsets.US_ASCII), "chain").getFirst();
        rootPem = Files.writeString(dir.resolve("root.pem"), Pem.certificate(root));
        intermediatePem = Files.writeString(dir.resolve("intermediate.pem"), Pem.certificate(intermediate));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static SpiffeId spiffeId() {
        return SpiffeId.parse("spiffe://certwright.local/ns/revocation/sa/w" + NAMES.incrementAndGet());
    }

    /// A new leaf: its serial and the path of its PEM file.
    private record Leaf(String serial, Path pem, X509Certificate certificate) {
    }

    private static Leaf leaf() throws Exception {
        ServerApi.Received r = api.issueSvid(spiffeId());
        Path pem = Files.writeString(dir.resolve("leaf-" + r.serial() + ".pem"), r.pem());
        X509Certificate c = Pem.readCertificates(r.pem().getBytes(StandardCharsets.US_ASCII), "leaf").getFirst();
        return new Leaf(r.serial(), pem, c);
    }

    private static void revoke(String serial, String reason) throws Exception {
        HttpResponse<String> r = api.post("/api/v1/certificates/" + serial + "/revoke", Map.of("reason", reason));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static OpensslInteropTest.Result ocsp(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "ocsp", "-issuer", intermediatePem.toString(),
                "-CAfile", rootPem.toString(), "-url", http + "/ocsp"));
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    // ------------------------------------------------------------------ certificates carry the URLs

    @Test
    void issuedCertificatesPointAtThePlainHttpListener() throws Exception {
        PublicUrls urls = new PublicUrls(http);
        String text = run(List.of("openssl", "x509", "-noout", "-ext",
                "crlDistributionPoints,authorityInfoAccess", "-in", leaf().pem().toString())).output();
        assertThat(text).contains(urls.crl(intermediate).toString(), urls.ocsp().toString(),
                urls.caCertificate(intermediate).toString());
        String intermediateText = run(List.of("openssl", "x509", "-noout", "-ext", "crlDistributionPoints",
                "-in", intermediatePem.toString())).output();
        assertThat(intermediateText).contains(urls.crl(root).toString());
    }

    // ------------------------------------------------------------------ openssl ocsp

    @Test
    void opensslOcspReportsGoodThenRevokedWithReasonAndVerifiesTheResponse() throws Exception {
        Leaf leaf = leaf();
        OpensslInteropTest.Result good = ocsp("-cert", leaf.pem().toString());
        assertThat(good.exit()).as(good.output()).isZero();
        assertThat(good.output()).contains("Response verify OK").contains(leaf.pem() + ": good");

        revoke(leaf.serial(), "keyCompromise");

        OpensslInteropTest.Result revoked = ocsp("-cert", leaf.pem().toString(), "-no_nonce");
        assertThat(revoked.exit()).as(revoked.output()).isZero();
        assertThat(revoked.output()).contains("Response verify OK").contains(leaf.pem() + ": revoked")
                .contains("Reason: keyCompromise").contains("Revocation Time:");
    }

    @Test
    void revocationTakesEffectForCachedOcspAnswersAtOnce() throws Exception {
        Leaf leaf = leaf();
        // Without a nonce the answer is kept by the responder; a second ask is served from the cache.
        assertThat(ocsp("-cert", leaf.pem().toString(), "-no_nonce").output()).contains(": good");
        assertThat(ocsp("-cert", leaf.pem().toString(), "-no_nonce").output()).contains(": good");
        revoke(leaf.serial(), "superseded");
        OpensslInteropTest.Result after = ocsp("-cert", leaf.pem().toString(), "-no_nonce");
        assertThat(after.output()).contains(leaf.pem() + ": revoked").contains("Reason: superseded");
    }

    @Test
    void opensslOcspReportsUnknownForASerialNeverIssuedUnderThisIssuer() throws Exception {
        OpensslInteropTest.Result r = ocsp("-serial", "0x7e57000000000000000000000000c0de");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("Response verify OK").containsIgnoringCase("0x7E57000000000000000000000000C0DE: unknown");
    }

    @Test
    void opensslOcspIsRefusedAsUnauthorizedForAnotherCasCertificate() throws Exception {
        CaMaterial other = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Other"), Clock.systemUTC(),
                new SecureRandom(), new InMemoryLedger());
        Path otherIntermediate = Files.writeString(dir.resolve("other-intermediate.pem"),
                Pem.certificate(other.intermediate()));
        OpensslInteropTest.Result r = run(List.of("openssl", "ocsp", "-issuer", otherIntermediate.toString(),
                "-serial", "0x01", "-url", http + "/ocsp", "-CAfile", rootPem.toString()));
        assertThat(r.output()).contains("Responder Error: unauthorized (6)");
    }

    @Test
    void ocspOverGetAnswersAsPostWithCachingHeadersInBothBase64Alphabets() throws Exception {
        Leaf leaf = leaf();
        Path request = dir.resolve("get-" + leaf.serial() + ".req");
        OpensslInteropTest.Result made = run(List.of("openssl", "ocsp", "-issuer", intermediatePem.toString(),
                "-cert", leaf.pem().toString(), "-no_nonce", "-reqout", request.toString()));
        assertThat(made.exit()).as(made.output()).isZero();
        byte[] der = Files.readAllBytes(request);
        List<String> encodings = List.of(
                URLEncoder.encode(Base64.getEncoder().encodeToString(der), StandardCharsets.UTF_8),
                Base64.getUrlEncoder().withoutPadding().encodeToString(der));
        for (String encoded : encodings) {
            HttpResponse<byte[]> r = get(URI.create(http + "/ocsp/" + encoded), Map.of());
            assertThat(r.statusCode()).as(encoded).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
            assertThat(r.headers().firstValue("Cache-Control").orElseThrow())
                    .matches("max-age=\\d+, public, no-transform, must-revalidate");
            assertThat(r.headers().firstValue("Last-Modified")).isPresent();
            assertThat(r.headers().firstValue("Expires")).isPresent();
            assertThat(r.headers().firstValue("ETag")).isPresent();
            Path response = Files.write(dir.resolve("get-" + leaf.serial() + ".resp"), r.body());
            OpensslInteropTest.Result checked = run(List.of("openssl", "ocsp", "-respin", response.toString(),
                    "-issuer", intermediatePem.toString(), "-cert", leaf.pem().toString(), "-CAfile",
                    rootPem.toString()));
            assertThat(checked.output()).as(encoded).contains("Response verify OK").contains(": good");
        }
    }

    // ------------------------------------------------------------------ CRLs with openssl verify

    /// Waits until the served intermediate CRL lists `serial`, and returns it as PEM in a file.
    private static Path crlListing(String serial, String name) throws Exception {
        BigInteger wanted = new BigInteger(serial, 16);
        RevocationClients.eventually("the intermediate CRL lists " + serial, () -> {
            HttpResponse<byte[]> r = get(URI.create(http + "/crl/intermediate.crl"), Map.of());
            return r.statusCode() == 200 && RevocationClients.crl(r.body()).getRevokedCertificate(wanted) != null;
        });
        HttpResponse<byte[]> pem = get(URI.create(http + "/crl/intermediate.crl?format=pem"), Map.of());
        assertThat(pem.statusCode()).isEqualTo(200);
        assertThat(pem.headers().firstValue("Content-Type")).hasValue("application/x-pem-file");
        return Files.write(dir.resolve(name), pem.body());
    }

    @Test
    void opensslVerifyWithTheDownloadedCrlsAcceptsGoodAndRejectsRevoked() throws Exception {
        Leaf good = leaf();
        Leaf bad = leaf();
        revoke(bad.serial(), "keyCompromise");
        Path crl = crlListing(bad.serial(), "intermediate-" + bad.serial() + ".crl.pem");

        List<String> verify = List.of("openssl", "verify", "-crl_check", "-CRLfile", crl.toString(), "-CAfile",
                rootPem.toString(), "-untrusted", intermediatePem.toString());
        OpensslInteropTest.Result ok = run(concat(verify, good.pem().toString()));
        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(ok.output()).contains(": OK");
        OpensslInteropTest.Result refused = run(concat(verify, bad.pem().toString()));
        assertThat(refused.exit()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("certificate revoked");

        // The whole chain: the root's CRL (listing revoked intermediates) checks the intermediate.
        HttpResponse<byte[]> rootCrl = get(URI.create(http + "/crl/root.crl"), Map.of("Accept",
                "application/x-pem-file"));
        assertThat(rootCrl.statusCode()).isEqualTo(200);
        Path rootCrlFile = Files.write(dir.resolve("root-" + bad.serial() + ".crl.pem"), rootCrl.body());
        List<String> verifyAll = List.of("openssl", "verify", "-crl_check_all", "-CRLfile", crl.toString(),
                "-CRLfile", rootCrlFile.toString(), "-CAfile", rootPem.toString(), "-untrusted",
                intermediatePem.toString());
        OpensslInteropTest.Result chainOk = run(concat(verifyAll, good.pem().toString()));
        assertThat(chainOk.exit()).as(chainOk.output()).isZero();
        OpensslInteropTest.Result chainRefused = run(concat(verifyAll, bad.pem().toString()));
        assertThat(chainRefused.output()).contains("certificate revoked");
        // Without the root's CRL the whole-chain check cannot succeed: the root CRL is really consulted.
        OpensslInteropTest.Result missing = run(concat(List.of("openssl", "verify", "-crl_check_all", "-CRLfile",
                crl.toString(), "-CAfile", rootPem.toString(), "-untrusted", intermediatePem.toString()),
                good.pem().toString()));
        assertThat(missing.exit()).as(missing.output()).isNotZero();
        assertThat(missing.output()).contains("unable to get certificate CRL");
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    @Test
    void crlsAreServedWithContentTypeCachingHeadersAndUnderEveryName() throws Exception {
        HttpResponse<byte[]> byRole = get(URI.create(http + "/crl/intermediate.crl"), Map.of());
        assertThat(byRole.statusCode()).isEqualTo(200);
        assertThat(byRole.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
        assertThat(byRole.headers().firstValue("Cache-Control").orElseThrow()).matches("public, max-age=\\d+");
        assertThat(byRole.headers().firstValue("Last-Modified")).isPresent();
        String etag = byRole.headers().firstValue("ETag").orElseThrow();
        X509CRL crl = RevocationClients.crl(byRole.body());
        crl.verify(intermediate.getPublicKey());
        assertThat(crl.getIssuerX500Principal()).isEqualTo(intermediate.getSubjectX500Principal());

        HttpResponse<byte[]> byId = get(URI.create(http + "/crl/" + PublicUrls.caId(intermediate) + ".crl"), Map.of());
        assertThat(byId.statusCode()).isEqualTo(200);
        X509CRL same = RevocationClients.crl(byId.body());
        assertThat(same.getExtensionValue("2.5.29.20")).isNotNull();
        assertThat(same.getThisUpdate().toInstant()).isBeforeOrEqualTo(java.time.Instant.now());

        HttpResponse<byte[]> notModified = get(URI.create(http + "/crl/intermediate.crl"), Map.of("If-None-Match", etag));
        assertThat(notModified.statusCode()).isIn(200, 304); // 200 only when a new CRL appeared in between
        if (notModified.statusCode() == 304) {
            assertThat(notModified.body()).isEmpty();
        }

        HttpResponse<byte[]> rootCrl = get(URI.create(http + "/crl/" + PublicUrls.caId(root) + ".crl"), Map.of());
        assertThat(rootCrl.statusCode()).isEqualTo(200);
        RevocationClients.crl(rootCrl.body()).verify(root.getPublicKey());

        HttpResponse<byte[]> caCert = get(URI.create(http + "/ca/" + PublicUrls.caId(intermediate) + ".crt"), Map.of());
        assertThat(caCert.statusCode()).isEqualTo(200);
        assertThat(caCert.headers().firstValue("Content-Type")).hasValue("application/pkix-cert");
        assertThat(caCert.body()).isEqualTo(intermediate.getEncoded());

        assertThat(get(URI.create(http + "/crl/0000.crl"), Map.of()).statusCode()).isEqualTo(404);
        assertThat(get(URI.create(http + "/crl/intermediate.crl?format=xml"), Map.of()).statusCode()).isEqualTo(400);
    }

    @Test
    void thePlainHttpListenerServesOnlyThePublicRoutes() throws Exception {
        assertThat(get(URI.create(http + "/roots.pem"), Map.of()).statusCode()).isEqualTo(200);
        assertThat(get(URI.create(http + "/healthz"), Map.of()).statusCode()).isEqualTo(200);
        for (String path : List.of("/api/v1/certificates", "/api/v1/audit", "/metrics", "/api/v1/openapi.json")) {
            HttpResponse<byte[]> r = get(URI.create(http + path), Map.of("Authorization", "Bearer nothing"));
            assertThat(r.statusCode()).as(path).isEqualTo(404);
        }
        HttpResponse<byte[]> revoke = send(URI.create(http + "/api/v1/certificates/revoke"), "POST",
                "application/json", "{\"dns\":\"**\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(revoke.statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ the JDK's PKIX validator

    private static void validate(X509Certificate leaf, Set<PKIXRevocationChecker.Option> options) throws Exception {
        CertPathValidator validator = CertPathValidator.getInstance("PKIX");
        PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
        checker.setOptions(options);
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(true);
        params.addCertPathChecker(checker);
        validator.validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf, intermediate)),
                params);
    }

    @Test
    void jdkPkixWithCrlsFromTheDistributionPointsAcceptsGoodAndRejectsRevoked() throws Exception {
        assertThat(System.getProperty("com.sun.security.enableCRLDP")).as("set by the build for CRL fetching")
                .isEqualTo("true");
        Leaf good = leaf();
        Leaf bad = leaf();
        revoke(bad.serial(), "keyCompromise");
        crlListing(bad.serial(), "pkix-" + bad.serial() + ".crl.pem");
        // CRLs only, for the whole chain: the leaf against the intermediate's CRL, the intermediate against the root's.
        Set<PKIXRevocationChecker.Option> crlsOnly = EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                PKIXRevocationChecker.Option.NO_FALLBACK);
        validate(good.certificate(), crlsOnly);
        assertThatThrownBy(() -> validate(bad.certificate(), crlsOnly))
                .isInstanceOfSatisfying(CertPathValidatorException.class, e -> assertThat(e.getReason())
                        .isEqualTo(CertPathValidatorException.BasicReason.REVOKED));
    }

    @Test
    void jdkPkixWithOcspFromTheAuthorityInformationAccessAcceptsGoodAndRejectsRevoked() throws Exception {
        Leaf good = leaf();
        Leaf bad = leaf();
        Set<PKIXRevocationChecker.Option> ocspOnly = EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY,
                PKIXRevocationChecker.Option.NO_FALLBACK);
        validate(good.certificate(), ocspOnly);
        validate(bad.certificate(), ocspOnly);
        revoke(bad.serial(), "keyCompromise");
        validate(good.certificate(), ocspOnly);
        assertThatThrownBy(() -> validate(bad.certificate(), ocspOnly))
                .isInstanceOfSatisfying(CertPathValidatorException.class, e -> assertThat(e.getReason())
                        .isEqualTo(CertPathValidatorException.BasicReason.REVOKED));
    }

    // ------------------------------------------------------------------ bulk revocation

    @Test
    void bulkRevocationBySpiffeIdPatternRevokesTheMatchingCertificatesForOcspAndReportsThem() throws Exception {
        ServerApi.Received a = api.issueSvid(SpiffeId.parse("spiffe://certwright.local/ns/bulk/sa/a"));
        ServerApi.Received b = api.issueSvid(SpiffeId.parse("spiffe://certwright.local/ns/bulk/sa/b"));
        Leaf outside = leaf();
        HttpResponse<String> r = api.post("/api/v1/certificates/revoke", Map.of("spiffe_id",
                "spiffe://certwright.local/ns/bulk/*/*", "reason", "cessationOfOperation"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = ServerApi.JSON.readTree(r.body());
        assertThat(body.get("count").asInt()).isEqualTo(2);
        List<String> serials = new ArrayList<>();
        body.get("revoked").forEach(s -> serials.add(s.asString()));
        assertThat(serials).containsExactlyInAnyOrder(a.serial(), b.serial());

        Path aPem = Files.writeString(dir.resolve("bulk-a.pem"), a.pem());
        assertThat(ocsp("-cert", aPem.toString()).output()).contains(": revoked").contains("cessationOfOperation");
        assertThat(ocsp("-cert", outside.pem().toString()).output()).contains(": good");
        assertThat(api.auditLog()).filteredOn(e -> e.event().action().equals("certificate.revoke-bulk"))
                .anySatisfy(e -> assertThat(e.event().details()).containsEntry("count", "2"));

        HttpResponse<String> bad = api.post("/api/v1/certificates/revoke", Map.of("dns", "not a pattern!"));
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> two = api.post("/api/v1/certificates/revoke", Map.of("dns", "*.example.com",
                "spiffe_id", "spiffe://certwright.local/**"));
        assertThat(two.statusCode()).as(two.body()).isEqualTo(400);
    }
}
