package io.certwright.acme.ari;

import io.certwright.acme.AcmeAudit;
import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.AcmeStoreException;
import io.certwright.acme.store.RenewalOverride;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.core.SerialNumber;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/// The administrator's side of renewal information: pulling the renewal windows of selected certificates
/// forward, for instance ahead of a CA rotation. Every ACME client that polls renewal information then sees
/// the new window.
public final class RenewalOverrides {

    /// Which certificates an override applies to.
    ///
    /// @param serial only this certificate
    /// @param issuerKeyId only certificates signed by this key
    /// @param issuedBefore only certificates issued before this instant
    public record Selector(Optional<SerialNumber> serial, Optional<KeyIdentifier> issuerKeyId, Instant issuedBefore) {

        /// Checks the components.
        public Selector {
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(issuerKeyId, "issuerKeyId");
            Objects.requireNonNull(issuedBefore, "issuedBefore");
        }
    }

    private final AcmeStore store;
    private final AcmeAudit audit;
    private final Clock clock;
    private final SecureRandom random;

    /// Overrides kept in `store`, audited through `audit`.
    public RenewalOverrides(AcmeStore store, AcmeAudit audit, Clock clock, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /// Gives every certificate `selector` takes the renewal window `window`, from now on.
    ///
    /// @param actor the administrator, for the audit log
    public RenewalOverride pullRenewalWindows(String actor, Selector selector, RenewalWindow window)
            throws AcmeStoreException {
        byte[] id = new byte[8];
        random.nextBytes(id);
        RenewalOverride override = new RenewalOverride("ari-" + HexFormat.of().formatHex(id),
                selector.serial().map(SerialNumber::hex), selector.issuerKeyId().map(KeyIdentifier::hex),
                selector.issuedBefore(), window.start(), window.end(), window.explanationUrl(), clock.instant());
        store.addRenewalOverride(override);
        Map<String, String> details = new LinkedHashMap<>();
        override.serial().ifPresent(s -> details.put("serial", s));
        override.issuerKeyId().ifPresent(k -> details.put("issuer_key_id", k));
        details.put("issued_before", override.issuedBefore().toString());
        details.put("window_start", window.start().toString());
        details.put("window_end", window.end().toString());
        audit.record(AuditEvent.success(actor, "acme.renewal-window.pull", override.id(), details));
        return override;
    }
}
