package io.certwright.server;

import io.certwright.ca.policy.DnsNames;
import io.certwright.core.Durations;
import io.certwright.core.TrustDomain;
import io.certwright.server.acme.AcmeConfig;
import io.certwright.server.inventory.InventorySettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/// The validated server configuration.
///
/// Sources, highest precedence first: explicit [ServerOptions] (command-line flags), `CERTWRIGHT_<KEY>`
/// environment variables (key upper-cased, `.` and `-` turned into `_`), the YAML file, the defaults.
/// Unknown keys in the file are an error naming the key, so a typo never silently falls back to a default.
///
/// @param dataDir data directory
/// @param listen HTTPS listen address
/// @param trustDomain trust domain of a CA created on first start
/// @param databaseUrl JDBC URL; empty means SQLite in `<data-dir>/certwright.db`
/// @param databaseUsername database user
/// @param databasePassword database password; never printed
/// @param databaseMaxPoolSize most database connections
/// @param tlsHostnames DNS names the server certificate carries besides the listen address and `localhost`
/// @param tlsCertificateLifetime lifetime of the server's own TLS certificate, renewed at two thirds of it
/// @param maxBodyBytes largest request body accepted
/// @param authFailuresPerMinute failed authentications per source address and minute before 429
/// @param logFormat how the log is written, `text` or `json`
/// @param revocation where and how CRLs and OCSP are published
/// @param inventory the inventory's scheduled scans and metrics, and alerting (`inventory.*`, `alerting.*`)
/// @param acme the ACME server (`acme.*`)
public record ServerConfig(Path dataDir, InetSocketAddress listen, TrustDomain trustDomain,
        Optional<String> databaseUrl, Optional<String> databaseUsername, Optional<String> databasePassword,
        int databaseMaxPoolSize, List<String> tlsHostnames, Duration tlsCertificateLifetime, int maxBodyBytes,
        int authFailuresPerMinute, LogFormat logFormat, Revocation revocation, InventorySettings inventory,
        AcmeConfig acme) {

    /// Every configuration key, in the order of the example file.
    public static final List<String> KEYS = Stream.concat(Stream.of("listen", "data-dir", "trust-domain",
            "database.url", "database.username", "database.password", "database.max-pool-size", "tls.hostnames",
            "tls.certificate-lifetime", "limits.max-body-bytes", "limits.auth-failures-per-minute", "log.format",
            "revocation.http-listen", "revocation.public-url", "revocation.crl-lifetime", "revocation.crl-grace",
            "revocation.ocsp-validity", "revocation.ocsp-signer-lifetime"),
            Stream.concat(InventorySettings.KEYS.stream(), AcmeConfig.KEYS.stream())).toList();

    /// Publication of revocation status.
    ///
    /// @param httpListen plain-HTTP address serving only the public revocation routes (`/crl/...`, `/ocsp`,
    ///     `/ca/...`, `/roots.pem`, `/healthz`), as relying parties fetch them over HTTP; empty: none
    /// @param publicUrl base URL written into issued certificates (CRL distribution point, OCSP and CA
    ///     issuers); empty: `http://<http-listen>` when that is set, else the HTTPS address
    /// @param crlLifetime how long a CRL is valid (nextUpdate - thisUpdate); a new one is published when a
    ///     third of it is left, and at once (debounced) after each revocation
    /// @param crlGrace how long after its expiry a revoked certificate stays on the CRL
    /// @param ocspValidity how long an OCSP response is valid (nextUpdate - thisUpdate)
    /// @param ocspSignerLifetime lifetime of the delegated OCSP signing certificate, replaced at two thirds
    public record Revocation(Optional<InetSocketAddress> httpListen, Optional<java.net.URI> publicUrl,
            Duration crlLifetime, Duration crlGrace, Duration ocspValidity, Duration ocspSignerLifetime) {

        public Revocation {
            Objects.requireNonNull(httpListen, "httpListen");
            Objects.requireNonNull(publicUrl, "publicUrl");
        }

        /// The defaults: no HTTP listener, CRLs valid 24 h, one day of grace, OCSP responses valid 1 h,
        /// OCSP signer certificates living 7 days.
        public static Revocation defaults() {
            return new Revocation(Optional.empty(), Optional.empty(), Duration.ofHours(24), Duration.ofDays(1),
                    Duration.ofHours(1), Duration.ofDays(7));
        }
    }

    /// Request bodies accepted by default: 64 KiB.
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    private static final String EXAMPLE = "certwright.example.yaml";
    private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/@?#]*?:)[^/@?#]*@");
    private static final Pattern URL_PASSWORD = Pattern.compile(
            "([?&;](?i:password|sslpassword)=)[^&;]*");

    public ServerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(acme, "acme");
        tlsHostnames = List.copyOf(tlsHostnames);
    }

    /// The environment variable overriding `key`, e.g. `CERTWRIGHT_DATABASE_URL` for `database.url`.
    public static String environmentVariable(String key) {
        return "CERTWRIGHT_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /// A complete commented configuration file with every key at its default.
    public static String example() {
        try (InputStream in = ServerConfig.class.getResourceAsStream(EXAMPLE)) {
            if (in == null) {
                throw new IllegalStateException(EXAMPLE + " is missing from the server jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + EXAMPLE, e);
        }
    }

    /// Resolves the configuration from the options, their environment and their configuration file.
    ///
    /// @throws ConfigException naming the offending key and where its value came from
    public static ServerConfig resolve(ServerOptions options) throws ConfigException {
        Map<String, Sourced> values = new LinkedHashMap<>();
        if (options.configFile().isPresent()) {
            Path file = options.configFile().get();
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
            }
            parseYaml(text, file.toString()).forEach((k, v) -> values.put(k, new Sourced(v, file + ": " + k)));
        }
        for (String key : KEYS) {
            String env = options.environment().get(environmentVariable(key));
            if (env != null && !env.isBlank()) {
                values.put(key, new Sourced(env.trim(), environmentVariable(key)));
            }
        }
        if (options.isExplicit(ServerOptions.Flag.DATA_DIR)) {
            values.put("data-dir", new Sourced(options.dataDir().toString(), "--data-dir"));
        }
        if (options.isExplicit(ServerOptions.Flag.LISTEN)) {
            String host = options.listen().getHostString();
            values.put("listen", new Sourced((host.contains(":") ? "[" + host + "]" : host) + ":"
                    + options.listen().getPort(), "--listen"));
        }
        options.trustDomain().ifPresent(td -> values.put("trust-domain", new Sourced(td.name(), "--trust-domain")));
        options.logFormat().ifPresent(f -> values.put("log.format", new Sourced(f.wireName(), "--log-format")));
        return build(values);
    }

    /// Parses one YAML document into dotted keys; lists become comma-separated values.
    static Map<String, String> parseYaml(String text, String source) throws ConfigException {
        JsonNode root;
        try {
            root = YAMLMapper.builder().build().readTree(text);
        } catch (JacksonException e) {
            throw new ConfigException(source + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw new ConfigException(source + " must be a mapping of configuration keys");
        }
        flatten("", root, out, source);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, String source)
            throws ConfigException {
        for (var field : node.properties()) {
            String key = prefix + field.getKey();
            JsonNode v = field.getValue();
            if (v.isObject()) {
                flatten(key + ".", v, out, source);
                continue;
            }
            if (!KEYS.contains(key)) {
                throw new ConfigException("unknown configuration key '" + key + "' in " + source + "; known keys: "
                        + String.join(", ", KEYS));
            }
            if (v.isNull()) {
                continue;
            }
            if (key.equals(AcmeConfig.PROVISIONERS_KEY)) {
                // A list of mappings, parsed by AcmeConfig; kept as JSON text like an environment override.
                out.put(key, v.toString());
                continue;
            }
            if (v.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode item : v) {
                    if (!item.isValueNode()) {
                        throw new ConfigException(source + ": '" + key + "' must be a list of strings");
                    }
                    items.add(item.asString());
                }
                out.put(key, String.join(",", items));
            } else if (v.isValueNode()) {
                out.put(key, v.asString());
            } else {
                throw new ConfigException(source + ": '" + key + "' has an unsupported value");
            }
        }
    }

    private record Sourced(String value, String source) {
    }

    private static ServerConfig build(Map<String, Sourced> v) throws ConfigException {
        Path dataDir = Path.of(text(v, "data-dir").orElse(ServerOptions.DEFAULT_DATA_DIR.toString()));
        InetSocketAddress listen = v.containsKey("listen") ? parse(v, "listen", ServerConfig::parseListen)
                : ServerOptions.DEFAULT_LISTEN;
        TrustDomain td = v.containsKey("trust-domain") ? parse(v, "trust-domain", TrustDomain::parse)
                : ServerOptions.DEFAULT_TRUST_DOMAIN;
        Optional<String> url = text(v, "database.url");
        if (url.isPresent() && !url.get().startsWith("jdbc:postgresql:") && !url.get().startsWith("jdbc:sqlite:")) {
            throw new ConfigException(Objects.requireNonNull(v.get("database.url")).source() + ": expected jdbc:postgresql://host/db or "
                    + "jdbc:sqlite:FILE");
        }
        int pool = v.containsKey("database.max-pool-size") ? parse(v, "database.max-pool-size", s -> range(s, 1, 200)) : 8;
        List<String> hostnames = v.containsKey("tls.hostnames") ? parse(v, "tls.hostnames", ServerConfig::hostnames)
                : List.of();
        Duration lifetime = v.containsKey("tls.certificate-lifetime")
                ? parse(v, "tls.certificate-lifetime", ServerConfig::lifetime) : Duration.ofDays(7);
        int maxBody = v.containsKey("limits.max-body-bytes")
                ? parse(v, "limits.max-body-bytes", s -> range(s, 1024, 16 * 1024 * 1024)) : DEFAULT_MAX_BODY_BYTES;
        int failures = v.containsKey("limits.auth-failures-per-minute")
                ? parse(v, "limits.auth-failures-per-minute", s -> range(s, 1, 1_000_000)) : 10;
        LogFormat logFormat = v.containsKey("log.format") ? parse(v, "log.format", LogFormat::parse) : LogFormat.TEXT;
        Revocation d = Revocation.defaults();
        Optional<InetSocketAddress> httpListen = text(v, "revocation.http-listen").isPresent()
                ? Optional.of(parse(v, "revocation.http-listen", ServerConfig::parseListen)) : Optional.empty();
        Optional<java.net.URI> publicUrl = text(v, "revocation.public-url").isPresent()
                ? Optional.of(parse(v, "revocation.public-url", ServerConfig::publicUrl)) : Optional.empty();
        Revocation revocation = new Revocation(httpListen, publicUrl,
                duration(v, "revocation.crl-lifetime", d.crlLifetime(), Duration.ofMinutes(10), Duration.ofDays(30)),
                duration(v, "revocation.crl-grace", d.crlGrace(), Duration.ZERO, Duration.ofDays(365)),
                duration(v, "revocation.ocsp-validity", d.ocspValidity(), Duration.ofMinutes(5), Duration.ofDays(7)),
                duration(v, "revocation.ocsp-signer-lifetime", d.ocspSignerLifetime(), Duration.ofHours(1),
                        Duration.ofDays(90)));
        if (revocation.ocspSignerLifetime().compareTo(revocation.ocspValidity().multipliedBy(3)) < 0) {
            throw new ConfigException("revocation.ocsp-signer-lifetime must be at least three times "
                    + "revocation.ocsp-validity, so that responses never outlive their signer");
        }
        InventorySettings.Values values = new InventorySettings.Values() {
            @Override
            public Optional<String> get(String key) {
                return text(v, key);
            }

            @Override
            public String source(String key) {
                return Optional.ofNullable(v.get(key)).map(Sourced::source).orElse("default");
            }
        };
        InventorySettings inventory;
        AcmeConfig acme;
        try {
            inventory = InventorySettings.parse(values);
            acme = AcmeConfig.parse(values);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(String.valueOf(e.getMessage()), e);
        }
        return new ServerConfig(dataDir, listen, td, url, text(v, "database.username"), text(v, "database.password"),
                pool, hostnames, lifetime, maxBody, failures, logFormat, revocation, inventory, acme);
    }

    private static Optional<String> text(Map<String, Sourced> v, String key) {
        return Optional.ofNullable(v.get(key)).map(Sourced::value).filter(s -> !s.isBlank());
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(Map<String, Sourced> v, String key, Parser<T> parser) throws ConfigException {
        Sourced s = Objects.requireNonNull(v.get(key));
        try {
            return parser.parse(s.value());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid " + key + " (from " + s.source() + "): " + e.getMessage(), e);
        }
    }

    /// Parses `HOST:PORT` or `[IPv6]:PORT`; port 0 asks for a free port.
    public static InetSocketAddress parseListen(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("write IPv6 addresses in brackets, e.g. [::1]:8443");
        }
        int port = range(t.substring(colon + 1), 0, 65535);
        if (host.isBlank()) {
            throw new IllegalArgumentException("the host is empty in '" + text + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static int range(String text, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number", e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(n + " is outside " + min + " .. " + max);
        }
        return n;
    }

    private static List<String> hostnames(String text) {
        List<String> out = new ArrayList<>();
        for (String h : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (!DnsNames.isValidHostname(lower)) {
                throw new IllegalArgumentException("'" + h + "' is not a valid host name");
            }
            out.add(lower);
        }
        return out;
    }

    private static Duration duration(Map<String, Sourced> v, String key, Duration fallback, Duration min,
            Duration max) throws ConfigException {
        if (!v.containsKey(key) || text(v, key).isEmpty()) {
            return fallback;
        }
        return parse(v, key, t -> {
            Duration d = Durations.parse(t);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("must be between " + Durations.format(min) + " and "
                        + Durations.format(max));
            }
            return d;
        });
    }

    /// Parses the public base URL: absolute `http` or `https`, with a host, no query or fragment.
    static java.net.URI publicUrl(String text) {
        java.net.URI u;
        try {
            u = new java.net.URI(text.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason(), e);
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new IllegalArgumentException("'" + text + "' must start with http:// or https://");
        }
        if (u.getHost() == null || u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + text + "' must have a host and no user, query or fragment");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return java.net.URI.create(u.getScheme() + "://" + u.getRawAuthority() + path);
    }

    private static Duration lifetime(String text) {
        Duration d = Durations.parse(text);
        if (d.compareTo(Duration.ofHours(1)) < 0 || d.compareTo(Duration.ofDays(90)) > 0) {
            throw new IllegalArgumentException("must be between 1h and 90d");
        }
        return d;
    }

    /// The effective configuration as key and value, in the order of [#KEYS], without secrets: the database
    /// password, the webhook secret and the SMTP password are left out, the Slack URL is cut to its host, and a password in the database URL (user info or a `password` parameter) is
    /// replaced by `***`. What [CertwrightServer] hashes into the `config.loaded` audit entry.
    public Map<String, String> redacted() {
        Map<String, String> out = new LinkedHashMap<>();
        String host = listen.getHostString();
        out.put("listen", (host.contains(":") ? "[" + host + "]" : host) + ":" + listen.getPort());
        out.put("data-dir", dataDir.toAbsolutePath().normalize().toString());
        out.put("trust-domain", trustDomain.name());
        out.put("database.url", databaseUrl.map(ServerConfig::redactUrl).orElse(""));
        out.put("database.username", databaseUsername.orElse(""));
        out.put("database.max-pool-size", Integer.toString(databaseMaxPoolSize));
        out.put("tls.hostnames", String.join(",", tlsHostnames));
        out.put("tls.certificate-lifetime", Durations.format(tlsCertificateLifetime));
        out.put("limits.max-body-bytes", Integer.toString(maxBodyBytes));
        out.put("limits.auth-failures-per-minute", Integer.toString(authFailuresPerMinute));
        out.put("log.format", logFormat.wireName());
        out.put("revocation.http-listen", revocation.httpListen().map(a -> {
            String h = a.getHostString();
            return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
        }).orElse(""));
        out.put("revocation.public-url", revocation.publicUrl().map(Object::toString).orElse(""));
        out.put("revocation.crl-lifetime", Durations.format(revocation.crlLifetime()));
        out.put("revocation.crl-grace", Durations.format(revocation.crlGrace()));
        out.put("revocation.ocsp-validity", Durations.format(revocation.ocspValidity()));
        out.put("revocation.ocsp-signer-lifetime", Durations.format(revocation.ocspSignerLifetime()));
        out.putAll(inventory.redacted());
        out.putAll(acme.redacted());
        return out;
    }

    /// The SHA-256 (lowercase hex) of [#redacted()], one `key=value` line per key.
    public String sha256() {
        StringBuilder canonical = new StringBuilder();
        redacted().forEach((k, val) -> canonical.append(k).append('=').append(val).append('\n'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String redactUrl(String url) {
        String s = URL_USER_INFO.matcher(url).replaceAll("$1***@");
        return URL_PASSWORD.matcher(s).replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "ServerConfig[" + dataDir + ", " + listen + ", " + trustDomain + ", database "
                + databaseUrl.map(ServerConfig::redactUrl).orElse("(sqlite in data dir)") + ", password " + (databasePassword.isPresent() ? "(set)" : "(none)")
                + ", hostnames " + tlsHostnames + "]";
    }
}
