package io.certwright.cli;

import io.certwright.ca.Pem;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/// Where the server is and which roots its certificate must chain to: `--server` and `--ca-cert`, else
/// what `certwright bootstrap` stored in the client directory. Nothing else is ever trusted.
final class ConnectionOptions {

    @Option(names = "--server", paramLabel = "URL",
            description = "Server URL, e.g. https://127.0.0.1:8443 (default: the one 'certwright bootstrap' stored).")
    @Nullable String server;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "PEM file with the server's root certificates to trust (default: the roots pinned by "
                    + "'certwright bootstrap').")
    @Nullable Path caCert;

    /// Whether `--server` or `--ca-cert` was given.
    boolean given() {
        return server != null || caCert != null;
    }

    /// `--server`, else the stored URL.
    URI server(ClientHome home) throws IOException, CliException {
        if (server != null) {
            URI url;
            try {
                url = new URI(server.strip());
            } catch (java.net.URISyntaxException e) {
                throw new CliException("invalid server URL '" + server + "': " + e.getReason());
            }
            ServerClient.checkUrl(url);
            return url;
        }
        return home.server().orElseThrow(() -> new CliException(
                "no server: pass --server URL, or run 'certwright bootstrap --server URL --fingerprint SHA256' once"));
    }

    /// A client of the server, trusting `--ca-cert` or the pinned roots.
    ServerClient client(Main main, Optional<String> token, Optional<ServerClient.Identity> identity)
            throws IOException, GeneralSecurityException, CliException {
        ClientHome home = ClientHome.of(main.environment());
        URI url = server(home);
        TrustedRoots trusted = roots(home, url);
        return ServerClient.connect(url, trusted.roots(), trusted.source(), token, identity);
    }

    /// The roots `url` must chain to, and the file they came from.
    record TrustedRoots(List<X509Certificate> roots, String source) {
    }

    /// `--ca-cert`, else the roots `certwright bootstrap` pinned.
    TrustedRoots roots(ClientHome home, URI url) throws IOException, GeneralSecurityException, CliException {
        if (caCert != null) {
            return new TrustedRoots(Pem.readCertificates(Files.readAllBytes(caCert), caCert.toString()),
                    caCert.toString());
        }
        List<X509Certificate> roots = home.roots().orElseThrow(() -> new CliException("no trusted roots for " + url
                + ": pass --ca-cert FILE, or run 'certwright bootstrap --server " + url + " --fingerprint SHA256' once"));
        return new TrustedRoots(roots, home.rootsFile().toString());
    }
}
