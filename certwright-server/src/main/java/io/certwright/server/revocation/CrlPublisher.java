package io.certwright.server.revocation;

import io.certwright.ca.PublicUrls;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.CrlPublication;
import io.certwright.ca.registry.CrlRepository;
import io.certwright.ca.registry.KeyIdentifier;
import io.certwright.ca.registry.PublishedCrl;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.revocation.CertificateRevocationList;
import io.certwright.ca.revocation.CrlEntry;
import io.certwright.ca.revocation.CrlSigner;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// Keeps the CRL of one CA current and hands out the one to serve.
///
/// **Numbers.** A new CRL gets the number of the latest one in the database plus one, and is stored with
/// [CrlRepository#publish], which accepts exactly that number once. When another replica published that
/// number first, its CRL is adopted; if it was made before this replica started building (so it may miss a
/// revocation this replica is publishing for), a CRL with the next number is built, up to
/// [#MAX_ATTEMPTS] times. Numbers therefore never go backwards and no two CRLs share one.
///
/// **When.** [#publish] runs after revocations on this replica (debounced by the caller), and [#tick] runs
/// every second: it notices revocations made elsewhere through [CertificateRepository#revocationSequence],
/// adopts newer CRLs from the database, publishes when a third of the CRL's lifetime is left, and publishes
/// when a revocation seen here has not reached a CRL a few seconds later (the replica that revoked it went
/// away before publishing).
///
/// Without the CA's key (a root kept offline) nothing is signed: the latest CRL in the database is served
/// for as long as it is valid. Thread-safe.
final class CrlPublisher {

    /// Publication attempts for one call of [#publish] when other replicas keep winning the number.
    static final int MAX_ATTEMPTS = 3;
    /// How long a revocation seen through the counter may wait for the replica that made it to publish.
    static final Duration ADOPTION_WAIT = Duration.ofSeconds(3);
    /// How often the latest CRL is read from the database when nothing is known to have changed, in ticks.
    static final int POLL_EVERY_TICKS = 5;

    private final String role;
    private final X509Certificate ca;
    private final String caId;
    private final KeyIdentifier keyId;
    private final Optional<CrlSigner> signer;
    private final CertificateRepository registry;
    private final CrlRepository crls;
    private final Clock clock;
    private final Duration lifetime;
    private final Duration grace;

    private volatile @Nullable ServedCrl served;
    /// Revocation counter of the CA's key as last read by [#tick].
    private long seenSequence = -1;
    /// The counter value the served CRL is known to include.
    private long coveredSequence = -1;
    /// When [#tick] first saw the counter move past [#coveredSequence]; null when nothing is pending.
    private @Nullable Instant changeSeenAt;
    private int ticks;

    CrlPublisher(String role, X509Certificate ca, Optional<CrlSigner> signer, CertificateRepository registry,
            CrlRepository crls, Clock clock, Duration lifetime, Duration grace) {
        this.role = Objects.requireNonNull(role, "role");
        this.ca = Objects.requireNonNull(ca, "ca");
        this.caId = PublicUrls.caId(ca);
        this.keyId = KeyIdentifier.subjectKeyOf(ca);
        this.signer = Objects.requireNonNull(signer, "signer");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.crls = Objects.requireNonNull(crls, "crls");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.grace = Objects.requireNonNull(grace, "grace");
    }

    String role() {
        return role;
    }

    String caId() {
        return caId;
    }

    X509Certificate ca() {
        return ca;
    }

    KeyIdentifier keyId() {
        return keyId;
    }

    /// Whether this replica can sign this CA's CRLs.
    boolean canSign() {
        return signer.isPresent();
    }

    /// The CRL to serve now; empty before the first one exists.
    Optional<ServedCrl> served() {
        return Optional.ofNullable(served);
    }

    /// Builds, signs and publishes a CRL with every revoked certificate of this CA that has not been expired
    /// for longer than the grace; without a key, adopts the latest CRL in the database instead.
    ///
    /// @return the CRL served afterwards
    synchronized Optional<ServedCrl> publish() throws RegistryException, GeneralSecurityException {
        if (signer.isEmpty()) {
            crls.latest(caId).ifPresent(this::adopt);
            return served();
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            // The counter is read before the entries, so the CRL includes at least what it counts.
            long sequence = registry.revocationSequence(keyId);
            Instant started = clock.instant();
            Optional<PublishedCrl> latest = crls.latest(caId);
            BigInteger number = latest.map(c -> c.number().add(BigInteger.ONE)).orElse(BigInteger.ONE);
            List<CrlEntry> entries = new ArrayList<>();
            registry.forEachRevoked(keyId, started.minus(grace), r -> entries.add(new CrlEntry(r.serial(),
                    r.revokedAt(), r.reason(), r.notAfter())));
            CertificateRevocationList crl = signer.get().sign(number, started, started.plus(lifetime), entries);
            CrlPublication outcome = crls.publish(caId, number, crl.thisUpdate(), crl.nextUpdate(), crl.der());
            switch (outcome) {
                case CrlPublication.Published p -> {
                    adopt(p.crl());
                    coveredSequence = Math.max(coveredSequence, sequence);
                    return served();
                }
                case CrlPublication.Refused r -> {
                    if (r.latest().isPresent()) {
                        PublishedCrl winner = r.latest().get();
                        adopt(winner);
                        // Another replica's CRL made after this one started includes what this one would.
                        if (winner.thisUpdate().isAfter(started)) {
                            coveredSequence = Math.max(coveredSequence, sequence);
                            return served();
                        }
                    }
                }
            }
        }
        throw new RegistryException(RegistryException.Kind.STORAGE, "CRL of " + role + " CA " + caId
                + ": other replicas published first " + MAX_ATTEMPTS + " times in a row");
    }

    /// The once-a-second check; see the class comment.
    ///
    /// @return whether the revocation counter of this CA moved since the previous tick (OCSP answers about
    ///     its certificates may be stale)
    synchronized boolean tick() throws RegistryException, GeneralSecurityException {
        Instant now = clock.instant();
        long sequence = registry.revocationSequence(keyId);
        boolean moved = seenSequence >= 0 && sequence != seenSequence;
        seenSequence = sequence;
        if (sequence > coveredSequence && changeSeenAt == null) {
            changeSeenAt = now;
        }
        if (changeSeenAt != null || ++ticks % POLL_EVERY_TICKS == 0 || served == null) {
            Optional<PublishedCrl> latest = crls.latest(caId);
            if (latest.isPresent()) {
                adopt(latest.get());
            }
        }
        ServedCrl current = served;
        Instant pendingSince = changeSeenAt;
        if (pendingSince != null && current != null && current.thisUpdate().isAfter(pendingSince)) {
            coveredSequence = Math.max(coveredSequence, sequence);
            changeSeenAt = null;
            pendingSince = null;
        }
        if (signer.isPresent()) {
            boolean due = current == null || !now.isBefore(current.nextUpdate().minus(lifetime.dividedBy(3)));
            boolean unpublished = pendingSince != null && !now.isBefore(pendingSince.plus(ADOPTION_WAIT));
            if (due || unpublished) {
                publish();
                if (sequence <= coveredSequence) {
                    changeSeenAt = null;
                }
            }
        }
        return moved;
    }

    /// Whether revocations are counted that the served CRL is not known to include.
    synchronized boolean behind() throws RegistryException {
        return registry.revocationSequence(keyId) > coveredSequence;
    }

    /// Serves `crl` when it is newer than the one served now.
    private void adopt(PublishedCrl crl) {
        ServedCrl current = served;
        if (current == null || crl.number().compareTo(current.number()) > 0) {
            served = ServedCrl.of(role, crl);
        }
    }

    @Override
    public String toString() {
        return "CrlPublisher[" + role + " " + caId + ", " + served + "]";
    }
}
