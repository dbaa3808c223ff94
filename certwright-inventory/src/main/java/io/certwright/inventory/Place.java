package io.certwright.inventory;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/// Where a certificate was seen: a TLS endpoint, a file, or an entry of a keystore.
///
/// Every place has a [#key()], a canonical text that identifies it, so stores can index it and two sightings
/// of the same place are recognised as one.
public sealed interface Place permits Place.Endpoint, Place.File, Place.KeystoreEntry {

    /// The canonical text of this place: `tls://host:port`, `tls://host:port#sni`, `file:path` or
    /// `keystore:path!alias` (with `%` and `!` in the alias percent-encoded).
    String key();

    /// A short label for people: `host:port`, `host:port (SNI name)`, a path, or `path (alias)`.
    String display();

    /// Parses the text [#key()] produces.
    ///
    /// @throws IllegalArgumentException if the text is not a place key
    static Place parse(String key) {
        if (key.startsWith("tls://")) {
            String rest = key.substring("tls://".length());
            int hash = rest.indexOf('#');
            Optional<String> sni = hash < 0 ? Optional.empty() : Optional.of(rest.substring(hash + 1));
            String hostPort = hash < 0 ? rest : rest.substring(0, hash);
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("endpoint place needs host:port: " + key);
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("endpoint place has an invalid port: " + key, e);
            }
            return new Endpoint(host, port, sni);
        }
        if (key.startsWith("file:")) {
            return new File(key.substring("file:".length()));
        }
        if (key.startsWith("keystore:")) {
            String rest = key.substring("keystore:".length());
            int bang = rest.lastIndexOf('!');
            if (bang < 0) {
                throw new IllegalArgumentException("keystore place needs path!alias: " + key);
            }
            return new KeystoreEntry(rest.substring(0, bang),
                    rest.substring(bang + 1).replace("%21", "!").replace("%25", "%"));
        }
        throw new IllegalArgumentException("unknown place: " + key);
    }

    /// A TLS endpoint, optionally reached with an SNI name different from the host.
    ///
    /// @param host host name or IP address as scanned, stored in lowercase
    /// @param port TCP port, 1 to 65535
    /// @param sni the server name sent in the TLS handshake, when one was sent and differs from `host`
    record Endpoint(String host, int port, Optional<String> sni) implements Place {
        public Endpoint {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(sni, "sni");
            String lower = host.toLowerCase(Locale.ROOT);
            host = lower;
            if (host.isEmpty() || host.indexOf('#') >= 0 || host.indexOf('/') >= 0) {
                throw new IllegalArgumentException("invalid endpoint host '" + host + "'");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("endpoint port must be 1 to 65535, not " + port);
            }
            sni = sni.map(s -> s.toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty() && !s.equals(lower));
        }

        /// An endpoint without a separate SNI name.
        public static Endpoint of(String host, int port) {
            return new Endpoint(host, port, Optional.empty());
        }

        /// `host:port`, with IPv6 addresses in brackets.
        public String hostPort() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        /// The name a client asks for: the SNI name if there is one, else the host.
        public String serverName() {
            return sni.orElse(host);
        }

        @Override
        public String key() {
            return "tls://" + hostPort() + sni.map(s -> "#" + s).orElse("");
        }

        @Override
        public String display() {
            return hostPort() + sni.map(s -> " (SNI " + s + ")").orElse("");
        }
    }

    /// A file holding the certificate (PEM or DER).
    ///
    /// @param path the path as discovered
    record File(String path) implements Place {
        public File {
            Objects.requireNonNull(path, "path");
            if (path.isEmpty()) {
                throw new IllegalArgumentException("file path is empty");
            }
        }

        @Override
        public String key() {
            return "file:" + path;
        }

        @Override
        public String display() {
            return path;
        }
    }

    /// An entry of a keystore file (PKCS#12 or JKS).
    ///
    /// @param path the keystore file
    /// @param alias the entry's alias
    record KeystoreEntry(String path, String alias) implements Place {
        public KeystoreEntry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(alias, "alias");
            if (path.isEmpty()) {
                throw new IllegalArgumentException("keystore path is empty");
            }
        }

        @Override
        public String key() {
            return "keystore:" + path + "!" + alias.replace("%", "%25").replace("!", "%21");
        }

        @Override
        public String display() {
            return path + " (" + alias + ")";
        }
    }
}
