package io.certwright.server.http;

import io.certwright.acme.EabCredentials;
import io.certwright.acme.ari.RenewalOverrides;
import io.certwright.acme.ari.RenewalWindow;
import io.certwright.acme.engine.AcmeRequest;
import io.certwright.acme.engine.AcmeResponse;
import io.certwright.acme.store.EabKey;
import io.certwright.acme.store.RenewalOverride;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.audit.AuditLog;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.core.SerialNumber;
import io.certwright.server.acme.AcmeWiring;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.jspecify.annotations.Nullable;

/// Puts the ACME server on the HTTPS listener.
///
/// Every `GET`, `HEAD` and `POST` under `/acme/` is handed to the engine as it came (method, path,
/// headers, body, client address), and its answer written back as it gave it: the engine authenticates
/// requests itself (JWS), so those routes are public, and it answers bad input, an oversized body included,
/// with ACME problem documents. Under `/api/v1/acme/` administrators manage external account binding keys
/// and pull renewal windows earlier.
final class AcmeRoutes {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final AtomicReference<AcmeWiring.@Nullable Parts> parts = new AtomicReference<>();
    private final int maxBodyBytes;
    private final AuditLog audit;

    AcmeRoutes(int maxBodyBytes, AuditLog audit) {
        this.maxBodyBytes = maxBodyBytes;
        this.audit = audit;
    }

    /// Starts serving through `ready` (made once the listener's port is known, since every ACME URL carries
    /// it).
    void serve(AcmeWiring.Parts ready) {
        parts.set(ready);
    }

    List<Routes.Route> routes() {
        return List.of(new Routes.Route("GET", "/acme/{rest}", Access.PUBLIC, this::handle, true),
                new Routes.Route("HEAD", "/acme/{rest}", Access.PUBLIC, this::handle, true),
                new Routes.Route("POST", "/acme/{rest}", Access.PUBLIC, this::handle, true),
                new Routes.Route("POST", "/api/v1/acme/eab", Access.ADMIN, this::createEab),
                new Routes.Route("GET", "/api/v1/acme/eab", Access.ADMIN, this::listEab),
                new Routes.Route("DELETE", "/api/v1/acme/eab/{id}", Access.ADMIN, this::deleteEab),
                new Routes.Route("POST", "/api/v1/acme/renewal-windows", Access.ADMIN, this::pullRenewalWindows));
    }

    private AcmeWiring.Parts parts() throws ProblemException {
        AcmeWiring.Parts ready = parts.get();
        if (ready == null) {
            throw new ProblemException(ProblemType.NOT_READY, "the ACME server is starting");
        }
        return ready;
    }

    private Reply handle(Call call) throws ProblemException {
        AcmeWiring.Parts ready = parts();
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField f : call.headers()) {
            headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
        }
        byte[] body;
        try {
            body = call.method().equals("POST") ? call.rawBody(maxBodyBytes) : new byte[0];
        } catch (ProblemException e) {
            // Too large: the engine refuses a body over its limit in ACME's own terms, so it is handed one
            // byte more than that (the rest was not read).
            body = new byte[maxBodyBytes + 1];
        }
        AcmeResponse r = ready.server().handle(new AcmeRequest(call.method(), call.path(), headers, body,
                call.address()));
        Map<String, String> single = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<Map.Entry<String, String>> repeated = new ArrayList<>();
        for (AcmeResponse.Header h : r.headers()) {
            if (h.name().equalsIgnoreCase("Content-Type") || h.name().equalsIgnoreCase("Cache-Control")) {
                continue;
            }
            if (r.headers(h.name()).size() > 1) {
                repeated.add(Map.entry(h.name(), h.value()));
            } else {
                single.put(h.name(), h.value());
            }
        }
        return new Reply(r.status(), r.contentType().orElse(""), r.body(), single, repeated);
    }

    record EabBody(@Nullable String provisioner) {
    }

    record CreatedEab(String keyId, String hmacKey, String provisioner) {
    }

    record EabView(String keyId, String provisioner, String createdAt, @Nullable String boundAccount) {
        static EabView of(EabKey k) {
            return new EabView(k.keyId(), k.provisioner(), k.createdAt().toString(), k.boundAccount().orElse(null));
        }
    }

    record EabList(List<EabView> keys) {
    }

    record RenewalWindowBody(@Nullable String serial, @Nullable String issuerKeyId, @Nullable String issuedBefore,
            @Nullable String windowStart, @Nullable String windowEnd, @Nullable String explanationUrl) {
    }

    record OverrideView(String id, @Nullable String serial, @Nullable String issuerKeyId, String issuedBefore,
            String windowStart, String windowEnd, @Nullable String explanationUrl) {
        static OverrideView of(RenewalOverride o) {
            return new OverrideView(o.id(), o.serial().orElse(null), o.issuerKeyId().orElse(null),
                    o.issuedBefore().toString(), o.windowStart().toString(), o.windowEnd().toString(),
                    o.explanationUrl().orElse(null));
        }
    }

    private Reply createEab(Call call) throws Exception {
        AcmeWiring.Parts ready = parts();
        EabBody body = Wire.read(call.jsonBody(), EabBody.class);
        String provisioner = body.provisioner();
        if (provisioner == null || !ready.provisioners().contains(provisioner)) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "provisioner must name a configured ACME "
                    + "provisioner: " + String.join(", ", ready.provisioners()));
        }
        EabCredentials created = ready.eabKeys().create(provisioner);
        audit.append(AuditEvent.success(call.caller().actor(), "acme.eab.create", created.keyId(),
                Map.of("provisioner", provisioner)));
        return Reply.json(201, new CreatedEab(created.keyId(), created.hmacKeyBase64Url(), provisioner));
    }

    private Reply listEab(Call call) throws Exception {
        AcmeWiring.Parts ready = parts();
        Optional<String> provisioner = call.query("provisioner");
        return Reply.json(200, new EabList(ready.eabKeys().list(provisioner).stream().map(EabView::of).toList()));
    }

    private Reply deleteEab(Call call) throws Exception {
        AcmeWiring.Parts ready = parts();
        String id = call.param("id");
        if (!KEY_ID.matcher(id).matches() || !ready.eabKeys().delete(id)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no EAB key " + (KEY_ID.matcher(id).matches() ? id
                    : "with that id"));
        }
        audit.append(AuditEvent.success(call.caller().actor(), "acme.eab.delete", id, Map.of()));
        return Reply.noContent();
    }

    private Reply pullRenewalWindows(Call call) throws Exception {
        AcmeWiring.Parts ready = parts();
        RenewalWindowBody b = Wire.read(call.jsonBody(), RenewalWindowBody.class);
        Optional<SerialNumber> serial = Optional.empty();
        Optional<KeyIdentifier> issuer = Optional.empty();
        try {
            if (b.serial() != null) {
                serial = Optional.of(SerialNumber.parseHex(b.serial()));
            }
            if (b.issuerKeyId() != null) {
                issuer = Optional.of(KeyIdentifier.parse(b.issuerKeyId()));
            }
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, String.valueOf(e.getMessage()));
        }
        Instant issuedBefore = b.issuedBefore() == null ? call.now() : instant(b.issuedBefore(), "issued_before");
        RenewalWindow window;
        try {
            window = new RenewalWindow(instant(b.windowStart(), "window_start"), instant(b.windowEnd(), "window_end"),
                    Optional.ofNullable(b.explanationUrl()));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, String.valueOf(e.getMessage()));
        }
        RenewalOverride o = ready.renewals().pullRenewalWindows(call.caller().actor(),
                new RenewalOverrides.Selector(serial, issuer, issuedBefore), window);
        return Reply.json(201, OverrideView.of(o));
    }

    private static Instant instant(@Nullable String text, String field) throws ProblemException {
        if (text == null) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, field + " is required (RFC 3339 time)");
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, field + " is not an RFC 3339 time: " + text);
        }
    }
}
