package io.certwright.ca.policy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/// An IP address range in CIDR notation (`10.0.0.0/8`, `fd00::/8`, or a single address).
///
/// @param network the network address with host bits cleared
/// @param prefixLength number of leading bits that must match
public record IpRange(InetAddress network, int prefixLength) {

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    public IpRange {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0.." + bits);
        }
    }

    /// Parses CIDR notation or a bare address. Only numeric addresses are accepted; nothing is resolved.
    public static IpRange parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        InetAddress address = parseLiteral(addr);
        int prefix;
        try {
            prefix = slash < 0 ? address.getAddress().length * 8 : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid CIDR prefix in '" + text + "'", e);
        }
        int bits = address.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length " + prefix + " out of range 0.." + bits + " in '" + text + "'");
        }
        return new IpRange(network(address, prefix), prefix);
    }

    /// The address with every bit after the prefix cleared.
    private static InetAddress network(InetAddress address, int prefix) {
        byte[] a = address.getAddress();
        for (int i = 0; i < a.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            a[i] = (byte) (a[i] & (0xFF << (8 - keep)));
        }
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of valid length", e);
        }
    }

    /// Parses a numeric IPv4 or IPv6 literal without any name resolution.
    public static InetAddress parseLiteral(String text) {
        String t = text.trim();
        boolean v4 = IPV4.matcher(t).matches();
        boolean v6 = !v4 && t.contains(":") && t.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("invalid IP address '" + text + "'");
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid IP address '" + text + "'", e);
        }
    }

    /// Whether `address` lies in this range. IPv4 and IPv6 ranges never match each other's addresses.
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int shift = a.length * 8 - prefixLength;
        return new BigInteger(1, a).shiftRight(shift).equals(new BigInteger(1, n).shiftRight(shift));
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
