package io.certwright.agent.cache;

import io.certwright.agent.internal.x509.Csrs;
import io.certwright.agent.node.AgentIdentity;
import io.certwright.agent.node.AgentSvid;
import io.certwright.agent.node.Bundle;
import io.certwright.agent.node.EntrySnapshot;
import io.certwright.agent.node.NodeClient;
import io.certwright.agent.node.NodeException;
import io.certwright.agent.node.RegistrationEntry;
import io.certwright.agent.node.SignedSvid;
import io.certwright.agent.node.SvidRequest;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Keeps the agent's own SVID and the [SvidCache] fresh by talking to the server's node API.
///
/// All the work happens in [#sync], one pass that does whatever is due at the clock's current instant: attest
/// or renew the agent SVID, re-read the entries and the bundle every [RotationSettings#refreshInterval],
/// and sign SVIDs that are missing, due for renewal (half-life plus jitter, see [RenewalPolicy]), issued under
/// an older bundle or for an older revision of their entry. A scheduler calls [#sync] every second or so;
/// tests call it directly after moving their clock.
///
/// When the server is unavailable the pass stops, the cache keeps what it has (an SVID past its expiry is
/// still served, and logged as an error, because a stale SVID is more useful to a workload than none, as
/// SPIRE agents do) and the next pass waits an exponential backoff with full jitter.
public final class SvidManager {

    private static final Logger LOG = LoggerFactory.getLogger(SvidManager.class);
    /// How many batches of CSRs may be at the server at once.
    private static final int BATCHES_IN_FLIGHT = 2;

    private final NodeClient client;
    private final SvidCache cache;
    private final StateStore store;
    private final Clock clock;
    private final RandomGenerator random;
    private final RotationSettings settings;
    private final Optional<String> joinToken;
    private final long jitterSalt;

    private volatile Optional<AgentSvid> agent;
    private @Nullable Instant lastRefresh;
    private int failures;
    private Instant nextAttempt = Instant.MIN;
    private final Map<String, Instant> refusedUntil = new HashMap<>();
    private final Set<String> expiredReported = new HashSet<>();
    private boolean agentProblemReported;
    private CacheSnapshot working = CacheSnapshot.EMPTY;

    /// A manager starting from `initial` (already loaded from `store`), publishing into `cache`.
    ///
    /// @param joinToken used to attest when there is no agent SVID, or when it expired
    public SvidManager(NodeClient client, SvidCache cache, StateStore store, AgentState initial, Clock clock,
            RandomGenerator random, RotationSettings settings, Optional<String> joinToken) {
        this.client = Objects.requireNonNull(client, "client");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.joinToken = Objects.requireNonNull(joinToken, "joinToken");
        this.agent = initial.agent();
        this.jitterSalt = random.nextLong();
    }

    /// The agent's current SVID and key, for the node client's mutual TLS.
    public Optional<AgentSvid> agentSvid() {
        return agent;
    }

    /// Consecutive failed passes since the last successful one.
    public synchronized int consecutiveFailures() {
        return failures;
    }

    /// The earliest instant the next pass will talk to the server.
    public synchronized Instant nextAttempt() {
        return nextAttempt;
    }

    /// Does the work that is due now; never throws.
    public synchronized void sync() {
        Instant now = clock.instant();
        if (now.isBefore(nextAttempt)) {
            reportExpired(now);
            return;
        }
        CacheSnapshot before = cache.snapshot();
        Optional<AgentSvid> agentBefore = agent;
        working = before;
        try {
            if (ensureAgent(now)) {
                if (lastRefresh == null || !now.isBefore(lastRefresh.plus(settings.refreshInterval()))) {
                    refresh(client.entries(), client.bundle());
                    lastRefresh = now;
                }
                renewDue(now);
                failures = 0;
                nextAttempt = Instant.MIN;
            }
        } catch (NodeException e) {
            onFailure(e, now);
        } catch (RuntimeException e) {
            LOG.error("unexpected failure while refreshing SVIDs", e);
            onFailure(new NodeException(NodeException.Kind.INVALID, e.toString(), e), now);
        } finally {
            boolean changed = !working.equals(before);
            if (changed) {
                cache.publish(working);
            }
            if (changed || !agent.equals(agentBefore)) {
                persist();
            }
            reportExpired(now);
        }
    }

    private boolean ensureAgent(Instant now) throws NodeException {
        Optional<AgentSvid> current = agent;
        boolean expired = current.isPresent() && !now.isBefore(current.get().identity().leaf().getNotAfter().toInstant());
        if (current.isEmpty() || expired) {
            if (joinToken.isEmpty()) {
                if (!agentProblemReported) {
                    agentProblemReported = true;
                    if (expired) {
                        LOG.error("agent SVID expired at {}; restart with a new join token "
                                + "(certwright agent token create --node NAME)",
                                current.get().identity().leaf().getNotAfter().toInstant());
                    } else {
                        LOG.error("the agent has no SVID and no join token; start it with a join token "
                                + "(certwright agent token create --node NAME)");
                    }
                }
                return false;
            }
            KeyPair pair = newKeyPair();
            AgentIdentity id = client.attest(joinToken.get(), csr(pair, null));
            accept(id, pair, "attested");
            lastRefresh = null;
            return true;
        }
        AgentSvid a = current.get();
        Instant renewAt = RenewalPolicy.renewalTime(a.identity().leaf().getNotBefore().toInstant(),
                a.identity().leaf().getNotAfter().toInstant(), jitterSalt);
        if (!now.isBefore(renewAt)) {
            KeyPair pair = newKeyPair();
            AgentIdentity id = client.renewAgent(csr(pair, null));
            accept(id, pair, "renewed");
        }
        return true;
    }

    private void accept(AgentIdentity id, KeyPair pair, String how) throws NodeException {
        if (!id.leaf().getPublicKey().equals(pair.getPublic())) {
            throw new NodeException(NodeException.Kind.INVALID, "the server returned an agent SVID for another key");
        }
        agent = Optional.of(new AgentSvid(id, pair.getPrivate()));
        agentProblemReported = false;
        LOG.info("agent SVID {}: {}, valid until {}", how, id.spiffeId(), id.leaf().getNotAfter().toInstant());
    }

    private void refresh(EntrySnapshot entries, Bundle bundle) {
        Map<String, RegistrationEntry> byId = new HashMap<>();
        entries.entries().forEach(e -> byId.put(e.id(), e));
        Map<String, X509Svid> svids = new HashMap<>();
        for (X509Svid s : working.svids().values()) {
            RegistrationEntry e = byId.get(s.entry().id());
            if (e != null) {
                svids.put(e.id(), new X509Svid(e, s.chain(), s.privateKey(), s.bundleSequence()));
            }
        }
        refusedUntil.keySet().retainAll(byId.keySet());
        Optional<Bundle> old = working.bundle();
        if (old.isEmpty() || old.get().sequence() != bundle.sequence()) {
            LOG.info("trust bundle of {} is now at sequence {} ({} X.509 authorities)", bundle.trustDomain(),
                    bundle.sequence(), bundle.x509Authorities().size());
        }
        CacheSnapshot next = new CacheSnapshot(entries.entries(), svids, Optional.of(bundle));
        if (!next.equals(working)) {
            working = next;
        }
    }

    private void renewDue(Instant now) throws NodeException {
        long sequence = working.bundle().map(Bundle::sequence).orElse(-1L);
        List<RegistrationEntry> due = new ArrayList<>();
        for (RegistrationEntry e : working.entries()) {
            Instant refused = refusedUntil.get(e.id());
            if (refused != null && now.isBefore(refused)) {
                continue;
            }
            X509Svid s = working.svids().get(e.id());
            if (s == null || s.entry().revision() != e.revision() || s.bundleSequence() != sequence
                    || !now.isBefore(RenewalPolicy.renewalTime(s.notBefore(), s.notAfter(), seed(e)))) {
                due.add(e);
            }
        }
        List<List<RegistrationEntry>> batches = new ArrayList<>();
        for (int from = 0; from < due.size(); from += settings.batchSize()) {
            batches.add(due.subList(from, Math.min(due.size(), from + settings.batchSize())));
        }
        if (batches.isEmpty()) {
            return;
        }
        // Two batches in flight: while the server signs one, the next one's keys and CSRs are made and sent,
        // so neither side waits for the other. Answers are stored in order, on this thread.
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.ArrayDeque<Future<Signed>> inFlight = new java.util.ArrayDeque<>();
            for (List<RegistrationEntry> batch : batches) {
                inFlight.add(calls.submit(() -> {
                    Prepared prepared = prepare(batch);
                    return new Signed(prepared, client.signX509Svids(prepared.requests()));
                }));
                if (inFlight.size() >= BATCHES_IN_FLIGHT) {
                    Signed done = await(inFlight.poll());
                    store(done.batch(), done.svids(), sequence, now);
                }
            }
            while (!inFlight.isEmpty()) {
                Signed done = await(inFlight.poll());
                store(done.batch(), done.svids(), sequence, now);
            }
        }
    }

    /// A batch and the server's answer to it.
    private record Signed(Prepared batch, List<SignedSvid> svids) {
    }

    /// One batch ready to send: the entries, the key pair made for each, and the CSRs.
    private record Prepared(Map<String, RegistrationEntry> entries, Map<String, KeyPair> keys,
            List<SvidRequest> requests) {
    }

    private static Prepared prepare(List<RegistrationEntry> batch) {
        Map<String, RegistrationEntry> entries = new HashMap<>();
        Map<String, KeyPair> keys = new HashMap<>();
        List<SvidRequest> requests = new ArrayList<>();
        for (RegistrationEntry e : batch) {
            KeyPair pair = newKeyPair();
            entries.put(e.id(), e);
            keys.put(e.id(), pair);
            requests.add(new SvidRequest(e.id(), csr(pair, e)));
        }
        return new Prepared(entries, keys, requests);
    }

    private static Signed await(Future<Signed> pending) throws NodeException {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking for SVIDs", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NodeException n) {
                throw n;
            }
            throw new IllegalStateException("cannot make keys and CSRs: " + e.getCause(), e.getCause());
        }
    }

    private void store(Prepared batch, List<SignedSvid> signed, long sequence, Instant now) {
        Map<String, X509Svid> svids = new HashMap<>(working.svids());
        Set<String> answered = new HashSet<>();
        int rotated = 0;
        for (SignedSvid s : signed) {
            KeyPair pair = batch.keys().get(s.entryId());
            RegistrationEntry entry = batch.entries().get(s.entryId());
            if (pair == null || entry == null || !s.chain().getFirst().getPublicKey().equals(pair.getPublic())) {
                LOG.warn("ignoring an SVID the server returned for entry {}: not one that was asked for",
                        s.entryId());
                continue;
            }
            X509Svid svid = new X509Svid(entry, s.chain(), pair.getPrivate(), sequence);
            X509Svid old = svids.put(entry.id(), svid);
            answered.add(entry.id());
            refusedUntil.remove(entry.id());
            if (old != null) {
                rotated++;
            }
            LOG.debug("{} SVID for {} (entry {}), valid until {}", old == null ? "issued" : "rotated",
                    entry.spiffeId(), entry.id(), svid.notAfter());
        }
        if (!answered.isEmpty()) {
            LOG.info("{} SVIDs issued, {} rotated", answered.size() - rotated, rotated);
        }
        for (RegistrationEntry e : batch.entries().values()) {
            if (!answered.contains(e.id())) {
                refusedUntil.put(e.id(), now.plus(settings.refreshInterval()));
                LOG.warn("the server did not sign an SVID for entry {} ({}); retrying after the next refresh",
                        e.id(), e.spiffeId());
            }
        }
        working = new CacheSnapshot(working.entries(), svids, working.bundle());
    }

    private long seed(RegistrationEntry e) {
        return e.id().hashCode() * 0x9E3779B97F4A7C15L ^ jitterSalt;
    }

    private void onFailure(NodeException e, Instant now) {
        failures++;
        if (e.retryable()) {
            var delay = settings.backoff().delay(failures, random);
            nextAttempt = now.plus(delay);
            LOG.warn("server unavailable ({}); attempt {} failed, next in {} ms; cached SVIDs are still served",
                    e.getMessage(), failures, delay.toMillis());
        } else {
            nextAttempt = now.plus(settings.backoff().cap());
            LOG.error("the server refused ({}: {}); trying again in {}", e.kind(), e.getMessage(),
                    settings.backoff().cap());
        }
    }

    private void reportExpired(Instant now) {
        for (X509Svid s : cache.snapshot().svids().values()) {
            String key = s.entry().id() + "/" + s.leaf().getSerialNumber();
            if (!now.isBefore(s.notAfter()) && expiredReported.add(key)) {
                LOG.error("serving the EXPIRED SVID of {} (entry {}), expired at {}, because it could not be "
                        + "renewed; peers will reject it until the server is reachable again",
                        s.entry().spiffeId(), s.entry().id(), s.notAfter());
            }
        }
        if (expiredReported.size() > 10_000) {
            expiredReported.clear();
        }
    }

    private void persist() {
        try {
            store.save(new AgentState(agent, cache.snapshot()));
        } catch (IOException e) {
            LOG.error("cannot save the agent state to {}: {}", store.file(), e.toString());
        }
    }

    private static KeyPair newKeyPair() {
        try {
            return Csrs.newKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make P-256 keys", e);
        }
    }

    private static byte[] csr(KeyPair pair, @Nullable RegistrationEntry entry) {
        try {
            return entry == null ? Csrs.create(pair, Optional.empty(), List.of())
                    : Csrs.create(pair, Optional.of(entry.spiffeId()), entry.dnsNames());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a CSR with a fresh P-256 key", e);
        }
    }
}
