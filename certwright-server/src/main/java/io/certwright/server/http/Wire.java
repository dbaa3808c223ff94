package io.certwright.server.http;

import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Pem;
import io.certwright.ca.access.ApiToken;
import io.certwright.ca.access.Provisioner;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.policy.DnsPattern;
import io.certwright.ca.policy.IpRange;
import io.certwright.ca.policy.SpiffeIdPattern;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.Refusal;
import io.certwright.ca.registry.CertificateRecord;
import io.certwright.ca.registry.Revocation;
import io.certwright.core.Durations;
import io.certwright.core.SerialNumber;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/// The JSON vocabulary of API v1: request bodies, response views, and the one Jackson mapper that reads
/// and writes them (snake_case names, unknown or duplicate fields refused, no scalar coercion).
final class Wire {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private Wire() {
    }

    /// Decodes a JSON object body into `type`.
    static <T> T read(byte[] body, Class<T> type) throws ProblemException {
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new ProblemException(ProblemType.MALFORMED_REQUEST, "the body must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "unknown field '" + e.getPropertyName() + "'");
        } catch (JacksonException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "invalid JSON body: " + e.getOriginalMessage());
        }
    }

    static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /// The answer to a revocation: the certificate's view plus `already_revoked`, true when it was revoked
    /// before and nothing changed.
    static ObjectNode revocation(Revocation r) {
        ObjectNode node = (ObjectNode) MAPPER.valueToTree(Certificate.of(r.record()));
        node.put("already_revoked", r.alreadyRevoked());
        return node;
    }

    // ------------------------------------------------------------------ request bodies

    record IssueBody(@Nullable String csr, @Nullable String profile, @Nullable String ttl) {
    }

    record RenewBody(@Nullable String csr, @Nullable String ttl) {
    }

    record RevokeBody(@Nullable String reason) {
    }

    record TokenBody(@Nullable String name, @Nullable String role, @Nullable String ttl) {
    }

    record ProvisionerBody(@Nullable String name, @Nullable String kind, @Nullable List<String> profiles,
            @Nullable List<String> dns, @Nullable List<String> ip, @Nullable List<String> spiffeId,
            @Nullable String maxTtl, @Nullable String tokenTtl) {
    }

    record EnrollmentBody(@Nullable String spiffeId, @Nullable List<String> dns, @Nullable List<String> ip,
            @Nullable String ttl) {
    }

    // ------------------------------------------------------------------ responses

    record Issued(String serial, String certificate, List<String> chain, String notBefore, String notAfter,
            String profile, List<String> names, @Nullable String spiffeId, List<String> notes) {

        static Issued of(IssuedCertificate issued, Profile profile, List<String> names) {
            X509Certificate c = issued.certificate();
            Optional<String> spiffe = names.stream().filter(n -> n.startsWith("spiffe://")).findFirst();
            return new Issued(issued.serial().hex(), Pem.certificate(c),
                    issued.chain().stream().map(Pem::certificate).toList(),
                    c.getNotBefore().toInstant().toString(), c.getNotAfter().toInstant().toString(),
                    profile.wireName(), names, spiffe.orElse(null), issued.notes());
        }
    }

    record Certificate(String serial, String status, String profile, List<String> names, @Nullable String spiffeId,
            String subject, String issuer, String notBefore, String notAfter, String keyAlgorithm,
            @Nullable String sha256, String requester, String provisioner, @Nullable String revokedAt,
            @Nullable String revocationReason, @Nullable String certificate) {

        static Certificate of(CertificateRecord r) {
            return new Certificate(r.serial().hex(), r.status().wireName(), r.profile().wireName(), r.names(),
                    r.spiffeId().orElse(null), r.subject(), r.issuer(), r.validity().notBefore().toString(),
                    r.validity().notAfter().toString(), r.keyAlgorithm(), r.sha256().orElse(null), r.requester(),
                    r.provisioner(), r.revokedAt().map(Object::toString).orElse(null),
                    r.revocationReason().map(x -> x.wireName()).orElse(null), r.pem().orElse(null));
        }
    }

    record CertificateList(List<Certificate> items, @Nullable String nextCursor) {
    }

    record Token(String id, String name, String role, String createdAt, @Nullable String expiresAt, boolean revoked) {

        static Token of(ApiToken t) {
            return new Token(t.id(), t.name(), t.role().wireName(), t.createdAt().toString(),
                    t.expiresAt().map(Object::toString).orElse(null), t.revoked());
        }
    }

    record CreatedToken(String id, String name, String role, String token, String createdAt,
            @Nullable String expiresAt) {
    }

    record TokenList(List<Token> items) {
    }

    record ProvisionerView(String name, String kind, List<String> profiles, List<String> dns, List<String> ip,
            List<String> spiffeId, String maxTtl, @Nullable String tokenTtl) {

        static ProvisionerView of(Provisioner p) {
            String kind = p instanceof Provisioner.Token ? "token" : "renew";
            String tokenTtl = p instanceof Provisioner.Token t ? Durations.format(t.tokenLifetime()) : null;
            return new ProvisionerView(p.name(), kind, p.profiles().stream().map(Profile::wireName).sorted().toList(),
                    p.names().dns().stream().map(DnsPattern::toString).toList(),
                    p.names().ips().stream().map(IpRange::toString).toList(),
                    p.names().spiffeIds().stream().map(SpiffeIdPattern::toString).toList(),
                    Durations.format(p.maxLifetime()), tokenTtl);
        }
    }

    record ProvisionerList(List<ProvisionerView> items) {
    }

    record Enrollment(String id, String token, String provisioner, List<String> names, String expiresAt) {
    }

    record Entry(long sequence, String time, String actor, String action, String target, String outcome,
            Map<String, String> details, String previousHash, String hash) {

        static Entry of(AuditEntry e) {
            return new Entry(e.sequence(), e.time().toString(), e.event().actor(), e.event().action(),
                    e.event().target(), e.event().outcome().wireName(), e.event().details(), e.previousHash(),
                    e.hash());
        }
    }

    record AuditPage(List<Entry> entries, @Nullable Long next) {
    }

    record Status(String status) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Problem(String type, String title, int status, String detail, @Nullable String instance,
            @Nullable List<RefusalView> refusals) {
    }

    record RefusalView(String rule, String detail) {

        static RefusalView of(Refusal r) {
            return new RefusalView(r.rule().wireName(), r.detail());
        }
    }

    /// Lower-case hex without separators, the serial form of every response.
    static String serial(SerialNumber s) {
        return s.hex();
    }
}
