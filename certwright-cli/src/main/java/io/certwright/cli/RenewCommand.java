package io.certwright.cli;

import io.certwright.ca.AtomicFiles;
import io.certwright.ca.Pem;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.core.Durations;
import io.certwright.core.KeyAlgorithm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/// `certwright renew`: a new certificate for the same identity, authenticated by mTLS with the current one.
@Command(name = "renew", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Renew a certificate with a Certwright server, authenticating with the current "
                + "certificate and key (mTLS).",
            "Without --out the files are replaced where they are: CERT, KEY (only with --new-key), and chain.pem "
                + "and bundle.pem beside CERT. With --out DIR, writes DIR/cert.pem, DIR/key.pem, DIR/chain.pem "
                + "and DIR/bundle.pem. Each file is replaced atomically; nothing is written if the server refuses."})
final class RenewCommand extends ClientCommand {

    @Option(names = "--cert", paramLabel = "FILE", required = true,
            description = "The current certificate (PEM; may be followed by its intermediates).")
    @SuppressWarnings("NullAway.Init")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", required = true, description = "Its private key (unencrypted PKCS#8).")
    @SuppressWarnings("NullAway.Init")
    Path key;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory to write the renewed files to "
            + "(default: replace the files in place).")
    @Nullable Path out;

    @Option(names = "--new-key", description = "Generate a new key of the same type instead of keeping the current one.")
    boolean newKey;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = Converters.Lifetime.class,
            description = "Lifetime, e.g. 1h, 24h (default: the profile's default; bounded by policy).")
    @Nullable Duration ttl;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Override
    int run(Main main) throws Exception {
        List<X509Certificate> presented = new ArrayList<>(Pem.readCertificates(Files.readAllBytes(cert), cert.toString()));
        if (presented.isEmpty()) {
            throw new CliException(cert + ": no certificate");
        }
        X509Certificate current = presented.getFirst();
        Path certDir = cert.toAbsolutePath().getParent();
        if (presented.size() == 1 && certDir != null) {
            presented = withIntermediates(current, certDir.resolve("chain.pem"));
        }
        PrivateKey currentKey = Pem.readPrivateKey(Files.readString(key), key.toString());
        if (!Enrollment.matches(currentKey, current)) {
            throw new CliException(key + " is not the private key of " + cert);
        }
        KeyAlgorithm type = Enrollment.keyType(current.getPublicKey()).orElseThrow(() ->
                new CliException(cert + ": the key type of the certificate is not one certwright supports"));
        if (out != null) {
            OutputFiles.checkTarget(out);
        }
        ServerClient client = connection.client(main, Optional.empty(),
                Optional.of(new ServerClient.Identity(currentKey, presented)));
        KeyPair pair = newKey ? CryptoProviders.generate(type) : new KeyPair(current.getPublicKey(), currentKey);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("csr", Enrollment.csr(type, pair, Enrollment.names(current), Enrollment.commonName(current)));
        if (ttl != null) {
            body.put("ttl", Durations.format(ttl));
        }
        Enrollment.Issued issued = Enrollment.Issued.parse(client.post("/api/v1/certificates/renew", body));
        List<X509Certificate> roots = Enrollment.roots(client);

        List<Path> written;
        if (out != null) {
            OutputFiles files = new OutputFiles(out);
            written = new ArrayList<>(Enrollment.addCertificateFiles(files, issued, roots));
            written.add(1, files.add("key.pem", Pem.privateKey(pair.getPrivate()), AtomicFiles.SECRET));
            files.write();
        } else {
            written = replaceInPlace(issued, pair.getPrivate(), roots);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.println(Text.CHECK + " Renewed certificate " + Text.serial(current) + " by " + client.base());
        Enrollment.describe(w, issued, main.clock().instant());
        Text.row(w, "  ", "Key", newKey ? type.description() + ", new, generated locally" : "unchanged");
        Text.row(w, "  ", "Files", written.stream().map(Path::toString).toList());
        return 0;
    }

    /// The leaf followed by the intermediates in `chain.pem`, when that file starts with this very leaf.
    private static List<X509Certificate> withIntermediates(X509Certificate leaf, Path chainFile) throws IOException {
        if (Files.isRegularFile(chainFile)) {
            List<X509Certificate> chain = Pem.readCertificates(Files.readAllBytes(chainFile), chainFile.toString());
            if (!chain.isEmpty() && chain.getFirst().equals(leaf)) {
                return chain;
            }
        }
        return List.of(leaf);
    }

    /// Replaces CERT (and KEY when it changed), chain.pem and bundle.pem, restoring what was there if any
    /// write fails so the certificate and key on disk always belong together.
    private List<Path> replaceInPlace(Enrollment.Issued issued, PrivateKey privateKey, List<X509Certificate> roots)
            throws IOException {
        Path dir = cert.toAbsolutePath().getParent();
        if (dir == null) {
            throw new IOException("cannot write to the file system root: " + cert);
        }
        Map<Path, String> writes = new LinkedHashMap<>();
        if (newKey) {
            writes.put(key, Pem.privateKey(privateKey));
        }
        writes.put(cert, Pem.certificate(issued.certificate()));
        writes.put(dir.resolve("chain.pem"), Pem.certificates(issued.chain()));
        writes.put(dir.resolve("bundle.pem"), Pem.certificates(roots));
        Map<Path, byte[]> before = new LinkedHashMap<>();
        List<Path> done = new ArrayList<>();
        try {
            for (Map.Entry<Path, String> e : writes.entrySet()) {
                Path p = e.getKey();
                Set<PosixFilePermission> mode = p.equals(key) ? AtomicFiles.SECRET : AtomicFiles.PUBLIC;
                if (Files.exists(p)) {
                    before.put(p, Files.readAllBytes(p));
                }
                AtomicFiles.writeString(p, e.getValue(), mode);
                done.add(p);
            }
        } catch (IOException | RuntimeException ex) {
            for (Path p : done) {
                try {
                    byte[] old = before.get(p);
                    if (old == null) {
                        Files.deleteIfExists(p);
                    } else {
                        AtomicFiles.write(p, old, p.equals(key) ? AtomicFiles.SECRET : AtomicFiles.PUBLIC);
                    }
                } catch (IOException restore) {
                    ex.addSuppressed(restore);
                }
            }
            throw ex;
        }
        return done;
    }
}
