package io.certwright.agent.workloadapi;

import io.certwright.agent.attestation.PeerCredentials;
import io.certwright.agent.attestation.WorkloadAttestor;
import io.certwright.agent.node.Selector;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;

/// Rejects calls without the `workload.spiffe.io: true` header (a browser or an SSRF-tricked proxy cannot
/// set it) with `InvalidArgument`, then attests the caller and puts its selectors in the call's context.
final class WorkloadApiInterceptor implements ServerInterceptor {

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
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
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
}
