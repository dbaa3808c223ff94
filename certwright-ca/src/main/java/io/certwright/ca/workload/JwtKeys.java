package io.certwright.ca.workload;

import io.certwright.ca.AtomicFiles;
import io.certwright.ca.CaException;
import io.certwright.ca.Pem;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.Passphrase;
import io.certwright.core.KeyAlgorithm;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/// The server's JWT-SVID signing keys, kept like the CA's keys: in a directory beside them, each private
/// key encrypted PKCS#8 with the CA passphrase (mode 0600, directory 0700), so every replica that shares
/// the CA directory and its passphrase signs with the same key.
///
/// | file | content | mode |
/// |---|---|---|
/// | `keys.properties` | the active key ID, the published key IDs with their public keys, the bundle sequence | 0644 |
/// | `<kid>.key` | one encrypted ES256 private key | 0600 |
///
/// The bundle publishes every key in `published`, so a rotation can publish the next key before it signs
/// ([#prepareNext]), switch to it ([#activate]) and drop the old one once its tokens have expired
/// ([#retire]). `sequence` is the SPIFFE bundle sequence number: it grows whenever the published JWT keys
/// or the X.509 authorities change, and is kept in the file so it never goes back across restarts.
///
/// Not safe for concurrent rotation by several processes; reads are safe.
public final class JwtKeys {

    /// The file with the key list.
    public static final String LIST = "keys.properties";

    private final Path dir;
    private volatile State state;

    private record State(String active, List<JwtKey> published, long sequence, String x509) {
    }

    private JwtKeys(Path dir, State state) {
        this.dir = dir;
        this.state = state;
    }

    /// Opens the keys in `dir`, creating the directory and a first key when there is none, and bumps the
    /// sequence when the X.509 authorities differ from those seen last.
    ///
    /// @throws io.certwright.ca.keys.WrongPassphraseException when the passphrase does not decrypt a key
    /// @throws CaException when the key list is damaged
    public static JwtKeys openOrCreate(Path dir, Passphrase passphrase, List<X509Certificate> x509Authorities)
            throws IOException, GeneralSecurityException, CaException {
        Objects.requireNonNull(passphrase, "passphrase");
        String x509 = fingerprint(x509Authorities);
        Path list = dir.resolve(LIST);
        if (!Files.isRegularFile(list)) {
            AtomicFiles.createDirectory(dir, AtomicFiles.PRIVATE_DIR);
            JwtKey first = generate(dir, passphrase);
            State s = new State(first.kid(), List.of(first), 1, x509);
            write(dir, s);
            return new JwtKeys(dir, s);
        }
        Properties p = new Properties();
        try (StringReader r = new StringReader(Files.readString(list, StandardCharsets.UTF_8))) {
            p.load(r);
        }
        String active = p.getProperty("active", "");
        List<JwtKey> published = new ArrayList<>();
        for (String kid : p.getProperty("published", "").split(",", -1)) {
            if (kid.isBlank()) {
                continue;
            }
            published.add(load(dir, kid.strip(), p.getProperty("key." + kid.strip(), ""), passphrase));
        }
        if (published.stream().noneMatch(k -> k.kid().equals(active))) {
            throw new CaException(list + " names no published active JWT signing key");
        }
        long sequence;
        try {
            sequence = Long.parseLong(p.getProperty("sequence", "1"));
        } catch (NumberFormatException e) {
            throw new CaException(list + " has an invalid sequence");
        }
        State s = new State(active, List.copyOf(published), sequence, p.getProperty("x509", ""));
        if (!s.x509().equals(x509)) {
            s = new State(active, s.published(), sequence + 1, x509);
            write(dir, s);
        }
        return new JwtKeys(dir, s);
    }

    /// The key new JWT-SVIDs are signed with.
    public JwtKey active() {
        State s = state;
        return s.published().stream().filter(k -> k.kid().equals(s.active())).findFirst().orElseThrow();
    }

    /// Every key relying parties should accept, the active one included.
    public List<JwtKey> published() {
        return state.published();
    }

    /// The bundle sequence number.
    public long sequence() {
        return state.sequence();
    }

    /// Generates the next key and publishes it without signing with it yet.
    public JwtKey prepareNext(Passphrase passphrase) throws IOException, GeneralSecurityException, CaException {
        JwtKey next = generate(dir, passphrase);
        State s = state;
        List<JwtKey> keys = new ArrayList<>(s.published());
        keys.add(next);
        State updated = new State(s.active(), List.copyOf(keys), s.sequence() + 1, s.x509());
        write(dir, updated);
        state = updated;
        return next;
    }

    /// Signs with the published key `kid` from now on.
    ///
    /// @throws IllegalArgumentException when no published key has this ID
    public void activate(String kid) throws IOException {
        State s = state;
        if (s.published().stream().noneMatch(k -> k.kid().equals(kid))) {
            throw new IllegalArgumentException("no published JWT signing key " + kid);
        }
        State updated = new State(kid, s.published(), s.sequence(), s.x509());
        write(dir, updated);
        state = updated;
    }

    /// Stops publishing key `kid` and deletes it.
    ///
    /// @throws IllegalArgumentException when it is the active key or not published
    public void retire(String kid) throws IOException {
        State s = state;
        if (kid.equals(s.active()) || s.published().stream().noneMatch(k -> k.kid().equals(kid))) {
            throw new IllegalArgumentException("key " + kid + " is active or not published");
        }
        State updated = new State(s.active(), s.published().stream().filter(k -> !k.kid().equals(kid)).toList(),
                s.sequence() + 1, s.x509());
        write(dir, updated);
        state = updated;
        Files.deleteIfExists(dir.resolve(kid + ".key"));
    }

    private static JwtKey generate(Path dir, Passphrase passphrase)
            throws IOException, GeneralSecurityException, CaException {
        KeyPair pair = CryptoProviders.generate(KeyAlgorithm.P256);
        byte[] spki = pair.getPublic().getEncoded();
        String kid = Base64.getUrlEncoder().withoutPadding().encodeToString(
                Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(spki), 15));
        AtomicFiles.writeString(dir.resolve(kid + ".key"), Pem.encryptedPrivateKey(pair.getPrivate(), passphrase),
                AtomicFiles.SECRET);
        return load(dir, kid, Base64.getEncoder().encodeToString(spki), passphrase);
    }

    private static JwtKey load(Path dir, String kid, String spki, Passphrase passphrase)
            throws IOException, GeneralSecurityException, CaException {
        if (!kid.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new CaException("invalid JWT key ID '" + kid + "' in " + dir.resolve(LIST));
        }
        Path file = dir.resolve(kid + ".key");
        if (!Files.isRegularFile(file)) {
            throw new CaException(file + " is missing");
        }
        PrivateKey key = Pem.readEncryptedPrivateKey(Files.readString(file, StandardCharsets.US_ASCII), passphrase,
                file.toString());
        ECPublicKey pub;
        try {
            pub = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(spki)));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new CaException("the public key of JWT key " + kid + " in " + dir.resolve(LIST) + " is damaged");
        }
        return new JwtKey(kid, pub, key);
    }

    private static void write(Path dir, State s) throws IOException {
        StringWriter out = new StringWriter();
        out.write("# JWT-SVID signing keys; private keys in <kid>.key, encrypted with the CA passphrase\n");
        out.write("active=" + s.active() + "\n");
        out.write("published=" + String.join(",", s.published().stream().map(JwtKey::kid).toList()) + "\n");
        for (JwtKey k : s.published()) {
            out.write("key." + k.kid() + "=" + Base64.getEncoder().encodeToString(k.publicKey().getEncoded()) + "\n");
        }
        out.write("sequence=" + s.sequence() + "\n");
        out.write("x509=" + s.x509() + "\n");
        AtomicFiles.writeString(dir.resolve(LIST), out.toString(), AtomicFiles.PUBLIC);
    }

    private static String fingerprint(List<X509Certificate> certs) throws GeneralSecurityException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (X509Certificate c : certs) {
            md.update(c.getEncoded());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
