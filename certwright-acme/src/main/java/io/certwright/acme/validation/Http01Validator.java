package io.certwright.acme.validation;

import io.certwright.acme.AcmeProblemType;
import io.certwright.acme.store.Identifier;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/// http-01 (RFC 8555 section 8.3, RFC 8738 section 7): fetches
/// `http://<identifier>:<http01Port>/.well-known/acme-challenge/<token>` and compares the body with the key
/// authorization.
///
/// A small HTTP/1.1 client of its own, because the connection must go to the address the configured DNS
/// server gave while the request names the identifier, which `java.net.http.HttpClient` allows only through
/// a process-wide switch. It sends one `GET` with `Connection: close` and
/// `Host: <identifier>` (with `:<port>` when the port is not the scheme's default, as HTTP requires), reads
/// at most 8 KiB of status line and headers and at most [ValidationSettings#maxBodyBytes] of body (plain,
/// `Content-Length` or chunked), and decides:
///
/// - 200 with a body equal to the key authorization once surrounding whitespace is trimmed: valid;
/// - 200 with another body, a body over the limit, any other status, or a response that is not HTTP/1.x:
///   `incorrectResponse`, quoting what was received (cut and escaped);
/// - 301, 302, 303, 307 or 308 with a `Location`: followed, at most [ValidationSettings#maxRedirects] times,
///   only to `http` on port 80 or the http-01 port and to `https` on port 443 or the tls-alpn-01 port, the new
///   host looked up again through the configured DNS server; any other target is refused with
///   `incorrectResponse`. An HTTPS target's certificate is not judged;
/// - no connection (refused, unreachable, no answer): `connection`; a failed TLS handshake after a redirect
///   to HTTPS: `tls`; a name that does not resolve: `dns`.
final class Http01Validator {

    static final String CHALLENGE_PATH = "/.well-known/acme-challenge/";
    private static final int MAX_HEAD_BYTES = 8 * 1024;
    private static final int MAX_HEADERS = 100;
    private static final Pattern DOTTED_QUAD = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final ValidationSettings settings;
    private final DnsLookups dns;
    private final SSLSocketFactory tls;

    Http01Validator(ValidationSettings settings, DnsLookups dns, SSLSocketFactory tls) {
        this.settings = settings;
        this.dns = dns;
        this.tls = tls;
    }

    /// Where a request goes.
    ///
    /// @param https   whether the scheme is `https`
    /// @param host    the name or address as the URL has it, without brackets
    /// @param literal the address when `host` is one, else null
    /// @param port    the TCP port
    /// @param target  the request target (path and query)
    record Target(boolean https, String host, @Nullable InetAddress literal, int port, String target) {

        int defaultPort() {
            return https ? 443 : 80;
        }

        String authority() {
            String h = literal instanceof Inet6Address ? "[" + host + "]" : host;
            return port == defaultPort() ? h : h + ":" + port;
        }

        String url() {
            return (https ? "https://" : "http://") + authority() + target;
        }
    }

    /// What came back, as far as it was read; the body's bytes as ISO 8859-1 characters.
    private record Response(int status, @Nullable String location, String body) {
    }

    void validate(Identifier identifier, String token, String keyAuthorization, Attempt attempt)
            throws ValidationFailure, InterruptedException {
        Target target = challengeUrl(identifier, token, settings.http01Port());
        for (int redirects = 0; ; redirects++) {
            Exchange exchange = fetch(target, attempt);
            Response r = exchange.response();
            String where = target.url() + " (" + exchange.address() + ")";
            if (REDIRECTS.contains(r.status())) {
                String location = r.location();
                if (location == null) {
                    throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                            where + " answered " + r.status() + " without a Location");
                }
                if (redirects >= settings.maxRedirects()) {
                    throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                            where + " redirected more than " + settings.maxRedirects() + " times");
                }
                target = next(target, location, where);
                continue;
            }
            if (r.status() != 200) {
                throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                        where + " answered " + r.status() + " instead of 200");
            }
            String body = trim(r.body());
            if (!body.equals(keyAuthorization)) {
                throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE, where
                        + " answered a body that is not the key authorization: " + Printable.quote(body));
            }
            return;
        }
    }

    /// The challenge URL of `identifier` on `port`.
    static Target challengeUrl(Identifier identifier, String token, int port) throws ValidationFailure {
        return switch (identifier.type()) {
            case DNS -> {
                if (identifier.isWildcard()) {
                    throw new ValidationFailure(AcmeProblemType.MALFORMED,
                            "http-01 cannot validate the wildcard " + identifier.value());
                }
                yield new Target(false, identifier.value(), null, port, CHALLENGE_PATH + token);
            }
            case IP -> {
                // An IPv4-mapped IPv6 identifier is an IPv4 address; name it as one in the URL and Host.
                InetAddress address = Addresses.literal(identifier.value());
                String host = address instanceof Inet4Address ? address.getHostAddress() : identifier.value();
                yield new Target(false, host, address, port, CHALLENGE_PATH + token);
            }
        };
    }

    /// The target `location` names, relative to `from`, if redirecting there is allowed.
    Target next(Target from, String location, String where) throws ValidationFailure {
        URI uri;
        try {
            uri = new URI(from.url()).resolve(new URI(location.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw refused(where, location, "it is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean https = switch (scheme) {
            case "http" -> false;
            case "https" -> true;
            default -> throw refused(where, location, "only http and https are followed");
        };
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null) {
            throw refused(where, location, "it names no plain host");
        }
        int port = uri.getPort() < 0 ? (https ? 443 : 80) : uri.getPort();
        Set<Integer> allowed = https ? Set.of(443, settings.tlsAlpn01Port()) : Set.of(80, settings.http01Port());
        if (!allowed.contains(port)) {
            throw refused(where, location, "port " + port + " is not one validation connects to");
        }
        InetAddress literal = null;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            literal = Addresses.literal(host);
        } else if (DOTTED_QUAD.matcher(host).matches()) {
            literal = Addresses.literal(host);
        }
        host = host.toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery();
        return new Target(https, host, literal, port, query == null ? path : path + "?" + query);
    }

    private static ValidationFailure refused(String where, String location, String why) {
        return new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                where + " redirected to " + Printable.quote(location) + ", which is not followed: " + why);
    }

    private record Exchange(Response response, String address) {
    }

    private Exchange fetch(Target target, Attempt attempt) throws ValidationFailure, InterruptedException {
        List<InetAddress> addresses = target.literal() != null ? List.of(target.literal())
                : dns.addresses(target.host(), attempt);
        Connections.Connected connected = Connections.connect(addresses, target.port(), settings.timeout(), attempt);
        String address = Connections.display(connected.address());
        String where = target.url() + " (" + address + ")";
        try (Socket socket = target.https() ? handshake(connected.socket(), target, where, attempt)
                : connected.socket()) {
            attempt.now("waiting for " + where);
            OutputStream out = socket.getOutputStream();
            out.write(request(target).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new Exchange(read(new BufferedInputStream(socket.getInputStream()), where), address);
        } catch (SocketTimeoutException e) {
            throw new ValidationFailure(AcmeProblemType.CONNECTION, where + " did not answer in time");
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("timed out");
            }
            throw new ValidationFailure(AcmeProblemType.CONNECTION, where + ": " + Connections.reason(e));
        } finally {
            Connections.close(connected.socket());
        }
    }

    private Socket handshake(Socket plain, Target target, String where, Attempt attempt) throws ValidationFailure,
            IOException {
        attempt.now("TLS handshake with " + where);
        SSLSocket socket = (SSLSocket) tls.createSocket(plain, target.host(), target.port(), true);
        SSLParameters parameters = socket.getSSLParameters();
        if (target.literal() == null) {
            parameters.setServerNames(List.of(new SNIHostName(target.host())));
        }
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        try {
            socket.startHandshake();
        } catch (SSLException e) {
            throw new ValidationFailure(AcmeProblemType.TLS, "the TLS handshake with " + where + " failed: "
                    + e.getMessage());
        }
        return socket;
    }

    static String request(Target target) {
        return "GET " + target.target() + " HTTP/1.1\r\n"
                + "Host: " + target.authority() + "\r\n"
                + "User-Agent: Certwright-ACME-validation\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n"
                + "\r\n";
    }

    private Response read(InputStream in, String where) throws IOException, ValidationFailure {
        Lines head = new Lines(in, where, "status line and headers");
        String statusLine = head.line();
        if (!statusLine.matches("HTTP/1\\.[01] [0-9]{3}( .*)?")) {
            throw new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                    where + " did not answer HTTP/1.x: " + Printable.quote(statusLine));
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        String location = null;
        long contentLength = -1;
        boolean chunked = false;
        for (int n = 0; ; n++) {
            String line = head.line();
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (n >= MAX_HEADERS || colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw malformed(where, "a header line " + Printable.quote(line));
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "location" -> location = value;
                case "content-length" -> {
                    long length = contentLength(value, where);
                    if (contentLength >= 0 && contentLength != length) {
                        throw malformed(where, "two different Content-Length headers");
                    }
                    contentLength = length;
                }
                case "transfer-encoding" -> {
                    String coding = value.toLowerCase(Locale.ROOT);
                    if (!coding.equals("chunked")) {
                        throw malformed(where, "the transfer coding " + Printable.quote(value));
                    }
                    chunked = true;
                }
                default -> {
                    // Other headers do not matter to the validation.
                }
            }
        }
        if (status != 200) {
            return new Response(status, location, "");
        }
        Body body = new Body(settings.maxBodyBytes(), where);
        if (chunked) {
            body.chunked(new Lines(in, where, "chunk sizes"));
        } else if (contentLength >= 0) {
            body.exactly(in, contentLength);
        } else {
            body.untilClosed(in);
        }
        return new Response(status, location, body.text());
    }

    private static long contentLength(String value, String where) throws ValidationFailure {
        if (value.isEmpty() || value.length() > 12 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed(where, "the Content-Length " + Printable.quote(value));
        }
        return Long.parseLong(value);
    }

    static ValidationFailure malformed(String where, String what) {
        return new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                where + " sent a malformed HTTP response: " + what);
    }

    /// Reads CRLF-terminated lines (a response head, or the framing of a chunked body), together no longer
    /// than [#MAX_HEAD_BYTES].
    private static final class Lines {

        private final InputStream in;
        private final String where;
        private final String part;
        private int budget = MAX_HEAD_BYTES;
        private boolean any;

        Lines(InputStream in, String where, String part) {
            this.in = in;
            this.where = where;
            this.part = part;
        }

        InputStream in() {
            return in;
        }

        /// The next line without its CRLF (or bare LF).
        String line() throws IOException, ValidationFailure {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (!any) {
                        throw new ValidationFailure(AcmeProblemType.CONNECTION,
                                where + " closed the connection without answering");
                    }
                    throw malformed(where, "it ended within the " + part);
                }
                any = true;
                if (--budget < 0) {
                    throw malformed(where, "the " + part + " exceed " + MAX_HEAD_BYTES + " bytes");
                }
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
            }
        }
    }

    /// Collects a body of at most `max` bytes.
    private static final class Body {

        private final int max;
        private final String where;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Body(int max, String where) {
            this.max = max;
            this.where = where;
        }

        String text() {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }

        private ValidationFailure tooLarge() {
            return new ValidationFailure(AcmeProblemType.INCORRECT_RESPONSE,
                    where + " answered a body larger than " + max + " bytes");
        }

        void exactly(InputStream in, long length) throws IOException, ValidationFailure {
            if (length > max) {
                throw tooLarge();
            }
            byte[] data = in.readNBytes((int) length);
            if (data.length < length) {
                throw malformed(where, "the body ended after " + data.length + " of " + length + " bytes");
            }
            bytes.write(data);
        }

        void untilClosed(InputStream in) throws IOException, ValidationFailure {
            byte[] data = in.readNBytes(max + 1);
            if (data.length > max) {
                throw tooLarge();
            }
            bytes.write(data);
        }

        void chunked(Lines head) throws IOException, ValidationFailure {
            while (true) {
                String sizeLine = head.line();
                int semicolon = sizeLine.indexOf(';');
                String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
                if (hex.isEmpty() || hex.length() > 7 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    throw malformed(where, "the chunk size " + Printable.quote(sizeLine));
                }
                int size = Integer.parseInt(hex, 16);
                if (size == 0) {
                    return;
                }
                if (bytes.size() + (long) size > max) {
                    throw tooLarge();
                }
                byte[] data = head.in().readNBytes(size);
                if (data.length < size) {
                    throw new EOFException("the connection closed within a chunk");
                }
                bytes.write(data);
                if (!head.line().isEmpty()) {
                    throw malformed(where, "a chunk not followed by CRLF");
                }
            }
        }
    }

    /// `s` without the spaces, tabs, CRs and LFs around it.
    static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
