package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.keys.Passphrase;
import io.certwright.ca.keys.WrongPassphraseException;
import io.certwright.ca.profile.Profile;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/// Key custody on disk. One CA directory is created for the whole class: each key file costs a
/// 600,000-iteration PBKDF2 run to write and another to read.
class KeyFileTest {

    private static final String SECRET = "correct horse battery staple";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-03-01T10:00:00Z"), ZoneOffset.UTC);

    private static Path ca;
    private static Path right;
    private static Path wrong;

    @BeforeAll
    static void init(@TempDir Path tmp) throws Exception {
        ca = tmp.resolve("ca");
        CaSpec spec = CaSpec.of(KeyAlgorithm.P256, "Files").withTrustDomain(new TrustDomain("example.org"), true);
        try (Passphrase p = Passphrase.of(SECRET.toCharArray())) {
            CaDirectory.init(ca, spec, p, CLOCK);
        }
        right = tmp.resolve("right.pass");
        wrong = tmp.resolve("wrong.pass");
        Files.writeString(right, SECRET + "\n");
        Files.writeString(wrong, "incorrect horse\n");
    }

    private static String read(String file) throws IOException {
        return Files.readString(ca.resolve(file), StandardCharsets.US_ASCII);
    }

    private static byte[] der(String pem) throws IOException {
        try (PemReader r = new PemReader(new java.io.StringReader(pem))) {
            return r.readPemObject().getContent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {CaDirectory.ROOT_KEY, CaDirectory.INTERMEDIATE_KEY})
    void keyFileIsReadableAndWritableByTheOwnerOnly(String file) throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve(file))))
                .isEqualTo("rw-------");
    }

    @Test
    void caDirectoryAndLedgerAreOwnerOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve(CaDirectory.LEDGER))))
                .isEqualTo("rwx------");
    }

    @ParameterizedTest
    @ValueSource(strings = {CaDirectory.ROOT_CERT, CaDirectory.INTERMEDIATE_CERT, CaDirectory.BUNDLE, CaDirectory.CONFIG})
    void publicFilesAreWorldReadable(String file) throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve(file))))
                .isEqualTo("rw-r--r--");
    }

    @ParameterizedTest
    @ValueSource(strings = {CaDirectory.ROOT_KEY, CaDirectory.INTERMEDIATE_KEY})
    void keyFileIsEncryptedPkcs8Pem(String file) throws Exception {
        String pem = read(file);

        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
                .endsWith("-----END ENCRYPTED PRIVATE KEY-----\n")
                .doesNotContain("BEGIN PRIVATE KEY");
    }

    @ParameterizedTest
    @ValueSource(strings = {CaDirectory.ROOT_KEY, CaDirectory.INTERMEDIATE_KEY})
    void keyFileUsesPbes2WithPbkdf2HmacSha256AtLeast600000IterationsAndAes256Cbc(String file) throws Exception {
        EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(der(read(file)));

        assertThat(info.getEncryptionAlgorithm().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_PBES2);
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        KeyDerivationFunc kdf = pbes2.getKeyDerivationFunc();
        assertThat(kdf.getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_PBKDF2);
        PBKDF2Params pbkdf2 = PBKDF2Params.getInstance(kdf.getParameters());
        assertThat(pbkdf2.getIterationCount().intValueExact()).isGreaterThanOrEqualTo(600_000);
        assertThat(pbkdf2.getPrf().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_hmacWithSHA256);
        assertThat(pbkdf2.getSalt()).hasSizeGreaterThanOrEqualTo(16);
        EncryptionScheme scheme = pbes2.getEncryptionScheme();
        assertThat(scheme.getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_aes256_CBC);
        assertThat(ASN1OctetString.getInstance(scheme.getParameters()).getOctets()).hasSize(16);
    }

    @Test
    void keyFilesUseDifferentSaltsAndIvs() throws Exception {
        var a = PBES2Parameters.getInstance(EncryptedPrivateKeyInfo.getInstance(der(read(CaDirectory.ROOT_KEY)))
                .getEncryptionAlgorithm().getParameters());
        var b = PBES2Parameters.getInstance(EncryptedPrivateKeyInfo.getInstance(der(read(CaDirectory.INTERMEDIATE_KEY)))
                .getEncryptionAlgorithm().getParameters());

        assertThat(PBKDF2Params.getInstance(a.getKeyDerivationFunc().getParameters()).getSalt())
                .isNotEqualTo(PBKDF2Params.getInstance(b.getKeyDerivationFunc().getParameters()).getSalt());
        assertThat(ASN1OctetString.getInstance(a.getEncryptionScheme().getParameters()).getOctets())
                .isNotEqualTo(ASN1OctetString.getInstance(b.getEncryptionScheme().getParameters()).getOctets());
    }

    @Test
    void unlockWithTheWrongPassphraseNamesTheFileAndRevealsNothing() throws Exception {
        CaDirectory dir = CaDirectory.open(ca);
        String keyPem = read(CaDirectory.INTERMEDIATE_KEY);

        WrongPassphraseException e;
        try (Passphrase p = Passphrase.of("incorrect horse".toCharArray())) {
            e = assertThrows(WrongPassphraseException.class, () -> dir.unlock(p, CLOCK));
        }

        assertThat(e).hasMessage("wrong passphrase for " + ca.resolve(CaDirectory.INTERMEDIATE_KEY));
        assertThat(e.getCause()).isNull();
        String body = keyPem.lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
        assertThat(e.getMessage()).doesNotContain(body.substring(0, 16)).doesNotContain("incorrect horse")
                .doesNotContain(SECRET);
        assertThat(List.of(e.getStackTrace())).isNotEmpty();
    }

    @Test
    void unlockWithTheRightPassphraseIssuesIntoTheDirectorysLedger() throws Exception {
        CaDirectory dir = CaDirectory.open(ca);
        CertificateAuthority authority;
        try (Passphrase p = Passphrase.of(SECRET.toCharArray())) {
            authority = dir.unlock(p, CLOCK);
        }

        IssuedCertificate issued = authority.issue(new IssuanceRequest(Profile.SVID,
                CaFixture.keyPair(KeyAlgorithm.P256).getPublic(), Optional.empty(),
                io.certwright.ca.profile.SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://example.org/from-disk")),
                Optional.empty()));

        issued.certificate().verify(dir.intermediate().getPublicKey());
        assertThat(FileLedger.open(ca.resolve(CaDirectory.LEDGER)).find(issued.serial()))
                .hasValueSatisfying(entry -> assertThat(entry.signed()).isTrue());
    }

    @Test
    void initRefusesADirectoryThatAlreadyHoldsACa() {
        CaSpec spec = CaSpec.of(KeyAlgorithm.P256, "Again");

        CaException e = assertThrows(CaException.class,
                () -> CaDirectory.init(ca, spec, Passphrase.of("x".toCharArray()), CLOCK));

        assertThat(e).hasMessageContaining("already holds a CA");
    }

    private static Process openssl(Path passFile, String... extra) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "pkey", "-in",
                ca.resolve(CaDirectory.INTERMEDIATE_KEY).toString(), "-passin", "file:" + passFile));
        cmd.addAll(List.of(extra));
        // No fallback when openssl is missing: the IOException fails the test, it never skips.
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String finish(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        return out;
    }

    @Test
    void opensslDecryptsTheKeyFileWithTheRightPassphrase() throws Exception {
        Process p = openssl(right, "-pubout");

        String out = finish(p);

        assertThat(p.exitValue()).as(out).isZero();
        String expected = io.certwright.ca.internal.x509.PemCodec.encode("PUBLIC KEY",
                CaDirectory.open(ca).intermediate().getPublicKey().getEncoded());
        assertThat(out.replace("\r", "")).isEqualTo(expected.replace("\r", ""));
    }

    @Test
    void opensslRefusesTheKeyFileWithTheWrongPassphrase() throws Exception {
        Process p = openssl(wrong, "-noout");

        String out = finish(p);

        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).doesNotContain("BEGIN PRIVATE KEY");
    }

    @Test
    void passphraseToStringRevealsNothing() {
        Passphrase p = Passphrase.of(SECRET.toCharArray());

        assertThat(p.toString()).doesNotContain(SECRET).doesNotContain("horse").isEqualTo("Passphrase[redacted]");
        assertThat(String.valueOf(p)).doesNotContain("horse");
    }

    private static List<String> encodings(PrivateKey key) {
        byte[] der = key.getEncoded();
        String b64 = Base64.getEncoder().encodeToString(der);
        String hex = HexFormat.of().formatHex(der);
        // Any run of the key's last 16 octets would be private material (the scalar sits at the end for EC/EdDSA).
        return List.of(b64.substring(b64.length() - 24), hex.substring(hex.length() - 32),
                hex.substring(hex.length() - 32).toUpperCase(java.util.Locale.ROOT));
    }

    @Test
    void caMaterialToStringRevealsNoKey() throws Exception {
        CaMaterial m = CaBootstrap.create(CaSpec.of(KeyAlgorithm.P256, "Show"), CLOCK, new SecureRandom(), null);

        String text = m.toString();

        assertThat(text).contains("redacted").contains("Show Root CA").contains("Show Intermediate CA");
        for (String material : encodings(m.intermediateKey())) {
            assertThat(text).doesNotContain(material);
        }
        for (String material : encodings(m.rootKey().orElseThrow())) {
            assertThat(text).doesNotContain(material);
        }
        assertThat(text).doesNotContain(m.intermediateKey().toString());
    }

    @Test
    void jcaSigningKeyToStringNamesAlgorithmAndProviderOnly() throws Exception {
        var pair = CaFixture.keyPair(KeyAlgorithm.ED25519);
        JcaSigningKey key = JcaSigningKey.of(KeyAlgorithm.ED25519, pair.getPrivate(), pair.getPublic());

        String text = key.toString();

        assertThat(text).isEqualTo("JcaSigningKey[Ed25519 via " + key.providerName() + "]");
        for (String material : encodings(pair.getPrivate())) {
            assertThat(text).doesNotContain(material);
        }
    }
}
