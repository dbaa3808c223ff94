package io.certwright.cli;

import io.certwright.ca.AtomicFiles;
import io.certwright.ca.CaDirectory;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Pem;
import io.certwright.ca.inspect.CertificateInspector;
import io.certwright.ca.keys.Passphrase;
import io.certwright.ca.profile.Profile;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `certwright sign`: issues a certificate for a PKCS#10 CSR.
@Command(name = "sign", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Issue a certificate for a CSR (PEM or DER).",
            "Writes OUT/cert.pem and OUT/chain.pem (leaf and intermediate); nothing is written if the CA refuses."})
final class SignCommand implements Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "CA directory (default ${DEFAULT-VALUE}).")
    Path dir = Path.of("./certwright-ca");

    @Option(names = "--csr", paramLabel = "FILE", required = true, description = "The certificate signing request.")
    @SuppressWarnings("NullAway.Init")
    Path csr;

    @Option(names = "--profile", paramLabel = "PROFILE", required = true, converter = Converters.LeafProfile.class,
            completionCandidates = Converters.LeafProfiles.class,
            description = "Certificate profile: ${COMPLETION-CANDIDATES}.")
    @SuppressWarnings("NullAway.Init")
    Profile profile;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = Converters.Lifetime.class,
            description = "Lifetime, e.g. 1h, 24h, 30d (default: the profile's default).")
    @Nullable Duration ttl;

    @Option(names = "--out", paramLabel = "OUT", required = true, description = "Directory to write the files to.")
    @SuppressWarnings("NullAway.Init")
    Path out;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "File whose first line is the CA passphrase.")
    @Nullable Path passphraseFile;

    @Override
    public Integer call() throws Exception {
        Main main = Main.of(spec);
        byte[] der = Pem.readCsr(Files.readAllBytes(csr), csr.toString());
        CaDirectory ca = CaDirectory.open(dir);
        OutputFiles.checkTarget(out);
        CertificateAuthority authority;
        try (Passphrase passphrase = Passphrases.resolve(passphraseFile, main.environment(), false)) {
            authority = ca.unlock(passphrase, main.clock());
        }
        IssuedCertificate issued = authority.sign(der, profile, Optional.ofNullable(ttl));
        OutputFiles files = new OutputFiles(out);
        Path cert = files.add("cert.pem", Pem.certificate(issued.certificate()), AtomicFiles.PUBLIC);
        Path chain = files.add("chain.pem", Pem.certificates(issued.fullChain()), AtomicFiles.PUBLIC);
        files.write();
        PrintWriter w = spec.commandLine().getOut();
        w.println(Text.CHECK + " Signed " + csr + " with profile " + profile);
        describe(w, issued, main);
        Text.row(w, "  ", "Key", CertificateInspector.key(issued.certificate().getPublicKey()).description()
                + ", from the CSR");
        Text.row(w, "  ", "Files", List.of(cert + "  (certificate)", chain + "  (certificate and intermediate)"));
        return 0;
    }

    /// Serial, names, validity, fingerprint and the CA's notes of a freshly issued certificate.
    static void describe(PrintWriter w, IssuedCertificate issued, Main main) {
        X509Certificate c = issued.certificate();
        Text.row(w, "  ", "Subject", c.getSubjectX500Principal().getName().isEmpty() ? "(empty)"
                : c.getSubjectX500Principal().getName());
        Text.row(w, "  ", "Serial", Text.serial(c));
        Text.row(w, "  ", "Names", CertificateReport.sans(c).stream().map(Object::toString).toList());
        Text.row(w, "  ", "Valid", List.of(Text.validity(c), Text.status(c, main.clock().instant())));
        Text.row(w, "  ", "SHA-256", Text.sha256(c));
        Text.row(w, "  ", "Issuer", c.getIssuerX500Principal().getName());
        for (String note : issued.notes()) {
            Text.row(w, "  ", "Note", note);
        }
    }
}
