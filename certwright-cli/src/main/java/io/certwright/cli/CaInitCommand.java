package io.certwright.cli;

import io.certwright.ca.CaDirectory;
import io.certwright.ca.CaSpec;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.Passphrase;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.TrustDomain;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `certwright ca init`: a new root and intermediate in a directory, keys encrypted with the passphrase.
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Create a CA: a root and an issuing intermediate, keys encrypted with the CA passphrase.",
            "The passphrase comes from --passphrase-file, else CERTWRIGHT_CA_PASSPHRASE, else a terminal prompt."})
final class CaInitCommand implements Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Option(names = "--key-type", paramLabel = "TYPE", converter = Converters.KeyType.class,
            completionCandidates = Converters.KeyTypes.class,
            description = "Key type of root and intermediate: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    KeyAlgorithm keyType = KeyAlgorithm.P256;

    @Option(names = "--trust-domain", paramLabel = "TD", converter = Converters.Domain.class,
            description = "SPIFFE trust domain the CA issues SVIDs for, e.g. example.org.")
    @Nullable TrustDomain trustDomain;

    @Option(names = "--name", paramLabel = "NAME", description = "CA name (default ${DEFAULT-VALUE}).")
    String name = CaSpec.DEFAULT_NAME;

    @Option(names = "--dir", paramLabel = "DIR", description = "CA directory to create (default ${DEFAULT-VALUE}).")
    Path dir = Path.of("./certwright-ca");

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "File whose first line is the CA passphrase.")
    @Nullable Path passphraseFile;

    @Option(names = "--permit-dns", paramLabel = "SUFFIX",
            description = "DNS name constraint on the intermediate (permits SUFFIX and names below it); repeatable.")
    List<String> permitDns = new ArrayList<>();

    @Option(names = "--constrain-spiffe",
            description = "Add the URI name constraint spiffe://<trust-domain> to the intermediate.")
    boolean constrainSpiffe;

    @Option(names = "--root-ttl", paramLabel = "DURATION", converter = Converters.Lifetime.class,
            description = "Root lifetime, e.g. 3650d (default 3650d).")
    Duration rootTtl = CaSpec.DEFAULT_ROOT_LIFETIME;

    @Option(names = "--intermediate-ttl", paramLabel = "DURATION", converter = Converters.Lifetime.class,
            description = "Intermediate lifetime, e.g. 365d (default 365d).")
    Duration intermediateTtl = CaSpec.DEFAULT_INTERMEDIATE_LIFETIME;

    @Override
    public Integer call() throws Exception {
        Main main = Main.of(spec);
        CaSpec caSpec = CaSpec.of(keyType, name).withPermittedDns(permitDns).withLifetimes(rootTtl, intermediateTtl);
        if (trustDomain != null) {
            caSpec = caSpec.withTrustDomain(trustDomain, constrainSpiffe);
        } else if (constrainSpiffe) {
            throw new CliException("--constrain-spiffe needs --trust-domain");
        }
        if (Files.exists(dir.resolve(CaDirectory.CONFIG)) || Files.exists(dir.resolve(CaDirectory.INTERMEDIATE_KEY))) {
            throw new CliException(dir + " already holds a CA; refusing to overwrite it");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CliException(dir + " exists and is not a directory");
        }
        CaDirectory ca;
        try (Passphrase passphrase = Passphrases.resolve(passphraseFile, main.environment(), true)) {
            ca = CaDirectory.init(dir, caSpec, passphrase, main.clock());
        }
        print(spec.commandLine().getOut(), ca, caSpec);
        return 0;
    }

    private static void print(PrintWriter out, CaDirectory ca, CaSpec caSpec) {
        out.println(Text.CHECK + " Created CA '" + caSpec.name() + "' in " + ca.path());
        CaShowCommand.certificate(out, "Root CA", ca.root());
        CaShowCommand.certificate(out, "Intermediate CA", ca.intermediate());
        Text.row(out, "  ", "Key type", caSpec.keyAlgorithm().description() + " (" + caSpec.keyAlgorithm() + ")");
        Text.row(out, "  ", "Signing provider", CryptoProviders.describe(caSpec.keyAlgorithm()));
        Text.row(out, "  ", "Trust domain", caSpec.trustDomain().map(TrustDomain::name).orElse("(none)"));
        Text.row(out, "  ", "Files", List.of(
                file(ca, CaDirectory.CONFIG, "settings, 0644"),
                file(ca, CaDirectory.ROOT_CERT, "root certificate, 0644"),
                file(ca, CaDirectory.ROOT_KEY, "root key, encrypted, 0600"),
                file(ca, CaDirectory.INTERMEDIATE_CERT, "intermediate certificate, 0644"),
                file(ca, CaDirectory.INTERMEDIATE_KEY, "intermediate key, encrypted, 0600"),
                file(ca, CaDirectory.BUNDLE, "trust bundle for relying parties, 0644"),
                file(ca, CaDirectory.LEDGER + "/", "ledger of every certificate signed, 0700")));
        Text.row(out, "  ", "Key encryption", KEY_ENCRYPTION);
        out.println();
        out.println("Move " + ca.path().resolve(CaDirectory.ROOT_KEY)
                + " offline once you no longer need to create intermediates.");
    }

    static final String KEY_ENCRYPTION = "PKCS#8 PBES2: PBKDF2-HMAC-SHA256, 600,000 iterations, AES-256-CBC";

    private static String file(CaDirectory ca, String name, String what) {
        return ca.path().resolve(name) + "  (" + what + ")";
    }
}
