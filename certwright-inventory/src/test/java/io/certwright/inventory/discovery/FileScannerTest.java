package io.certwright.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// File and keystore discovery over a real directory tree with good files and a corpus of bad ones.
class FileScannerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    static TestPki.Issued root;
    static TestPki.Issued intermediate;
    static TestPki.Issued leaf;
    static TestPki.Issued other;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        root = TestPki.selfSigned(TestPki.Spec.ca("Files Root"));
        intermediate = TestPki.issue(root, TestPki.Spec.ca("Files Intermediate"));
        leaf = TestPki.issue(intermediate, TestPki.Spec.leaf("files.test", "files.test"));
        other = TestPki.selfSigned(TestPki.Spec.leaf("other.test", "other.test"));
    }

    static String pem(X509Certificate... certs) throws Exception {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : certs) {
            b.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return b.toString();
    }

    private ScanReport scan(KeystorePasswords passwords, Path... paths) {
        return new FileScanner(passwords, CLOCK).scan(List.of(paths), ScanListener.NONE);
    }

    private Path keystore(String type, String name, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(null, null);
        ks.setKeyEntry("server", leaf.privateKey(), password, leaf.chain().toArray(X509Certificate[]::new));
        ks.setCertificateEntry("root", root.leaf());
        Path f = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(f)) {
            ks.store(out, password);
        }
        return f;
    }

    @Test
    void aFullChainPemIsOneFindingAndABundleOfRootsIsOnePerRoot() throws Exception {
        Path chain = Files.writeString(dir.resolve("fullchain.pem"), pem(leaf.leaf(), intermediate.leaf()));
        Path bundle = Files.writeString(dir.resolve("roots.crt"), pem(root.leaf(), other.leaf()));
        ScanReport r = scan(KeystorePasswords.defaults(), chain, bundle);
        assertThat(r.errors()).isEmpty();
        assertThat(r.findings()).extracting(Finding::place).containsExactly(
                new Place.File(chain, 1), new Place.File(bundle, 1), new Place.File(bundle, 2));
        assertThat(r.findings().getFirst().chain()).containsExactly(leaf.leaf(), intermediate.leaf());
        assertThat(r.findings().getFirst().seenAt()).isEqualTo(CLOCK.instant());
        assertThat(r.findings().getFirst().tls()).isEmpty();
    }

    @Test
    void derCertificatesAreFound() throws Exception {
        Path der = Files.write(dir.resolve("leaf.der"), leaf.leaf().getEncoded());
        assertThat(scan(KeystorePasswords.defaults(), der).findings()).singleElement()
                .extracting(Finding::leafSha256).isEqualTo(Finding.sha256(leaf.leaf()));
    }

    @Test
    void keystoresAreOpenedWithTheDefaultPasswordsAndEveryEntryIsRecorded() throws Exception {
        Path p12 = keystore("PKCS12", "server.p12", "changeit".toCharArray());
        Path jks = keystore("JKS", "server.jks", new char[0]);
        ScanReport r = scan(KeystorePasswords.defaults(), p12, jks);
        assertThat(r.errors()).isEmpty();
        assertThat(r.findings()).extracting(Finding::place).containsExactlyInAnyOrder(
                new Place.KeystoreEntry(p12, "PKCS12", "server", Place.EntryKind.PRIVATE_KEY),
                new Place.KeystoreEntry(p12, "PKCS12", "root", Place.EntryKind.TRUSTED_CERTIFICATE),
                new Place.KeystoreEntry(jks, "JKS", "server", Place.EntryKind.PRIVATE_KEY),
                new Place.KeystoreEntry(jks, "JKS", "root", Place.EntryKind.TRUSTED_CERTIFICATE));
        assertThat(r.findings()).filteredOn(f -> ((Place.KeystoreEntry) f.place()).alias().equals("server"))
                .allSatisfy(f -> assertThat(f.chain()).containsExactlyElementsOf(leaf.chain()));
    }

    @Test
    void aKeystoreOpensWithAGivenPasswordAndOtherwiseIsAWrongPasswordError() throws Exception {
        Path p12 = keystore("PKCS12", "secret.p12", "s3cret-pass".toCharArray());
        Path jks = keystore("JKS", "secret.jks", "s3cret-pass".toCharArray());
        ScanReport without = scan(KeystorePasswords.defaults(), p12, jks);
        assertThat(without.findings()).isEmpty();
        assertThat(without.errors()).extracting(ScanError::kind)
                .containsExactly(ErrorKind.WRONG_PASSWORD, ErrorKind.WRONG_PASSWORD);
        assertThat(without.errors()).allSatisfy(e -> assertThat(e.message()).doesNotContain("changeit"));
        ScanReport with = scan(KeystorePasswords.of(List.of("wrong".toCharArray(), "s3cret-pass".toCharArray())), p12, jks);
        assertThat(with.errors()).isEmpty();
        assertThat(with.findings()).hasSize(4);
    }

    @Test
    void passwordsNeverAppearInToString() {
        assertThat(KeystorePasswords.of(List.of("hunter2".toCharArray())).toString())
                .doesNotContain("hunter2", "changeit").contains("3 passwords");
    }

    @Test
    void aDirectoryIsWalkedRecursivelyAndEveryBadFileIsOneErrorWhileTheWalkGoesOn() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("etc/ssl/deep/er"));
        Files.writeString(tree.resolve("good.pem"), pem(leaf.leaf(), intermediate.leaf()));
        Files.writeString(dir.resolve("etc/no-extension-but-pem"), "junk before\n" + pem(other.leaf()));
        Files.writeString(dir.resolve("etc/readme.txt"), "not a certificate, and not named like one");
        Files.write(dir.resolve("etc/garbage.crt"), new byte[] {1, 2, 3, 4, 5});
        Files.writeString(dir.resolve("etc/broken.pem"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n"
                + "-----END CERTIFICATE-----\n" + pem(root.leaf()));
        Files.writeString(dir.resolve("etc/cut.pem"), pem(root.leaf()).substring(0, 200));
        Files.write(dir.resolve("etc/empty.cer"), new byte[0]);
        Files.createSymbolicLink(dir.resolve("etc/dangling.pem"), dir.resolve("etc/absent.pem"));
        Files.createSymbolicLink(dir.resolve("etc/ssl/loop"), dir.resolve("etc"));
        Path fifo = dir.resolve("etc/pipe.pem");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        Files.write(dir.resolve("etc/fake.p12"), new byte[] {0x30, 0x03, 0x02, 0x01, 0x03});
        keystore("PKCS12", "etc/locked.pfx", "unknown".toCharArray());

        ScanReport r = scan(KeystorePasswords.defaults(), dir.resolve("etc"), dir.resolve("missing-dir"));

        assertThat(r.findings()).extracting(f -> dir.relativize(((Place.File) f.place()).path()).toString())
                .containsExactlyInAnyOrder("etc/ssl/deep/er/good.pem", "etc/no-extension-but-pem", "etc/broken.pem");
        assertThat(r.errors()).extracting(e -> dir.relativize(Path.of(e.target().replaceAll(" \\(.*", ""))) + " "
                + e.kind()).containsExactlyInAnyOrder(
                "etc/garbage.crt malformed-certificate",
                "etc/broken.pem malformed-certificate",
                "etc/cut.pem malformed-certificate",
                "etc/empty.cer malformed-certificate",
                "etc/dangling.pem unreadable",
                "etc/ssl/loop unreadable",
                "etc/pipe.pem unreadable",
                "etc/fake.p12 malformed-certificate",
                "etc/locked.pfx wrong-password",
                "missing-dir unreadable");
        assertThat(r.errors()).filteredOn(e -> e.target().endsWith("pipe.pem")).singleElement()
                .extracting(ScanError::message).asString().contains("not a regular file");
        assertThat(r.errors()).filteredOn(e -> e.target().endsWith("loop")).singleElement()
                .extracting(ScanError::message).asString().contains("loop");
    }
}
