package io.certwright.server.acme;

import io.certwright.core.Durations;
import io.certwright.server.inventory.InventorySettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/// The `acme.*` configuration: where clients reach the ACME server, how challenges are validated, the
/// per-replica rate limits, and the ACME provisioners (each served at `/acme/<name>/directory`).
///
/// The names under `acme` are camel case, as the operators' documentation gives them:
/// ```yaml
/// acme:
///   validation: { http01Port: 80, tlsAlpn01Port: 443, dnsServer: "127.0.0.1:53" }
///   provisioners:
///     - name: default
///       challenges: [http-01, dns-01, tls-alpn-01]
///       allowedIdentifiers: []
///       eabRequired: false
///       certificateTtl: 24h
/// ```
///
/// @param baseUrl the URL clients reach this server at (scheme, host and port); empty: `https://<listen>`
/// @param validation how challenges are checked
/// @param rateLimits per-replica request limits
/// @param provisioners the ACME provisioners, in order; never empty
public record AcmeConfig(Optional<URI> baseUrl, Validation validation, RateLimits rateLimits,
        List<Provisioner> provisioners) {

    /// Every key, in the order of the example file.
    public static final List<String> KEYS = List.of("acme.baseUrl", "acme.validation.http01Port",
            "acme.validation.tlsAlpn01Port", "acme.validation.dnsServer", "acme.validation.timeout",
            "acme.validation.answerWait",
            "acme.rateLimits.newOrdersPerHour", "acme.rateLimits.newOrdersPerAddressPerHour",
            "acme.rateLimits.newAccountsPerHour",
            "acme.rateLimits.failedValidationsPerHour", "acme.provisioners");

    /// The key whose value is a list of mappings rather than a scalar or a list of strings.
    public static final String PROVISIONERS_KEY = "acme.provisioners";

    private static final Set<String> CHALLENGES = Set.of("http-01", "dns-01", "tls-alpn-01");
    private static final Duration DEFAULT_ANSWER_WAIT = Duration.ofSeconds(2);
    private static final Set<String> PROVISIONER_FIELDS = Set.of("name", "challenges", "allowedIdentifiers",
            "eabRequired", "certificateTtl", "termsOfService", "website", "caaIdentities");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /// An issuer domain as CAA `issue` records name a CA (RFC 8659 section 4.2).
    private static final Pattern ISSUER_DOMAIN = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /// Challenge validation.
    ///
    /// @param http01Port port the http-01 validator connects to
    /// @param tlsAlpn01Port port the tls-alpn-01 validator connects to
    /// @param dnsServer the DNS server (`host:port`) asked for every challenge lookup; empty: the system's
    /// @param timeout limit for one validation attempt
    /// @param answerWait how long the answer to a client's challenge response waits for the validation it
    ///     starts, so that a quick validation is answered with its outcome and the client need not poll; zero:
    ///     the answer is always `processing`
    public record Validation(int http01Port, int tlsAlpn01Port, Optional<String> dnsServer, Duration timeout,
            Duration answerWait) {
    }

    /// Rate limits, counted per replica over a sliding hour.
    ///
    /// @param newOrdersPerHour new orders per account
    /// @param newOrdersPerAddressPerHour new orders per source address
    /// @param newAccountsPerHour new accounts per source address
    /// @param failedValidationsPerHour failed validations per account and identifier
    public record RateLimits(int newOrdersPerHour, int newOrdersPerAddressPerHour, int newAccountsPerHour,
            int failedValidationsPerHour) {
    }

    /// One ACME provisioner.
    ///
    /// @param name its name, the path segment after `/acme/`
    /// @param challenges the challenge types it offers
    /// @param allowedIdentifiers DNS name patterns (`*.svc.cluster.local`, `example.com`) and CIDRs
    ///     (`10.0.0.0/8`) it issues for; empty: any identifier that passes validation
    /// @param eabRequired whether new accounts need an external account binding
    /// @param certificateTtl lifetime of the certificates it issues
    /// @param termsOfService the directory's `meta.termsOfService`; when set, new accounts must agree to it
    /// @param website the directory's `meta.website`
    /// @param caaIdentities the directory's `meta.caaIdentities`
    public record Provisioner(String name, List<String> challenges, List<String> allowedIdentifiers,
            boolean eabRequired, Duration certificateTtl, Optional<URI> termsOfService, Optional<URI> website,
            List<String> caaIdentities) {

        /// Copies the lists.
        public Provisioner {
            challenges = List.copyOf(challenges);
            allowedIdentifiers = List.copyOf(allowedIdentifiers);
            caaIdentities = List.copyOf(caaIdentities);
        }

        /// A provisioner without directory metadata.
        public Provisioner(String name, List<String> challenges, List<String> allowedIdentifiers,
                boolean eabRequired, Duration certificateTtl) {
            this(name, challenges, allowedIdentifiers, eabRequired, certificateTtl, Optional.empty(),
                    Optional.empty(), List.of());
        }
    }

    /// Copies the list.
    public AcmeConfig {
        provisioners = List.copyOf(provisioners);
    }

    /// The provisioner present out of the box: `default`, every challenge type, any identifier, no EAB, 24 h.
    public static Provisioner defaultProvisioner() {
        return new Provisioner("default", List.of("http-01", "dns-01", "tls-alpn-01"), List.of(), false,
                Duration.ofHours(24));
    }

    /// Validates the values.
    ///
    /// @throws IllegalArgumentException naming the key, where its value came from and what is wrong
    public static AcmeConfig parse(InventorySettings.Values v) {
        Optional<URI> baseUrl = value(v, "acme.baseUrl", AcmeConfig::baseUrl);
        Validation validation = new Validation(
                value(v, "acme.validation.http01Port", t -> integer(t, 1, 65_535)).orElse(80),
                value(v, "acme.validation.tlsAlpn01Port", t -> integer(t, 1, 65_535)).orElse(443),
                value(v, "acme.validation.dnsServer", AcmeConfig::dnsServer),
                value(v, "acme.validation.timeout", t -> duration(t, Duration.ofSeconds(1), Duration.ofMinutes(5)))
                        .orElse(Duration.ofSeconds(10)),
                value(v, "acme.validation.answerWait", AcmeConfig::answerWait).orElse(DEFAULT_ANSWER_WAIT));
        RateLimits limits = new RateLimits(
                value(v, "acme.rateLimits.newOrdersPerHour", t -> integer(t, 1, 10_000_000)).orElse(300),
                value(v, "acme.rateLimits.newOrdersPerAddressPerHour", t -> integer(t, 1, 10_000_000)).orElse(1000),
                value(v, "acme.rateLimits.newAccountsPerHour", t -> integer(t, 1, 10_000_000)).orElse(50),
                value(v, "acme.rateLimits.failedValidationsPerHour", t -> integer(t, 1, 10_000_000)).orElse(5));
        List<Provisioner> provisioners = value(v, PROVISIONERS_KEY, AcmeConfig::provisioners)
                .orElse(List.of(defaultProvisioner()));
        return new AcmeConfig(baseUrl, validation, limits, provisioners);
    }

    private static <T> Optional<T> value(InventorySettings.Values v, String key, Function<String, T> parser) {
        Optional<String> text = v.get(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(text.get().trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + key + " (from " + v.source(key) + "): " + e.getMessage(),
                    e);
        }
    }

    private static int integer(String text, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number", e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(n + " is outside " + min + " .. " + max);
        }
        return n;
    }

    /// `0s` (or `0`), or a duration of at most a minute.
    private static Duration answerWait(String text) {
        String t = text.strip();
        if (t.equals("0") || t.equalsIgnoreCase("0s")) {
            return Duration.ZERO;
        }
        return duration(t, Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    private static Duration duration(String text, Duration min, Duration max) {
        Duration d = Durations.parse(text);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("must be between " + Durations.format(min) + " and "
                    + Durations.format(max));
        }
        return d;
    }

    private static URI baseUrl(String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason(), e);
        }
        if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
            throw new IllegalArgumentException("'" + text + "' must start with https:// (or http:// behind a proxy)");
        }
        if (u.getHost() == null || u.getRawUserInfo() != null || u.getRawQuery() != null
                || u.getRawFragment() != null || (u.getRawPath() != null && !u.getRawPath().isEmpty()
                && !u.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("'" + text + "' must be scheme://host[:port] only");
        }
        return URI.create(u.getScheme() + "://" + u.getRawAuthority());
    }

    private static String dnsServer(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, e.g. 127.0.0.1:53, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("write IPv6 addresses in brackets, e.g. [::1]:53");
        }
        integer(text.substring(colon + 1), 1, 65_535);
        return text;
    }

    /// Parses the provisioner list: YAML or JSON text of a list of mappings.
    static List<Provisioner> provisioners(String text) {
        JsonNode root;
        try {
            root = YAMLMapper.builder().build().readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a YAML or JSON list: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new IllegalArgumentException("expected a non-empty list of provisioners");
        }
        List<Provisioner> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode p : root) {
            if (!p.isObject()) {
                throw new IllegalArgumentException("each provisioner is a mapping with name, challenges, "
                        + "allowedIdentifiers, eabRequired and certificateTtl");
            }
            for (var field : p.properties()) {
                if (!PROVISIONER_FIELDS.contains(field.getKey())) {
                    throw new IllegalArgumentException("unknown provisioner field '" + field.getKey() + "'; known: "
                            + String.join(", ", PROVISIONER_FIELDS.stream().sorted().toList()));
                }
            }
            String name = p.path("name").asString("");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("provisioner name '" + name + "' must be 1 to 63 lower-case "
                        + "letters, digits, '-' or '_'");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("provisioner '" + name + "' is configured twice");
            }
            Provisioner d = defaultProvisioner();
            List<String> challenges = p.has("challenges") ? strings(p.get("challenges"), name + ".challenges")
                    : d.challenges();
            if (challenges.isEmpty()) {
                throw new IllegalArgumentException("provisioner '" + name + "' offers no challenge type");
            }
            for (String c : challenges) {
                if (!CHALLENGES.contains(c)) {
                    throw new IllegalArgumentException("provisioner '" + name + "': unknown challenge type '" + c
                            + "'; known: dns-01, http-01, tls-alpn-01");
                }
            }
            List<String> allowed = p.has("allowedIdentifiers")
                    ? strings(p.get("allowedIdentifiers"), name + ".allowedIdentifiers") : List.of();
            JsonNode eab = p.path("eabRequired");
            if (!eab.isMissingNode() && !eab.isNull() && !eab.isBoolean()) {
                throw new IllegalArgumentException("provisioner '" + name + "': eabRequired must be true or false");
            }
            Duration ttl = p.hasNonNull("certificateTtl")
                    ? duration(p.get("certificateTtl").asString(), Duration.ofMinutes(5), Duration.ofDays(398))
                    : d.certificateTtl();
            Optional<URI> tos = p.hasNonNull("termsOfService")
                    ? Optional.of(metaUrl(p.get("termsOfService").asString(), name + ".termsOfService"))
                    : Optional.empty();
            Optional<URI> website = p.hasNonNull("website")
                    ? Optional.of(metaUrl(p.get("website").asString(), name + ".website")) : Optional.empty();
            List<String> caa = p.has("caaIdentities") ? strings(p.get("caaIdentities"), name + ".caaIdentities")
                    : List.of();
            for (String issuer : caa) {
                if (issuer.length() > 253 || !ISSUER_DOMAIN.matcher(issuer).matches()) {
                    throw new IllegalArgumentException("provisioner '" + name + "': caaIdentities are domain names "
                            + "that CAA issue records name this CA by, such as pki.example.com; not '" + issuer + "'");
                }
            }
            out.add(new Provisioner(name, List.copyOf(new LinkedHashSet<>(challenges)), allowed,
                    eab.asBoolean(false), ttl, tos, website, caa));
        }
        return out;
    }

    private static URI metaUrl(String text, String what) {
        try {
            URI u = new URI(text.trim());
            if ((!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException(what + " must be an http(s) URL, not '" + text + "'");
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a URL: " + e.getReason(), e);
        }
    }

    private static List<String> strings(JsonNode node, String what) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(what + " must be a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isValueNode() || item.asString().isBlank()) {
                throw new IllegalArgumentException(what + " must be a list of non-empty strings");
            }
            out.add(item.asString().trim());
        }
        return out;
    }

    /// The provisioner named `name`.
    public Optional<Provisioner> provisioner(String name) {
        return provisioners.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /// The effective values as key and text, in the order of [#KEYS]; nothing here is secret.
    public Map<String, String> redacted() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("acme.baseUrl", baseUrl.map(URI::toString).orElse(""));
        out.put("acme.validation.http01Port", Integer.toString(validation.http01Port()));
        out.put("acme.validation.tlsAlpn01Port", Integer.toString(validation.tlsAlpn01Port()));
        out.put("acme.validation.dnsServer", validation.dnsServer().orElse(""));
        out.put("acme.validation.timeout", Durations.format(validation.timeout()));
        out.put("acme.validation.answerWait", validation.answerWait().isZero() ? "0s"
                : Durations.format(validation.answerWait()));
        out.put("acme.rateLimits.newOrdersPerHour", Integer.toString(rateLimits.newOrdersPerHour()));
        out.put("acme.rateLimits.newOrdersPerAddressPerHour", Integer.toString(rateLimits.newOrdersPerAddressPerHour()));
        out.put("acme.rateLimits.newAccountsPerHour", Integer.toString(rateLimits.newAccountsPerHour()));
        out.put("acme.rateLimits.failedValidationsPerHour", Integer.toString(rateLimits.failedValidationsPerHour()));
        out.put("acme.provisioners", String.join(";", provisioners.stream().map(p -> p.name() + "("
                + String.join(",", p.challenges()) + "; allowed=" + String.join(",", p.allowedIdentifiers())
                + "; eab=" + p.eabRequired() + "; ttl=" + Durations.format(p.certificateTtl())
                + p.termsOfService().map(u -> "; tos=" + u).orElse("") + p.website().map(u -> "; website=" + u).orElse("")
                + (p.caaIdentities().isEmpty() ? "" : "; caa=" + String.join(",", p.caaIdentities())) + ")").toList()));
        return out;
    }
}
