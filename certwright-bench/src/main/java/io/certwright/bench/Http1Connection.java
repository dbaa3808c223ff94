package io.certwright.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/// One HTTP/1.1 keep-alive connection of the load generator, over plain TCP or TLS, that sends requests
/// serialised once in advance and reads each answer's status and body.
///
/// The generator shares the machine's cores with the server it measures, so the less CPU it spends per
/// request the more the measurement says about the server. `java.net.http.HttpClient` spends more per
/// request than a small server does (builders, header maps, its selector thread and futures); this client
/// writes prepared bytes and parses only the status line and the framing headers. Blocking I/O on a
/// virtual thread per connection.
final class Http1Connection implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 30_000;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /// An answer: status code and body.
    ///
    /// @param status the HTTP status code
    /// @param text the body, de-chunked, as UTF-8 text
    record Response(int status, String text) {
    }

    private final URI base;
    private final @Nullable SSLContext tls;
    private @Nullable Socket socket;
    private @Nullable InputStream in;
    private @Nullable OutputStream out;
    private byte[] header = new byte[4096];

    /// A connection to `base` (`http` or `https` scheme), opened at the first exchange.
    Http1Connection(URI base, @Nullable SSLContext tls) {
        this.base = base;
        this.tls = tls;
        if ("https".equals(base.getScheme()) && tls == null) {
            throw new IllegalArgumentException("an https target needs a TLS context");
        }
    }

    /// The bytes of one request: `method` on `uri`'s path and query, with `headers`, a `Host` header, a
    /// `Content-Length` when `body` is not null, and keep-alive.
    static byte[] request(String method, URI uri, Map<String, String> headers, byte @Nullable [] body) {
        StringBuilder b = new StringBuilder(256);
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        b.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        b.append("Host: ").append(uri.getHost()).append(':').append(port(uri)).append("\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            b.append("Content-Length: ").append(body.length).append("\r\n");
        }
        b.append("\r\n");
        byte[] head = b.toString().getBytes(StandardCharsets.US_ASCII);
        if (body == null) {
            return head;
        }
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    /// Sends `request` (from [#request]) and reads the answer. A connection the server closed while idle is
    /// reopened once, before anything of the answer was read.
    Response exchange(byte[] request) throws IOException {
        boolean fresh = socket == null;
        try {
            return exchangeOnce(request);
        } catch (EOFException | java.net.SocketException e) {
            close();
            if (fresh) {
                throw e;
            }
            return exchangeOnce(request);
        }
    }

    private Response exchangeOnce(byte[] request) throws IOException {
        if (socket == null) {
            connect();
        }
        OutputStream o = java.util.Objects.requireNonNull(out);
        InputStream i = java.util.Objects.requireNonNull(in);
        o.write(request);
        o.flush();
        int headerLength = readHeader(i);
        int status = status(headerLength);
        long contentLength = -1;
        boolean chunked = false;
        boolean close = false;
        int line = indexOf(header, 0, headerLength, '\n') + 1;
        while (line < headerLength) {
            int end = indexOf(header, line, headerLength, '\n');
            int colon = indexOf(header, line, end, ':');
            if (colon > line) {
                String name = new String(header, line, colon - line, StandardCharsets.US_ASCII).trim()
                        .toLowerCase(Locale.ROOT);
                String value = new String(header, colon + 1, end - colon - 1, StandardCharsets.US_ASCII).trim();
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            line = end + 1;
        }
        byte[] body;
        if (chunked) {
            body = readChunked(i);
        } else if (contentLength >= 0) {
            body = i.readNBytes(Math.toIntExact(contentLength));
            if (body.length != contentLength) {
                throw new EOFException("the connection closed inside a body");
            }
        } else {
            body = i.readAllBytes();
            close = true;
        }
        if (close) {
            close();
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private void connect() throws IOException {
        Socket s;
        if (tls != null && "https".equals(base.getScheme())) {
            s = tls.getSocketFactory().createSocket();
        } else {
            s = new Socket();
        }
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(base.getHost(), port(base)), CONNECT_TIMEOUT_MS);
        s.setSoTimeout(READ_TIMEOUT_MS);
        if (s instanceof SSLSocket ssl) {
            ssl.startHandshake();
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = s.getOutputStream();
    }

    /// Reads up to and including the blank line ending the header into [#header]; returns its length.
    private int readHeader(InputStream i) throws IOException {
        int n = 0;
        while (true) {
            int c = i.read();
            if (c < 0) {
                throw new EOFException(n == 0 ? "the server closed the connection" : "the connection closed in a header");
            }
            if (n == header.length) {
                if (n >= MAX_HEADER_BYTES) {
                    throw new IOException("response header over " + MAX_HEADER_BYTES + " bytes");
                }
                header = Arrays.copyOf(header, n * 2);
            }
            header[n++] = (byte) c;
            if (c == '\n' && n >= 4 && header[n - 2] == '\r' && header[n - 3] == '\n' && header[n - 4] == '\r') {
                return n;
            }
        }
    }

    private int status(int headerLength) throws IOException {
        // "HTTP/1.1 201 Created"
        int sp = indexOf(header, 0, headerLength, ' ');
        if (sp < 0 || sp + 4 > headerLength) {
            throw new IOException("not an HTTP/1.1 status line");
        }
        int status = 0;
        for (int k = sp + 1; k < sp + 4; k++) {
            int d = header[k] - '0';
            if (d < 0 || d > 9) {
                throw new IOException("not an HTTP/1.1 status line");
            }
            status = status * 10 + d;
        }
        return status;
    }

    private static byte[] readChunked(InputStream i) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(i);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                // Trailers, if any, end with an empty line.
                while (!readLine(i).isEmpty()) {
                    // skip
                }
                return body.toByteArray();
            }
            byte[] chunk = i.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("the connection closed inside a chunk");
            }
            body.write(chunk);
            readLine(i);
        }
    }

    private static String readLine(InputStream i) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = i.read();
            if (c < 0) {
                throw new EOFException("the connection closed in a chunk header");
            }
            if (c == '\n') {
                int len = b.length();
                return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
            }
            b.append((char) c);
        }
    }

    private static int indexOf(byte[] a, int from, int to, char c) {
        for (int k = from; k < to; k++) {
            if (a[k] == c) {
                return k;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
