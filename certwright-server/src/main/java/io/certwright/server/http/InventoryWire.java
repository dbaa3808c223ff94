package io.certwright.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.certwright.core.Durations;
import io.certwright.inventory.CertificateFacts;
import io.certwright.inventory.EncodedCertificate;
import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.Sighting;
import io.certwright.inventory.TlsFacts;
import io.certwright.inventory.alert.DeliveryRecord;
import io.certwright.inventory.alert.Silence;
import io.certwright.inventory.status.CertificateState;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// The JSON vocabulary of the inventory, silence and delivery-log routes; written and read by [Wire]'s mapper
/// (snake_case, unknown fields refused).
final class InventoryWire {

    private InventoryWire() {
    }

    // ------------------------------------------------------------------ requests

    record OwnerBody(@Nullable String owner, @Nullable Map<String, String> labels) {
    }

    record SightingsBody(@Nullable List<SightingItem> sightings) {
    }

    record SightingItem(@Nullable List<String> chain, @Nullable String chainPem, @Nullable String place,
            @Nullable String seenAt, @Nullable Tls tls) {
    }

    record Tls(@Nullable Boolean hostnameMatches, @Nullable Boolean chainTrusted, @Nullable Boolean chainComplete) {

        static Tls of(TlsFacts t) {
            return new Tls(t.hostnameMatches(), t.chainTrusted(), t.chainComplete());
        }
    }

    record SilenceBody(@Nullable String fingerprint, @Nullable String owner, @Nullable String until,
            @Nullable String duration, @Nullable String reason) {
    }

    // ------------------------------------------------------------------ responses

    record Item(String fingerprint, String status, @Nullable String thresholdCrossed, String subject, String issuer,
            List<String> dnsNames, List<String> ipAddresses, List<String> uris, @Nullable String spiffeId,
            String serial, String notBefore, String notAfter, String keyType, int keySize, String signatureAlgorithm,
            String source, @Nullable String revokedAt, @Nullable String owner, Map<String, String> labels,
            String ownerSource, @Nullable String ownerRule, String firstSeen, String lastSeen, List<PlaceView> places,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String certificate,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> chain) {

        static Item of(CertificateState s, boolean withPem) {
            InventoryEntry e = s.entry();
            CertificateFacts f = e.facts();
            return new Item(e.fingerprint().hex(), s.status().wireName(),
                    s.crossedThreshold().map(Durations::format).orElse(null), f.subject(), f.issuer(), f.dnsNames(),
                    f.ipAddresses(), f.uris(), f.spiffeId().orElse(null), f.serialHex(), f.notBefore().toString(),
                    f.notAfter().toString(), f.keyType(), f.keySize(), f.signatureAlgorithm(),
                    e.issuedByUs() ? "issued" : "discovered", e.revokedAt().map(Object::toString).orElse(null),
                    e.ownership().owner().orElse(null), e.ownership().labels(),
                    e.ownership().source().name().toLowerCase(java.util.Locale.ROOT),
                    e.ownership().rule().orElse(null), e.firstSeen().toString(), e.lastSeen().toString(),
                    InventoryApi.places(e), withPem ? e.certificate().pem() : null,
                    withPem ? e.chain().stream().map(EncodedCertificate::pem).toList() : null);
        }
    }

    record PlaceView(String place, String display, String firstSeen, String lastSeen, @Nullable Tls tls) {

        static PlaceView of(Sighting s) {
            return new PlaceView(s.place().key(), s.place().display(), s.firstSeen().toString(),
                    s.lastSeen().toString(), s.tls().map(Tls::of).orElse(null));
        }
    }

    record ItemList(List<Item> items, @Nullable String nextCursor, String statusesAt) {
    }

    record Rejected(int index, String reason) {
    }

    record SightingsResult(int accepted, int added, int updated, List<Rejected> rejected) {
    }

    record SilenceView(String id, @Nullable String fingerprint, @Nullable String owner, String until, String reason) {

        static SilenceView of(Silence s) {
            return switch (s.target()) {
                case Silence.CertificateTarget c -> new SilenceView(s.id().toString(), c.fingerprint().hex(), null,
                        s.until().toString(), s.reason());
                case Silence.OwnerTarget o -> new SilenceView(s.id().toString(), null, o.owner(), s.until().toString(),
                        s.reason());
            };
        }
    }

    record SilenceList(List<SilenceView> items) {
    }

    record Delivery(String at, String notificationId, String kind, String channelType, String channel, String target,
            String outcome, int attempts, @Nullable String error) {

        static Delivery of(DeliveryRecord r) {
            return new Delivery(r.at().toString(), r.notificationId(), r.kind().wireName(), r.channelType(),
                    r.channel(), r.target(), r.outcome().wireName(), r.attempts(), r.error().orElse(null));
        }
    }

    record DeliveryList(List<Delivery> items) {
    }
}
