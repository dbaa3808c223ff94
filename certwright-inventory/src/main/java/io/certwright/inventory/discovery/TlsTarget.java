package io.certwright.inventory.discovery;

import java.util.Objects;
import java.util.Optional;

/// One TLS endpoint to scan.
///
/// @param host       a host name or an IP address literal (IPv6 without brackets)
/// @param port       1 to 65535
/// @param serverName the name sent as SNI and checked against the certificate; by default the host
///                   name, none for an IP address
/// @param starttls   how TLS is reached on the connection
public record TlsTarget(String host, int port, Optional<String> serverName, Starttls starttls) {

    public TlsTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(starttls, "starttls");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
        }
    }

    /// Direct TLS to `host:port`, sending the host name as SNI unless it is an IP address.
    public static TlsTarget of(String host, int port) {
        return new TlsTarget(host, port, Targets.isIpLiteral(host) ? Optional.empty() : Optional.of(host),
                Starttls.NONE);
    }

    /// This target sending `name` as SNI (and checking the certificate against it) instead.
    public TlsTarget withServerName(String name) {
        return new TlsTarget(host, port, Optional.of(name), starttls);
    }

    /// This target reached through `mode`.
    public TlsTarget withStarttls(Starttls mode) {
        return new TlsTarget(host, port, serverName, mode);
    }

    /// `host:port`, `[2001:db8::1]:443`, prefixed with the scheme for STARTTLS (`smtp://mail:25`) and
    /// followed by the SNI when it differs from the host.
    public String display() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String s = starttls == Starttls.NONE ? "" : starttls.scheme() + "://";
        String sni = serverName.filter(n -> !n.equalsIgnoreCase(host)).map(n -> " (SNI " + n + ")").orElse("");
        return s + h + ":" + port + sni;
    }
}
