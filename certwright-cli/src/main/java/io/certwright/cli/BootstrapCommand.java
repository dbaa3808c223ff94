package io.certwright.cli;

import io.certwright.ca.Pem;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `certwright bootstrap`: pins a server's roots by the fingerprint the server printed at start-up.
@Command(name = "bootstrap", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Trust a Certwright server: fetch its roots and pin them if one matches the fingerprint.",
            "Reads URL/roots.pem (public, no credentials sent), checks that one root's SHA-256 fingerprint is "
                + "FINGERPRINT, checks that the server's own TLS certificate chains to that root, then stores the "
                + "roots in $CERTWRIGHT_HOME/roots.pem and the URL in $CERTWRIGHT_HOME/config.properties "
                + "(default ~/.certwright). Later commands then need neither --server nor --ca-cert. "
                + "Nothing is written when the fingerprint does not match."})
final class BootstrapCommand extends ClientCommand {

    @Option(names = "--server", paramLabel = "URL", required = true, description = "Server URL, e.g. https://127.0.0.1:8443.")
    @SuppressWarnings("NullAway.Init")
    String server;

    @Option(names = "--fingerprint", paramLabel = "SHA256", required = true,
            description = "SHA-256 fingerprint of the server's root, as the server printed it (colons optional).")
    @SuppressWarnings("NullAway.Init")
    String fingerprint;

    @Override
    int run(Main main) throws Exception {
        String wanted = Fingerprints.normalize(fingerprint);
        ConnectionOptions target = new ConnectionOptions();
        target.server = server;
        ClientHome home = ClientHome.of(main.environment());
        URI url = target.server(home);

        // Nothing is known about the server yet, so this one request accepts any certificate; it sends no
        // credentials and reads only public data, which is believed only if it holds the expected root.
        ServerClient unverified = ServerClient.connect(url, new TrustManager[] {new UncheckedServerTrust()},
                "nothing", Optional.empty(), Optional.empty());
        List<X509Certificate> offered = Pem.readCertificates(
                unverified.getText("/roots.pem").getBytes(StandardCharsets.US_ASCII), url + "/roots.pem");
        X509Certificate root = Fingerprints.find(offered, wanted).orElseThrow(() -> new CliException(
                "fingerprint mismatch: none of the " + offered.size() + " root(s) served by " + url
                        + " has SHA-256 fingerprint " + Fingerprints.display(wanted) + "; nothing was stored"
                        + (offered.isEmpty() ? "" : " (served: " + String.join(", ",
                                offered.stream().map(Text::sha256).toList()) + ")")));

        // Now verify the server itself against that root (chain and host name), and take the bundle it
        // serves over the verified connection, which may hold further roots during a root rotation.
        ServerClient verified = ServerClient.connect(url, List.of(root), "the root with fingerprint "
                + Fingerprints.display(wanted), Optional.empty(), Optional.empty());
        List<X509Certificate> roots = Enrollment.roots(verified);
        if (!roots.contains(root)) {
            throw new CliException("the roots served by " + url + " changed between two requests; nothing was stored");
        }
        home.pin(roots, url);

        PrintWriter w = spec.commandLine().getOut();
        w.println(Text.CHECK + " Pinned the roots of " + url);
        Text.row(w, "  ", "Root", root.getSubjectX500Principal().getName());
        Text.row(w, "  ", "SHA-256", Text.sha256(root));
        if (roots.size() > 1) {
            Text.row(w, "  ", "Also trusted", roots.stream().filter(r -> !r.equals(root))
                    .map(r -> r.getSubjectX500Principal().getName() + " (" + Text.sha256(r) + ")").toList());
        }
        Text.row(w, "  ", "Files", List.of(home.rootsFile() + "  (pinned roots)",
                home.configFile() + "  (server URL)"));
        return 0;
    }
}
