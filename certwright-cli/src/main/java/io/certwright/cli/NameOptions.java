package io.certwright.cli;

import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.SpiffeId;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/// The names a certificate or CSR asks for: `--spiffe-id`, `--dns`, `--ip`, `--uri`, `--email`, `--cn`.
final class NameOptions {

    @Option(names = "--spiffe-id", paramLabel = "ID", converter = Converters.Spiffe.class,
            description = "SPIFFE ID, e.g. spiffe://example.org/ns/prod/sa/api (a URI SAN).")
    @Nullable SpiffeId spiffeId;

    @Option(names = "--dns", paramLabel = "NAME", split = ",", description = "DNS name SAN; repeatable or comma-separated.")
    List<String> dns = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "ADDR", split = ",", converter = Converters.IpAddress.class,
            description = "IP address SAN (numeric IPv4 or IPv6); repeatable.")
    List<InetAddress> ips = new ArrayList<>();

    @Option(names = "--uri", paramLabel = "URI", converter = Converters.AbsoluteUri.class,
            description = "URI SAN (absolute); repeatable.")
    List<URI> uris = new ArrayList<>();

    @Option(names = "--email", paramLabel = "ADDR", split = ",", description = "Email address SAN; repeatable.")
    List<String> emails = new ArrayList<>();

    @Option(names = "--cn", paramLabel = "CN", description = "Subject common name (optional).")
    @Nullable String commonName;

    SubjectNames names() {
        List<URI> allUris = new ArrayList<>();
        if (spiffeId != null) {
            allUris.add(URI.create(spiffeId.toString()));
        }
        allUris.addAll(uris);
        return new SubjectNames(dns, ips, allUris, emails);
    }

    Optional<String> commonName() {
        return Optional.ofNullable(commonName);
    }
}
