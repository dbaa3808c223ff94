package io.certwright.agent;

import static org.assertj.core.api.Assertions.fail;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.MetadataUtils;
import io.spiffe.workloadapi.DefaultWorkloadApiClient;
import io.spiffe.workloadapi.WorkloadApiClient;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/// Starts agents against a [TestNodeServer] and connects clients to them; closes everything it made.
final class AgentHarness {

    final Path dir;
    final Path socket;
    final Path dataDir;
    private final List<AutoCloseable> opened = new ArrayList<>();

    AgentHarness(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("agent.sock");
        this.dataDir = dir.resolve("data");
    }

    /// The uid of this test process, as the agent will attest it.
    static int myUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /// The selector that matches this test process.
    static String mySelector() {
        return "unix:uid:" + myUid();
    }

    /// An agent driven by the test (no background loop), with `server`'s clock.
    CertwrightAgent start(TestNodeServer server, UnaryOperator<AgentConfig.Builder> adjust) throws IOException {
        AgentConfig.Builder b = AgentConfig.builder(URI.create("https://ca.test:8443"), socket, dataDir)
                .clock(server.clock)
                .syncInterval(Duration.ZERO)
                .refreshInterval(Duration.ofSeconds(5));
        CertwrightAgent agent = new CertwrightAgent(adjust.apply(b).build(), server.factory());
        opened.add(agent);
        agent.start();
        return agent;
    }

    /// A java-spiffe Workload API client of the agent's socket.
    WorkloadApiClient spiffeClient() throws Exception {
        WorkloadApiClient c = DefaultWorkloadApiClient.newClient(DefaultWorkloadApiClient.ClientOptions.builder()
                .spiffeSocketPath("unix:" + socket).build());
        opened.add(c);
        return c;
    }

    /// A raw gRPC channel to the agent's socket.
    ManagedChannel rawChannel() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ManagedChannel ch = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(group)
                .usePlaintext()
                .build();
        opened.add(() -> {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        });
        return ch;
    }

    /// A blocking stub that sends the `workload.spiffe.io: true` header, or not.
    SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIBlockingStub rawStub(boolean withSecurityHeader) {
        ManagedChannel ch = rawChannel();
        if (!withSecurityHeader) {
            return SpiffeWorkloadAPIGrpc.newBlockingStub(ch);
        }
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("workload.spiffe.io", Metadata.ASCII_STRING_MARSHALLER), "true");
        return SpiffeWorkloadAPIGrpc.newBlockingStub(
                ClientInterceptors.intercept(ch, MetadataUtils.newAttachHeadersInterceptor(md)));
    }

    /// Waits until `condition` holds; fails after `max`, which only bounds a hung test.
    static void await(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("gave up waiting: " + what);
            }
            Thread.sleep(20);
        }
    }

    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }
}
