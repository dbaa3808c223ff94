package io.certwright.inventory.discovery;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/// Where a certificate was seen: a TLS endpoint, a certificate file, or an entry of a keystore.
public sealed interface Place {

    /// A short description for people and for error records, for example `example.com:443`.
    String describe();

    /// A TLS endpoint.
    ///
    /// @param host       the host as targeted (name or IP address)
    /// @param port       the TCP port
    /// @param serverName the SNI sent, if any
    /// @param address    the IP address connected to
    /// @param starttls   how TLS was reached
    record Endpoint(String host, int port, Optional<String> serverName, String address, Starttls starttls)
            implements Place {

        public Endpoint {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(serverName, "serverName");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(starttls, "starttls");
        }

        @Override
        public String describe() {
            return new TlsTarget(host, port, serverName, starttls).display();
        }
    }

    /// A PEM or DER file; a PEM bundle yields one place per chain in it.
    ///
    /// @param path  the file
    /// @param index the position (from 1) of the chain's first certificate among the file's certificates
    record File(Path path, int index) implements Place {

        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String describe() {
            return index == 1 ? path.toString() : path + " (certificate " + index + ")";
        }
    }

    /// An entry of a PKCS#12, JKS or JCEKS keystore.
    ///
    /// @param path  the keystore file
    /// @param type  `PKCS12`, `JKS` or `JCEKS`
    /// @param alias the entry's alias
    /// @param kind  what the entry holds
    record KeystoreEntry(Path path, String type, String alias, EntryKind kind) implements Place {

        public KeystoreEntry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(alias, "alias");
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public String describe() {
            return path + "#" + alias;
        }
    }

    /// What a keystore entry holds.
    enum EntryKind {
        /// A private key with its certificate chain.
        PRIVATE_KEY,
        /// A trusted certificate without a key.
        TRUSTED_CERTIFICATE
    }
}
