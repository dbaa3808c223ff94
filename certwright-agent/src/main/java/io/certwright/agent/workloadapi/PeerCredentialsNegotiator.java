package io.certwright.agent.workloadapi;

import io.certwright.agent.attestation.PeerCredentials;
import io.grpc.Attributes;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// gRPC's plaintext server negotiation, plus one step: before the HTTP/2 connection starts, read the peer's
/// credentials from the accepted Unix socket (`SO_PEERCRED`) and add them to the transport attributes, where
/// every call on the connection finds them under [#PEER_CREDENTIALS].
///
/// A connection whose credentials cannot be read is closed before any call. See ADR 0009 for why this hook
/// (grpc-java's `Internal*` negotiation API) rather than another.
final class PeerCredentialsNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {

    /// The transport attribute that carries the caller's credentials.
    static final Attributes.Key<PeerCredentials> PEER_CREDENTIALS =
            Attributes.Key.create("certwright.peerCredentials");

    private static final Logger LOG = LoggerFactory.getLogger(PeerCredentialsNegotiator.class);

    private final InternalProtocolNegotiator.ProtocolNegotiator plaintext = InternalProtocolNegotiators.serverPlaintext();

    @Override
    public AsciiString scheme() {
        return plaintext.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        return new Handler(plaintext.newHandler(grpcHandler));
    }

    @Override
    public void close() {
        plaintext.close();
    }

    /// Sits in front of the plaintext negotiation handler and adds the credentials to the negotiation event.
    private static final class Handler extends ChannelInboundHandlerAdapter {
        private final ChannelHandler next;

        Handler(ChannelHandler next) {
            this.next = next;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.pipeline().addAfter(ctx.name(), null, next);
        }

        @Override
        @SuppressWarnings("FutureReturnValueIgnored")
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (!(evt instanceof ProtocolNegotiationEvent pne)) {
                super.userEventTriggered(ctx, evt);
                return;
            }
            PeerCredentials creds;
            try {
                if (!(ctx.channel() instanceof EpollDomainSocketChannel ch)) {
                    throw new IOException("not an epoll Unix domain socket: " + ctx.channel().getClass().getSimpleName());
                }
                var pc = ch.peerCredentials();
                creds = new PeerCredentials(pc.pid(), pc.uid(),
                        pc.gids().length > 0 ? pc.gids()[0] : -1);
            } catch (IOException e) {
                LOG.warn("closing a Workload API connection whose peer credentials cannot be read: {}", e.toString());
                ctx.close(); // nothing waits for the close; a failure to close is logged by netty
                return;
            }
            Attributes attrs = InternalProtocolNegotiationEvent.getAttributes(pne).toBuilder()
                    .set(PEER_CREDENTIALS, creds).build();
            ctx.fireUserEventTriggered(InternalProtocolNegotiationEvent.withAttributes(pne, attrs));
            ctx.pipeline().remove(this);
        }
    }
}
