package io.certwright.acme.validation;

import io.certwright.acme.AcmeProblemType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/// Opens the TCP connection of an http-01 or tls-alpn-01 attempt.
///
/// Of the addresses a name has, the first IPv6 address is tried and then, if that connection cannot be
/// made, the first IPv4 address, each with its share of the attempt's time; an established connection is
/// final, whatever the server then answers.
final class Connections {

    private Connections() {
    }

    /// A connection and the address it reached.
    record Connected(Socket socket, InetSocketAddress address) {
    }

    /// Connects to `port` at the first IPv6 and then the first IPv4 address of `addresses`.
    ///
    /// The attempt's own time limit (which interrupts the thread) is what ends a slow exchange; the socket
    /// timeouts set here, twice that limit, only stand behind it. When there are two addresses, the first
    /// may take half the limit to connect, so that the second still has its turn.
    ///
    /// @throws ValidationFailure `connection`, naming every address tried and why it failed
    static Connected connect(List<InetAddress> addresses, int port, Duration timeout, Attempt attempt)
            throws ValidationFailure {
        List<InetAddress> candidates = candidates(addresses);
        int backstop = millis(timeout.multipliedBy(2));
        int share = candidates.size() == 1 ? backstop : millis(timeout.dividedBy(candidates.size()));
        List<String> failures = new ArrayList<>();
        for (InetAddress address : candidates) {
            InetSocketAddress target = new InetSocketAddress(address, port);
            attempt.now("connecting to " + display(target));
            Socket socket = new Socket();
            try {
                socket.connect(target, share);
                socket.setSoTimeout(backstop);
                socket.setTcpNoDelay(true);
                return new Connected(socket, target);
            } catch (IOException e) {
                close(socket);
                failures.add(display(target) + ": " + reason(e));
            }
        }
        throw new ValidationFailure(AcmeProblemType.CONNECTION, "could not connect to " + String.join("; ", failures));
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /// The first IPv6 and the first IPv4 address of `addresses`, in that order.
    static List<InetAddress> candidates(List<InetAddress> addresses) {
        List<InetAddress> out = new ArrayList<>(2);
        addresses.stream().filter(a -> a instanceof Inet6Address).findFirst().ifPresent(out::add);
        addresses.stream().filter(a -> a instanceof Inet4Address).findFirst().ifPresent(out::add);
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no address to connect to");
        }
        return out;
    }

    /// Why a connection or exchange failed, in words for a problem detail.
    static String reason(IOException e) {
        String message = e.getMessage();
        String text = message != null ? message : e.getClass().getSimpleName();
        return switch (e) {
            case ConnectException c when text.toLowerCase(Locale.ROOT).contains("refused") -> "connection refused";
            case NoRouteToHostException n -> "no route to host";
            case SocketTimeoutException t -> "no answer in time";
            default -> text;
        };
    }

    /// `address:port`, with an IPv6 address in brackets.
    static String display(InetSocketAddress target) {
        InetAddress a = target.getAddress();
        String host = a != null ? a.getHostAddress() : target.getHostString();
        return (a instanceof Inet6Address ? "[" + host + "]" : host) + ":" + target.getPort();
    }

    static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to do with a socket that will not close.
        }
    }
}
