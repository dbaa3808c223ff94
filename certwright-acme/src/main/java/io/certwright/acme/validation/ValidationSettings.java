package io.certwright.acme.validation;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/// How [Validators] reach the servers they check (configuration `acme.validation`).
///
/// Real ACME clients serve http-01 on port 80 and tls-alpn-01 on port 443; a private network or a test
/// may point these elsewhere. Every DNS question of a validation (addresses for http-01 and tls-alpn-01,
/// TXT records for dns-01) goes to [#dnsServer] when it is set, and to the system's resolvers otherwise.
///
/// @param http01Port     the port http-01 connects to (`http01Port`, default 80)
/// @param tlsAlpn01Port  the port tls-alpn-01 connects to (`tlsAlpn01Port`, default 443)
/// @param dnsServer      the DNS server for every lookup, as `address:port` with an IP address
///                       (`127.0.0.1:53`, `[fd00::10]:53`; the port defaults to 53); empty for the
///                       system's resolvers as dnsjava reads them (`/etc/resolv.conf` on Linux)
/// @param timeout        the limit of one validation attempt from start to finish, lookups included
///                       (default 10 s); each DNS query may take at most half of it
/// @param maxRedirects   the most HTTP redirects http-01 follows (default 10)
/// @param maxBodyBytes   the largest http-01 response body read (default 8 KiB); a larger one fails
/// @param maxConcurrent  the most validation attempts in flight at once (default 256); more wait for a
///                       turn, and their timeout starts when they get it
public record ValidationSettings(int http01Port, int tlsAlpn01Port, Optional<String> dnsServer, Duration timeout,
        int maxRedirects, int maxBodyBytes, int maxConcurrent) {

    /// The default http-01 port (RFC 8555 section 8.3).
    public static final int DEFAULT_HTTP01_PORT = 80;
    /// The default tls-alpn-01 port (RFC 8737 section 3).
    public static final int DEFAULT_TLS_ALPN01_PORT = 443;
    /// The default limit of one attempt.
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /// The default number of redirects followed.
    public static final int DEFAULT_MAX_REDIRECTS = 10;
    /// The default limit of an http-01 response body.
    public static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024;
    /// The default number of attempts in flight.
    public static final int DEFAULT_MAX_CONCURRENT = 256;

    private static final int DNS_PORT = 53;

    /// Checks every field; `dnsServer` must parse as an IP address and port.
    public ValidationSettings {
        Objects.requireNonNull(dnsServer, "dnsServer");
        Objects.requireNonNull(timeout, "timeout");
        checkPort("http01Port", http01Port);
        checkPort("tlsAlpn01Port", tlsAlpn01Port);
        dnsServer.ifPresent(ValidationSettings::parseDnsServer);
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("acme.validation timeout must be positive and at most 5 minutes, not "
                    + timeout);
        }
        if (maxRedirects < 0 || maxRedirects > 20) {
            throw new IllegalArgumentException("acme.validation maxRedirects must be 0..20, not " + maxRedirects);
        }
        if (maxBodyBytes < 128 || maxBodyBytes > 1024 * 1024) {
            throw new IllegalArgumentException("acme.validation maxBodyBytes must be 128..1048576, not "
                    + maxBodyBytes);
        }
        if (maxConcurrent < 1 || maxConcurrent > 100_000) {
            throw new IllegalArgumentException("acme.validation maxConcurrent must be 1..100000, not "
                    + maxConcurrent);
        }
    }

    /// Ports 80 and 443, the system's resolvers, 10 s per attempt, 10 redirects, 8 KiB bodies, 256 attempts
    /// at once.
    public static ValidationSettings defaults() {
        return new ValidationSettings(DEFAULT_HTTP01_PORT, DEFAULT_TLS_ALPN01_PORT, Optional.empty(),
                DEFAULT_TIMEOUT, DEFAULT_MAX_REDIRECTS, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONCURRENT);
    }

    /// These settings with another http-01 port.
    public ValidationSettings withHttp01Port(int port) {
        return new ValidationSettings(port, tlsAlpn01Port, dnsServer, timeout, maxRedirects, maxBodyBytes,
                maxConcurrent);
    }

    /// These settings with another tls-alpn-01 port.
    public ValidationSettings withTlsAlpn01Port(int port) {
        return new ValidationSettings(http01Port, port, dnsServer, timeout, maxRedirects, maxBodyBytes,
                maxConcurrent);
    }

    /// These settings asking `server` (`address:port`) every DNS question.
    public ValidationSettings withDnsServer(String server) {
        return new ValidationSettings(http01Port, tlsAlpn01Port, Optional.of(server), timeout, maxRedirects,
                maxBodyBytes, maxConcurrent);
    }

    /// These settings with another limit per attempt.
    public ValidationSettings withTimeout(Duration limit) {
        return new ValidationSettings(http01Port, tlsAlpn01Port, dnsServer, limit, maxRedirects, maxBodyBytes,
                maxConcurrent);
    }

    /// These settings following at most `n` redirects.
    public ValidationSettings withMaxRedirects(int n) {
        return new ValidationSettings(http01Port, tlsAlpn01Port, dnsServer, timeout, n, maxBodyBytes,
                maxConcurrent);
    }

    /// These settings reading at most `bytes` of an http-01 body.
    public ValidationSettings withMaxBodyBytes(int bytes) {
        return new ValidationSettings(http01Port, tlsAlpn01Port, dnsServer, timeout, maxRedirects, bytes,
                maxConcurrent);
    }

    /// These settings with at most `n` attempts in flight.
    public ValidationSettings withMaxConcurrent(int n) {
        return new ValidationSettings(http01Port, tlsAlpn01Port, dnsServer, timeout, maxRedirects, maxBodyBytes,
                n);
    }

    /// The socket address of the configured DNS server, if one is.
    public Optional<InetSocketAddress> dnsServerAddress() {
        return dnsServer.map(ValidationSettings::parseDnsServer);
    }

    /// Parses `address:port`, `address`, `[v6]:port` or `[v6]`; the port defaults to 53.
    static InetSocketAddress parseDnsServer(String text) {
        String host;
        int port = DNS_PORT;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw badDnsServer(text);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw badDnsServer(text);
                }
                portText = rest.substring(1);
            }
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
                // An IPv6 address without brackets and without a port.
                host = text;
            } else if (colon >= 0) {
                host = text.substring(0, colon);
                portText = text.substring(colon + 1);
            } else {
                host = text;
            }
        }
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw badDnsServer(text);
            }
            port = Integer.parseInt(portText);
            if (port < 1 || port > 65535) {
                throw badDnsServer(text);
            }
        }
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw badDnsServer(text);
        }
        return new InetSocketAddress(address, port);
    }

    private static IllegalArgumentException badDnsServer(String text) {
        return new IllegalArgumentException("acme.validation dnsServer must be an IP address and port such as "
                + "127.0.0.1:53 or [fd00::10]:53, not '" + text + "'");
    }

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("acme.validation " + name + " must be 1..65535, not " + port);
        }
    }
}
