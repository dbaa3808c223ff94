package io.certwright.cli;

import io.certwright.ca.CaDirectory;
import io.certwright.ca.CaSpec;
import io.certwright.ca.Pem;
import io.certwright.ca.inspect.CertificateInspector;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.Passphrase;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.TrustDomain;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/// `certwright ca import`: adopts an existing root, and either its key (a new intermediate is generated) or
/// an existing intermediate with its key (the root key stays offline).
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Bring an existing root into a new CA directory.",
            "Give the root's key to have a new intermediate generated under it, or an intermediate certificate "
                + "and its key to keep the root key offline.",
            "Input keys are PKCS#8 PEM, unencrypted or encrypted with the CA passphrase; "
                + "the stored keys are encrypted with the CA passphrase."})
final class CaImportCommand implements Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "CA directory to create.")
    @SuppressWarnings("NullAway.Init")
    Path dir;

    @Option(names = "--root-cert", paramLabel = "FILE", required = true, description = "Root certificate (PEM or DER).")
    @SuppressWarnings("NullAway.Init")
    Path rootCert;

    @Option(names = "--root-key", paramLabel = "FILE", description = "Root private key (PKCS#8 PEM).")
    @Nullable Path rootKey;

    @Option(names = "--intermediate-cert", paramLabel = "FILE", description = "Intermediate certificate (PEM or DER).")
    @Nullable Path intermediateCert;

    @Option(names = "--intermediate-key", paramLabel = "FILE", description = "Intermediate private key (PKCS#8 PEM).")
    @Nullable Path intermediateKey;

    @Option(names = "--trust-domain", paramLabel = "TD", converter = Converters.Domain.class,
            description = "SPIFFE trust domain (default: the root's spiffe:// URI SAN, if any).")
    @Nullable TrustDomain trustDomain;

    @Option(names = "--name", paramLabel = "NAME", description = "CA name (default: from the root's subject).")
    @Nullable String name;

    @Option(names = "--key-type", paramLabel = "TYPE", converter = Converters.KeyType.class,
            completionCandidates = Converters.KeyTypes.class,
            description = "Key type of a generated intermediate: ${COMPLETION-CANDIDATES} (default: the root's).")
    @Nullable KeyAlgorithm keyType;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "File whose first line is the CA passphrase.")
    @Nullable Path passphraseFile;

    @Override
    public Integer call() throws Exception {
        Main main = Main.of(spec);
        if ((intermediateCert == null) != (intermediateKey == null)) {
            throw new ParameterException(spec.commandLine(), "--intermediate-cert and --intermediate-key go together");
        }
        if (rootKey == null && intermediateCert == null) {
            throw new ParameterException(spec.commandLine(),
                    "give --root-key, or --intermediate-cert with --intermediate-key");
        }
        if (Files.exists(dir.resolve(CaDirectory.CONFIG)) || Files.exists(dir.resolve(CaDirectory.INTERMEDIATE_KEY))) {
            throw new CliException(dir + " already holds a CA; refusing to overwrite it");
        }
        X509Certificate root = single(rootCert, "root");
        Optional<X509Certificate> intermediate = intermediateCert == null ? Optional.empty()
                : Optional.of(single(intermediateCert, "intermediate"));
        KeyAlgorithm alg = keyType != null ? keyType
                : CertificateInspector.key(intermediate.orElse(root).getPublicKey()).algorithm()
                        .orElseThrow(() -> new CliException("the " + (intermediate.isPresent() ? "intermediate" : "root")
                                + " key type " + CertificateInspector.key(intermediate.orElse(root).getPublicKey())
                                        .description() + " is not supported; use " + KeyAlgorithm.names()));
        Optional<TrustDomain> td = Optional.ofNullable(trustDomain).or(() -> trustDomainOf(root));
        CaSpec caSpec = CaSpec.of(alg, name != null ? name : nameOf(root));
        if (td.isPresent()) {
            caSpec = caSpec.withTrustDomain(td.get(), false);
        }
        String rootKeyPem = rootKey == null ? null : Files.readString(rootKey, StandardCharsets.US_ASCII);
        String intermediateKeyPem = intermediateKey == null ? null
                : Files.readString(intermediateKey, StandardCharsets.US_ASCII);
        CaDirectory ca;
        try (Passphrase passphrase = Passphrases.resolve(passphraseFile, main.environment(), true)) {
            Optional<PrivateKey> rk = rootKey == null || rootKeyPem == null ? Optional.empty()
                    : Optional.of(readKey(rootKeyPem, passphrase, rootKey));
            Optional<PrivateKey> ik = intermediateKey == null || intermediateKeyPem == null ? Optional.empty()
                    : Optional.of(readKey(intermediateKeyPem, passphrase, intermediateKey));
            ca = CaDirectory.adopt(dir, caSpec, root, rk, intermediate, ik, passphrase, main.clock());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(Text.CHECK + " Imported CA '" + ca.config().name() + "' into " + ca.path());
        CaShowCommand.certificate(out, "Root CA", ca.root());
        CaShowCommand.certificate(out, "Intermediate CA" + (intermediate.isPresent() ? "" : " (new)"), ca.intermediate());
        Text.row(out, "  ", "Root key", ca.hasRootKey() ? "stored, encrypted (" + CaDirectory.ROOT_KEY + ")"
                : "offline (not imported)");
        Text.row(out, "  ", "Key type", alg.description());
        Text.row(out, "  ", "Signing provider", CryptoProviders.describe(alg));
        Text.row(out, "  ", "Trust domain", td.map(TrustDomain::name).orElse("(none)"));
        Text.row(out, "  ", "Key encryption", CaInitCommand.KEY_ENCRYPTION);
        return 0;
    }

    private static X509Certificate single(Path file, String what) throws IOException, CliException {
        List<X509Certificate> certs = Pem.readCertificates(Files.readAllBytes(file), file.toString());
        if (certs.size() != 1) {
            throw new CliException(file + ": expected one " + what + " certificate but found " + certs.size());
        }
        return certs.getFirst();
    }

    private static PrivateKey readKey(String pem, Passphrase passphrase, Path file)
            throws IOException, GeneralSecurityException {
        return Pem.isEncrypted(pem) ? Pem.readEncryptedPrivateKey(pem, passphrase, file.toString())
                : Pem.readPrivateKey(pem, file.toString());
    }

    private static Optional<TrustDomain> trustDomainOf(X509Certificate root) {
        return CertificateReport.sans(root).stream()
                .filter(s -> s.type().equals("URI") && s.value().startsWith("spiffe://"))
                .flatMap(s -> {
                    try {
                        return java.util.stream.Stream.of(TrustDomain.parse(s.value()));
                    } catch (IllegalArgumentException e) {
                        return java.util.stream.Stream.empty();
                    }
                }).findFirst();
    }

    /// The root's O, else its CN without a trailing "Root CA", else the default name; at most 50 characters.
    static String nameOf(X509Certificate root) {
        String found = null;
        try {
            LdapName dn = new LdapName(root.getSubjectX500Principal().getName());
            for (Rdn rdn : dn.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("O")) {
                    found = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("CN") && found == null) {
                    found = rdn.getValue().toString().replaceFirst("(?i)\\s*root( ca)?$", "");
                }
            }
        } catch (InvalidNameException e) {
            found = null;
        }
        if (found == null || found.isBlank()) {
            return CaSpec.DEFAULT_NAME;
        }
        return found.length() > 50 ? found.substring(0, 50).strip() : found.strip();
    }
}
