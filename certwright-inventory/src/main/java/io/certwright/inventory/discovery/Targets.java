package io.certwright.inventory.discovery;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// Parses scan targets as people write them into [TlsTarget]s.
///
/// Accepted forms, each optionally prefixed with a scheme `tls://`, `smtp://` or `postgres://`:
///
/// - `host:port`, `192.0.2.1:443`, `[2001:db8::1]:443` — exactly that endpoint;
/// - `host`, `192.0.2.1`, `2001:db8::1` — the host on every port of the port list;
/// - `192.0.2.0/24`, `2001:db8::/120`, `[2001:db8::/120]:8443` — every address of the range on the
///   port list (or the given port). IPv4 ranges of more than two addresses skip the network and
///   broadcast addresses. A range may hold at most [#MAX_ADDRESSES_PER_RANGE] addresses.
///
/// The port list applies to targets without a port; with the `smtp` and `postgres` schemes such targets
/// use the protocol's port (25, 5432) instead. A target that cannot be parsed becomes one
/// [ErrorKind#INVALID_TARGET] error and the others are still scanned. At most [#MAX_ENDPOINTS] endpoints
/// are produced in total; targets beyond the cap become errors too.
public final class Targets {

    /// The largest CIDR range expanded: a /16 for IPv4, a /112 for IPv6.
    public static final int MAX_ADDRESSES_PER_RANGE = 65_536;

    /// The most endpoints one parse produces.
    public static final int MAX_ENDPOINTS = 1_000_000;

    /// The most bytes read from a target file.
    public static final long MAX_FILE_BYTES = 16L << 20;

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$");
    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern HOSTNAME = Pattern.compile(
            "^(?=.{1,253}\\.?$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?$");
    private static final Pattern BRACKETED = Pattern.compile("^\\[([^\\]]+)](?::(\\d+))?$");
    private static final Pattern HOST_PORT = Pattern.compile("^([^:]+):(\\d+)$");

    /// The targets parsed and the errors of those that could not be.
    ///
    /// @param targets endpoints to scan, in order, without duplicates
    /// @param errors  one per target that could not be parsed or expanded
    public record Parsed(List<TlsTarget> targets, List<ScanError> errors) {
        public Parsed {
            targets = List.copyOf(targets);
            errors = List.copyOf(errors);
        }
    }

    private Targets() {
    }

    /// Parses `specs`, expanding hosts and ranges without a port over `ports` (443 if empty).
    ///
    /// @param now the time stamped on errors
    public static Parsed parse(List<String> specs, List<Integer> ports, Instant now) {
        Set<TlsTarget> out = new LinkedHashSet<>();
        List<ScanError> errors = new ArrayList<>();
        List<Integer> portList = ports.isEmpty() ? List.of(443) : List.copyOf(ports);
        for (String raw : specs) {
            String spec = raw.strip();
            if (spec.isEmpty()) {
                continue;
            }
            try {
                List<TlsTarget> expanded = expand(spec, portList, MAX_ENDPOINTS - out.size());
                out.addAll(expanded);
            } catch (IllegalArgumentException e) {
                errors.add(new ScanError(spec, ErrorKind.INVALID_TARGET, String.valueOf(e.getMessage()), now));
            }
        }
        return new Parsed(new ArrayList<>(out), errors);
    }

    /// Parses a file of targets, one per line; `#` starts a comment, blank lines are skipped. A file that
    /// cannot be read becomes one [ErrorKind#UNREADABLE] error.
    public static Parsed parseFile(Path file, List<Integer> ports, Instant now) {
        List<String> lines;
        try {
            if (!Files.isRegularFile(file)) {
                throw new IOException(Files.exists(file) ? "not a regular file" : "no such file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IOException("larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return new Parsed(List.of(), List.of(new ScanError(file.toString(), ErrorKind.UNREADABLE,
                    "cannot read the target file: " + describe(e), now)));
        }
        List<String> specs = new ArrayList<>();
        for (String line : lines) {
            int hash = line.indexOf('#');
            String s = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!s.isEmpty()) {
                specs.add(s);
            }
        }
        return parse(specs, ports, now);
    }

    /// Parses a port list such as `443,8443,9000-9010`.
    ///
    /// @throws IllegalArgumentException naming the bad element
    public static List<Integer> parsePorts(String text) {
        Set<Integer> ports = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            int dash = p.indexOf('-');
            if (dash > 0) {
                int from = port(p.substring(0, dash));
                int to = port(p.substring(dash + 1));
                if (to < from) {
                    throw new IllegalArgumentException("port range '" + p + "' is backwards");
                }
                for (int i = from; i <= to; i++) {
                    ports.add(i);
                }
            } else {
                ports.add(port(p));
            }
        }
        return List.copyOf(ports);
    }

    /// Whether `host` is an IPv4 or IPv6 address literal (IPv6 without brackets).
    public static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    private static List<TlsTarget> expand(String spec, List<Integer> ports, int room) {
        Starttls mode = Starttls.NONE;
        String rest = spec;
        Matcher scheme = SCHEME.matcher(spec);
        if (scheme.matches()) {
            String name = scheme.group(1);
            mode = Starttls.ofScheme(name).orElseThrow(() -> new IllegalArgumentException(
                    "unknown scheme '" + name + "'; expected tls, smtp or postgres"));
            rest = scheme.group(2);
            if (rest.endsWith("/") && rest.indexOf('/') == rest.length() - 1) {
                rest = rest.substring(0, rest.length() - 1);
            }
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        String host;
        Optional<Integer> port = Optional.empty();
        Matcher bracketed = BRACKETED.matcher(rest);
        Matcher hostPort = HOST_PORT.matcher(rest);
        if (bracketed.matches()) {
            host = bracketed.group(1);
            if (bracketed.group(2) != null) {
                port = Optional.of(port(bracketed.group(2)));
            }
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException("brackets are for IPv6 addresses only");
            }
        } else if (hostPort.matches()) {
            host = hostPort.group(1);
            port = Optional.of(port(hostPort.group(2)));
        } else {
            host = rest;
        }
        List<Integer> portList = port.map(List::of)
                .orElse(mode == Starttls.NONE ? ports : List.of(mode.defaultPort()));

        List<String> hosts;
        int slash = host.indexOf('/');
        if (slash >= 0) {
            hosts = range(host.substring(0, slash), host.substring(slash + 1));
        } else if (IPV4.matcher(host).matches()) {
            hosts = List.of(ipv4(host).getHostAddress());
        } else if (host.indexOf(':') >= 0) {
            hosts = List.of(ipv6(host).getHostAddress());
        } else if (HOSTNAME.matcher(host).matches() && !host.matches("^[0-9.]+$")) {
            hosts = List.of(host.toLowerCase(Locale.ROOT));
        } else {
            throw new IllegalArgumentException("'" + host + "' is neither a host name, an IP address nor a CIDR range");
        }
        long count = (long) hosts.size() * portList.size();
        if (count > room) {
            throw new IllegalArgumentException("expands to " + count + " endpoints, more than the "
                    + MAX_ENDPOINTS + " one scan may have (" + Math.max(0, room) + " left)");
        }
        List<TlsTarget> out = new ArrayList<>((int) count);
        for (String h : hosts) {
            for (int p : portList) {
                out.add(TlsTarget.of(h, p).withStarttls(mode));
            }
        }
        return out;
    }

    private static List<String> range(String base, String prefixText) {
        if (!prefixText.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("invalid prefix length '" + prefixText + "'");
        }
        int prefix = Integer.parseInt(prefixText);
        InetAddress address = IPV4.matcher(base).matches() ? ipv4(base) : ipv6(base);
        int bits = address instanceof Inet4Address ? 32 : 128;
        if (prefix > bits) {
            throw new IllegalArgumentException("prefix length /" + prefix + " is longer than " + bits + " bits");
        }
        int hostBits = bits - prefix;
        if (hostBits > 16) {
            throw new IllegalArgumentException("range " + base + "/" + prefix + " has 2^" + hostBits
                    + " addresses; at most " + MAX_ADDRESSES_PER_RANGE + " (a /" + (bits - 16)
                    + ") are scanned per range, split it");
        }
        BigInteger value = new BigInteger(1, address.getAddress());
        BigInteger network = value.shiftRight(hostBits).shiftLeft(hostBits);
        int size = 1 << hostBits;
        boolean skipEnds = bits == 32 && size > 2;
        List<String> out = new ArrayList<>(size);
        for (int i = skipEnds ? 1 : 0; i < (skipEnds ? size - 1 : size); i++) {
            out.add(toAddress(network.add(BigInteger.valueOf(i)), bits / 8).getHostAddress());
        }
        return out;
    }

    private static InetAddress toAddress(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("an address of " + length + " bytes was refused", e);
        }
    }

    private static Inet4Address ipv4(String text) {
        for (String octet : text.split("\\.", -1)) {
            if (Integer.parseInt(octet) > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: octet " + octet + " > 255");
            }
        }
        return Inet4Address.ofLiteral(text);
    }

    private static InetAddress ipv6(String text) {
        if (!text.matches("^[0-9A-Fa-f:.]+$")) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
        }
        try {
            return Inet6Address.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address", e);
        }
    }

    private static int port(String text) {
        if (!text.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("invalid port '" + text + "'");
        }
        int p = Integer.parseInt(text);
        if (p < 1 || p > 65_535) {
            throw new IllegalArgumentException("port " + p + " is out of range 1..65535");
        }
        return p;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        String name = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return m == null || m.isBlank() ? name : m;
    }
}
