package io.certwright.ca.policy;

import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.net.InetAddress;
import java.util.List;

/// Which subject alternative names a certificate may carry. A name is admitted when at least one pattern of
/// its kind matches; an empty list admits nothing of that kind.
///
/// @param dns patterns for dNSName SANs
/// @param ips ranges for iPAddress SANs
/// @param spiffeIds patterns for SPIFFE ID URI SANs
/// @param uris globs for other URI SANs
/// @param emails globs for rfc822Name SANs
public record SanPolicy(List<DnsPattern> dns, List<IpRange> ips, List<SpiffeIdPattern> spiffeIds,
        List<GlobPattern> uris, List<GlobPattern> emails) {

    public SanPolicy {
        dns = List.copyOf(dns);
        ips = List.copyOf(ips);
        spiffeIds = List.copyOf(spiffeIds);
        uris = List.copyOf(uris);
        emails = List.copyOf(emails);
    }

    /// The default for a new CA: any DNS name and IP address, and every workload in the CA's trust domain
    /// (none when the CA has no trust domain); no other URIs or emails.
    public static SanPolicy defaultFor(List<TrustDomain> trustDomains) {
        return new SanPolicy(
                List.of(new DnsPattern("**")),
                List.of(IpRange.parse("0.0.0.0/0"), IpRange.parse("::/0")),
                trustDomains.stream().map(td -> new SpiffeIdPattern(td, List.of("**"))).toList(),
                List.of(),
                List.of());
    }

    public boolean allowsDns(String name) {
        return dns.stream().anyMatch(p -> p.matches(name));
    }

    public boolean allowsIp(InetAddress address) {
        return ips.stream().anyMatch(r -> r.contains(address));
    }

    public boolean allowsSpiffeId(SpiffeId id) {
        return spiffeIds.stream().anyMatch(p -> p.matches(id));
    }

    public boolean allowsUri(String uri) {
        return uris.stream().anyMatch(p -> p.matches(uri));
    }

    public boolean allowsEmail(String email) {
        return emails.stream().anyMatch(p -> p.matches(email));
    }
}
