package io.certwright.agent.workloadapi;

import io.certwright.agent.attestation.PeerCredentials;
import io.certwright.agent.attestation.WorkloadAttestor;
import io.certwright.agent.node.Selector;
import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Rejects calls without the `workload.spiffe.io: true` header (a browser or an SSRF-tricked proxy cannot
/// set it) with `InvalidArgument`, then attests the caller and puts its selectors in the call's context.
///
/// Every refused call (any status but OK and a client's own cancellation) is recorded on the
/// `io.certwright.agent.audit` logger with the method, the caller's pid, uid and gid, and the status: the
/// agent's audit trail, as it keeps no database.
final class WorkloadApiInterceptor implements ServerInterceptor {

    /// The logger of refused Workload API calls.
    static final Logger AUDIT = LoggerFactory.getLogger("io.certwright.agent.audit");

    /// The header every Workload API call must carry with value `true`.
    static final Metadata.Key<String> SECURITY_HEADER =
            Metadata.Key.of("workload.spiffe.io", Metadata.ASCII_STRING_MARSHALLER);
    /// The caller's selectors, in the context of every call.
    static final Context.Key<Set<Selector>> SELECTORS = Context.key("certwright.selectors");

    private final WorkloadAttestor attestor;

    WorkloadApiInterceptor(WorkloadAttestor attestor) {
        this.attestor = attestor;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> original, Metadata headers,
            ServerCallHandler<Q, R> next) {
        ServerCall<Q, R> call = new Audited<>(original);
        if (!"true".equals(headers.get(SECURITY_HEADER))) {
            call.close(Status.INVALID_ARGUMENT.withDescription("security header missing from request"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        PeerCredentials peer = call.getAttributes().get(PeerCredentialsNegotiator.PEER_CREDENTIALS);
        if (peer == null) {
            call.close(Status.PERMISSION_DENIED.withDescription("the caller could not be attested"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        Set<Selector> selectors = attestor.attest(peer);
        return Contexts.interceptCall(Context.current().withValue(SELECTORS, selectors), call, headers, next);
    }

    /// Records the call's refusal, if it ends in one.
    private static final class Audited<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {

        Audited(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (!status.isOk() && status.getCode() != Status.Code.CANCELLED) {
                PeerCredentials peer = getAttributes().get(PeerCredentialsNegotiator.PEER_CREDENTIALS);
                AUDIT.warn("refused {} for {}: {} {}", getMethodDescriptor().getFullMethodName(),
                        peer == null ? "an unattested caller" : "pid " + peer.pid() + " uid " + peer.uid() + " gid "
                                + peer.gid(), status.getCode(), status.getDescription() == null ? ""
                                : status.getDescription());
            }
            super.close(status, trailers);
        }
    }
}
