package io.certwright.server.inventory;

import io.certwright.inventory.NamePattern;
import io.certwright.inventory.OwnershipRule;
import io.certwright.inventory.OwnershipRules;
import io.certwright.core.Durations;
import io.certwright.inventory.alert.Secret;
import io.certwright.inventory.alert.SmtpSettings;
import io.certwright.inventory.discovery.ScanError;
import io.certwright.inventory.discovery.Targets;
import io.certwright.inventory.status.ExpiryThresholds;
import io.certwright.inventory.status.ThresholdPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/// The validated `inventory.*` and `alerting.*` configuration of the server.
///
/// @param syncInterval how often certificates the CA signed or revoked are copied into the inventory
/// @param owners the ownership rules, in order; the first that matches a certificate names its owner
/// @param scan the scheduled scans
/// @param metrics which certificate metrics are exported, and how many series at most
/// @param alerting thresholds, the alert run's interval and the channels
public record InventorySettings(Duration syncInterval, OwnershipRules owners, Scan scan, MetricSettings metrics,
        Alerting alerting) {

    /// Every key this record reads, in the order of the example file.
    public static final List<String> KEYS = List.of("inventory.sync-interval", "inventory.owners",
            "inventory.scan.targets",
            "inventory.scan.ports", "inventory.scan.files", "inventory.scan.interval", "inventory.scan.timeout",
            "inventory.metrics.labels", "inventory.metrics.max-series", "alerting.thresholds", "alerting.threshold-overrides", "alerting.interval",
            "alerting.digest", "alerting.webhook.url", "alerting.webhook.secret", "alerting.slack.url",
            "alerting.smtp.host", "alerting.smtp.port", "alerting.smtp.security", "alerting.smtp.username",
            "alerting.smtp.password", "alerting.smtp.from", "alerting.smtp.to", "alerting.smtp.owner-to");

    /// Keys whose values are secrets: left out of [#redacted()] and never printed.
    public static final List<String> SECRET_KEYS = List.of("alerting.webhook.secret", "alerting.smtp.password");

    /// The labels of `certwright_certificate_not_after_timestamp_seconds` that can be turned off
    /// (`fingerprint` is always there).
    public static final List<String> OPTIONAL_LABELS = List.of("owner", "source", "issuer", "subject");

    private static final Pattern OWNER_ROUTE = Pattern.compile("([^=\\s]+)=([^=\\s]+@[^=\\s]+)");

    public InventorySettings {
        Objects.requireNonNull(syncInterval, "syncInterval");
        Objects.requireNonNull(owners, "owners");
        Objects.requireNonNull(scan, "scan");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(alerting, "alerting");
    }

    /// Scheduled scans.
    ///
    /// @param targets TLS targets as `certwright scan` takes them (host:port, hosts, CIDR ranges, smtp://, postgres://)
    /// @param ports ports for targets without one
    /// @param files files and directories searched for certificates and keystores
    /// @param interval time between the end of one scan and the start of the next
    /// @param timeout connect and handshake limit per endpoint
    public record Scan(List<String> targets, List<Integer> ports, List<Path> files, Duration interval,
            Duration timeout) {
        public Scan {
            targets = List.copyOf(targets);
            ports = List.copyOf(ports);
            files = List.copyOf(files);
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(timeout, "timeout");
        }

        /// Whether anything is configured to scan.
        public boolean enabled() {
            return !targets.isEmpty() || !files.isEmpty();
        }
    }

    /// The certificate metrics.
    ///
    /// @param labels the optional labels exported, a subset of [#OPTIONAL_LABELS] in that order
    /// @param maxSeries most certificates with a series; those expiring soonest are kept
    public record MetricSettings(List<String> labels, int maxSeries) {
        public MetricSettings {
            labels = List.copyOf(labels);
        }
    }

    /// Alerting.
    ///
    /// @param thresholds when before expiry a certificate is expiring and alerts go out
    /// @param overrides other thresholds for the certificates of an owner or with a label; the first that
    ///     matches a certificate applies
    /// @param interval how often statuses are computed, metrics refreshed and due alerts sent
    /// @param digest whether each owner also gets one digest a day (UTC)
    /// @param webhook the generic webhook
    /// @param slackUrl a Slack-compatible incoming webhook URL (the URL is the secret)
    /// @param smtp email
    public record Alerting(ExpiryThresholds thresholds, List<ThresholdPolicy.ThresholdOverride> overrides,
            Duration interval, boolean digest, Optional<Webhook> webhook,
            Optional<URI> slackUrl, Optional<Smtp> smtp) {
        public Alerting {
            Objects.requireNonNull(thresholds, "thresholds");
            overrides = List.copyOf(overrides);
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(webhook, "webhook");
            Objects.requireNonNull(slackUrl, "slackUrl");
            Objects.requireNonNull(smtp, "smtp");
        }

        /// Whether any channel is configured.
        public boolean anyChannel() {
            return webhook.isPresent() || slackUrl.isPresent() || smtp.isPresent();
        }
    }

    /// The generic webhook.
    ///
    /// @param url where to POST
    /// @param secret the HMAC-SHA256 signing secret
    public record Webhook(URI url, Secret secret) {
        public Webhook {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(secret, "secret");
        }
    }

    /// Email.
    ///
    /// @param host SMTP server
    /// @param port SMTP port
    /// @param security `starttls` (required upgrade), `tls` (implicit) or `none`
    /// @param username login, with `password`
    /// @param password login password
    /// @param from sender address
    /// @param to recipients of every alert without an owner route
    /// @param ownerTo recipients per owner: the owner's alerts go there instead of `to`
    public record Smtp(String host, int port, SmtpSettings.Security security, Optional<String> username,
            Optional<Secret> password, String from, List<String> to, Map<String, String> ownerTo) {
        public Smtp {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(security, "security");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(from, "from");
            to = List.copyOf(to);
            ownerTo = Map.copyOf(ownerTo);
        }

        @Override
        public String toString() {
            return "Smtp[" + host + ":" + port + ", " + security + ", user " + username.orElse("-") + ", password "
                    + (password.isPresent() ? "(set)" : "(none)") + "]";
        }
    }

    /// Where [#parse] reads values: the value of a key (absent when not configured or blank), and where it came
    /// from, for error messages.
    public interface Values {
        /// The configured value.
        Optional<String> get(String key);

        /// Where the value of `key` came from, e.g. `CERTWRIGHT_ALERTING_SMTP_PORT`.
        String source(String key);
    }

    /// The defaults: sync every 5 s, no scans (hourly once targets are given, port 443, 5 s timeout), every
    /// metric label, 10,000 series, default thresholds, alert run every minute, no channels.
    public static InventorySettings defaults() {
        return parse(new Values() {
            @Override
            public Optional<String> get(String key) {
                return Optional.empty();
            }

            @Override
            public String source(String key) {
                return "default";
            }
        });
    }

    /// Validates the values.
    ///
    /// @throws IllegalArgumentException naming the key, where its value came from and what is wrong
    public static InventorySettings parse(Values v) {
        Duration sync = duration(v, "inventory.sync-interval", Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofMinutes(10));
        List<Integer> ports = value(v, "inventory.scan.ports", Targets::parsePorts).orElse(List.of(443));
        List<String> targets = value(v, "inventory.scan.targets", InventorySettings::list).orElse(List.of());
        value(v, "inventory.scan.targets", t -> {
            List<ScanError> errors = Targets.parse(list(t), ports, Instant.EPOCH).errors();
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(errors.getFirst().target() + ": " + errors.getFirst().message());
            }
            return t;
        });
        List<Path> files = value(v, "inventory.scan.files", t -> list(t).stream().map(Path::of).toList())
                .orElse(List.of());
        Scan scan = new Scan(targets, ports, files,
                duration(v, "inventory.scan.interval", Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofDays(7)),
                duration(v, "inventory.scan.timeout", Duration.ofSeconds(5), Duration.ofMillis(100),
                        Duration.ofMinutes(1)));
        List<String> labels = value(v, "inventory.metrics.labels", InventorySettings::labels)
                .orElse(OPTIONAL_LABELS);
        int maxSeries = value(v, "inventory.metrics.max-series", t -> range(t, 0, 1_000_000)).orElse(10_000);

        ExpiryThresholds thresholds = value(v, "alerting.thresholds", ExpiryThresholds::parse)
                .orElse(ExpiryThresholds.defaults());
        List<ThresholdPolicy.ThresholdOverride> overrides = value(v, "alerting.threshold-overrides",
                InventorySettings::thresholdOverrides).orElse(List.of());
        Duration interval = duration(v, "alerting.interval", Duration.ofMinutes(1), Duration.ofSeconds(1),
                Duration.ofDays(1));
        boolean digest = value(v, "alerting.digest", InventorySettings::bool).orElse(false);
        Optional<URI> webhookUrl = value(v, "alerting.webhook.url", InventorySettings::httpUrl);
        Optional<Secret> webhookSecret = value(v, "alerting.webhook.secret", Secret::of);
        if (webhookUrl.isPresent() != webhookSecret.isPresent()) {
            throw new IllegalArgumentException("alerting.webhook.url and alerting.webhook.secret go together: "
                    + "every webhook request is signed");
        }
        Optional<Webhook> webhook = webhookUrl.map(u -> new Webhook(u, webhookSecret.orElseThrow()));
        Optional<URI> slack = value(v, "alerting.slack.url", InventorySettings::httpUrl);
        Optional<Smtp> smtp = smtp(v);
        OwnershipRules owners = value(v, "inventory.owners", InventorySettings::owners).orElse(OwnershipRules.none());
        return new InventorySettings(sync, owners, scan, new MetricSettings(labels, maxSeries),
                new Alerting(thresholds, overrides, interval, digest, webhook, slack, smtp));
    }

    private static Optional<Smtp> smtp(Values v) {
        Optional<String> host = v.get("alerting.smtp.host").map(String::strip);
        if (host.isEmpty()) {
            for (String key : List.of("alerting.smtp.username", "alerting.smtp.password", "alerting.smtp.from",
                    "alerting.smtp.to", "alerting.smtp.owner-to")) {
                if (v.get(key).isPresent()) {
                    throw new IllegalArgumentException(key + " (from " + v.source(key)
                            + ") needs alerting.smtp.host");
                }
            }
            return Optional.empty();
        }
        int port = value(v, "alerting.smtp.port", t -> range(t, 1, 65_535)).orElse(587);
        SmtpSettings.Security security = value(v, "alerting.smtp.security", InventorySettings::security)
                .orElse(SmtpSettings.Security.STARTTLS);
        Optional<String> user = v.get("alerting.smtp.username").map(String::strip);
        Optional<Secret> password = value(v, "alerting.smtp.password", Secret::of);
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("alerting.smtp.username and alerting.smtp.password go together");
        }
        String from = value(v, "alerting.smtp.from", InventorySettings::address).orElseThrow(() ->
                new IllegalArgumentException("alerting.smtp.from is required with alerting.smtp.host"));
        List<String> to = value(v, "alerting.smtp.to", t -> list(t).stream().map(InventorySettings::address)
                .toList()).orElse(List.of());
        Map<String, String> ownerTo = value(v, "alerting.smtp.owner-to", InventorySettings::ownerRoutes)
                .orElse(Map.of());
        if (to.isEmpty() && ownerTo.isEmpty()) {
            throw new IllegalArgumentException("alerting.smtp.to or alerting.smtp.owner-to is required with "
                    + "alerting.smtp.host");
        }
        return Optional.of(new Smtp(host.get(), port, security, user, password, from, to, ownerTo));
    }

    /// The effective values as key and text, in the order of [#KEYS], without the secrets of [#SECRET_KEYS]; the
    /// Slack URL (itself a secret) is reduced to its scheme and host, and a webhook URL loses user info and query.
    public Map<String, String> redacted() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("inventory.sync-interval", Durations.format(syncInterval));
        out.put("inventory.owners", String.join(",", owners.rules().stream().map(OwnershipRule::name).toList()));
        out.put("inventory.scan.targets", String.join(",", scan.targets()));
        out.put("inventory.scan.ports", String.join(",", scan.ports().stream().map(String::valueOf).toList()));
        out.put("inventory.scan.files", String.join(",", scan.files().stream().map(Path::toString).toList()));
        out.put("inventory.scan.interval", Durations.format(scan.interval()));
        out.put("inventory.scan.timeout", Durations.format(scan.timeout()));
        out.put("inventory.metrics.labels", String.join(",", metrics.labels()));
        out.put("inventory.metrics.max-series", Integer.toString(metrics.maxSeries()));
        out.put("alerting.thresholds", alerting.thresholds().toString());
        out.put("alerting.threshold-overrides", String.join(",", alerting.overrides().stream()
                .map(InventorySettings::overrideText).toList()));
        out.put("alerting.interval", Durations.format(alerting.interval()));
        out.put("alerting.digest", Boolean.toString(alerting.digest()));
        out.put("alerting.webhook.url", alerting.webhook().map(w -> withoutSecrets(w.url(), false)).orElse(""));
        out.put("alerting.slack.url", alerting.slackUrl().map(u -> withoutSecrets(u, true)).orElse(""));
        Optional<Smtp> s = alerting.smtp();
        out.put("alerting.smtp.host", s.map(Smtp::host).orElse(""));
        out.put("alerting.smtp.port", s.map(x -> Integer.toString(x.port())).orElse(""));
        out.put("alerting.smtp.security", s.map(x -> x.security().name().toLowerCase(Locale.ROOT)).orElse(""));
        out.put("alerting.smtp.username", s.flatMap(Smtp::username).orElse(""));
        out.put("alerting.smtp.from", s.map(Smtp::from).orElse(""));
        out.put("alerting.smtp.to", s.map(x -> String.join(",", x.to())).orElse(""));
        out.put("alerting.smtp.owner-to", s.map(x -> String.join(",", new java.util.TreeMap<>(x.ownerTo()).entrySet()
                .stream().map(e -> e.getKey() + "=" + e.getValue()).toList())).orElse(""));
        return out;
    }

    private static String withoutSecrets(URI u, boolean hostOnly) {
        String base = u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
        if (hostOnly) {
            return base + "/***";
        }
        return base + (u.getRawPath() == null ? "" : u.getRawPath()) + (u.getRawQuery() == null ? "" : "?***");
    }

    private static <T> Optional<T> value(Values v, String key, Function<String, T> parser) {
        Optional<String> text = v.get(key).map(String::strip).filter(s -> !s.isEmpty());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(text.get()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + key + " (from " + v.source(key) + "): "
                    + e.getMessage(), e);
        }
    }

    private static Duration duration(Values v, String key, Duration fallback, Duration min, Duration max) {
        return value(v, key, t -> {
            Duration d = Durations.parse(t);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("must be between " + Durations.format(min) + " and "
                        + Durations.format(max));
            }
            return d;
        }).orElse(fallback);
    }

    /// Parses ownership rules, each `KIND:PATTERN=OWNER[;LABEL=VALUE...]` with KIND `san` (a DNS or IP glob
    /// over the subject alternative names), `spiffe` (a SPIFFE ID glob) or `endpoint` (a `host:port` glob over
    /// the places the certificate was seen). Each rule is named by its own text.
    static OwnershipRules owners(String text) {
        List<OwnershipRule> rules = new ArrayList<>();
        for (String rule : list(text)) {
            String[] parts = rule.split(";", -1);
            int colon = parts[0].indexOf(':');
            int equals = parts[0].lastIndexOf('=');
            if (colon <= 0 || equals <= colon + 1 || equals == parts[0].length() - 1) {
                throw new IllegalArgumentException("'" + rule + "' is not KIND:PATTERN=OWNER[;LABEL=VALUE...]");
            }
            String kind = parts[0].substring(0, colon);
            String pattern = parts[0].substring(colon + 1, equals);
            String owner = parts[0].substring(equals + 1).strip();
            OwnershipRule.Match match = switch (kind) {
                case "san" -> new OwnershipRule.SanMatch(NamePattern.dns(pattern));
                case "spiffe" -> new OwnershipRule.SpiffeIdMatch(NamePattern.spiffe(pattern));
                case "endpoint" -> new OwnershipRule.EndpointMatch(NamePattern.endpoint(pattern));
                default -> throw new IllegalArgumentException("'" + rule + "': the kind must be san, spiffe or "
                        + "endpoint, not '" + kind + "'");
            };
            Map<String, String> labels = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq <= 0 || eq == parts[i].length() - 1) {
                    throw new IllegalArgumentException("'" + rule + "': label '" + parts[i] + "' is not LABEL=VALUE");
                }
                labels.put(parts[i].substring(0, eq).strip(), parts[i].substring(eq + 1).strip());
            }
            rules.add(OwnershipRule.of(rule, match, owner, labels));
        }
        return new OwnershipRules(rules);
    }

    /// Parses threshold overrides, each `owner:NAME=T1/T2/...` or `label:KEY:VALUE=T1/T2/...`.
    static List<ThresholdPolicy.ThresholdOverride> thresholdOverrides(String text) {
        List<ThresholdPolicy.ThresholdOverride> out = new ArrayList<>();
        for (String item : list(text)) {
            int eq = item.lastIndexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new IllegalArgumentException("'" + item + "' is not owner:NAME=T1/T2/... or "
                        + "label:KEY:VALUE=T1/T2/...");
            }
            String[] selector = item.substring(0, eq).split(":", -1);
            ThresholdPolicy.Selector picked;
            if (selector.length == 2 && selector[0].equals("owner") && !selector[1].isBlank()) {
                picked = new ThresholdPolicy.OwnerIs(selector[1].strip());
            } else if (selector.length == 3 && selector[0].equals("label") && !selector[1].isBlank()
                    && !selector[2].isBlank()) {
                picked = new ThresholdPolicy.LabelIs(selector[1].strip(), selector[2].strip());
            } else {
                throw new IllegalArgumentException("'" + item + "': pick certificates with owner:NAME or "
                        + "label:KEY:VALUE");
            }
            out.add(new ThresholdPolicy.ThresholdOverride(picked,
                    ExpiryThresholds.parse(item.substring(eq + 1).replace('/', ','))));
        }
        return out;
    }

    private static String overrideText(ThresholdPolicy.ThresholdOverride o) {
        String selector = switch (o.selector()) {
            case ThresholdPolicy.OwnerIs owner -> "owner:" + owner.owner();
            case ThresholdPolicy.LabelIs label -> "label:" + label.key() + ":" + label.value();
        };
        return selector + "=" + o.thresholds().toString().replace(',', '/');
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static int range(String text, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number", e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(n + " is outside " + min + " .. " + max);
        }
        return n;
    }

    private static boolean bool(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false, not '" + text + "'");
        };
    }

    private static List<String> labels(String text) {
        List<String> given = list(text);
        if (given.equals(List.of("none"))) {
            return List.of();
        }
        for (String l : given) {
            if (!OPTIONAL_LABELS.contains(l)) {
                throw new IllegalArgumentException("unknown label '" + l + "'; choose from "
                        + String.join(", ", OPTIONAL_LABELS) + " (fingerprint is always exported)");
            }
        }
        return OPTIONAL_LABELS.stream().filter(given::contains).toList();
    }

    private static URI httpUrl(String text) {
        URI u;
        try {
            u = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getReason(), e);
        }
        if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException("must be an http or https URL with a host");
        }
        if (u.getRawUserInfo() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("must not carry user info or a fragment");
        }
        return u;
    }

    private static SmtpSettings.Security security(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "starttls" -> SmtpSettings.Security.STARTTLS;
            case "tls" -> SmtpSettings.Security.TLS;
            case "none" -> SmtpSettings.Security.NONE;
            default -> throw new IllegalArgumentException("expected starttls, tls or none, not '" + text + "'");
        };
    }

    private static String address(String text) {
        String a = text.strip();
        int at = a.indexOf('@');
        if (at <= 0 || at != a.lastIndexOf('@') || at == a.length() - 1 || a.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("'" + a + "' is not an email address");
        }
        return a;
    }

    private static Map<String, String> ownerRoutes(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : list(text)) {
            var m = OWNER_ROUTE.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("expected owner=address, not '" + part + "'");
            }
            String owner = m.group(1);
            if (out.containsKey(owner)) {
                throw new IllegalArgumentException("owner '" + owner + "' is routed twice");
            }
            out.put(owner, address(m.group(2)));
        }
        return out;
    }

    @Override
    public String toString() {
        return "InventorySettings" + redacted();
    }
}
