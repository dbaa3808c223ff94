package io.certwright.acme.validation;

import io.certwright.acme.AcmeProblemType;
import java.net.InetAddress;
import org.xbill.DNS.ReverseMap;

/// IP identifiers (RFC 8738): their addresses and their reverse DNS names.
final class Addresses {

    private Addresses() {
    }

    /// The address `text` writes, without a lookup.
    ///
    /// @throws ValidationFailure `malformed` when `text` is not an IPv4 or IPv6 address
    static InetAddress literal(String text) throws ValidationFailure {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new ValidationFailure(AcmeProblemType.MALFORMED, Printable.quote(text) + " is not an IP address");
        }
    }

    /// The reverse-mapping name of `address` without the final dot, such as `4.3.2.1.in-addr.arpa` for
    /// 1.2.3.4 (RFC 8738 section 6): the TLS server name tls-alpn-01 sends for an IP identifier.
    static String reverseName(InetAddress address) {
        return ReverseMap.fromAddress(address).toString(true);
    }
}
