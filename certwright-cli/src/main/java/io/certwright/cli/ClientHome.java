package io.certwright.cli;

import io.certwright.ca.AtomicFiles;
import io.certwright.ca.Pem;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/// The client's own directory, `$CERTWRIGHT_HOME` (default `~/.certwright`, mode 0700): the pinned roots of
/// the server in `roots.pem` and its URL in `config.properties` (key `server`), both written by
/// `certwright bootstrap` so later commands may omit `--server` and `--ca-cert`.
final class ClientHome {

    /// Environment variable naming the client directory.
    static final String HOME_VARIABLE = "CERTWRIGHT_HOME";
    /// Environment variable holding an API token.
    static final String TOKEN_VARIABLE = "CERTWRIGHT_TOKEN";

    private static final String SERVER_KEY = "server";

    private final Path dir;

    private ClientHome(Path dir) {
        this.dir = dir;
    }

    static ClientHome of(Map<String, String> environment) {
        String home = environment.get(HOME_VARIABLE);
        if (home != null && !home.isBlank()) {
            return new ClientHome(Path.of(home));
        }
        return new ClientHome(Path.of(System.getProperty("user.home"), ".certwright"));
    }

    Path dir() {
        return dir;
    }

    Path rootsFile() {
        return dir.resolve("roots.pem");
    }

    Path configFile() {
        return dir.resolve("config.properties");
    }

    /// The pinned roots, if `bootstrap` stored any.
    Optional<List<X509Certificate>> roots() throws IOException {
        Path f = rootsFile();
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        return Optional.of(Pem.readCertificates(Files.readAllBytes(f), f.toString()));
    }

    /// The server URL `bootstrap` stored, if any.
    Optional<URI> server() throws IOException, CliException {
        String value = load().getProperty(SERVER_KEY);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(value.strip()));
        } catch (IllegalArgumentException e) {
            throw new CliException(configFile() + ": '" + value + "' is not a URL");
        }
    }

    /// Pins `roots` and remembers `server`, keeping any other settings in `config.properties`.
    void pin(List<X509Certificate> roots, URI server) throws IOException {
        AtomicFiles.createDirectory(dir, AtomicFiles.PRIVATE_DIR);
        Properties config = load();
        config.setProperty(SERVER_KEY, server.toString());
        StringWriter text = new StringWriter();
        config.store(text, "certwright client settings");
        AtomicFiles.writeString(rootsFile(), Pem.certificates(roots), AtomicFiles.PUBLIC);
        AtomicFiles.writeString(configFile(), text.toString(), AtomicFiles.PUBLIC);
    }

    private Properties load() throws IOException {
        Properties p = new Properties();
        Path f = configFile();
        if (Files.exists(f)) {
            p.load(new StringReader(Files.readString(f)));
        }
        return p;
    }
}
