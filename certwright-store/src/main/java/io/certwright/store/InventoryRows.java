package io.certwright.store;

import io.certwright.inventory.CertificateFacts;
import io.certwright.inventory.EncodedCertificate;
import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.InventoryEntry;
import io.certwright.inventory.Ownership;
import io.certwright.inventory.Place;
import io.certwright.inventory.Sighting;
import io.certwright.inventory.TlsFacts;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/// Conversions between [InventoryEntry] and a row of `inventory_certificates`.
///
/// The certificate's DER and chain are blobs; the facts (but notAfter, a column of its own), the ownership
/// and the sightings are one ASCII JSON document in `details`, so a row is read with one parse and written
/// with one statement. Times are epoch milliseconds, as everywhere in the store. Reading checks what the
/// domain types check (a fingerprint that matches the DER, sightings that end after they begin), so a damaged
/// row is reported, never returned.
final class InventoryRows {

    /// The columns [#entry] reads, in the order the store selects them.
    static final String COLUMNS = "fingerprint, version, not_after, issued_by_us, revoked_at, first_seen, "
            + "last_seen, details, der, chain";

    private InventoryRows() {
    }

    /// The JSON document of `entry`'s facts (without fingerprint and notAfter), ownership and sightings.
    static String details(InventoryEntry entry) {
        CertificateFacts f = entry.facts();
        ObjectNode d = Codec.ASCII_JSON.createObjectNode();
        d.put("subject", f.subject());
        d.put("issuer", f.issuer());
        strings(d.putArray("dnsNames"), f.dnsNames());
        strings(d.putArray("ipAddresses"), f.ipAddresses());
        strings(d.putArray("uris"), f.uris());
        f.spiffeId().ifPresent(v -> d.put("spiffeId", v));
        d.put("serial", f.serialHex());
        d.put("notBefore", f.notBefore().toEpochMilli());
        d.put("keyType", f.keyType());
        d.put("keySize", f.keySize());
        d.put("signatureAlgorithm", f.signatureAlgorithm());
        d.put("publicKey", f.publicKeyFingerprint().hex());
        f.authorityKeyId().ifPresent(v -> d.put("authorityKeyId", v));
        f.subjectKeyId().ifPresent(v -> d.put("subjectKeyId", v));
        d.put("selfSigned", f.selfSigned());
        d.put("ca", f.ca());
        Ownership o = entry.ownership();
        ObjectNode ownership = d.putObject("ownership");
        o.owner().ifPresent(v -> ownership.put("owner", v));
        // Pairs rather than an object: a JSON parser refuses unpaired surrogates in names, not in values.
        ArrayNode labels = ownership.putArray("labels");
        o.labels().forEach((k, v) -> labels.addArray().add(k).add(v));
        ownership.put("source", o.source().name().toLowerCase(Locale.ROOT));
        o.rule().ifPresent(v -> ownership.put("rule", v));
        ArrayNode sightings = d.putArray("sightings");
        for (Sighting s : entry.sightings()) {
            ObjectNode n = sightings.addObject();
            n.put("place", s.place().key());
            n.put("firstSeen", s.firstSeen().toEpochMilli());
            n.put("lastSeen", s.lastSeen().toEpochMilli());
            s.tls().ifPresent(t -> n.putObject("tls")
                    .put("hostnameMatches", t.hostnameMatches())
                    .put("chainTrusted", t.chainTrusted())
                    .put("chainComplete", t.chainComplete()));
        }
        return Codec.ASCII_JSON.writeValueAsString(d);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /// The chain as one blob: each certificate's DER preceded by its length in four bytes, big-endian.
    static byte[] chain(List<EncodedCertificate> chain) {
        int size = 0;
        for (EncodedCertificate c : chain) {
            size += Integer.BYTES + c.length();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (EncodedCertificate c : chain) {
            out.putInt(c.length()).put(c.der());
        }
        return out.array();
    }

    /// The chain [#chain(List)] wrote.
    static List<EncodedCertificate> chain(byte[] blob) throws SQLException {
        List<EncodedCertificate> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(blob);
        while (in.hasRemaining()) {
            if (in.remaining() < Integer.BYTES) {
                throw new SQLException("truncated certificate chain in the inventory");
            }
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new SQLException("truncated certificate chain in the inventory");
            }
            byte[] der = new byte[length];
            in.get(der);
            out.add(EncodedCertificate.of(der));
        }
        return out;
    }

    /// The entry in the current row of `rs`, which selected [#COLUMNS].
    ///
    /// @throws SQLException if the row is damaged
    static InventoryEntry entry(ResultSet rs) throws SQLException {
        String fingerprint = Codec.string(rs, "fingerprint");
        byte[] der = rs.getBytes("der");
        byte[] chain = rs.getBytes("chain");
        if (der == null || chain == null) {
            throw new SQLException("inventory row " + fingerprint + " has no certificate");
        }
        JsonNode d = Codec.tree(Codec.string(rs, "details"));
        try {
            CertificateFacts facts = new CertificateFacts(new Fingerprint(fingerprint), text(d, "subject"),
                    text(d, "issuer"), strings(d, "dnsNames"), strings(d, "ipAddresses"), strings(d, "uris"),
                    optional(d, "spiffeId"), text(d, "serial"), Instant.ofEpochMilli(number(d, "notBefore")),
                    Codec.instant(rs, "not_after"), text(d, "keyType"), (int) number(d, "keySize"),
                    text(d, "signatureAlgorithm"), new Fingerprint(text(d, "publicKey")),
                    optional(d, "authorityKeyId"), optional(d, "subjectKeyId"), bool(d, "selfSigned"),
                    bool(d, "ca"));
            return new InventoryEntry(facts, EncodedCertificate.of(der), chain(chain), rs.getInt("issued_by_us") != 0,
                    Codec.optionalInstant(rs, "revoked_at"), sightings(field(d, "sightings")),
                    ownership(field(d, "ownership")), Codec.instant(rs, "first_seen"), Codec.instant(rs, "last_seen"),
                    rs.getLong("version"));
        } catch (IllegalArgumentException e) {
            throw new SQLException("malformed inventory row " + fingerprint + ": " + e.getMessage(), e);
        }
    }

    private static Ownership ownership(JsonNode o) throws SQLException {
        TreeMap<String, String> labels = new TreeMap<>();
        for (JsonNode pair : field(o, "labels")) {
            if (pair.size() != 2) {
                throw new SQLException("inventory details hold a malformed label");
            }
            labels.put(pair.get(0).asString(), pair.get(1).asString());
        }
        Ownership.Source source = Ownership.Source.valueOf(text(o, "source").toUpperCase(Locale.ROOT));
        return new Ownership(optional(o, "owner"), labels, source, optional(o, "rule"));
    }

    private static List<Sighting> sightings(JsonNode array) throws SQLException {
        List<Sighting> out = new ArrayList<>(array.size());
        for (JsonNode s : array) {
            JsonNode tls = s.get("tls");
            Optional<TlsFacts> facts = tls == null ? Optional.empty() : Optional.of(new TlsFacts(
                    bool(tls, "hostnameMatches"), bool(tls, "chainTrusted"), bool(tls, "chainComplete")));
            out.add(new Sighting(Place.parse(text(s, "place")), Instant.ofEpochMilli(number(s, "firstSeen")),
                    Instant.ofEpochMilli(number(s, "lastSeen")), facts));
        }
        return out;
    }

    private static JsonNode field(JsonNode node, String name) throws SQLException {
        @Nullable JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new SQLException("inventory details lack '" + name + "'");
        }
        return v;
    }

    private static String text(JsonNode node, String name) throws SQLException {
        return field(node, name).asString();
    }

    private static Optional<String> optional(JsonNode node, String name) {
        @Nullable JsonNode v = node.get(name);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asString());
    }

    private static long number(JsonNode node, String name) throws SQLException {
        return field(node, name).asLong();
    }

    private static boolean bool(JsonNode node, String name) throws SQLException {
        return field(node, name).asBoolean();
    }

    private static List<String> strings(JsonNode node, String name) throws SQLException {
        return Codec.strings(field(node, name));
    }
}
