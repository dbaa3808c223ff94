package io.certwright.acme.validation;

import io.certwright.acme.AcmeProblemType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.RedirectLoopException;
import org.xbill.DNS.lookup.RedirectOverflowException;
import org.xbill.DNS.lookup.ServerFailedException;

/// Every DNS question of a validation, asked of one resolver through dnsjava with no cache, no search path
/// and no hosts file, so that each validation (and each CAA check) sees what the DNS says now. CNAME and
/// DNAME chains are followed (at most 16 links). Failures become `dns` problems that name the server asked.
final class DnsLookups {

    private static final int MAX_ALIASES = 16;

    private final LookupSession session;
    private final String server;

    DnsLookups(ValidationSettings settings) {
        Duration queryTimeout = settings.timeout().dividedBy(2);
        Optional<InetSocketAddress> configured = settings.dnsServerAddress();
        Resolver resolver;
        if (configured.isPresent()) {
            SimpleResolver simple = new SimpleResolver(configured.get());
            simple.setTimeout(queryTimeout);
            resolver = simple;
            server = "DNS server " + hostPort(configured.get());
        } else {
            List<InetSocketAddress> system = ResolverConfig.getCurrentConfig().servers();
            ExtendedResolver extended = new ExtendedResolver(
                    system.stream().map(SimpleResolver::new).<Resolver>map(r -> r).toList());
            extended.setTimeout(queryTimeout);
            resolver = extended;
            server = "DNS server " + system.stream().map(DnsLookups::hostPort).collect(Collectors.joining(" or "));
        }
        session = LookupSession.builder().resolver(resolver).maxRedirects(MAX_ALIASES).build();
    }

    /// Which server the lookups ask, for problem details (`DNS server 127.0.0.1:53`).
    String server() {
        return server;
    }

    /// The IPv6 and IPv4 addresses of `host`, IPv6 first; both questions are asked at once.
    ///
    /// @throws ValidationFailure `dns` when neither question found an address
    List<InetAddress> addresses(String host, Attempt attempt) throws ValidationFailure, InterruptedException {
        Name name = name(host);
        attempt.now("asking " + server + " for the addresses of " + host);
        CompletableFuture<LookupResult> v6 = session.lookupAsync(name, Type.AAAA).toCompletableFuture();
        CompletableFuture<LookupResult> v4 = session.lookupAsync(name, Type.A).toCompletableFuture();
        List<InetAddress> found = new ArrayList<>();
        String v6Failure = collect(v6, name, "AAAA", found);
        String v4Failure = collect(v4, name, "A", found);
        if (!found.isEmpty()) {
            return found;
        }
        if (v4Failure != null) {
            throw new ValidationFailure(AcmeProblemType.DNS, v4Failure);
        }
        if (v6Failure != null) {
            throw new ValidationFailure(AcmeProblemType.DNS, v6Failure);
        }
        throw new ValidationFailure(AcmeProblemType.DNS, server + " has no A or AAAA record for " + host);
    }

    /// The TXT records at `fqdn`, each record's strings joined; empty when the name has none.
    ///
    /// @throws ValidationFailure `dns` when the name does not exist or the server fails or does not answer
    List<String> txt(String fqdn, Attempt attempt) throws ValidationFailure, InterruptedException {
        Name name = name(fqdn);
        attempt.now("asking " + server + " for the TXT records of " + fqdn);
        LookupResult result;
        try {
            result = session.lookupAsync(name, Type.TXT).toCompletableFuture().get();
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof NoSuchRRSetException) {
                return List.of();
            }
            throw new ValidationFailure(AcmeProblemType.DNS, failure(cause, name, "TXT"));
        }
        List<String> values = new ArrayList<>();
        for (Record r : result.getRecords()) {
            if (r instanceof TXTRecord txt) {
                StringBuilder joined = new StringBuilder();
                for (byte[] part : txt.getStringsAsByteArrays()) {
                    joined.append(new String(part, StandardCharsets.ISO_8859_1));
                }
                values.add(joined.toString());
            }
        }
        return values;
    }

    /// The CAA records at `name`, following CNAMEs; empty when the name has none or does not exist
    /// (RFC 8659 section 3 then climbs to the parent).
    ///
    /// @throws ValidationFailure `dns` when the server fails or does not answer
    List<CAARecord> caa(Name name, Attempt attempt) throws ValidationFailure, InterruptedException {
        attempt.now("asking " + server + " for the CAA records of " + name.toString(true));
        LookupResult result;
        try {
            result = session.lookupAsync(name, Type.CAA).toCompletableFuture().get();
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof NoSuchRRSetException || cause instanceof NoSuchDomainException) {
                return List.of();
            }
            throw new ValidationFailure(AcmeProblemType.DNS, failure(cause, name, "CAA"));
        }
        List<CAARecord> records = new ArrayList<>();
        for (Record r : result.getRecords()) {
            if (r instanceof CAARecord caa) {
                records.add(caa);
            }
        }
        return records;
    }

    /// Waits for `lookup`, adds the addresses it found to `found` and returns null, or returns why it failed;
    /// a name without records of this type is not a failure.
    private @Nullable String collect(CompletableFuture<LookupResult> lookup, Name name, String type,
            List<InetAddress> found) throws InterruptedException {
        LookupResult result;
        try {
            result = lookup.get();
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            return cause instanceof NoSuchRRSetException ? null : failure(cause, name, type);
        }
        for (Record r : result.getRecords()) {
            if (r instanceof ARecord a) {
                found.add(a.getAddress());
            } else if (r instanceof AAAARecord aaaa) {
                found.add(aaaa.getAddress());
            }
        }
        return null;
    }

    private String failure(Throwable cause, Name name, String type) {
        String question = type + " " + name.toString(true);
        return switch (cause) {
            case NoSuchDomainException e -> server + " answered NXDOMAIN for " + question;
            case ServerFailedException e -> server + " answered SERVFAIL for " + question;
            case RedirectLoopException e -> server + " answered a CNAME loop for " + question;
            case RedirectOverflowException e -> server + " answered more than " + MAX_ALIASES
                    + " CNAMEs for " + question;
            case SocketTimeoutException e -> server + " did not answer " + question + " in time";
            case TimeoutException e -> server + " did not answer " + question + " in time";
            case IOException e -> server + " could not be asked for " + question + ": " + e.getMessage();
            default -> server + " gave no usable answer for " + question + ": " + cause.getMessage();
        };
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static Name name(String host) throws ValidationFailure {
        try {
            return Name.fromString(host, Name.root);
        } catch (TextParseException e) {
            throw new ValidationFailure(AcmeProblemType.MALFORMED, Printable.quote(host) + " is not a DNS name");
        }
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
