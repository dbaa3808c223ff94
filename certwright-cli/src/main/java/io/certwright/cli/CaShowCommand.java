package io.certwright.cli;

import io.certwright.ca.CaConfig;
import io.certwright.ca.CaDirectory;
import io.certwright.ca.CaSettings;
import io.certwright.ca.IssuerExpiryPolicy;
import io.certwright.ca.Lifetimes;
import io.certwright.ca.inspect.CertificateInspector;
import io.certwright.ca.inspect.ExtensionInfo;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.policy.SanPolicy;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.RevocationUrls;
import io.certwright.core.Durations;
import io.certwright.core.TrustDomain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `certwright ca show`: what a CA directory holds and how it issues.
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show a CA: certificates, name constraints, key custody, signing provider, policy and lifetimes.")
final class CaShowCommand implements Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "CA directory (default ${DEFAULT-VALUE}).")
    Path dir = Path.of("./certwright-ca");

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CaDirectory ca = CaDirectory.open(dir);
        Instant now = Main.of(spec).clock().instant();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(ca, now));
        } else {
            text(out, ca, now);
        }
        out.flush();
        return 0;
    }

    static void certificate(PrintWriter out, String label, X509Certificate cert) {
        certificate(out, label, cert, Optional.empty());
    }

    static void certificate(PrintWriter out, String label, X509Certificate cert, Optional<Instant> now) {
        Text.row(out, "  ", label, cert.getSubjectX500Principal().getName());
        Text.row(out, "    ", "Serial", Text.serial(cert));
        Text.row(out, "    ", "Valid", now.isPresent() ? List.of(Text.validity(cert), Text.status(cert, now.get()))
                : List.of(Text.validity(cert)));
        Text.row(out, "    ", "SHA-256", Text.sha256(cert));
        List<String> nc = nameConstraints(cert);
        if (!nc.isEmpty()) {
            Text.row(out, "    ", "Name constraints", nc);
        }
    }

    static List<String> nameConstraints(X509Certificate cert) {
        return CertificateInspector.describe(cert).extension(ExtensionInfo.NAME_CONSTRAINTS)
                .map(ExtensionInfo::values).orElse(List.of());
    }

    private static void text(PrintWriter out, CaDirectory ca, Instant now) {
        CaConfig c = ca.config();
        out.println("CA '" + c.name() + "' in " + ca.path());
        Text.row(out, "  ", "Trust domain", c.trustDomain().map(TrustDomain::name).orElse("(none)"));
        Text.row(out, "  ", "Key type", c.keyType().description() + " (" + c.keyType() + ")");
        Text.row(out, "  ", "Signing provider", CryptoProviders.describe(c.keyType()));
        certificate(out, "Root CA", ca.root(), Optional.of(now));
        Text.row(out, "    ", "Key", rootKey(ca));
        certificate(out, "Intermediate CA", ca.intermediate(), Optional.of(now));
        CaSettings s = c.settings();
        SanPolicy p = s.sanPolicy();
        out.println("  Policy");
        Text.row(out, "    ", "DNS names", strings(p.dns()));
        Text.row(out, "    ", "IP addresses", strings(p.ips()));
        Text.row(out, "    ", "SPIFFE IDs", strings(p.spiffeIds()));
        Text.row(out, "    ", "URIs", strings(p.uris()));
        Text.row(out, "    ", "Emails", strings(p.emails()));
        Text.row(out, "    ", "Issuer expiry", s.issuerExpiry().name().toLowerCase(java.util.Locale.ROOT)
                + " (certificates outliving the intermediate are " + (s.issuerExpiry() == IssuerExpiryPolicy.CAP ? "capped)" : "refused)"));
        Text.row(out, "    ", "Backdate", Durations.format(s.backdate()));
        out.println("  Lifetimes           default   minimum   maximum");
        for (Profile profile : Converters.LEAF_PROFILES) {
            Lifetimes l = s.lifetimes(profile);
            out.printf("    %-16s%-10s%-10s%s%n", profile.wireName(), Durations.format(l.defaultLifetime()),
                    Durations.format(l.minimum()), Durations.format(l.maximum()));
        }
        RevocationUrls urls = s.revocationUrls();
        Text.row(out, "  ", "CRL URLs", strings(urls.crlDistributionPoints()));
        Text.row(out, "  ", "OCSP URLs", strings(urls.ocspResponders()));
        Text.row(out, "  ", "CA issuer URLs", strings(urls.caIssuers()));
    }

    private static String rootKey(CaDirectory ca) {
        return ca.hasRootKey()
                ? "present in this directory (" + CaDirectory.ROOT_KEY + ", encrypted)"
                : "offline (not in this directory)";
    }

    private static List<String> strings(List<?> items) {
        return items.stream().map(Object::toString).toList();
    }

    private static Json.Obj certJson(X509Certificate cert, Instant now) {
        return Json.object()
                .put("subject", cert.getSubjectX500Principal().getName())
                .put("serial", Text.serial(cert))
                .put("notBefore", cert.getNotBefore().toInstant().toString())
                .put("notAfter", cert.getNotAfter().toInstant().toString())
                .put("status", Text.status(cert, now))
                .put("sha256", Text.sha256(cert))
                .put("nameConstraints", Json.array(nameConstraints(cert)));
    }

    private static Json.Obj json(CaDirectory ca, Instant now) {
        CaConfig c = ca.config();
        CaSettings s = c.settings();
        SanPolicy p = s.sanPolicy();
        List<Object> lifetimes = new ArrayList<>();
        for (Profile profile : Converters.LEAF_PROFILES) {
            Lifetimes l = s.lifetimes(profile);
            lifetimes.add(Json.object().put("profile", profile.wireName())
                    .put("default", Durations.format(l.defaultLifetime()))
                    .put("minimum", Durations.format(l.minimum()))
                    .put("maximum", Durations.format(l.maximum())));
        }
        RevocationUrls urls = s.revocationUrls();
        return Json.object()
                .put("dir", ca.path().toString())
                .put("name", c.name())
                .put("trustDomain", c.trustDomain().map(TrustDomain::name))
                .put("keyType", c.keyType().cliName())
                .put("signingProvider", CryptoProviders.describe(c.keyType()))
                .put("root", certJson(ca.root(), now).put("keyPresent", ca.hasRootKey()))
                .put("intermediate", certJson(ca.intermediate(), now))
                .put("policy", Json.object()
                        .put("dns", Json.array(strings(p.dns())))
                        .put("ip", Json.array(strings(p.ips())))
                        .put("spiffeId", Json.array(strings(p.spiffeIds())))
                        .put("uri", Json.array(strings(p.uris())))
                        .put("email", Json.array(strings(p.emails())))
                        .put("issuerExpiry", s.issuerExpiry().name().toLowerCase(java.util.Locale.ROOT))
                        .put("backdate", Durations.format(s.backdate())))
                .put("lifetimes", lifetimes)
                .put("revocationUrls", Json.object()
                        .put("crl", Json.array(strings(urls.crlDistributionPoints())))
                        .put("ocsp", Json.array(strings(urls.ocspResponders())))
                        .put("caIssuers", Json.array(strings(urls.caIssuers()))));
    }
}
