package io.certwright.store;

import io.certwright.ca.access.Provisioner;
import io.certwright.ca.policy.DnsPattern;
import io.certwright.ca.policy.GlobPattern;
import io.certwright.ca.policy.IpRange;
import io.certwright.ca.policy.SanPolicy;
import io.certwright.ca.policy.SpiffeIdPattern;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/// JSON forms of provisioners and subject names as stored. Name patterns are kept in their text form
/// (`parse` and `toString` of each pattern type round-trip), durations in ISO-8601.
///
/// ```json
/// {"type":"token","name":"enroll","profiles":["svid"],"maxLifetime":"PT24H","tokenLifetime":"PT1H",
///  "names":{"dns":["*.svc.example.com"],"ips":["10.0.0.0/8"],"spiffeIds":["spiffe://example.org/**"],
///           "uris":[],"emails":[]}}
/// ```
final class ProvisionerJson {

    static final String TOKEN = "token";
    static final String RENEW = "renew";

    private ProvisionerJson() {
    }

    static String kind(Provisioner p) {
        return switch (p) {
            case Provisioner.Token t -> TOKEN;
            case Provisioner.Renew r -> RENEW;
        };
    }

    static String write(Provisioner p) {
        ObjectNode o = Codec.JSON.createObjectNode();
        o.put("type", kind(p));
        o.put("name", p.name());
        ObjectNode names = o.putObject("names");
        SanPolicy policy = p.names();
        strings(names.putArray("dns"), policy.dns());
        strings(names.putArray("ips"), policy.ips());
        strings(names.putArray("spiffeIds"), policy.spiffeIds());
        strings(names.putArray("uris"), policy.uris());
        strings(names.putArray("emails"), policy.emails());
        ArrayNode profiles = o.putArray("profiles");
        p.profiles().stream().map(Profile::wireName).sorted().forEach(profiles::add);
        o.put("maxLifetime", p.maxLifetime().toString());
        if (p instanceof Provisioner.Token t) {
            o.put("tokenLifetime", t.tokenLifetime().toString());
        }
        return Codec.JSON.writeValueAsString(o);
    }

    static Provisioner read(String json) throws SQLException {
        JsonNode o = Codec.tree(json);
        try {
            String type = required(o, "type").asString();
            String name = required(o, "name").asString();
            JsonNode n = required(o, "names");
            SanPolicy policy = new SanPolicy(
                    Codec.strings(required(n, "dns")).stream().map(DnsPattern::parse).toList(),
                    Codec.strings(required(n, "ips")).stream().map(IpRange::parse).toList(),
                    Codec.strings(required(n, "spiffeIds")).stream().map(SpiffeIdPattern::parse).toList(),
                    Codec.strings(required(n, "uris")).stream().map(GlobPattern::parse).toList(),
                    Codec.strings(required(n, "emails")).stream().map(GlobPattern::parse).toList());
            Set<Profile> profiles = Codec.strings(required(o, "profiles")).stream().map(Codec::profile)
                    .collect(Collectors.toSet());
            Duration maxLifetime = Duration.parse(required(o, "maxLifetime").asString());
            return switch (type) {
                case TOKEN -> new Provisioner.Token(name, policy, profiles, maxLifetime,
                        Duration.parse(required(o, "tokenLifetime").asString()));
                case RENEW -> new Provisioner.Renew(name, policy, profiles, maxLifetime);
                default -> throw new IllegalArgumentException("unknown provisioner type '" + type + "'");
            };
        } catch (RuntimeException e) {
            throw new SQLException("malformed provisioner in the database: " + e.getMessage(), e);
        }
    }

    static String writeNames(SubjectNames names) {
        ObjectNode o = Codec.JSON.createObjectNode();
        ArrayNode dns = o.putArray("dns");
        names.dns().forEach(dns::add);
        ArrayNode ips = o.putArray("ips");
        names.ips().forEach(ip -> ips.add(ip.getHostAddress()));
        ArrayNode uris = o.putArray("uris");
        names.uris().forEach(u -> uris.add(u.toString()));
        ArrayNode emails = o.putArray("emails");
        names.emails().forEach(emails::add);
        return Codec.JSON.writeValueAsString(o);
    }

    static SubjectNames readNames(String json) throws SQLException {
        JsonNode o = Codec.tree(json);
        try {
            return new SubjectNames(
                    Codec.strings(required(o, "dns")),
                    Codec.strings(required(o, "ips")).stream().map(IpRange::parseLiteral).toList(),
                    Codec.strings(required(o, "uris")).stream().map(URI::create).toList(),
                    Codec.strings(required(o, "emails")));
        } catch (RuntimeException e) {
            throw new SQLException("malformed names in the database: " + e.getMessage(), e);
        }
    }

    private static void strings(ArrayNode into, List<?> patterns) {
        patterns.forEach(p -> into.add(p.toString()));
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        return v;
    }
}
