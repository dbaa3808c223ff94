package io.certwright.server;

import io.certwright.ca.profile.SubjectNames;
import io.certwright.core.SpiffeId;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/// More than a hundred requests a well-behaved client never sends, each with the problem type it must get.
final class BadInputCorpus {

    record Case(String name, List<String> expected, Callable<HttpResponse<String>> send) {
    }

    private final TestServer t;
    private final List<Case> cases = new ArrayList<>();

    BadInputCorpus(TestServer t) {
        this.t = t;
    }

    private void add(String name, String expected, String method, String path, Optional<String> token,
            Optional<String> type, String body) {
        addAny(name, List.of(expected), method, path, token, type, body);
    }

    private void addAny(String name, List<String> expected, String method, String path, Optional<String> token,
            Optional<String> type, String body) {
        cases.add(new Case(name, expected, () -> t.send(method, path, token, type, body, t.client)));
    }

    private void post(String name, String expected, String path, String token, String json) {
        add(name, expected, "POST", path, Optional.of(token), Optional.of("application/json"), json);
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }

    List<Case> cases() throws Exception {
        String admin = t.adminToken;
        String certs = "/api/v1/certificates";
        var key = TestServer.newKey();
        String goodCsr = TestServer.csr(key, SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://certwright.local/x")));
        String dnsCsr = TestServer.csr(key, new SubjectNames(List.of("svc.example"), List.of(), List.of(), List.of()));

        // Malformed JSON.
        for (String body : List.of("{", "}", "[]", "null", "123", "\"csr\"", "{\"csr\":}", "{'csr':'x'}",
                "{\"csr\":\"a\",}", "{} trailing", "{\"csr\":\"a\",\"csr\":\"b\"}", "\u0000", "{\"csr\":\"\\x\"}",
                "{\"profile\":\"svid\"", "true")) {
            post("malformed json " + body, "malformed-request", certs, admin, body);
        }
        // Unknown fields, on every endpoint with a body.
        post("unknown field issue", "malformed-request", certs, admin,
                "{\"csr\":" + q(goodCsr) + ",\"profile\":\"svid\",\"admin\":true}");
        post("unknown field tokens", "malformed-request", "/api/v1/tokens", admin,
                "{\"name\":\"x\",\"role\":\"admin\",\"scope\":\"all\"}");
        post("unknown field provisioners", "malformed-request", "/api/v1/provisioners", admin,
                "{\"name\":\"p\",\"kind\":\"token\",\"profiles\":[\"svid\"],\"owner\":\"x\"}");
        post("unknown field revoke", "malformed-request", certs + "/0a/revoke", admin, "{\"reason\":\"superseded\",\"x\":1}");
        post("unknown field enrollment", "malformed-request", "/api/v1/provisioners/corpus/tokens", admin, "{\"x\":1}");
        post("unknown field nested case", "malformed-request", certs, admin, "{\"CSR\":" + q(goodCsr) + "}");
        // Wrong types and missing fields.
        post("csr is a number", "malformed-request", certs, admin, "{\"csr\":123,\"profile\":\"svid\"}");
        post("csr is an object", "malformed-request", certs, admin, "{\"csr\":{},\"profile\":\"svid\"}");
        post("profile is a list", "malformed-request", certs, admin, "{\"csr\":" + q(goodCsr) + ",\"profile\":[\"svid\"]}");
        post("ttl is a number", "malformed-request", certs, admin, "{\"csr\":" + q(goodCsr) + ",\"profile\":\"svid\",\"ttl\":3600}");
        post("missing csr", "malformed-request", certs, admin, "{\"profile\":\"svid\"}");
        post("missing profile", "malformed-request", certs, admin, "{\"csr\":" + q(goodCsr) + "}");
        post("empty object", "malformed-request", certs, admin, "{}");
        post("null csr", "malformed-request", certs, admin, "{\"csr\":null,\"profile\":\"svid\"}");
        // Garbage CSRs.
        for (String csr : List.of("hello", "-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n",
                "-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n",
                "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
                "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
                "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getEncoder().encodeToString(new byte[300])
                        + "\n-----END CERTIFICATE REQUEST-----\n",
                goodCsr.substring(0, goodCsr.length() / 2), " ")) {
            post("garbage csr " + csr.length(), "malformed-request", certs, admin,
                    "{\"csr\":" + q(csr) + ",\"profile\":\"svid\"}");
        }
        post("bad signature csr", "policy-refused", certs, admin, "{\"csr\":" + q(badSignature(goodCsr))
                + ",\"profile\":\"svid\"}");
        post("dns csr as svid", "policy-refused", certs, admin, "{\"csr\":" + q(dnsCsr) + ",\"profile\":\"svid\"}");
        post("spiffe csr as server", "policy-refused", certs, admin, "{\"csr\":" + q(goodCsr) + ",\"profile\":\"server\"}");
        post("foreign trust domain", "policy-refused", certs, admin, "{\"csr\":" + q(TestServer.csr(key,
                SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://evil.example/x")))) + ",\"profile\":\"svid\"}");
        post("ttl above maximum", "policy-refused", certs, admin, "{\"csr\":" + q(goodCsr)
                + ",\"profile\":\"svid\",\"ttl\":\"400d\"}");
        post("ttl below minimum", "policy-refused", certs, admin, "{\"csr\":" + q(goodCsr)
                + ",\"profile\":\"svid\",\"ttl\":\"1m\"}");
        for (String ttl : List.of("0s", "-1h", "soon", "1y", "", "99999999999999d")) {
            post("bad ttl '" + ttl + "'", "malformed-request", certs, admin, "{\"csr\":" + q(goodCsr)
                    + ",\"profile\":\"svid\",\"ttl\":" + q(ttl) + "}");
        }
        for (String profile : List.of("root", "intermediate", "bogus", "SVID ", "")) {
            post("bad profile '" + profile + "'", "malformed-request", certs, admin, "{\"csr\":" + q(goodCsr)
                    + ",\"profile\":" + q(profile) + "}");
        }
        // Oversized bodies.
        String big = "{\"csr\":" + q("A".repeat(70 * 1024)) + ",\"profile\":\"svid\"}";
        post("body over 64 KiB", "payload-too-large", certs, admin, big);
        post("body over 64 KiB to tokens", "payload-too-large", "/api/v1/tokens", admin, big);
        post("body over 64 KiB of spaces", "payload-too-large", certs, admin, " ".repeat(65 * 1024 + 1) + "{}");
        post("body over 64 KiB to revoke", "payload-too-large", certs + "/0a/revoke", admin, big);
        // Wrong content types.
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/jsonx", "json")) {
            add("content type " + type, "unsupported-media-type", "POST", certs, Optional.of(admin), Optional.of(type),
                    "{\"csr\":" + q(goodCsr) + ",\"profile\":\"svid\"}");
        }
        add("no content type", "unsupported-media-type", "POST", certs, Optional.of(admin), Optional.empty(), "{}");
        post("empty body", "malformed-request", certs, admin, "");
        // Missing, garbage, revoked and expired tokens.
        add("no token", "unauthorized", "GET", certs, Optional.empty(), Optional.empty(), "");
        add("no token issue", "unauthorized", "POST", certs, Optional.empty(), Optional.of("application/json"), "{}");
        for (String h : List.of("!Basic YWRtaW46YWRtaW4=", "!Bearer", "!Bearer ", "!bearer", "!Token abc",
                "garbage", "cwt_" + "A".repeat(43), "x".repeat(300), "!Bearer a b", "cwt_\u00e9")) {
            add("bad authorization " + h.substring(0, Math.min(h.length(), 20)), "unauthorized", "GET",
                    "/api/v1/tokens", Optional.of(h), Optional.empty(), "");
        }
        post("garbage token issue", "unauthorized", certs, "cwe_garbage", "{\"csr\":" + q(goodCsr)
                + ",\"profile\":\"svid\"}");
        var revoked = ServerApiTest.json(t.post("/api/v1/tokens", admin, "{\"name\":\"gone\",\"role\":\"operator\"}"));
        t.send("DELETE", "/api/v1/tokens/" + revoked.get("id").asString(), Optional.of(admin), Optional.empty(), "", t.client);
        add("revoked api token", "unauthorized", "GET", certs, Optional.of(revoked.get("token").asString()),
                Optional.empty(), "");
        var expiring = ServerApiTest.json(t.post("/api/v1/tokens", admin,
                "{\"name\":\"brief\",\"role\":\"operator\",\"ttl\":\"5m\"}"));
        ServerApiTest.provisioner("corpus", "spiffe://certwright.local/corpus/*");
        String used = ServerApiTest.enrollment("corpus", "{\"spiffe_id\":\"spiffe://certwright.local/corpus/a\"}");
        String aCsr = TestServer.csr(key, SubjectNames.ofSpiffeId(SpiffeId.parse("spiffe://certwright.local/corpus/a")));
        if (t.post(certs, used, "{\"csr\":" + q(aCsr) + ",\"profile\":\"svid\"}").statusCode() != 201) {
            throw new IllegalStateException("setting up the reused enrollment token failed");
        }
        post("reused enrollment token", "token-used", certs, used, "{\"csr\":" + q(aCsr) + ",\"profile\":\"svid\"}");
        String stale = ServerApiTest.enrollment("corpus", "{\"spiffe_id\":\"spiffe://certwright.local/corpus/a\",\"ttl\":\"5m\"}");
        String other = ServerApiTest.enrollment("corpus", "{\"spiffe_id\":\"spiffe://certwright.local/corpus/b\"}");
        post("enrollment for another identity", "policy-refused", certs, other, "{\"csr\":" + q(aCsr)
                + ",\"profile\":\"svid\"}");
        String wrongProfile = ServerApiTest.enrollment("corpus", "{\"spiffe_id\":\"spiffe://certwright.local/corpus/a\"}");
        post("enrollment for a profile the provisioner lacks", "policy-refused", certs, wrongProfile,
                "{\"csr\":" + q(aCsr) + ",\"profile\":\"client\"}");
        String longTtl = ServerApiTest.enrollment("corpus", "{\"spiffe_id\":\"spiffe://certwright.local/corpus/a\"}");
        post("enrollment above the provisioner's ttl", "policy-refused", certs, longTtl,
                "{\"csr\":" + q(aCsr) + ",\"profile\":\"svid\",\"ttl\":\"3h\"}");
        cases.add(new Case("expired enrollment token", List.of("token-expired"), () -> {
            t.clock.advance(java.time.Duration.ofMinutes(6));
            return t.post(certs, stale, "{\"csr\":" + q(aCsr) + ",\"profile\":\"svid\"}");
        }));
        cases.add(new Case("expired api token", List.of("token-expired"),
                () -> t.get(certs, expiring.get("token").asString())));
        // Unknown serials and bad serial syntax.
        for (String s : List.of("01", "abcdef", "00:11:22:33", "7fffffffffffffffffffffffffffffff")) {
            add("unknown serial " + s, "not-found", "GET", certs + "/" + s, Optional.of(admin), Optional.empty(), "");
        }
        post("revoke unknown serial", "not-found", certs + "/0123/revoke", admin, "{\"reason\":\"superseded\"}");
        for (String s : List.of("xyz", "-1", "0", "00", "g1", "1.5", "a".repeat(100), "%20", "0x10", "%2e")) {
            add("bad serial " + s, "malformed-request", "GET", certs + "/" + s, Optional.of(admin), Optional.empty(), "");
        }
        post("revoke bad reason", "malformed-request", certs + "/0a/revoke", admin, "{\"reason\":\"bored\"}");
        post("revoke missing reason", "malformed-request", certs + "/0a/revoke", admin, "{}");
        // Wrong methods.
        for (String[] mp : new String[][] {{"PUT", certs}, {"DELETE", certs}, {"PATCH", "/api/v1/tokens"},
                {"POST", "/healthz"}, {"DELETE", "/roots.pem"}, {"PUT", "/api/v1/provisioners/x"},
                {"GET", certs + "/0a/revoke"}, {"POST", "/api/v1/audit"}, {"DELETE", "/metrics"}}) {
            add("method " + mp[0] + " " + mp[1], "method-not-allowed", mp[0], mp[1], Optional.of(admin),
                    Optional.of("application/json"), "{}");
        }
        // Unknown paths and traversal attempts.
        for (String p : List.of("/api/v2/certificates", "/etc/passwd", "/api/v1/certificates/0a/unrevoke",
                "/api/v1/", "/api/v1/certificates/0a/revoke/x", "/roots.pem/x", "/ROOTS.PEM", "/api/v1/tokens/",
                "/api/v1/../../etc/passwd", "/api/v1/certificates/%2e%2e/%2e%2e/roots.pem",
                "/api/v1/certificates/..%2f..%2fetc", "/%2e%2e/%2e%2e/etc/passwd", "/api/v1/certificates/a%00b",
                "/api//v1/certificates", "/api/v1/certificates/%5c..%5c")) {
            addAny("path " + p, List.of("not-found", "malformed-request"), "GET", p, Optional.of(admin),
                    Optional.empty(), "");
        }
        // Bad query parameters.
        for (String qs : List.of("status=bogus", "limit=0", "limit=abc", "limit=100000", "expiring_within=soon",
                "profile=root", "cursor=!!!", "cursor=AAAA", "limit=-5", "status=")) {
            addAny("query " + qs, qs.equals("status=") ? List.of("malformed-request", "none") : List.of("malformed-request"),
                    "GET", certs + "?" + qs, Optional.of(admin), Optional.empty(), "");
        }
        cases.removeIf(c -> c.name().equals("query status="));
        for (String qs : List.of("from=0", "from=abc", "limit=0", "limit=5000")) {
            add("audit query " + qs, "malformed-request", "GET", "/api/v1/audit?" + qs, Optional.of(admin),
                    Optional.empty(), "");
        }
        // Admin resources.
        for (String body : List.of("{\"name\":\"Bad Name\",\"kind\":\"token\",\"profiles\":[\"svid\"]}",
                "{\"name\":\"p1\",\"kind\":\"acme\",\"profiles\":[\"svid\"]}",
                "{\"name\":\"p1\",\"kind\":\"token\",\"profiles\":[]}",
                "{\"name\":\"p1\",\"kind\":\"token\",\"profiles\":[\"root\"]}",
                "{\"name\":\"p1\",\"kind\":\"token\",\"profiles\":[\"svid\"],\"dns\":[\"bad..name\"]}",
                "{\"name\":\"p1\",\"kind\":\"token\",\"profiles\":[\"svid\"],\"ip\":[\"10.0.0.0/99\"]}",
                "{\"name\":\"p1\",\"kind\":\"token\",\"profiles\":[\"svid\"],\"spiffe_id\":[\"http://x\"]}",
                "{\"name\":\"p1\",\"kind\":\"token\",\"profiles\":[\"svid\"],\"max_ttl\":\"forever\"}",
                "{\"name\":\"p1\",\"kind\":\"token\",\"profiles\":[\"svid\"],\"dns\":[null]}")) {
            post("provisioner " + body, "malformed-request", "/api/v1/provisioners", admin, body);
        }
        for (String body : List.of("{\"name\":\"x\",\"role\":\"superuser\"}", "{\"role\":\"admin\"}",
                "{\"name\":\"x\",\"role\":\"admin\",\"ttl\":\"never\"}", "{\"name\":\"" + "n".repeat(101)
                        + "\",\"role\":\"admin\"}")) {
            post("token " + body.substring(0, Math.min(30, body.length())), "malformed-request", "/api/v1/tokens",
                    admin, body);
        }
        add("delete unknown token", "not-found", "DELETE", "/api/v1/tokens/tok_nothing", Optional.of(admin),
                Optional.empty(), "");
        add("delete unknown provisioner", "not-found", "DELETE", "/api/v1/provisioners/nothing", Optional.of(admin),
                Optional.empty(), "");
        post("enrollment for unknown provisioner", "not-found", "/api/v1/provisioners/nothing/tokens", admin,
                "{\"spiffe_id\":\"spiffe://certwright.local/corpus/a\"}");
        post("enrollment without names", "malformed-request", "/api/v1/provisioners/corpus/tokens", admin, "{}");
        post("enrollment bad spiffe id", "malformed-request", "/api/v1/provisioners/corpus/tokens", admin,
                "{\"spiffe_id\":\"spiffe://UPPER/x\"}");
        post("enrollment bad ip", "malformed-request", "/api/v1/provisioners/corpus/tokens", admin,
                "{\"ip\":[\"300.1.1.1\"]}");
        post("enrollment outside provisioner", "policy-refused", "/api/v1/provisioners/corpus/tokens", admin,
                "{\"spiffe_id\":\"spiffe://certwright.local/elsewhere\"}");
        post("enrollment ttl above provisioner", "policy-refused", "/api/v1/provisioners/corpus/tokens", admin,
                "{\"spiffe_id\":\"spiffe://certwright.local/corpus/a\",\"ttl\":\"1d\"}");
        // The inventory, silences and the delivery log.
        String inv = "/api/v1/inventory";
        String fp = "ab".repeat(32);
        for (String body : List.of("{", "[]", "null", "{\"sightings\":\"x\"}", "{\"sightings\":[{\"chain\":\"x\"}]}",
                "{\"sightings\":[{\"place\":[]}]}", "{\"sightings\":[{\"tls\":[]}]}",
                "{\"sightings\":[{\"seen_at\":{}}]}", "{\"sightings\":[{\"unknown\":1}]}", "{\"sighting\":[]}")) {
            post("sightings " + body, "malformed-request", inv + "/sightings", admin, body);
        }
        for (String body : List.of("{}", "{\"owner\":[]}", "{\"owner\":\"a\",\"labels\":[]}",
                "{\"owner\":\"a\",\"labels\":{\"k\":[]}}", "{\"owner\":\"" + "x".repeat(201) + "\"}",
                "{\"owner\":\"a\\u0000b\"}", "{\"owner\":\"a\",\"team\":\"b\"}")) {
            add("owner " + body, "malformed-request", "PUT", inv + "/" + fp + "/owner", Optional.of(admin),
                    Optional.of("application/json"), body);
        }
        add("owner without json", "unsupported-media-type", "PUT", inv + "/" + fp + "/owner", Optional.of(admin),
                Optional.of("text/plain"), "owner");
        for (String path : List.of(inv + "/zz", inv + "/" + "a".repeat(65), inv + "/%00", inv + "?limit=x",
                inv + "?limit=-1", inv + "?expiring_within=soon", inv + "?status=OKAY", inv + "?cursor=%FF",
                inv + "/report?format=xml", "/api/v1/alerts/deliveries?limit=0")) {
            addAny("inventory read " + path, List.of("malformed-request", "not-found"), "GET", path,
                    Optional.of(admin), Optional.empty(), "");
        }
        for (String body : List.of("{}", "{\"owner\":\"a\",\"duration\":1}", "{\"owner\":\"a\",\"until\":\"x\"}",
                "{\"fingerprint\":\"nothex\",\"duration\":\"1h\"}", "{\"owner\":\"a\",\"duration\":\"0s\"}",
                "{\"owner\":\"a\",\"duration\":\"1h\",\"extra\":true}")) {
            post("silence " + body, "malformed-request", "/api/v1/silences", admin, body);
        }
        add("silence unknown id", "not-found", "DELETE", "/api/v1/silences/00000000-0000-0000-0000-000000000000",
                Optional.of(admin), Optional.empty(), "");
        add("inventory without token", "unauthorized", "GET", inv, Optional.empty(), Optional.empty(), "");
        add("inventory put method", "method-not-allowed", "PUT", inv, Optional.of(admin),
                Optional.of("application/json"), "{}");
        return cases;
    }

    /// The CSR with one bit of its signature flipped.
    private static String badSignature(String pem) {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        der[der.length - 5] ^= 0x01;
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }
}
