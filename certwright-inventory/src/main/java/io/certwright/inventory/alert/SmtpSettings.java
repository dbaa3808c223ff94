package io.certwright.inventory.alert;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/// How to reach an SMTP server.
///
/// @param host server host
/// @param port server port (587 for STARTTLS submission, 465 for implicit TLS, 25 for plain)
/// @param security how the connection is protected
/// @param username login name, when the server needs authentication
/// @param password login password
/// @param from the sender address
/// @param timeout connect, read and write timeout
/// @param sslSocketFactory the TLS socket factory to use (for a private CA); the JDK default when empty
public record SmtpSettings(String host, int port, Security security, Optional<String> username,
        Optional<Secret> password, String from, Duration timeout, Optional<SSLSocketFactory> sslSocketFactory) {

    /// Connection protection.
    public enum Security {
        /// Plain SMTP; only for a relay on the same host.
        NONE,
        /// Plain connection upgraded with STARTTLS, which is required: no upgrade, no mail.
        STARTTLS,
        /// TLS from the first byte (SMTPS).
        TLS
    }

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(sslSocketFactory, "sslSocketFactory");
        if (host.isBlank() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("SMTP server needs a host and a port from 1 to 65535");
        }
        if (username.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("SMTP username and password go together");
        }
    }

    /// The settings of an authenticated STARTTLS submission server with the JDK's trust store.
    public static SmtpSettings startTls(String host, int port, String username, Secret password, String from) {
        return new SmtpSettings(host, port, Security.STARTTLS, Optional.of(username), Optional.of(password), from,
                Duration.ofSeconds(30), Optional.empty());
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + host + ":" + port + ", " + security + ", user=" + username.orElse("-")
                + ", password=" + (password.isPresent() ? "set" : "none") + ", from=" + from + "]";
    }
}
