package io.certwright.inventory.discovery;

import java.util.Locale;

/// Why a target yielded no certificate; each kind has a stable wire name used in JSON and CSV output.
public enum ErrorKind {
    /// The target could not be parsed (bad syntax, port out of range, CIDR range too large).
    INVALID_TARGET,
    /// The host name did not resolve.
    UNRESOLVED,
    /// No route to the host or network.
    UNREACHABLE,
    /// The port is closed: the connection was refused.
    REFUSED,
    /// Connecting or the handshake took longer than the per-target timeout.
    TIMEOUT,
    /// The service answered with something that is not TLS.
    NOT_TLS,
    /// The STARTTLS preamble (SMTP, PostgreSQL) failed or the server does not offer TLS.
    STARTTLS_FAILED,
    /// The TLS handshake failed: no common protocol or cipher, an alert from the server, a reset.
    HANDSHAKE_FAILED,
    /// A certificate could not be parsed, or the chain was too long or otherwise malformed.
    MALFORMED_CERTIFICATE,
    /// A file could not be read: missing, a dangling link, not a regular file, too large, an I/O error.
    UNREADABLE,
    /// A keystore opened with none of the passwords tried.
    WRONG_PASSWORD;

    /// The wire name: lower case with hyphens, for example `not-tls`.
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return wireName();
    }
}
