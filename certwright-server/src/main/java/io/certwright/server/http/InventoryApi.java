package io.certwright.server.http;

import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.audit.AuditLog;
import io.certwright.core.Durations;
import io.certwright.inventory.EncodedCertificate;
import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.IngestResult;
import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.Place;
import io.certwright.inventory.Sighting;
import io.certwright.inventory.TlsFacts;
import io.certwright.inventory.alert.DeliveryRecord;
import io.certwright.inventory.alert.Silence;
import io.certwright.inventory.report.ReportFormat;
import io.certwright.inventory.status.CertificateState;
import io.certwright.inventory.status.CertificateStatus;
import io.certwright.server.inventory.InventoryService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// The inventory, silence and delivery-log handlers of API v1. Reads need an auditor token, writes an
/// operator token. Every write is audited; sightings that are refused are audited with their reasons.
final class InventoryApi {

    /// Most sightings in one request.
    static final int MAX_SIGHTINGS = 1000;
    /// Longest place text.
    static final int MAX_PLACE_LENGTH = 2048;
    /// How far a sighting may lie in the future (clock skew between scanner and server).
    static final Duration FUTURE_SKEW = Duration.ofMinutes(5);
    /// Longest silence.
    static final Duration MAX_SILENCE = Duration.ofDays(366);
    private static final int MAX_LABELS = 32;
    private static final int MAX_TEXT = 200;
    private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private static final int MAX_AUDITED_REASONS = 10;

    private final InventoryService inventory;
    private final AuditLog audit;

    InventoryApi(InventoryService inventory, AuditLog audit) {
        this.inventory = inventory;
        this.audit = audit;
    }

    List<Routes.Route> routes() {
        return List.of(
                new Routes.Route("GET", "/api/v1/inventory", Access.AUDITOR, this::list),
                new Routes.Route("GET", "/api/v1/inventory/report", Access.AUDITOR, this::report),
                new Routes.Route("POST", "/api/v1/inventory/sightings", Access.OPERATOR, this::sightings),
                new Routes.Route("GET", "/api/v1/inventory/{fingerprint}", Access.AUDITOR, this::get),
                new Routes.Route("PUT", "/api/v1/inventory/{fingerprint}/owner", Access.OPERATOR, this::setOwner),
                new Routes.Route("DELETE", "/api/v1/inventory/{fingerprint}/owner", Access.OPERATOR, this::clearOwner),
                new Routes.Route("POST", "/api/v1/silences", Access.OPERATOR, this::createSilence),
                new Routes.Route("GET", "/api/v1/silences", Access.AUDITOR, this::listSilences),
                new Routes.Route("DELETE", "/api/v1/silences/{id}", Access.OPERATOR, this::deleteSilence),
                new Routes.Route("GET", "/api/v1/alerts/deliveries", Access.AUDITOR, this::deliveries));
    }

    // ---------------------------------------------------------------- inventory

    Reply list(Call call) throws Exception {
        Optional<CertificateStatus> status = optional(call.query("status"), "status", CertificateStatus::fromWireName);
        Optional<Boolean> issued = optional(call.query("source"), "source", s -> switch (s) {
            case "issued" -> true;
            case "discovered" -> false;
            default -> throw new IllegalArgumentException("must be issued or discovered");
        });
        Optional<Duration> expiring = optional(call.query("expiring_within"), "expiring_within", Durations::parse);
        Optional<Fingerprint> after = optional(call.query("cursor"), "cursor", InventoryApi::decodeCursor);
        int limit = optional(call.query("limit"), "limit", InventoryApi::limit).orElse(100);
        Optional<String> owner = call.query("owner");
        InventoryService.Page page = inventory.list(new InventoryService.Filter(status, owner, issued, expiring, after,
                limit));
        return Reply.json(200, new InventoryWire.ItemList(page.items().stream().map(s -> InventoryWire.Item.of(s, false))
                .toList(), page.next().map(InventoryApi::encodeCursor).orElse(null), page.at().toString()));
    }

    Reply get(Call call) throws Exception {
        Fingerprint fp = fingerprint(call.param("fingerprint"));
        CertificateState s = inventory.find(fp).orElseThrow(() -> notFound("certificate " + fp.hex()));
        return Reply.json(200, InventoryWire.Item.of(s, true));
    }

    Reply setOwner(Call call) throws Exception {
        Fingerprint fp = fingerprint(call.param("fingerprint"));
        InventoryWire.OwnerBody body = Wire.read(call.jsonBody(), InventoryWire.OwnerBody.class);
        String owner = text(body.owner(), "owner", true);
        Map<String, String> labels = new LinkedHashMap<>();
        if (body.labels() != null) {
            if (body.labels().size() > MAX_LABELS) {
                throw malformed("at most " + MAX_LABELS + " labels");
            }
            for (Map.Entry<String, String> e : body.labels().entrySet()) {
                if (!LABEL_KEY.matcher(e.getKey()).matches()) {
                    throw malformed("label key '" + abbreviate(e.getKey()) + "' must be 1 to 63 lowercase letters, "
                            + "digits, '.', '_' or '-'");
                }
                labels.put(e.getKey(), text(e.getValue(), "labels." + e.getKey(), false));
            }
        }
        if (!inventory.assignOwner(fp, owner, labels)) {
            throw notFound("certificate " + fp.hex());
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("owner", owner);
        labels.forEach((k, v) -> details.put("label." + k, v));
        audit.append(AuditEvent.success(call.caller().actor(), "inventory.owner.set", fp.hex(), details));
        return Reply.json(200, InventoryWire.Item.of(inventory.find(fp).orElseThrow(() -> notFound("certificate "
                + fp.hex())), false));
    }

    Reply clearOwner(Call call) throws Exception {
        Fingerprint fp = fingerprint(call.param("fingerprint"));
        if (!inventory.clearOwner(fp)) {
            throw notFound("certificate " + fp.hex());
        }
        audit.append(AuditEvent.success(call.caller().actor(), "inventory.owner.clear", fp.hex(), Map.of()));
        return Reply.noContent();
    }

    Reply sightings(Call call) throws Exception {
        InventoryWire.SightingsBody body = Wire.read(call.jsonBody(), InventoryWire.SightingsBody.class);
        List<InventoryWire.SightingItem> items = body.sightings();
        if (items == null) {
            throw malformed("'sightings' is required");
        }
        if (items.size() > MAX_SIGHTINGS) {
            throw malformed("at most " + MAX_SIGHTINGS + " sightings per request, not " + items.size());
        }
        int added = 0;
        int updated = 0;
        List<InventoryWire.Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            IngestResult r;
            try {
                r = ingest(items.get(i), call.now());
            } catch (IllegalArgumentException e) {
                r = new IngestResult.Rejected(String.valueOf(e.getMessage()));
            }
            switch (r) {
                case IngestResult.Added a -> added++;
                case IngestResult.Updated u -> updated++;
                case IngestResult.Rejected x -> rejected.add(new InventoryWire.Rejected(i, x.reason()));
            }
        }
        String actor = call.caller().actor();
        audit.append(AuditEvent.success(actor, "inventory.sightings", "inventory", Map.of("added",
                Integer.toString(added), "updated", Integer.toString(updated), "rejected",
                Integer.toString(rejected.size()))));
        if (!rejected.isEmpty()) {
            List<String> reasons = rejected.stream().limit(MAX_AUDITED_REASONS)
                    .map(x -> x.index() + ": " + x.reason()).toList();
            audit.append(AuditEvent.refused(actor, "inventory.sightings", "inventory", Map.of("rejected",
                    Integer.toString(rejected.size()), "reasons", String.join("; ", reasons))));
        }
        return Reply.json(200, new InventoryWire.SightingsResult(added + updated, added, updated, rejected));
    }

    // Bad items are refused one by one (IllegalArgumentException or Rejected), never the whole request.
    private IngestResult ingest(InventoryWire.@Nullable SightingItem item, Instant now) {
        if (item == null) {
            throw new IllegalArgumentException("sighting is null");
        }
        if (item.place() == null || item.place().isBlank()) {
            throw new IllegalArgumentException("'place' is required");
        }
        if (item.place().length() > MAX_PLACE_LENGTH) {
            throw new IllegalArgumentException("'place' is longer than " + MAX_PLACE_LENGTH + " characters");
        }
        Place place = Place.parse(item.place());
        Instant seenAt;
        if (item.seenAt() == null) {
            seenAt = now;
        } else {
            try {
                seenAt = Instant.parse(item.seenAt());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'seen_at' must be an RFC 3339 UTC time such as "
                        + "2030-01-01T00:00:00Z", e);
            }
        }
        if (seenAt.isAfter(now.plus(FUTURE_SKEW))) {
            throw new IllegalArgumentException("'seen_at' lies in the future");
        }
        List<byte[]> chain = chain(item);
        Optional<TlsFacts> tls = Optional.empty();
        if (item.tls() != null) {
            InventoryWire.Tls t = item.tls();
            if (t.hostnameMatches() == null || t.chainTrusted() == null || t.chainComplete() == null) {
                throw new IllegalArgumentException("'tls' needs hostname_matches, chain_trusted and chain_complete");
            }
            if (!(place instanceof Place.Endpoint)) {
                throw new IllegalArgumentException("'tls' applies to tls:// places only");
            }
            tls = Optional.of(new TlsFacts(t.hostnameMatches(), t.chainTrusted(), t.chainComplete()));
        }
        return inventory.recordSighting(chain, place, seenAt, tls);
    }

    private static List<byte[]> chain(InventoryWire.SightingItem item) {
        if ((item.chain() == null) == (item.chainPem() == null)) {
            throw new IllegalArgumentException("give exactly one of 'chain' (base64 DER, leaf first) and 'chain_pem'");
        }
        List<byte[]> out = new ArrayList<>();
        if (item.chain() != null) {
            if (item.chain().size() > io.certwright.inventory.Inventory.MAX_CHAIN_LENGTH) {
                throw new IllegalArgumentException("chain of " + item.chain().size() + " certificates is longer than "
                        + io.certwright.inventory.Inventory.MAX_CHAIN_LENGTH);
            }
            for (String b64 : item.chain()) {
                if (b64 == null) {
                    throw new IllegalArgumentException("'chain' must not contain null");
                }
                try {
                    out.add(Base64.getMimeDecoder().decode(b64));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'chain' entries must be base64 DER certificates", e);
                }
            }
            return out;
        }
        try {
            for (var c : io.certwright.ca.Pem.readCertificates(item.chainPem().getBytes(StandardCharsets.US_ASCII),
                    "chain_pem")) {
                out.add(EncodedCertificate.of(c).der());
                if (out.size() > io.certwright.inventory.Inventory.MAX_CHAIN_LENGTH) {
                    break;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("'chain_pem' must be PEM certificates, leaf first", e);
        }
        return out;
    }

    Reply report(Call call) throws Exception {
        ReportFormat format = optional(call.query("format"), "format", ReportFormat::parse).orElse(ReportFormat.JSON);
        return Reply.text(200, format.mediaType() + "; charset=utf-8", inventory.report(format));
    }

    // ---------------------------------------------------------------- silences and deliveries

    Reply createSilence(Call call) throws Exception {
        InventoryWire.SilenceBody b = Wire.read(call.jsonBody(), InventoryWire.SilenceBody.class);
        if ((b.fingerprint() == null) == (b.owner() == null)) {
            throw malformed("give exactly one of 'fingerprint' and 'owner'");
        }
        if ((b.until() == null) == (b.duration() == null)) {
            throw malformed("give exactly one of 'until' (a time) and 'duration' (such as 24h)");
        }
        Instant now = call.now();
        Instant until = b.until() != null ? parse(b.until(), "until", Instant::parse)
                : now.plus(parse(b.duration(), "duration", Durations::parse));
        if (!until.isAfter(now) || until.isAfter(now.plus(MAX_SILENCE))) {
            throw malformed("a silence must end in the future and within " + Durations.format(MAX_SILENCE));
        }
        Silence.Target target = b.fingerprint() != null ? new Silence.CertificateTarget(fingerprint(b.fingerprint()))
                : new Silence.OwnerTarget(text(b.owner(), "owner", true));
        String reason = b.reason() == null ? "" : text(b.reason(), "reason", false);
        Silence silence = new Silence(UUID.randomUUID(), target, until, reason);
        inventory.addSilence(silence);
        Map<String, String> details = new LinkedHashMap<>();
        switch (target) {
            case Silence.CertificateTarget c -> details.put("fingerprint", c.fingerprint().hex());
            case Silence.OwnerTarget o -> details.put("owner", o.owner());
        }
        details.put("until", until.toString());
        details.put("reason", reason);
        audit.append(AuditEvent.success(call.caller().actor(), "silence.create", silence.id().toString(), details));
        return Reply.json(201, InventoryWire.SilenceView.of(silence));
    }

    Reply listSilences(Call call) {
        return Reply.json(200, new InventoryWire.SilenceList(inventory.silences().stream()
                .map(InventoryWire.SilenceView::of).toList()));
    }

    Reply deleteSilence(Call call) throws Exception {
        String text = call.param("id");
        UUID id;
        try {
            id = UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw notFound("silence " + abbreviate(text));
        }
        if (!inventory.removeSilence(id)) {
            throw notFound("silence " + id);
        }
        audit.append(AuditEvent.success(call.caller().actor(), "silence.delete", id.toString(), Map.of()));
        return Reply.noContent();
    }

    Reply deliveries(Call call) throws Exception {
        int limit = optional(call.query("limit"), "limit", InventoryApi::limit).orElse(100);
        List<DeliveryRecord> records = inventory.deliveries(limit);
        return Reply.json(200, new InventoryWire.DeliveryList(records.stream().map(InventoryWire.Delivery::of).toList()));
    }

    // ---------------------------------------------------------------- decoding

    private static Fingerprint fingerprint(String text) throws ProblemException {
        if (text.length() > 200) {
            throw malformed("not a SHA-256 fingerprint");
        }
        try {
            return Fingerprint.parse(text);
        } catch (IllegalArgumentException e) {
            throw malformed("'" + abbreviate(text) + "' is not a SHA-256 fingerprint (64 hex digits, colons allowed)");
        }
    }

    private static String encodeCursor(Fingerprint fp) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fp.hex().getBytes(StandardCharsets.US_ASCII));
    }

    private static Fingerprint decodeCursor(String cursor) {
        return new Fingerprint(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
    }

    private static int limit(String text) {
        int n = Integer.parseInt(text);
        if (n < 1 || n > 1000) {
            throw new IllegalArgumentException("must be between 1 and 1000");
        }
        return n;
    }

    private static String text(@Nullable String value, String field, boolean required) throws ProblemException {
        if (value == null || (required && value.isBlank())) {
            throw malformed("'" + field + "' is required");
        }
        if (value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
            throw malformed("'" + field + "' must be at most " + MAX_TEXT + " characters without control characters");
        }
        return value.strip();
    }

    private static <T> T parse(@Nullable String text, String field, Function<String, T> parser)
            throws ProblemException {
        if (text == null) {
            throw malformed("'" + field + "' is required");
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw malformed("invalid " + field + ": " + abbreviate(String.valueOf(e.getMessage())));
        }
    }

    private static <T> Optional<T> optional(Optional<String> text, String field, Function<String, T> parser)
            throws ProblemException {
        return text.isEmpty() ? Optional.empty() : Optional.of(parse(text.get(), field, parser));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(ProblemType.MALFORMED_REQUEST, detail);
    }

    private static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " not found");
    }

    /// The places of an entry, for the wire.
    static List<InventoryWire.PlaceView> places(InventoryEntry e) {
        List<InventoryWire.PlaceView> out = new ArrayList<>();
        for (Sighting s : e.sightings()) {
            out.add(InventoryWire.PlaceView.of(s));
        }
        return out;
    }
}
