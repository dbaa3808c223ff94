package io.certwright.agent.workloadapi;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.certwright.agent.cache.X509Svid;
import io.certwright.agent.internal.x509.Pem;
import io.certwright.agent.node.Bundle;
import io.spiffe.workloadapi.grpc.Workload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// Converts the agent's types to Workload API messages; no other class builds protobuf messages.
final class ProtoMapper {

    private ProtoMapper() {
    }

    static Workload.X509SVIDResponse x509SvidResponse(List<X509Svid> svids, Bundle bundle) {
        ByteString roots = ByteString.copyFrom(Pem.concatenatedDer(bundle.x509Authorities()));
        Workload.X509SVIDResponse.Builder b = Workload.X509SVIDResponse.newBuilder();
        for (X509Svid s : svids) {
            b.addSvids(Workload.X509SVID.newBuilder()
                    .setSpiffeId(s.entry().spiffeId().toString())
                    .setX509Svid(ByteString.copyFrom(Pem.concatenatedDer(s.chain())))
                    .setX509SvidKey(ByteString.copyFrom(s.privateKey().getEncoded()))
                    .setBundle(roots));
        }
        return b.build();
    }

    static Workload.X509BundlesResponse x509BundlesResponse(Bundle bundle) {
        return Workload.X509BundlesResponse.newBuilder()
                .putBundles(bundle.trustDomain().id().toString(),
                        ByteString.copyFrom(Pem.concatenatedDer(bundle.x509Authorities())))
                .build();
    }

    static Workload.JWTBundlesResponse jwtBundlesResponse(Bundle bundle) {
        return Workload.JWTBundlesResponse.newBuilder()
                .putBundles(bundle.trustDomain().id().toString(),
                        ByteString.copyFrom(bundle.jwksJson(), StandardCharsets.UTF_8))
                .build();
    }

    static Workload.JWTSVID jwtSvid(String spiffeId, String token) {
        return Workload.JWTSVID.newBuilder().setSpiffeId(spiffeId).setSvid(token).build();
    }

    static Workload.ValidateJWTSVIDResponse validateResponse(String spiffeId, Map<String, @Nullable Object> claims) {
        return Workload.ValidateJWTSVIDResponse.newBuilder().setSpiffeId(spiffeId).setClaims(struct(claims)).build();
    }

    static Struct struct(Map<String, @Nullable Object> map) {
        Struct.Builder b = Struct.newBuilder();
        map.forEach((k, v) -> b.putFields(k, value(v)));
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static Value value(@Nullable Object v) {
        return switch (v) {
            case null -> Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
            case String s -> Value.newBuilder().setStringValue(s).build();
            case Boolean bool -> Value.newBuilder().setBoolValue(bool).build();
            case Number n -> Value.newBuilder().setNumberValue(n.doubleValue()).build();
            case Map<?, ?> m -> Value.newBuilder().setStructValue(struct((Map<String, @Nullable Object>) m)).build();
            case List<?> l -> {
                ListValue.Builder lb = ListValue.newBuilder();
                l.forEach(e -> lb.addValues(value(e)));
                yield Value.newBuilder().setListValue(lb).build();
            }
            default -> Value.newBuilder().setStringValue(v.toString()).build();
        };
    }
}
