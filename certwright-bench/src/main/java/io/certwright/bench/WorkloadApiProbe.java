package io.certwright.bench;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.MetadataUtils;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/// A Workload API client over the agent's Unix socket that times `FetchX509SVID`: from opening the stream to
/// the first response (the agent answers from its cache), then the stream is cancelled, as a workload that
/// reads its SVID once at start does. Raw gRPC stubs from java-spiffe-core, so what is timed is the agent's
/// answer and the transport, not a client library's validation of it.
final class WorkloadApiProbe implements AutoCloseable {

    private static final Metadata.Key<String> SECURITY_HEADER =
            Metadata.Key.of("workload.spiffe.io", Metadata.ASCII_STRING_MARSHALLER);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_TRACKED_NANOS = Duration.ofMinutes(1).toNanos();

    private final Path socket;
    private final String expectedSpiffeId;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());

    /// A probe of the agent at `socket`, whose answers must carry exactly one SVID, for `expectedSpiffeId`.
    WorkloadApiProbe(Path socket, String expectedSpiffeId) {
        this.socket = socket;
        this.expectedSpiffeId = expectedSpiffeId;
    }

    /// Latencies of `warmup` then `count` fetches, each a new stream on one connection (HTTP/2 keep-alive).
    Histogram sameConnection(int warmup, int count) throws IOException, InterruptedException {
        ManagedChannel ch = channel();
        try {
            Channel c = withHeader(ch);
            for (int i = 0; i < warmup; i++) {
                fetch(c);
            }
            Histogram h = new Histogram(MAX_TRACKED_NANOS, 3);
            for (int i = 0; i < count; i++) {
                h.recordValue(Math.min(fetch(c), MAX_TRACKED_NANOS));
            }
            return h;
        } finally {
            shutdown(ch);
        }
    }

    /// Latencies of `warmup` then `count` fetches, each over a new connection (as a process starting up):
    /// connecting, the HTTP/2 preface and the agent's attestation of the new peer are inside the time.
    Histogram newConnections(int warmup, int count) throws IOException, InterruptedException {
        Histogram h = new Histogram(MAX_TRACKED_NANOS, 3);
        for (int i = 0; i < warmup + count; i++) {
            long t0 = System.nanoTime();
            ManagedChannel ch = channel();
            try {
                fetch(withHeader(ch));
                long t = System.nanoTime() - t0;
                if (i >= warmup) {
                    h.recordValue(Math.min(t, MAX_TRACKED_NANOS));
                }
            } finally {
                shutdown(ch);
            }
        }
        return h;
    }

    /// One `FetchX509SVID`: nanoseconds from starting the call to its first message, checked.
    private long fetch(Channel c) throws IOException, InterruptedException {
        CompletableFuture<Workload.X509SVIDResponse> first = new CompletableFuture<>();
        ClientCall<Workload.X509SVIDRequest, Workload.X509SVIDResponse> call =
                c.newCall(SpiffeWorkloadAPIGrpc.getFetchX509SVIDMethod(), CallOptions.DEFAULT);
        long t0 = System.nanoTime();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(Workload.X509SVIDResponse message) {
                first.complete(message);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                first.completeExceptionally(status.asRuntimeException(trailers));
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(Workload.X509SVIDRequest.getDefaultInstance());
        call.halfClose();
        Workload.X509SVIDResponse response;
        try {
            response = first.get(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("FetchX509SVID failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            call.cancel("timed out", null);
            throw new IOException("FetchX509SVID gave no answer within " + FETCH_TIMEOUT.toSeconds() + " s");
        }
        long t = System.nanoTime() - t0;
        call.cancel("first response read", null);
        if (response.getSvidsCount() != 1 || !response.getSvids(0).getSpiffeId().equals(expectedSpiffeId)
                || response.getSvids(0).getX509Svid().isEmpty() || response.getSvids(0).getBundle().isEmpty()) {
            throw new IOException("FetchX509SVID answered " + response.getSvidsCount() + " SVIDs"
                    + (response.getSvidsCount() > 0 ? ", the first for " + response.getSvids(0).getSpiffeId() : "")
                    + "; expected one, for " + expectedSpiffeId);
        }
        return t;
    }

    private ManagedChannel channel() {
        return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(group)
                .usePlaintext()
                .build();
    }

    private static Channel withHeader(ManagedChannel ch) {
        Metadata md = new Metadata();
        md.put(SECURITY_HEADER, "true");
        return ClientInterceptors.intercept(ch, MetadataUtils.newAttachHeadersInterceptor(md));
    }

    private static void shutdown(ManagedChannel ch) throws InterruptedException {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
