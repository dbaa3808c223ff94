package io.certwright.agent.workloadapi;

import io.certwright.agent.attestation.WorkloadAttestor;
import io.certwright.agent.cache.JwtSvids;
import io.certwright.agent.cache.SvidCache;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The Workload API's gRPC server on a Unix domain socket (Linux epoll).
///
/// The socket file is made accessible to every local user (mode 0777, as SPIRE does): who gets what is
/// decided by attestation, not by file permissions. Inbound messages are limited to
/// [#maxInboundMessageBytes]; a larger one fails the call with gRPC's `ResourceExhausted`. Calls run on
/// virtual threads.
public final class WorkloadApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadApiServer.class);

    private final Path socketPath;
    private final int maxInboundMessageBytes;
    private final WorkloadApiService service;
    private final WorkloadApiInterceptor interceptor;
    private @Nullable Server server;
    private @Nullable EventLoopGroup boss;
    private @Nullable EventLoopGroup workers;
    private @Nullable ExecutorService executor;

    /// A server for `socketPath` answering from `cache`.
    public WorkloadApiServer(Path socketPath, int maxInboundMessageBytes, SvidCache cache, JwtSvids jwtSvids,
            WorkloadAttestor attestor, Clock clock) {
        this.socketPath = socketPath.toAbsolutePath();
        this.maxInboundMessageBytes = maxInboundMessageBytes;
        this.service = new WorkloadApiService(cache, jwtSvids, new JwtSvidValidator(clock));
        this.interceptor = new WorkloadApiInterceptor(attestor);
    }

    /// Binds the socket (replacing a stale socket file left by a previous run) and starts serving.
    ///
    /// @throws IOException when the socket cannot be bound, or epoll is unavailable on this platform
    public synchronized void start() throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("the Workload API needs Linux epoll, which is unavailable here: "
                    + Epoll.unavailabilityCause());
        }
        Path parent = socketPath.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(socketPath, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isRegularFile(socketPath, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(socketPath)) {
                throw new IOException(socketPath + " exists and is not a socket; refusing to replace it");
            }
            Files.delete(socketPath);
        }
        boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server = NettyServerBuilder
                .forAddress(new DomainSocketAddress(socketPath.toString()),
                        InternalNettyServerCredentials.create(new PeerCredentialsNegotiator()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .executor(executor)
                .maxInboundMessageSize(maxInboundMessageBytes)
                .maxInboundMetadataSize(16 * 1024)
                .addService(ServerInterceptors.intercept(service, interceptor))
                .build();
        server.start();
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rwxrwxrwx"));
        LOG.info("Workload API listening on unix:{}", socketPath);
    }

    /// The socket's path.
    public Path socketPath() {
        return socketPath;
    }

    @Override
    public synchronized void close() {
        Server s = server;
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
        for (EventLoopGroup g : new EventLoopGroup[] {boss, workers}) {
            if (g != null) {
                var done = g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                if (!done.awaitUninterruptibly(5, TimeUnit.SECONDS)) {
                    LOG.debug("Workload API event loops did not stop within 5 s");
                }
            }
        }
        boss = null;
        workers = null;
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", socketPath, e.toString());
        }
    }
}
