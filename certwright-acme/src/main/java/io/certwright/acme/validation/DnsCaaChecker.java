package io.certwright.acme.validation;

import io.certwright.acme.store.Identifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.Name;

/// The CAA check of RFC 8659, asking the DNS server the validators ask ([ValidationSettings#dnsServer]),
/// through the same dnsjava set-up: no cache, no search path, CNAMEs followed.
///
/// The relevant record set (section 3) is the first non-empty CAA record set found at the name and then at
/// each parent up to, not including, the root; a wildcard `*.example.com` is looked up as `example.com`.
/// A name that does not exist, or has no CAA records, passes the question to its parent. Issuance is
/// permitted when there is no relevant record set, or when it has no property that applies (`issue`; for a
/// wildcard `issuewild` when the set has any, `issue` otherwise), or when one such property names one of
/// the issuer domains (compared without case, a trailing dot ignored; parameters after `;` are not
/// evaluated). An `issue ";"` names nobody. A property with the critical flag and a tag other than
/// `issue`, `issuewild` or `iodef` forbids issuance (section 4.1). A lookup that fails (SERVFAIL, no
/// answer, more than 16 aliases) is [CaaOutcome.LookupFailed]: without a definite answer the CA must not
/// issue.
///
/// Each check runs on its own virtual thread and ends within [ValidationSettings#timeout], a DNS question
/// taking at most half of it.
public final class DnsCaaChecker implements CaaChecker {

    private static final Logger LOG = LoggerFactory.getLogger(DnsCaaChecker.class);
    private static final int CRITICAL = 0x80;
    private static final Set<String> UNDERSTOOD = Set.of("issue", "issuewild", "iodef");
    private static final int MAX_LISTED = 5;

    private final ValidationSettings settings;
    private final DnsLookups dns;

    /// A checker asking the DNS server of `settings`, within its time limit.
    public DnsCaaChecker(ValidationSettings settings) {
        this.settings = settings;
        this.dns = new DnsLookups(settings);
    }

    @Override
    public CompletableFuture<CaaOutcome> check(Identifier identifier, List<String> issuerDomains) {
        CompletableFuture<CaaOutcome> result = new CompletableFuture<>();
        if (identifier.type() != Identifier.Type.DNS) {
            result.complete(new CaaOutcome.Permitted());
            return result;
        }
        List<String> ours = List.copyOf(issuerDomains);
        try {
            Thread.ofVirtual().name("acme-caa-check").start(() -> run(identifier, ours, result));
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.warn("could not start a CAA check", e);
            result.complete(new CaaOutcome.LookupFailed("the server could not start the CAA check of "
                    + identifier.value() + "; try again later"));
        }
        return result;
    }

    private void run(Identifier identifier, List<String> issuerDomains, CompletableFuture<CaaOutcome> result) {
        Attempt attempt = new Attempt();
        Thread worker = Thread.currentThread();
        Duration limit = settings.timeout();
        CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (result.complete(new CaaOutcome.LookupFailed("cannot check the CAA records of " + identifier.value()
                    + ": timed out after " + Validators.describe(limit) + " while " + attempt.doing()))) {
                worker.interrupt();
            }
        });
        try {
            result.complete(check(identifier, issuerDomains, attempt));
        } catch (ValidationFailure f) {
            result.complete(new CaaOutcome.LookupFailed("cannot check the CAA records of " + identifier.value()
                    + ": " + f.detail()));
        } catch (InterruptedException e) {
            // Only the time limit interrupts a check, and it has answered already.
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.warn("a CAA check failed unexpectedly", e);
            result.complete(new CaaOutcome.LookupFailed("the CAA check of " + identifier.value()
                    + " failed unexpectedly"));
        }
    }

    /// One check on the calling thread, without a time limit of its own.
    CaaOutcome check(Identifier identifier, List<String> issuerDomains, Attempt attempt)
            throws ValidationFailure, InterruptedException {
        boolean wildcard = identifier.isWildcard();
        Name name = DnsLookups.name(wildcard ? identifier.value().substring(2) : identifier.value());
        for (Name at = name; at.labels() > 1; at = new Name(at, 1)) {
            List<CAARecord> relevant = dns.caa(at, attempt);
            if (!relevant.isEmpty()) {
                return decide(identifier, wildcard, at.toString(true), relevant, issuerDomains);
            }
        }
        return new CaaOutcome.Permitted();
    }

    private CaaOutcome decide(Identifier identifier, boolean wildcard, String at, List<CAARecord> relevant,
            List<String> issuerDomains) {
        List<String> issue = new ArrayList<>();
        List<String> issueWild = new ArrayList<>();
        for (CAARecord r : relevant) {
            String tag = r.getTag().toLowerCase(Locale.ROOT);
            if ((r.getFlags() & CRITICAL) != 0 && !UNDERSTOOD.contains(tag)) {
                return new CaaOutcome.Forbidden(dns.server() + " has a CAA record at " + at + " with the critical "
                        + "property " + Printable.quote(r.getTag()) + ", which this CA does not understand, so it "
                        + "must not issue for " + identifier.value());
            }
            switch (tag) {
                case "issue" -> issue.add(r.getValue());
                case "issuewild" -> issueWild.add(r.getValue());
                default -> {
                    // iodef and unknown properties without the critical flag do not restrict issuance
                }
            }
        }
        boolean useWild = wildcard && !issueWild.isEmpty();
        List<String> applicable = useWild ? issueWild : issue;
        if (applicable.isEmpty()) {
            return new CaaOutcome.Permitted();
        }
        for (String value : applicable) {
            String issuer = issuerDomain(value);
            if (!issuer.isEmpty() && issuerDomains.stream().anyMatch(d -> issuerDomain(d).equalsIgnoreCase(issuer))) {
                return new CaaOutcome.Permitted();
            }
        }
        String listed = applicable.stream().limit(MAX_LISTED).map(Printable::quote).collect(Collectors.joining(", "))
                + (applicable.size() > MAX_LISTED ? ", ..." : "");
        return new CaaOutcome.Forbidden(dns.server() + " has CAA " + (useWild ? "issuewild" : "issue")
                + " records at " + at + " (" + listed + ") that do not name this CA ("
                + String.join(", ", issuerDomains) + "), so it must not issue for " + identifier.value());
    }

    /// The issuer domain of an `issue` or `issuewild` value (`ca.example; account=1` → `ca.example`), without
    /// a trailing dot; empty when the value names no issuer.
    static String issuerDomain(String value) {
        int semicolon = value.indexOf(';');
        String domain = (semicolon < 0 ? value : value.substring(0, semicolon)).strip();
        return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    }
}
