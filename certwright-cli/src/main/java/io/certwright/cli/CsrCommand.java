package io.certwright.cli;

import io.certwright.ca.AtomicFiles;
import io.certwright.ca.Csrs;
import io.certwright.ca.Pem;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.JcaSigningKey;
import io.certwright.ca.policy.DnsNames;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.KeyAlgorithm;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `certwright csr`: a new key and a PKCS#10 request for it.
@Command(name = "csr", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Generate a key and a certificate signing request for it.",
            "Writes DIR/key.pem (unencrypted PKCS#8, mode 0600) and DIR/csr.pem."})
final class CsrCommand implements Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Option(names = "--key-type", paramLabel = "TYPE", converter = Converters.KeyType.class,
            completionCandidates = Converters.KeyTypes.class,
            description = "Key type to generate: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    KeyAlgorithm keyType = KeyAlgorithm.P256;

    @Mixin
    NameOptions names = new NameOptions();

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write key.pem and csr.pem to.")
    @SuppressWarnings("NullAway.Init")
    Path out;

    @Override
    public Integer call() throws Exception {
        SubjectNames requested = names.names();
        if (requested.isEmpty() && names.commonName().isEmpty()) {
            throw new CliException("a CSR needs at least one name: --spiffe-id, --dns, --ip, --uri, --email or --cn");
        }
        for (String d : requested.dns()) {
            if (!DnsNames.isValidSanName(d.toLowerCase(Locale.ROOT))) {
                throw new CliException("'" + d + "' is not a valid DNS name");
            }
        }
        for (String e : requested.emails()) {
            int at = e.indexOf('@');
            if (at <= 0 || at != e.lastIndexOf('@') || !DnsNames.isValidHostname(e.substring(at + 1))) {
                throw new CliException("'" + e + "' is not a valid email address");
            }
        }
        OutputFiles.checkTarget(out);
        KeyPair key = CryptoProviders.generate(keyType);
        byte[] der = Csrs.create(JcaSigningKey.of(keyType, key.getPrivate(), key.getPublic()), requested,
                names.commonName());
        OutputFiles files = new OutputFiles(out);
        Path csr = files.add("csr.pem", Pem.csr(der), AtomicFiles.PUBLIC);
        Path keyFile = files.add("key.pem", Pem.privateKey(key.getPrivate()), AtomicFiles.SECRET);
        files.write();
        PrintWriter w = spec.commandLine().getOut();
        w.println(Text.CHECK + " Created a key (" + keyType.description() + ") and a CSR");
        names.commonName().ifPresent(cn -> Text.row(w, "  ", "Common name", cn));
        Text.row(w, "  ", "Names", requested.all());
        Text.row(w, "  ", "Files", List.of(csr + "  (CSR)", keyFile + "  (private key, unencrypted, 0600)"));
        w.println();
        w.println("Next: certwright sign --csr " + csr + " --profile <svid|server|client|mtls> --out <dir>");
        return 0;
    }
}
