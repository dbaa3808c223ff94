package io.certwright.acme.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.acme.AcmeProblemType;
import io.certwright.ca.audit.AuditEvent;
import tools.jackson.databind.JsonNode;

/// Assertions on refused requests: the problem document, its status, a fresh nonce, and the audit entry.
final class Refusals {

    private Refusals() {
    }

    static JsonNode assertRefused(AcmeHarness h, AcmeResponse r, AcmeProblemType type, int status) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(status);
        assertThat(r.contentType()).contains("application/problem+json");
        JsonNode p = AcmeClient.json(r);
        assertThat(p.get("type").asString()).as(r.bodyText()).isEqualTo(type.urn());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("detail").asString()).isNotBlank();
        assertThat(r.header("Replay-Nonce")).isPresent();
        AuditEvent last = h.audit.refusals().getLast();
        assertThat(last.details()).containsEntry("type", type.urn());
        return p;
    }
}
