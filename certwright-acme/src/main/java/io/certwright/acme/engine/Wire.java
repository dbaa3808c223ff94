package io.certwright.acme.engine;

import io.certwright.acme.AcmeJson;
import io.certwright.acme.AcmeProblem;
import io.certwright.acme.AcmeProvisionerSettings;
import io.certwright.acme.store.Account;
import io.certwright.acme.store.Authorization;
import io.certwright.acme.store.Challenge;
import io.certwright.acme.store.Identifier;
import io.certwright.acme.store.Order;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/// The JSON of ACME resources (RFC 8555 section 7.1) and problem documents.
final class Wire {

    private Wire() {
    }

    static ObjectNode object() {
        return AcmeJson.MAPPER.createObjectNode();
    }

    static ObjectNode directory(AcmeProvisionerSettings p, Urls urls) {
        ObjectNode d = object();
        d.put("newNonce", urls.newNonce());
        d.put("newAccount", urls.newAccount());
        d.put("newOrder", urls.newOrder());
        d.put("revokeCert", urls.revokeCert());
        d.put("keyChange", urls.keyChange());
        d.put("renewalInfo", urls.renewalInfo());
        ObjectNode meta = d.putObject("meta");
        p.termsOfService().ifPresent(t -> meta.put("termsOfService", t.toString()));
        p.website().ifPresent(w -> meta.put("website", w.toString()));
        if (!p.caaIdentities().isEmpty()) {
            ArrayNode caa = meta.putArray("caaIdentities");
            p.caaIdentities().forEach(caa::add);
        }
        meta.put("externalAccountRequired", p.eabRequired());
        return d;
    }

    /// The account object (RFC 8555 section 7.1.2); `termsOfServiceAgreed` is there when the client agreed.
    static ObjectNode account(Account a, Urls urls) {
        ObjectNode n = object();
        n.put("status", a.status().wire());
        ArrayNode contact = n.putArray("contact");
        a.contacts().forEach(contact::add);
        if (a.termsOfServiceAgreed()) {
            n.put("termsOfServiceAgreed", true);
        }
        n.put("orders", urls.orders(a.id()));
        return n;
    }

    static ObjectNode identifier(Identifier id) {
        ObjectNode n = object();
        n.put("type", id.type().wire());
        n.put("value", id.value());
        return n;
    }

    static ObjectNode order(Order o, Urls urls) {
        ObjectNode n = object();
        n.put("status", o.status().wire());
        n.put("expires", o.expires().toString());
        ArrayNode ids = n.putArray("identifiers");
        o.identifiers().forEach(i -> ids.add(identifier(i)));
        o.notBefore().ifPresent(t -> n.put("notBefore", t.toString()));
        o.notAfter().ifPresent(t -> n.put("notAfter", t.toString()));
        o.error().ifPresent(e -> n.set("error", stored(e)));
        ArrayNode authz = n.putArray("authorizations");
        o.authorizationIds().forEach(a -> authz.add(urls.authz(a)));
        n.put("finalize", urls.finalizeOrder(o.id()));
        o.certificateSerial().ifPresent(s -> n.put("certificate", urls.certificate(s)));
        o.replaces().ifPresent(r -> n.put("replaces", r));
        return n;
    }

    static ObjectNode authorization(Authorization a, Urls urls) {
        ObjectNode n = object();
        n.set("identifier", identifier(a.identifier()));
        n.put("status", a.status().wire());
        n.put("expires", a.expires().toString());
        ArrayNode ch = n.putArray("challenges");
        a.challenges().forEach(c -> ch.add(challenge(c, a.id(), urls)));
        if (a.wildcard()) {
            n.put("wildcard", true);
        }
        return n;
    }

    static ObjectNode challenge(Challenge c, String authzId, Urls urls) {
        ObjectNode n = object();
        n.put("type", c.type());
        n.put("url", urls.challenge(authzId, c.id()));
        n.put("status", c.status().wire());
        n.put("token", c.token());
        c.validated().ifPresent(v -> n.put("validated", v.toString()));
        c.error().ifPresent(e -> n.set("error", stored(e)));
        return n;
    }

    static ObjectNode problem(AcmeProblem p) {
        ObjectNode n = object();
        n.put("type", p.type().urn());
        n.put("detail", p.detail());
        n.put("status", p.status());
        p.identifier().ifPresent(i -> n.set("identifier", identifier(i)));
        if (!p.algorithms().isEmpty()) {
            ArrayNode algs = n.putArray("algorithms");
            p.algorithms().forEach(algs::add);
        }
        if (!p.subproblems().isEmpty()) {
            ArrayNode subs = n.putArray("subproblems");
            p.subproblems().forEach(s -> subs.add(problem(s)));
        }
        return n;
    }

    /// A problem document as kept in the store.
    static String store(AcmeProblem p) {
        return AcmeJson.MAPPER.writeValueAsString(problem(p));
    }

    private static JsonNode stored(String json) {
        return AcmeJson.MAPPER.readTree(json);
    }
}
