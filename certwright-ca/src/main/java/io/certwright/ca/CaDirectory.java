package io.certwright.ca;

import io.certwright.ca.keys.Passphrase;
import io.certwright.ca.keys.SigningKey;
import io.certwright.ca.profile.PolicyException;
import io.certwright.core.TrustDomain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// A CA kept in a directory, as the offline CLI uses it:
///
/// | file | content | mode |
/// |---|---|---|
/// | `ca.properties` | name, trust domain, key type, issuance settings | 0644 |
/// | `root.crt`, `intermediate.crt` | certificates, PEM | 0644 |
/// | `root.key`, `intermediate.key` | encrypted PKCS#8 (absent for a root kept offline) | 0600 |
/// | `bundle.pem` | the trust bundle | 0644 |
/// | `ledger/` | the [FileLedger] of everything this CA signed | 0700 |
///
/// The directory itself is created with mode 0700.
public final class CaDirectory {

    public static final String CONFIG = "ca.properties";
    public static final String ROOT_CERT = "root.crt";
    public static final String ROOT_KEY = "root.key";
    public static final String INTERMEDIATE_CERT = "intermediate.crt";
    public static final String INTERMEDIATE_KEY = "intermediate.key";
    public static final String BUNDLE = "bundle.pem";
    public static final String LEDGER = "ledger";

    private final Path dir;
    private final CaConfig config;
    private final X509Certificate root;
    private final X509Certificate intermediate;

    private CaDirectory(Path dir, CaConfig config, X509Certificate root, X509Certificate intermediate) {
        this.dir = dir;
        this.config = config;
        this.root = root;
        this.intermediate = intermediate;
    }

    /// Creates a new CA in `dir`, which must not already hold one.
    public static CaDirectory init(Path dir, CaSpec spec, Passphrase passphrase, Clock clock)
            throws IOException, CaException, GeneralSecurityException, PolicyException, LedgerException {
        return init(dir, spec, passphrase, clock, null);
    }

    /// Creates a new CA in `dir`, recording its root and intermediate in `ledger` (the server's database)
    /// instead of the directory's own file ledger when one is given.
    public static CaDirectory init(Path dir, CaSpec spec, Passphrase passphrase, Clock clock,
            @Nullable CertificateLedger ledgerOrNull)
            throws IOException, CaException, GeneralSecurityException, PolicyException, LedgerException {
        refuseExisting(dir);
        boolean created = !Files.exists(dir);
        try {
            AtomicFiles.createDirectory(dir, AtomicFiles.PRIVATE_DIR);
            CertificateLedger ledger = ledgerOrNull != null ? ledgerOrNull : FileLedger.open(dir.resolve(LEDGER));
            CaMaterial m = CaBootstrap.create(spec, clock, new SecureRandom(), ledger);
            return write(dir, spec, m, passphrase);
        } catch (IOException | GeneralSecurityException | PolicyException | LedgerException | RuntimeException e) {
            removeIncomplete(dir, created);
            throw e;
        }
    }

    /// Adopts an existing root (and optionally intermediate) into `dir`. See [CaBootstrap#adopt].
    public static CaDirectory adopt(Path dir, CaSpec spec, X509Certificate root, Optional<PrivateKey> rootKey,
            Optional<X509Certificate> intermediate, Optional<PrivateKey> intermediateKey, Passphrase passphrase,
            Clock clock) throws IOException, CaException, GeneralSecurityException, PolicyException, LedgerException {
        refuseExisting(dir);
        boolean created = !Files.exists(dir);
        try {
            AtomicFiles.createDirectory(dir, AtomicFiles.PRIVATE_DIR);
            FileLedger ledger = FileLedger.open(dir.resolve(LEDGER));
            CaMaterial m = CaBootstrap.adopt(root, rootKey, intermediate, intermediateKey, spec, clock,
                    new SecureRandom(), ledger);
            return write(dir, spec, m, passphrase);
        } catch (IOException | CaException | GeneralSecurityException | PolicyException | LedgerException
                | RuntimeException e) {
            removeIncomplete(dir, created);
            throw e;
        }
    }

    /// Removes what a failed init or adopt wrote: the whole directory if it made it, else only the files it
    /// creates, so a retry starts clean and no half-written CA is ever found.
    private static void removeIncomplete(Path dir, boolean createdDir) {
        List<String> ours = List.of(CONFIG, ROOT_CERT, ROOT_KEY, INTERMEDIATE_CERT, INTERMEDIATE_KEY, BUNDLE, LEDGER);
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .filter(p -> createdDir || (!p.equals(dir) && ours.contains(dir.relativize(p).getName(0).toString())))
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // Best effort: the original failure is what the caller needs to see.
        }
    }

    private static void refuseExisting(Path dir) throws CaException {
        if (Files.exists(dir.resolve(CONFIG)) || Files.exists(dir.resolve(INTERMEDIATE_KEY))) {
            throw new CaException(dir + " already holds a CA; refusing to overwrite it");
        }
    }

    private static CaDirectory write(Path dir, CaSpec spec, CaMaterial m, Passphrase passphrase)
            throws IOException, GeneralSecurityException {
        Optional<TrustDomain> td = spec.trustDomain();
        CaSettings settings = CaSettings.defaults(td.map(List::of).orElse(List.of()));
        if (spec.publicUrls().isPresent()) {
            settings = settings.withRevocationUrls(spec.publicUrls().get().forLeavesOf(m.intermediate()));
        }
        CaConfig config = new CaConfig(spec.name(), td, spec.keyAlgorithm(), settings);
        // Keys first: a directory with certificates but no keys is useless, one with keys but no config is inert.
        if (m.rootKey().isPresent()) {
            AtomicFiles.writeString(dir.resolve(ROOT_KEY), Pem.encryptedPrivateKey(m.rootKey().get(), passphrase),
                    AtomicFiles.SECRET);
        }
        AtomicFiles.writeString(dir.resolve(INTERMEDIATE_KEY), Pem.encryptedPrivateKey(m.intermediateKey(), passphrase),
                AtomicFiles.SECRET);
        AtomicFiles.writeString(dir.resolve(ROOT_CERT), Pem.certificate(m.root()), AtomicFiles.PUBLIC);
        AtomicFiles.writeString(dir.resolve(INTERMEDIATE_CERT), Pem.certificate(m.intermediate()), AtomicFiles.PUBLIC);
        AtomicFiles.writeString(dir.resolve(BUNDLE), Pem.certificate(m.root()), AtomicFiles.PUBLIC);
        AtomicFiles.writeString(dir.resolve(CONFIG), config.format(), AtomicFiles.PUBLIC);
        return new CaDirectory(dir, config, m.root(), m.intermediate());
    }

    /// Opens the CA in `dir` without touching its keys.
    public static CaDirectory open(Path dir) throws IOException, CaException {
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new CaException("no CA in " + dir + " (" + CONFIG + " not found); create one with 'certwright ca init'");
        }
        CaConfig config = CaConfig.parse(Files.readString(dir.resolve(CONFIG), StandardCharsets.UTF_8));
        X509Certificate root = single(dir.resolve(ROOT_CERT));
        X509Certificate intermediate = single(dir.resolve(INTERMEDIATE_CERT));
        return new CaDirectory(dir, config, root, intermediate);
    }

    private static X509Certificate single(Path file) throws IOException, CaException {
        if (!Files.isRegularFile(file)) {
            throw new CaException(file + " is missing");
        }
        List<X509Certificate> certs = Pem.readCertificates(Files.readAllBytes(file), file.toString());
        return certs.getFirst();
    }

    /// Decrypts the intermediate key and returns a CA ready to issue, recording in this directory's ledger.
    ///
    /// @throws io.certwright.ca.keys.WrongPassphraseException when the passphrase is wrong
    public CertificateAuthority unlock(Passphrase passphrase, Clock clock)
            throws IOException, GeneralSecurityException, CaException {
        return unlock(passphrase, clock, FileLedger.open(dir.resolve(LEDGER)));
    }

    /// As [#unlock(Passphrase, Clock)], recording in `ledger` (for example the server's database).
    public CertificateAuthority unlock(Passphrase passphrase, Clock clock, CertificateLedger ledger)
            throws IOException, GeneralSecurityException, CaException {
        Path keyFile = dir.resolve(INTERMEDIATE_KEY);
        if (!Files.isRegularFile(keyFile)) {
            throw new CaException(keyFile + " is missing");
        }
        PrivateKey key = Pem.readEncryptedPrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII), passphrase,
                keyFile.toString());
        SigningKey signer = CaBootstrap.signingKey(intermediate, key, "intermediate");
        Issuer issuer = new Issuer(intermediate, List.of(), signer, config.trustDomain());
        return new CertificateAuthority(issuer, List.of(root), config.settings(), ledger, clock, new SecureRandom());
    }

    /// Decrypts the root key, for signing the root's CRL (which lists revoked intermediates).
    ///
    /// @return the root's signing key; empty when the root key is kept offline
    /// @throws io.certwright.ca.keys.WrongPassphraseException when the passphrase is wrong
    public Optional<SigningKey> unlockRoot(Passphrase passphrase) throws IOException, GeneralSecurityException, CaException {
        Path keyFile = dir.resolve(ROOT_KEY);
        if (!Files.isRegularFile(keyFile)) {
            return Optional.empty();
        }
        PrivateKey key = Pem.readEncryptedPrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII), passphrase,
                keyFile.toString());
        return Optional.of(CaBootstrap.signingKey(root, key, "root"));
    }

    public Path path() {
        return dir;
    }

    public CaConfig config() {
        return config;
    }

    public X509Certificate root() {
        return root;
    }

    public X509Certificate intermediate() {
        return intermediate;
    }

    /// Whether the root key is kept in this directory (false when it stays offline).
    public boolean hasRootKey() {
        return Files.exists(dir.resolve(ROOT_KEY));
    }
}
