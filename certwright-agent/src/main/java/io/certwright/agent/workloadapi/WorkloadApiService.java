package io.certwright.agent.workloadapi;

import io.certwright.agent.cache.CacheSnapshot;
import io.certwright.agent.cache.JwtSvids;
import io.certwright.agent.cache.SvidCache;
import io.certwright.agent.cache.X509Svid;
import io.certwright.agent.node.Bundle;
import io.certwright.agent.node.NodeException;
import io.certwright.agent.node.RegistrationEntry;
import io.certwright.agent.node.Selector;
import io.certwright.core.SpiffeId;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The five Workload API calls, answered from the [SvidCache] for the caller's selectors.
///
/// Every call needs the caller to match at least one registration entry, else `PermissionDenied` ("no identity
/// issued"). The streams send their first message as soon as the caller's SVIDs (or the bundle) are in the
/// cache, then one message whenever what the caller sees changes: a rotation, an entry added or removed, a new
/// bundle. A stream whose caller stops matching any entry ends with `PermissionDenied`.
final class WorkloadApiService extends SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadApiService.class);
    private static final String NO_IDENTITY = "no identity issued";

    private final SvidCache cache;
    private final JwtSvids jwtSvids;
    private final JwtSvidValidator validator;

    WorkloadApiService(SvidCache cache, JwtSvids jwtSvids, JwtSvidValidator validator) {
        this.cache = cache;
        this.jwtSvids = jwtSvids;
        this.validator = validator;
    }

    @Override
    public void fetchX509SVID(Workload.X509SVIDRequest request, StreamObserver<Workload.X509SVIDResponse> observer) {
        Set<Selector> selectors = selectors();
        stream(observer, snapshot -> {
            List<X509Svid> svids = snapshot.svidsFor(selectors);
            Optional<Bundle> bundle = snapshot.bundle();
            if (svids.isEmpty() || bundle.isEmpty()) {
                return null;
            }
            List<Object> view = new ArrayList<>();
            svids.forEach(s -> view.add(s.leaf()));
            view.add(bundle.get().sequence());
            return new Update<>(view, () -> ProtoMapper.x509SvidResponse(svids, bundle.get()));
        }, selectors);
    }

    @Override
    public void fetchX509Bundles(Workload.X509BundlesRequest request,
            StreamObserver<Workload.X509BundlesResponse> observer) {
        Set<Selector> selectors = selectors();
        stream(observer, snapshot -> snapshot.bundle()
                .map(b -> new Update<>(List.of(b.sequence(), b.x509Authorities()),
                        () -> ProtoMapper.x509BundlesResponse(b)))
                .orElse(null), selectors);
    }

    @Override
    public void fetchJWTBundles(Workload.JWTBundlesRequest request,
            StreamObserver<Workload.JWTBundlesResponse> observer) {
        Set<Selector> selectors = selectors();
        stream(observer, snapshot -> snapshot.bundle()
                .map(b -> new Update<>(List.of(b.sequence(), b.jwksJson()), () -> ProtoMapper.jwtBundlesResponse(b)))
                .orElse(null), selectors);
    }

    @Override
    public void fetchJWTSVID(Workload.JWTSVIDRequest request, StreamObserver<Workload.JWTSVIDResponse> observer) {
        if (request.getAudienceList().isEmpty() || request.getAudienceList().stream().anyMatch(String::isEmpty)) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription("audience must be specified").asRuntimeException());
            return;
        }
        List<RegistrationEntry> entries = cache.snapshot().entriesFor(selectors());
        if (!request.getSpiffeId().isEmpty()) {
            SpiffeId wanted;
            try {
                wanted = SpiffeId.parse(request.getSpiffeId());
            } catch (IllegalArgumentException e) {
                observer.onError(Status.INVALID_ARGUMENT
                        .withDescription("invalid requested SPIFFE ID: " + e.getMessage()).asRuntimeException());
                return;
            }
            entries = entries.stream().filter(e -> e.spiffeId().equals(wanted)).toList();
            if (entries.isEmpty()) {
                observer.onError(Status.PERMISSION_DENIED
                        .withDescription("no identity issued for " + wanted).asRuntimeException());
                return;
            }
        }
        if (entries.isEmpty()) {
            observer.onError(Status.PERMISSION_DENIED.withDescription(NO_IDENTITY).asRuntimeException());
            return;
        }
        Workload.JWTSVIDResponse.Builder response = Workload.JWTSVIDResponse.newBuilder();
        Set<SpiffeId> seen = new LinkedHashSet<>();
        try {
            for (RegistrationEntry e : entries) {
                if (seen.add(e.spiffeId())) {
                    String token = jwtSvids.fetch(e, request.getAudienceList());
                    response.addSvids(ProtoMapper.jwtSvid(e.spiffeId().toString(), token));
                }
            }
        } catch (NodeException e) {
            Status status = switch (e.kind()) {
                case UNAVAILABLE -> Status.UNAVAILABLE;
                case DENIED -> Status.PERMISSION_DENIED;
                case INVALID -> Status.INTERNAL;
            };
            LOG.warn("cannot get a JWT-SVID: {}", e.getMessage());
            observer.onError(status.withDescription("could not fetch JWT-SVID: " + e.getMessage()).asRuntimeException());
            return;
        }
        observer.onNext(response.build());
        observer.onCompleted();
    }

    @Override
    public void validateJWTSVID(Workload.ValidateJWTSVIDRequest request,
            StreamObserver<Workload.ValidateJWTSVIDResponse> observer) {
        if (request.getAudience().isEmpty()) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription("audience must be specified").asRuntimeException());
            return;
        }
        if (request.getSvid().isEmpty()) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription("svid must be specified").asRuntimeException());
            return;
        }
        CacheSnapshot snapshot = cache.snapshot();
        if (snapshot.entriesFor(selectors()).isEmpty()) {
            observer.onError(Status.PERMISSION_DENIED.withDescription(NO_IDENTITY).asRuntimeException());
            return;
        }
        Optional<Bundle> bundle = snapshot.bundle();
        if (bundle.isEmpty()) {
            observer.onError(Status.UNAVAILABLE.withDescription("no trust bundle yet").asRuntimeException());
            return;
        }
        try {
            JwtSvidValidator.Valid valid = validator.validate(request.getSvid(), request.getAudience(), bundle.get());
            observer.onNext(ProtoMapper.validateResponse(valid.spiffeId().toString(), valid.claims()));
            observer.onCompleted();
        } catch (JwtSvidValidator.InvalidJwtException e) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    private static Set<Selector> selectors() {
        return Objects.requireNonNull(WorkloadApiInterceptor.SELECTORS.get(), "the interceptor sets the selectors");
    }

    /// What a stream would send for a snapshot: a comparable view of it and how to build the message.
    private record Update<T>(Object view, java.util.function.Supplier<T> message) {
    }

    private <T> void stream(StreamObserver<T> observer, Function<CacheSnapshot, @Nullable Update<T>> render,
            Set<Selector> selectors) {
        ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) observer;
        Stream<T> stream = new Stream<>(call, render, selectors);
        call.setOnCancelHandler(stream::cancel);
        stream.start(cache);
    }

    /// One open stream: sends when the caller's view changes, ends when the caller loses every identity.
    private static final class Stream<T> {
        private final ServerCallStreamObserver<T> call;
        private final Function<CacheSnapshot, @Nullable Update<T>> render;
        private final Set<Selector> selectors;
        private SvidCache.@Nullable Subscription subscription;
        private @Nullable Object lastView;
        private boolean closed;

        Stream(ServerCallStreamObserver<T> call, Function<CacheSnapshot, @Nullable Update<T>> render,
                Set<Selector> selectors) {
            this.call = call;
            this.render = render;
            this.selectors = selectors;
        }

        synchronized void start(SvidCache cache) {
            subscription = cache.subscribe(this::onSnapshot);
            onSnapshot(cache.snapshot());
        }

        synchronized void onSnapshot(CacheSnapshot snapshot) {
            if (closed) {
                return;
            }
            if (snapshot.entriesFor(selectors).isEmpty()) {
                closed = true;
                unsubscribe();
                call.onError(Status.PERMISSION_DENIED.withDescription(NO_IDENTITY).asRuntimeException());
                return;
            }
            Update<T> update = render.apply(snapshot);
            if (update == null || update.view().equals(lastView)) {
                return;
            }
            lastView = update.view();
            try {
                call.onNext(update.message().get());
            } catch (RuntimeException e) {
                LOG.debug("a Workload API stream ended: {}", e.toString());
                closed = true;
                unsubscribe();
            }
        }

        synchronized void cancel() {
            closed = true;
            unsubscribe();
        }

        private void unsubscribe() {
            SvidCache.Subscription s = subscription;
            if (s != null) {
                s.close();
            }
        }
    }
}
