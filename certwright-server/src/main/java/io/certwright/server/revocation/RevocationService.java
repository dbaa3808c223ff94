package io.certwright.server.revocation;

import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.LedgerException;
import io.certwright.ca.keys.SigningKey;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.CrlRepository;
import io.certwright.ca.revocation.CrlSigner;
import io.certwright.ca.revocation.OcspResponder;
import io.certwright.ca.revocation.OcspResponse;
import io.certwright.ca.revocation.OcspSigner;
import io.certwright.ca.revocation.OcspSignerRotation;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Revocation status as the server publishes it: the CRLs of the issuing CA and the root, the OCSP
/// responder for the issuing CA's certificates, and the background work that keeps them current.
///
/// | event | effect |
/// |---|---|
/// | a revocation on this replica (any route, through [#registry()]) | its OCSP answers dropped at once; CRLs republished after [Settings#debounce] |
/// | a revocation on another replica | every kept OCSP answer dropped, and that replica's CRL adopted, within about a second |
/// | a third of a CRL's lifetime left | a new CRL |
/// | the OCSP signer at two thirds of its lifetime | a new signer (every kept answer becomes stale with the old one) |
///
/// Background work runs on one scheduler thread; reading the served CRLs and answering OCSP never blocks on it.
public final class RevocationService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationService.class);
    /// How often CRLs and the revocation counters are checked.
    static final Duration TICK = Duration.ofSeconds(1);
    /// How often the OCSP signer's age is checked.
    static final Duration ROTATION_CHECK = Duration.ofMinutes(1);
    /// The role names under which the CRLs are also served: `/crl/root.crl`, `/crl/intermediate.crl`.
    public static final String ROOT = "root";
    public static final String INTERMEDIATE = "intermediate";

    /// How revocation status is published.
    ///
    /// @param crlLifetime nextUpdate - thisUpdate of every CRL
    /// @param crlGrace how long after expiring a revoked certificate stays listed
    /// @param ocspValidity nextUpdate - thisUpdate of every OCSP response
    /// @param ocspSignerLifetime requested lifetime of the delegated OCSP signing certificate
    /// @param debounce how long after a revocation the CRLs are rebuilt, so a burst makes one CRL
    public record Settings(Duration crlLifetime, Duration crlGrace, Duration ocspValidity,
            Duration ocspSignerLifetime, Duration debounce) {

        public Settings {
            Objects.requireNonNull(crlLifetime, "crlLifetime");
            Objects.requireNonNull(crlGrace, "crlGrace");
            Objects.requireNonNull(ocspValidity, "ocspValidity");
            Objects.requireNonNull(ocspSignerLifetime, "ocspSignerLifetime");
            Objects.requireNonNull(debounce, "debounce");
        }
    }

    private final CrlPublisher intermediate;
    private final CrlPublisher root;
    private final Map<String, CrlPublisher> byName;
    private final OcspSignerRotation rotation;
    private final OcspResponder responder;
    private final ObservedRegistry registry;
    private final Map<String, byte[]> caCertificates;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean publishPending = new AtomicBoolean();
    private volatile boolean failing;

    private RevocationService(CrlPublisher intermediate, CrlPublisher root, OcspSignerRotation rotation,
            OcspResponder responder, CertificateRepository registry, Map<String, byte[]> caCertificates,
            Settings settings) {
        this.intermediate = intermediate;
        this.root = root;
        Map<String, CrlPublisher> names = new LinkedHashMap<>();
        names.put(INTERMEDIATE, intermediate);
        names.put(ROOT, root);
        names.put(intermediate.caId(), intermediate);
        names.put(root.caId(), root);
        this.byName = Map.copyOf(names);
        this.rotation = rotation;
        this.responder = responder;
        this.registry = new ObservedRegistry(registry, this::revoked);
        this.caCertificates = Map.copyOf(caCertificates);
        this.settings = settings;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("certwright-revocation").factory());
    }

    /// Issues the first OCSP signer, publishes fresh CRLs (or adopts the root's when its key is offline),
    /// and starts the background work.
    ///
    /// @param ca the running CA; its issuing certificate's CRL and OCSP answers are published
    /// @param rootCertificate the root
    /// @param rootKey the root's key, to sign the root CRL; empty when it is kept offline or not unlocked
    /// @throws PolicyException when the CA refuses the OCSP signer certificate
    /// @throws LedgerException when the signer certificate cannot be recorded
    /// @throws GeneralSecurityException when the signer's key cannot be made
    public static RevocationService start(Settings settings, CertificateAuthority ca, X509Certificate rootCertificate,
            Optional<SigningKey> rootKey, CertificateRepository registry, CrlRepository crls, Clock clock)
            throws PolicyException, LedgerException, GeneralSecurityException {
        X509Certificate issuing = ca.issuer().certificate();
        CrlPublisher intermediate = new CrlPublisher(INTERMEDIATE, issuing, Optional.of(CrlSigner.of(ca.issuer())),
                registry, crls, clock, settings.crlLifetime(), settings.crlGrace());
        CrlPublisher root = new CrlPublisher(ROOT, rootCertificate,
                rootKey.map(k -> new CrlSigner(rootCertificate, k)), registry, crls, clock, settings.crlLifetime(),
                settings.crlGrace());

        Duration signerMax = ca.settings().lifetimes(Profile.OCSP_SIGNER).maximum();
        Duration signerLifetime = settings.ocspSignerLifetime();
        if (signerLifetime.compareTo(signerMax) > 0) {
            LOG.warn("revocation.ocsp-signer-lifetime {} is above the CA's maximum for ocsp-signer certificates; "
                    + "using {}", signerLifetime, signerMax);
            signerLifetime = signerMax;
        }
        Duration validity = settings.ocspValidity();
        if (validity.compareTo(signerLifetime.dividedBy(3)) > 0) {
            validity = signerLifetime.dividedBy(3);
            LOG.warn("OCSP responses are valid {} so that they never outlive their signer", validity);
        }
        OcspSignerRotation rotation = OcspSignerRotation.start(ca,
                new OcspSignerRotation.Settings(KeyAlgorithm.P256, signerLifetime, 1.0 / 3), clock);
        OcspResponder responder = new OcspResponder(List.of(new OcspResponder.Authority(issuing, rotation)),
                new RegistryLookup(registry, issuing), clock, validity);

        Map<String, byte[]> certificates = new LinkedHashMap<>();
        try {
            certificates.put(intermediate.caId(), issuing.getEncoded());
            certificates.put(root.caId(), rootCertificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new GeneralSecurityException("cannot encode the CA certificates", e);
        }
        RevocationService service = new RevocationService(intermediate, root, rotation, responder, registry,
                certificates, settings);
        service.publishAtStart(intermediate);
        service.publishAtStart(root);
        if (!root.canSign()) {
            LOG.warn("the root CA's key is not available, so this server cannot sign the root's CRL (which lists "
                    + "revoked intermediates); it serves the last root CRL in the database{}",
                    root.served().map(c -> " (number " + c.number() + ", valid until " + c.nextUpdate() + ")")
                            .orElse(", and there is none: /crl/root.crl answers 404"));
        }
        service.schedule();
        LOG.info("OCSP signer {}", rotation.current());
        return service;
    }

    private void publishAtStart(CrlPublisher publisher) {
        try {
            publisher.publish().ifPresent(c -> LOG.info("{} CRL number {} ({}), valid until {}", publisher.role(),
                    c.number(), c.caId(), c.nextUpdate()));
        } catch (Exception e) {
            LOG.error("cannot publish the {} CA's CRL; retrying every {} s", publisher.role(), TICK.toSeconds(), e);
        }
    }

    private void schedule() {
        var ticks = scheduler.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(),
                TimeUnit.MILLISECONDS);
        var rotations = scheduler.scheduleWithFixedDelay(this::rotateIfNeeded, ROTATION_CHECK.toSeconds(),
                ROTATION_CHECK.toSeconds(), TimeUnit.SECONDS);
        LOG.debug("revocation tasks scheduled: {}, {}", ticks, rotations);
    }

    /// The registry through which every revocation on this server must go, so that OCSP and CRLs follow it.
    public CertificateRepository registry() {
        return registry;
    }

    /// Answers a DER OCSP request. Never throws.
    public OcspResponse respond(byte[] request) {
        return responder.respond(request);
    }

    /// The CRL served under `name`: a CA id (subject key identifier in lowercase hex) or the role alias
    /// `root` or `intermediate`.
    public Optional<ServedCrl> crl(String name) {
        CrlPublisher p = byName.get(name.toLowerCase(Locale.ROOT));
        return p == null ? Optional.empty() : p.served();
    }

    /// The served CRL of each role, `intermediate` first.
    public Map<String, Optional<ServedCrl>> crls() {
        Map<String, Optional<ServedCrl>> out = new LinkedHashMap<>();
        out.put(INTERMEDIATE, intermediate.served());
        out.put(ROOT, root.served());
        return out;
    }

    /// The DER certificate of the CA with this id (subject key identifier in lowercase hex).
    public Optional<byte[]> caCertificate(String caId) {
        byte[] der = caCertificates.get(caId.toLowerCase(Locale.ROOT));
        return der == null ? Optional.empty() : Optional.of(der.clone());
    }

    /// The current OCSP signer.
    public OcspSigner ocspSigner() {
        return rotation.current();
    }

    /// The settings in force.
    public Settings settings() {
        return settings;
    }

    /// Called by [#registry()] after revocations on this replica.
    private void revoked(List<SerialNumber> serials) {
        if (serials.isEmpty()) {
            responder.invalidateAll();
        } else {
            responder.invalidate(serials);
        }
        if (publishPending.compareAndSet(false, true)) {
            try {
                var unused = scheduler.schedule(this::publishBehind, settings.debounce().toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                publishPending.set(false); // closing
            }
        }
    }

    private void publishBehind() {
        publishPending.set(false);
        for (CrlPublisher p : List.of(intermediate, root)) {
            try {
                if (p.canSign() && p.behind()) {
                    p.publish().ifPresent(c -> LOG.info("{} CRL number {} published after revocation",
                            p.role(), c.number()));
                }
            } catch (Exception e) {
                LOG.error("cannot publish the {} CA's CRL after a revocation; retrying within {} s", p.role(),
                        CrlPublisher.ADOPTION_WAIT.toSeconds(), e);
            }
        }
    }

    private void tick() {
        boolean ok = true;
        for (CrlPublisher p : List.of(intermediate, root)) {
            try {
                boolean moved = p.tick();
                if (moved && p == intermediate) {
                    // A revocation, here or on another replica: answers kept before it may be stale.
                    responder.invalidateAll();
                }
            } catch (Exception e) {
                ok = false;
                if (!failing) {
                    LOG.error("revocation publishing of the {} CA failed; retrying every {} s", p.role(),
                            TICK.toSeconds(), e);
                }
            }
        }
        if (ok && failing) {
            LOG.info("revocation publishing works again");
        }
        failing = !ok;
    }

    private void rotateIfNeeded() {
        try {
            rotation.rotateIfNeeded().ifPresent(s -> LOG.info("new OCSP signer {}", s));
        } catch (Exception e) {
            LOG.error("OCSP signer rotation failed; the current signer stays in use until {}",
                    rotation.current().certificate().getNotAfter().toInstant(), e);
        }
    }

    /// Builds, signs and publishes the CRLs this replica can sign now, on the calling thread, whether or not
    /// anything changed (for operators and benchmarks; the background work makes this unnecessary otherwise).
    ///
    /// @return the CRL served for each role afterwards
    public Map<String, Optional<ServedCrl>> publishNow() throws Exception {
        for (CrlPublisher p : List.of(intermediate, root)) {
            p.publish();
        }
        return crls();
    }

    /// Stops the background work; waits for a publication in progress.
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("revocation tasks did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
