package io.certwright.bench;

import io.certwright.agent.node.AgentIdentity;
import io.certwright.agent.node.Bundle;
import io.certwright.agent.node.EntrySnapshot;
import io.certwright.agent.node.NodeClient;
import io.certwright.agent.node.NodeClientFactory;
import io.certwright.agent.node.NodeException;
import io.certwright.agent.node.SignedSvid;
import io.certwright.agent.node.SvidRequest;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/// The agent's real [NodeClient], with clocks on it: how many node-API calls of each kind the agent made,
/// how long it waited for them, and when it first saw each new bundle sequence. The benchmark reads these
/// to split the agent's time between waiting for the server and its own work (key pairs, CSRs, parsing,
/// the cache, the state file); nothing is changed on the way through.
final class TimedNodeClient implements NodeClient {

    private final NodeClient delegate;
    final Counter sign = new Counter();
    final Counter entries = new Counter();
    final Counter bundles = new Counter();
    final AtomicLong signedSvids = new AtomicLong();
    private volatile long sequence = Long.MIN_VALUE;
    private volatile long sequenceSeenAt;

    private TimedNodeClient(NodeClient delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /// A factory whose clients are those of `real`, timed; `sink` receives each client made.
    static NodeClientFactory wrapping(NodeClientFactory real, java.util.function.Consumer<TimedNodeClient> sink) {
        return (url, credentials) -> {
            TimedNodeClient c = new TimedNodeClient(real.create(url, credentials));
            sink.accept(c);
            return c;
        };
    }

    /// Calls of one kind: how many, and the nanoseconds spent waiting for their answers.
    static final class Counter {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong nanos = new AtomicLong();

        void add(long started) {
            calls.incrementAndGet();
            nanos.addAndGet(System.nanoTime() - started);
        }

        void reset() {
            calls.set(0);
            nanos.set(0);
        }
    }

    /// Zeroes the call counters (not the bundle sequence seen).
    void reset() {
        sign.reset();
        entries.reset();
        bundles.reset();
        signedSvids.set(0);
    }

    /// The `System.nanoTime()` at which a bundle answer first carried `sequence`, or empty.
    java.util.OptionalLong sequenceSeenAt(long sequence) {
        return this.sequence == sequence ? java.util.OptionalLong.of(sequenceSeenAt) : java.util.OptionalLong.empty();
    }

    @Override
    public AgentIdentity attest(String joinToken, byte[] csrDer) throws NodeException {
        return delegate.attest(joinToken, csrDer);
    }

    @Override
    public AgentIdentity renewAgent(byte[] csrDer) throws NodeException {
        return delegate.renewAgent(csrDer);
    }

    @Override
    public EntrySnapshot entries() throws NodeException {
        long t0 = System.nanoTime();
        try {
            return delegate.entries();
        } finally {
            entries.add(t0);
        }
    }

    @Override
    public List<SignedSvid> signX509Svids(List<SvidRequest> requests) throws NodeException {
        long t0 = System.nanoTime();
        try {
            List<SignedSvid> signed = delegate.signX509Svids(requests);
            signedSvids.addAndGet(signed.size());
            return signed;
        } finally {
            sign.add(t0);
        }
    }

    @Override
    public String signJwtSvid(String entryId, List<String> audience) throws NodeException {
        return delegate.signJwtSvid(entryId, audience);
    }

    @Override
    public Bundle bundle() throws NodeException {
        long t0 = System.nanoTime();
        try {
            Bundle b = delegate.bundle();
            if (b.sequence() != sequence) {
                sequenceSeenAt = System.nanoTime();
                sequence = b.sequence();
            }
            return b;
        } finally {
            bundles.add(t0);
        }
    }
}
