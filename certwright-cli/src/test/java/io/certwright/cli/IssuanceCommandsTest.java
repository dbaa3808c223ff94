package io.certwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.CaDirectory;
import io.certwright.ca.Csrs;
import io.certwright.ca.Pem;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `ca init`, `ca show`, `issue`, `csr` and `sign` against one shared CA, and the bad inputs they must
/// refuse: exit 1 (or 2 for usage errors), one `error:` line naming the problem, nothing written.
class IssuanceCommandsTest {

    @TempDir
    static Path shared;

    static Path caDir;
    static Path passphrase;
    static Cli.Result init;

    @TempDir
    Path work;

    @BeforeAll
    static void createCa() throws Exception {
        caDir = shared.resolve("ca");
        passphrase = shared.resolve("passphrase.txt");
        Files.writeString(passphrase, "correct horse battery staple\n");
        init = Cli.run("ca", "init", "--dir", caDir.toString(), "--trust-domain", "example.org", "--name", "Test CA",
                "--permit-dns", "example.com", "--permit-dns", "localhost", "--constrain-spiffe",
                "--passphrase-file", passphrase.toString());
        assertThat(init.exitCode()).as(init.err()).isZero();
    }

    // ---- successful flows ----

    @Test
    void caInitPrintsSubjectsFingerprintsValidityFilesAndKeyEncryption() throws Exception {
        CaDirectory ca = CaDirectory.open(caDir);
        assertThat(init.out())
                .contains("CN=Test CA Root CA", "CN=Test CA Intermediate CA")
                .contains(Text.sha256(ca.root()), Text.sha256(ca.intermediate()))
                .contains("permitted: DNS:example.com", "root.key", "intermediate.key", "bundle.pem")
                .contains("PBKDF2-HMAC-SHA256", "600,000");
        assertThat(Files.getPosixFilePermissions(caDir.resolve("intermediate.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void caShowNamesTrustDomainKeyCustodyProviderAndLifetimes() {
        Cli.Result r = Cli.run("ca", "show", "--dir", caDir.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("example.org", "ECDSA P-256", "present in this directory",
                CryptoProviders.describe(KeyAlgorithm.P256), "permitted: DNS:localhost", "spiffe://example.org/**")
                .containsPattern("svid\\s+1d\\s+5m\\s+30d");
    }

    @Test
    void caShowJsonIsMachineReadable() {
        Cli.Result r = Cli.run("ca", "show", "--dir", caDir.toString(), "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("{").contains("\"trustDomain\": \"example.org\"", "\"keyPresent\": true",
                "\"keyType\": \"p256\"", "\"profile\": \"server\"");
    }

    @Test
    void issueSvidWritesCertKeyChainAndBundleWithPrivateKeyOnlyForTheOwner() throws Exception {
        Path out = work.resolve("svid");
        Cli.Result r = Cli.run("issue", "--dir", caDir.toString(), "--profile", "svid",
                "--spiffe-id", "spiffe://example.org/ns/prod/sa/api", "--ttl", "1h", "--out", out.toString(),
                "--passphrase-file", passphrase.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("spiffe://example.org/ns/prod/sa/api", "Serial", "59m");
        assertThat(Files.getPosixFilePermissions(out.resolve("key.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<X509Certificate> chain = read(out.resolve("chain.pem"));
        List<X509Certificate> bundle = read(out.resolve("bundle.pem"));
        assertThat(chain).hasSize(2);
        assertThat(read(out.resolve("cert.pem"))).containsExactly(chain.getFirst());
        validate(chain, bundle.getFirst());
        var key = Pem.readPrivateKey(Files.readString(out.resolve("key.pem")), "key.pem");
        JcaSigningKey.of(KeyAlgorithm.P256, key, chain.getFirst().getPublicKey());
        assertThat(CertificateReport.spiffeId(chain.getFirst())).map(SpiffeId::toString)
                .contains("spiffe://example.org/ns/prod/sa/api");
    }

    @Test
    void csrThenSignRoundTripIssuesForTheCsrKey() throws Exception {
        Path req = work.resolve("req");
        Path out = work.resolve("signed");
        Cli.Result csr = Cli.run("csr", "--key-type", "p384", "--dns", "api.example.com", "--ip", "10.1.2.3",
                "--out", req.toString());
        assertThat(csr.exitCode()).as(csr.err()).isZero();
        assertThat(Files.getPosixFilePermissions(req.resolve("key.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Cli.Result sign = Cli.run("sign", "--dir", caDir.toString(), "--csr", req.resolve("csr.pem").toString(),
                "--profile", "server", "--ttl", "2h", "--out", out.toString(), "--passphrase-file", passphrase.toString());
        assertThat(sign.exitCode()).as(sign.err()).isZero();
        List<X509Certificate> chain = read(out.resolve("chain.pem"));
        X509Certificate leaf = read(out.resolve("cert.pem")).getFirst();
        assertThat(CertificateReport.sans(leaf)).extracting(Object::toString)
                .containsExactly("DNS:api.example.com", "IP:10.1.2.3");
        var key = Pem.readPrivateKey(Files.readString(req.resolve("key.pem")), "key.pem");
        JcaSigningKey.of(KeyAlgorithm.P384, key, leaf.getPublicKey());
        validate(chain, CaDirectory.open(caDir).root());
    }

    @Test
    void caImportAdoptsARootWithItsEncryptedKeyAndGeneratesANewIntermediate() throws Exception {
        Path dir = work.resolve("imported");
        Cli.Result r = Cli.run("ca", "import", "--dir", dir.toString(), "--root-cert", caDir.resolve("root.crt").toString(),
                "--root-key", caDir.resolve("root.key").toString(), "--passphrase-file", passphrase.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        CaDirectory imported = CaDirectory.open(dir);
        CaDirectory original = CaDirectory.open(caDir);
        assertThat(imported.root()).isEqualTo(original.root());
        assertThat(imported.intermediate()).isNotEqualTo(original.intermediate());
        assertThat(imported.hasRootKey()).isTrue();
        assertThat(imported.config().name()).isEqualTo("Test CA");
        assertThat(imported.config().trustDomain()).map(Object::toString).contains("example.org");
        assertThat(r.out()).contains("Intermediate CA (new)", Text.sha256(original.root()));
    }

    @Test
    void caImportKeepsTheRootKeyOfflineWhenGivenAnIntermediateWithAnUnencryptedKey() throws Exception {
        Path plainKey = work.resolve("intermediate-plain.key");
        try (var p = io.certwright.ca.keys.Passphrase.fromFile(passphrase)) {
            Files.writeString(plainKey, Pem.privateKey(Pem.readEncryptedPrivateKey(
                    Files.readString(caDir.resolve("intermediate.key")), p, "intermediate.key")));
        }
        Path dir = work.resolve("offline-root");
        Cli.Result r = Cli.run("ca", "import", "--dir", dir.toString(), "--root-cert", caDir.resolve("root.crt").toString(),
                "--intermediate-cert", caDir.resolve("intermediate.crt").toString(), "--intermediate-key",
                plainKey.toString(), "--name", "Adopted", "--passphrase-file", passphrase.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        CaDirectory imported = CaDirectory.open(dir);
        assertThat(imported.hasRootKey()).isFalse();
        assertThat(imported.intermediate()).isEqualTo(CaDirectory.open(caDir).intermediate());
        assertThat(Files.readString(dir.resolve("intermediate.key"))).contains("ENCRYPTED PRIVATE KEY");
        assertThat(Cli.run("ca", "show", "--dir", dir.toString()).out()).contains("offline", "Adopted");
    }

    @Test
    void caImportWithoutAnyKeyIsAUsageError() {
        Path dir = work.resolve("no-keys");
        Cli.Result r = Cli.run("ca", "import", "--dir", dir.toString(), "--root-cert", caDir.resolve("root.crt").toString(),
                "--passphrase-file", passphrase.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--root-key");
        assertThat(dir).doesNotExist();
    }

    // ---- bad inputs: exit code, one error line, nothing written ----

    @Test
    void signRejectsAGarbageFileAsCsr() throws Exception {
        Path bad = Files.writeString(work.resolve("garbage.csr"), "this is not a certificate request\n");
        assertRefused(sign(bad, "server"), 1, "no PEM data found");
    }

    @Test
    void signRejectsGarbageDerAsMalformedCsr() throws Exception {
        Path bad = Files.write(work.resolve("garbage.der"), new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});
        assertRefused(sign(bad, "server"), 1, "csr.malformed");
    }

    @Test
    void signRejectsATruncatedPem() throws Exception {
        String pem = Pem.csr(csr(SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://example.org/a"))));
        Path bad = Files.writeString(work.resolve("truncated.csr"), pem.substring(0, pem.length() / 2));
        assertRefused(sign(bad, "svid"), 1, "malformed PEM");
    }

    @Test
    void signRejectsACertificateGivenAsCsr() {
        assertRefused(sign(caDir.resolve("root.crt"), "server"), 1, "expected PEM CERTIFICATE REQUEST but found [CERTIFICATE]");
    }

    @Test
    void signRejectsACsrWhoseSignatureIsCorrupted() throws Exception {
        byte[] der = csr(new SubjectNames(List.of("www.example.com"), List.of(), List.of(), List.of()));
        der[der.length - 1] ^= 0x01;
        Path bad = Files.writeString(work.resolve("corrupt.csr"), Pem.csr(der));
        assertRefused(sign(bad, "server"), 1, "csr.signature");
    }

    @Test
    void signRejectsACsrForASpiffeIdInAnotherTrustDomain() throws Exception {
        Path bad = Files.writeString(work.resolve("other-td.csr"),
                Pem.csr(csr(SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://evil.example/ns/x/sa/y")))));
        assertRefused(sign(bad, "svid"), 1, "san.spiffe-id", "spiffe://evil.example/ns/x/sa/y");
    }

    @Test
    void signRejectsACsrWithAnRsa1024Key() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        KeyPair weak = g.generateKeyPair();
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=weak.example.com"), weak.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(weak.getPrivate())).getEncoded();
        Path bad = Files.writeString(work.resolve("rsa1024.csr"), Pem.csr(der));
        assertRefused(sign(bad, "server"), 1, "key.type", "1024");
    }

    @Test
    void issueRejectsTtlAboveProfileMaximum() {
        assertRefused(issue("--profile", "server", "--dns", "www.example.com", "--ttl", "400d"), 1, "ttl.maximum",
                "400d", "90d");
    }

    @Test
    void issueRejectsADnsNameOutsideTheNameConstraints() {
        assertRefused(issue("--profile", "server", "--dns", "www.example.net"), 1, "san.dns", "www.example.net");
    }

    @Test
    void issueRejectsAWrongPassphrase() throws Exception {
        Path wrong = Files.writeString(work.resolve("wrong.txt"), "not the passphrase\n");
        Path out = work.resolve("out");
        Cli.Result r = Cli.run("issue", "--dir", caDir.toString(), "--profile", "server", "--dns", "www.example.com",
                "--out", out.toString(), "--passphrase-file", wrong.toString());
        assertRefused(r, 1, "wrong passphrase");
    }

    @Test
    void issueRejectsAnUnknownProfileAsUsageError() {
        assertRefused(issue("--profile", "webserver", "--dns", "www.example.com"), 2, "unknown profile 'webserver'");
    }

    @Test
    void issueRejectsAMalformedIpAddressAsUsageError() {
        assertRefused(issue("--profile", "server", "--ip", "10.0.0.256"), 2, "invalid IP address '10.0.0.256'");
    }

    @Test
    void issueRejectsAnUnknownOptionAsUsageError() {
        assertRefused(issue("--profile", "server", "--dns", "www.example.com", "--colour"), 2, "--colour");
    }

    @Test
    void issueRejectsAMissingCaDirectory() {
        Path out = work.resolve("out");
        Cli.Result r = Cli.run("issue", "--dir", work.resolve("no-such-ca").toString(), "--profile", "server",
                "--dns", "www.example.com", "--out", out.toString(), "--passphrase-file", passphrase.toString());
        assertRefused(r, 1, "no CA in", "certwright ca init");
    }

    @Test
    void issueWithoutAnyPassphraseSourceSaysWhereToGiveOne() {
        Path out = work.resolve("out");
        Cli.Result r = Cli.run("issue", "--dir", caDir.toString(), "--profile", "server", "--dns", "www.example.com",
                "--out", out.toString());
        assertRefused(r, 1, Passphrases.NONE);
    }

    @Test
    void issueReadsThePassphraseFromTheEnvironment() {
        Path out = work.resolve("env");
        Cli.Result r = Cli.run(java.util.Map.of("CERTWRIGHT_CA_PASSPHRASE", "correct horse battery staple"), "issue",
                "--dir", caDir.toString(), "--profile", "client", "--email", "ops@example.com", "--out", out.toString());
        // the CA policy admits no email names by default
        assertRefused(r, 1, "san.email");
        Cli.Result ok = Cli.run(java.util.Map.of("CERTWRIGHT_CA_PASSPHRASE", "correct horse battery staple"), "issue",
                "--dir", caDir.toString(), "--profile", "mtls", "--dns", "localhost", "--out", out.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
    }

    @Test
    void csrWithoutAnyNameIsRefusedBeforeAKeyIsWritten() {
        Path out = work.resolve("req");
        assertRefused(Cli.run("csr", "--out", out.toString()), 1, "at least one name");
    }

    @Test
    void caInitRefusesToOverwriteAnExistingCa() {
        Cli.Result r = Cli.run("ca", "init", "--dir", caDir.toString(), "--passphrase-file", passphrase.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().startsWith("error: ").contains("already holds a CA");
    }

    @Test
    void caInitRefusesASpiffeConstraintWithoutTrustDomainAndCreatesNothing() {
        Path dir = work.resolve("new-ca");
        Cli.Result r = Cli.run("ca", "init", "--dir", dir.toString(), "--constrain-spiffe",
                "--passphrase-file", passphrase.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().contains("--constrain-spiffe needs --trust-domain");
        assertThat(dir).doesNotExist();
    }

    // ---- helpers ----

    private Cli.Result sign(Path csr, String profile) {
        return Cli.run("sign", "--dir", caDir.toString(), "--csr", csr.toString(), "--profile", profile,
                "--out", work.resolve("out").toString(), "--passphrase-file", passphrase.toString());
    }

    private Cli.Result issue(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("issue", "--dir", caDir.toString(),
                "--out", work.resolve("out").toString(), "--passphrase-file", passphrase.toString()));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(new String[0]));
    }

    /// Exit code, exactly one stderr line `error: ...` naming the problem, and no output directory.
    private void assertRefused(Cli.Result r, int exitCode, String... mentions) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(exitCode);
        assertThat(r.errLines()).as(r.err()).singleElement().asString().startsWith("error: ").contains(mentions)
                .doesNotContain("Exception", "\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(work.resolve("out")).doesNotExist();
        assertThat(work.resolve("req")).doesNotExist();
    }

    private static byte[] csr(SubjectNames names) throws Exception {
        KeyPair kp = CryptoProviders.generate(KeyAlgorithm.P256);
        return Csrs.create(JcaSigningKey.of(KeyAlgorithm.P256, kp.getPrivate(), kp.getPublic()), names, Optional.empty());
    }

    private static List<X509Certificate> read(Path file) throws Exception {
        return Pem.readCertificates(Files.readString(file).getBytes(StandardCharsets.US_ASCII), file.toString());
    }

    private static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain),
                params);
    }
}
