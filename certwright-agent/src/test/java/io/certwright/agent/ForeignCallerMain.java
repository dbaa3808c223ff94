package io.certwright.agent;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.MetadataUtils;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload;
import java.util.concurrent.TimeUnit;

/// A Workload API client run in a child process under another uid: asks for its X.509 SVIDs and prints
/// `STATUS <code>` (`STATUS OK` when it got an answer).
public final class ForeignCallerMain {

    private ForeignCallerMain() {
    }

    public static void main(String[] args) throws Exception {
        var group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ManagedChannel ch = NettyChannelBuilder.forAddress(new DomainSocketAddress(args[0]))
                .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group).usePlaintext().build();
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("workload.spiffe.io", Metadata.ASCII_STRING_MARSHALLER), "true");
        var stub = SpiffeWorkloadAPIGrpc.newBlockingStub(
                ClientInterceptors.intercept(ch, MetadataUtils.newAttachHeadersInterceptor(md)))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        try {
            stub.fetchX509SVID(Workload.X509SVIDRequest.getDefaultInstance()).next();
            System.out.println("STATUS OK");
        } catch (StatusRuntimeException e) {
            System.out.println("STATUS " + e.getStatus().getCode());
        } finally {
            ch.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
