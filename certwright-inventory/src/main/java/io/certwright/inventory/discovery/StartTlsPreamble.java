package io.certwright.inventory.discovery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serial;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/// The plain-text exchanges that turn an SMTP or PostgreSQL connection into a TLS one. Reads byte by byte,
/// so nothing of the TLS handshake that follows is consumed.
final class StartTlsPreamble {

    /// The server refused or garbled the upgrade; the message says how.
    static final class RefusedException extends IOException {
        @Serial
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    private static final int MAX_LINE = 2_048;
    private static final int MAX_LINES = 100;
    /// The PostgreSQL SSLRequest code (1234 << 16 | 5679).
    private static final int SSL_REQUEST = 80_877_103;

    private StartTlsPreamble() {
    }

    static void negotiate(Socket socket, Starttls mode) throws IOException {
        switch (mode) {
            case NONE -> { }
            case SMTP -> smtp(socket);
            case POSTGRES -> postgres(socket);
        }
    }

    private static void smtp(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        List<String> greeting = reply(in);
        expect(greeting, "220", "greeting");
        out.write("EHLO certwright-scanner.invalid\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> ehlo = reply(in);
        expect(ehlo, "250", "EHLO");
        boolean offered = ehlo.stream().anyMatch(l -> l.length() > 4
                && l.substring(4).strip().toUpperCase(Locale.ROOT).equals("STARTTLS"));
        if (!offered) {
            throw new RefusedException("the SMTP server does not offer STARTTLS");
        }
        out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(reply(in), "220", "STARTTLS");
    }

    private static void expect(List<String> reply, String code, String step) throws RefusedException {
        String last = reply.getLast();
        if (!last.startsWith(code)) {
            throw new RefusedException("the SMTP server answered " + step + " with '" + printable(last) + "'");
        }
    }

    /// One SMTP reply: lines `ddd-text` ending with a line `ddd text`.
    private static List<String> reply(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        while (lines.size() < MAX_LINES) {
            String line = line(in);
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                throw new RefusedException("not an SMTP reply: '" + printable(line) + "'");
            }
            lines.add(line);
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return lines;
            }
            if (line.charAt(3) != '-') {
                throw new RefusedException("not an SMTP reply: '" + printable(line) + "'");
            }
        }
        throw new RefusedException("the SMTP reply has more than " + MAX_LINES + " lines");
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (b.size() <= MAX_LINE) {
            int c = in.read();
            if (c < 0) {
                throw new RefusedException("the server closed the connection during the STARTTLS exchange");
            }
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        throw new RefusedException("a line longer than " + MAX_LINE + " bytes where an SMTP reply was expected");
    }

    private static void postgres(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(new byte[] {0, 0, 0, 8, (byte) (SSL_REQUEST >>> 24), (byte) (SSL_REQUEST >>> 16),
            (byte) (SSL_REQUEST >>> 8), (byte) SSL_REQUEST});
        out.flush();
        int answer = socket.getInputStream().read();
        switch (answer) {
            case 'S' -> { }
            case 'N' -> throw new RefusedException("the PostgreSQL server does not accept TLS (answered N)");
            case -1 -> throw new RefusedException("the server closed the connection after the SSLRequest");
            default -> throw new RefusedException("not a PostgreSQL server: answered 0x"
                    + Integer.toHexString(answer) + " to the SSLRequest");
        }
    }

    private static String printable(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
