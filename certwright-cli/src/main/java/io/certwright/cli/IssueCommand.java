package io.certwright.cli;

import io.certwright.ca.AtomicFiles;
import io.certwright.ca.CaDirectory;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.IssuanceRequest;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Pem;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.Passphrase;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.Durations;
import io.certwright.core.KeyAlgorithm;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `certwright issue`: generates a key locally and issues a certificate for it.
@Command(name = "issue", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Generate a key and issue a certificate for it.",
            "Writes OUT/cert.pem, OUT/key.pem (unencrypted PKCS#8, mode 0600), OUT/chain.pem (leaf and "
                + "intermediate) and OUT/bundle.pem (the roots); nothing is written if the CA refuses.",
            "With --server (or --token, --token-file, --ca-cert) the certificate comes from a Certwright server: "
                + "the key is still generated here and only the CSR is sent."})
final class IssueCommand implements Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "CA directory (default ${DEFAULT-VALUE}).")
    Path dir = Path.of("./certwright-ca");

    @Option(names = "--profile", paramLabel = "PROFILE", required = true, converter = Converters.LeafProfile.class,
            completionCandidates = Converters.LeafProfiles.class,
            description = "Certificate profile: ${COMPLETION-CANDIDATES}.")
    @SuppressWarnings("NullAway.Init")
    Profile profile;

    @Mixin
    NameOptions names = new NameOptions();

    @Option(names = "--key-type", paramLabel = "TYPE", converter = Converters.KeyType.class,
            completionCandidates = Converters.KeyTypes.class,
            description = "Key type to generate: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    KeyAlgorithm keyType = KeyAlgorithm.P256;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = Converters.Lifetime.class,
            description = "Lifetime, e.g. 1h, 24h, 30d (default: the profile's default).")
    @Nullable Duration ttl;

    @Option(names = "--out", paramLabel = "OUT", required = true, description = "Directory to write the files to.")
    @SuppressWarnings("NullAway.Init")
    Path out;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "File whose first line is the CA passphrase.")
    @Nullable Path passphraseFile;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    TokenOptions tokens = new TokenOptions();

    @Override
    public Integer call() throws Exception {
        Main main = Main.of(spec);
        if (connection.given() || tokens.given()) {
            return ClientCommand.handle(spec, () -> issueRemotely(main));
        }
        CaDirectory ca = CaDirectory.open(dir);
        OutputFiles.checkTarget(out);
        CertificateAuthority authority;
        try (Passphrase passphrase = Passphrases.resolve(passphraseFile, main.environment(), false)) {
            authority = ca.unlock(passphrase, main.clock());
        }
        KeyPair key = CryptoProviders.generate(keyType);
        IssuedCertificate issued = authority.issue(new IssuanceRequest(profile, key.getPublic(), names.commonName(),
                names.names(), Optional.ofNullable(ttl)));
        OutputFiles files = new OutputFiles(out);
        Path cert = files.add("cert.pem", Pem.certificate(issued.certificate()), AtomicFiles.PUBLIC);
        Path chain = files.add("chain.pem", Pem.certificates(issued.fullChain()), AtomicFiles.PUBLIC);
        Path bundle = files.add("bundle.pem", authority.trustBundle().pem(), AtomicFiles.PUBLIC);
        Path keyFile = files.add("key.pem", Pem.privateKey(key.getPrivate()), AtomicFiles.SECRET);
        files.write();
        PrintWriter w = spec.commandLine().getOut();
        w.println(Text.CHECK + " Issued a certificate (profile " + profile + ")");
        SignCommand.describe(w, issued, main);
        Text.row(w, "  ", "Key", keyType.description() + ", generated locally");
        Text.row(w, "  ", "Files", java.util.List.of(cert + "  (certificate)", keyFile + "  (private key, 0600)",
                chain + "  (certificate and intermediate)", bundle + "  (trust bundle)"));
        return 0;
    }

    /// Issues through a Certwright server: the key stays here, only the CSR is sent.
    private int issueRemotely(Main main) throws Exception {
        for (String offlineOnly : List.of("--dir", "--passphrase-file")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(offlineOnly)) {
                throw new CliException(offlineOnly + " is for issuing from a local CA directory; it cannot be "
                        + "combined with --server");
            }
        }
        SubjectNames requested = names.names();
        if (requested.isEmpty() && names.commonName().isEmpty()) {
            throw new CliException("a certificate needs at least one name: --spiffe-id, --dns, --ip, --uri, --email or --cn");
        }
        OutputFiles.checkTarget(out);
        String token = tokens.require(main.environment());
        ServerClient client = connection.client(main, Optional.of(token), Optional.empty());
        KeyPair key = CryptoProviders.generate(keyType);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("csr", Enrollment.csr(keyType, key, requested, names.commonName()));
        body.put("profile", profile.wireName());
        if (ttl != null) {
            body.put("ttl", Durations.format(ttl));
        }
        Enrollment.Issued issued = Enrollment.Issued.parse(client.post("/api/v1/certificates", body));
        List<X509Certificate> roots = Enrollment.roots(client);
        OutputFiles files = new OutputFiles(out);
        List<Path> written = new ArrayList<>(Enrollment.addCertificateFiles(files, issued, roots));
        written.add(1, files.add("key.pem", Pem.privateKey(key.getPrivate()), AtomicFiles.SECRET));
        files.write();
        PrintWriter w = spec.commandLine().getOut();
        w.println(Text.CHECK + " Issued a certificate (profile " + profile + ") by " + client.base());
        Enrollment.describe(w, issued, main.clock().instant());
        Text.row(w, "  ", "Key", keyType.description() + ", generated locally; only the CSR was sent");
        Text.row(w, "  ", "Files", List.of(written.get(0) + "  (certificate)", written.get(1) + "  (private key, 0600)",
                written.get(2) + "  (certificate and intermediate)", written.get(3) + "  (trust bundle)"));
        return 0;
    }
}
