package io.certwright.server.http;

import static io.certwright.server.http.Requests.abbreviate;
import static io.certwright.server.http.Requests.each;
import static io.certwright.server.http.Requests.malformed;
import static io.certwright.server.http.Requests.newId;
import static io.certwright.server.http.Requests.notFound;
import static io.certwright.server.http.Requests.optional;
import static io.certwright.server.http.Requests.parse;
import static io.certwright.server.http.Requests.required;
import static io.certwright.server.http.Requests.sha256;

import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Pem;
import io.certwright.ca.Requester;
import io.certwright.ca.access.AccessStore;
import io.certwright.ca.access.ApiToken;
import io.certwright.ca.access.EnrollmentToken;
import io.certwright.ca.access.Provisioner;
import io.certwright.ca.access.Role;
import io.certwright.ca.access.Secret;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.audit.AuditLog;
import io.certwright.ca.policy.DnsNames;
import io.certwright.ca.policy.DnsPattern;
import io.certwright.ca.policy.IpRange;
import io.certwright.ca.policy.SanPolicy;
import io.certwright.ca.policy.SpiffeIdPattern;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.PolicyRule;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.ca.registry.CertificatePage;
import io.certwright.ca.registry.CertificateQuery;
import io.certwright.ca.registry.CertificateRecord;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.registry.Revocation;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.core.Durations;
import io.certwright.core.SerialNumber;
import io.certwright.core.SpiffeId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// The handlers of API v1. Each decodes its request, calls the CA, the registry, the access store or the
/// audit log, and encodes the answer; failures propagate as exceptions that [HttpEdge] maps to problems.
final class ApiV1 {

    /// Readiness: empty when ready, else why not.
    @FunctionalInterface
    interface Readiness {
        Optional<String> notReadyBecause();
    }

    private static final Pattern SERIAL = Pattern.compile("[0-9a-fA-F:]{1,64}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Set<Profile> LEAF_PROFILES = Set.of(Profile.SVID, Profile.SERVER, Profile.CLIENT, Profile.MTLS);
    private static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(10);

    private final CertificateAuthority ca;
    private final CertificateRepository registry;
    private final AccessStore access;
    private final AuditLog audit;
    private final Authenticator auth;
    private final Issuance issuance;
    private final Metrics metrics;
    private final Readiness readiness;
    private final byte[] openApi;

    ApiV1(CertificateAuthority ca, CertificateRepository registry, AccessStore access, AuditLog audit,
            Authenticator auth, Issuance issuance, Metrics metrics, Readiness readiness, byte[] openApi) {
        this.ca = ca;
        this.registry = registry;
        this.access = access;
        this.audit = audit;
        this.auth = auth;
        this.issuance = issuance;
        this.metrics = metrics;
        this.readiness = readiness;
        this.openApi = openApi.clone();
    }

    // ------------------------------------------------------------------ certificates

    Reply issue(Call call) throws Exception {
        Wire.IssueBody body = Wire.read(call.jsonBody(), Wire.IssueBody.class);
        byte[] csr = csr(body.csr());
        Profile profile = parse(required(body.profile(), "profile"), "profile", ApiV1::profile);
        Optional<Duration> ttl = optional(body.ttl(), "ttl", Durations::parse);
        IssuedCertificate issued = switch (call.caller()) {
            case Caller.Token t -> issuance.withToken(csr, profile, ttl, new Requester(t.actor(), "admin-api"));
            case Caller.Bearer b -> {
                EnrollmentToken token = auth.redeem(call, b.secret());
                Provisioner p = access.provisioner(token.provisioner()).orElseThrow(() -> new ProblemException(
                        ProblemType.FORBIDDEN, "provisioner " + token.provisioner() + " no longer exists"));
                yield issuance.withEnrollment(csr, profile, ttl, token, p);
            }
            case Caller.Anonymous a -> throw new ProblemException(ProblemType.UNAUTHORIZED, "a token is required");
        };
        return issued(call, issued, profile);
    }

    Reply renew(Call call) throws Exception {
        List<X509Certificate> peer = call.peerCertificates();
        if (peer.isEmpty()) {
            throw auth.failed(call, ProblemType.UNAUTHORIZED, "renewal needs the current certificate as the TLS "
                    + "client certificate");
        }
        X509Certificate presented = peer.getFirst();
        SerialNumber serial = new SerialNumber(presented.getSerialNumber());
        Optional<CertificateRecord> found = registry.find(serial);
        if (found.isEmpty() || !found.get().sha256().equals(Optional.of(sha256(presented)))) {
            throw auth.failed(call, ProblemType.UNAUTHORIZED, "the client certificate was not issued by this CA");
        }
        CertificateRecord current = found.get();
        if (current.status() != CertificateStatus.VALID) {
            issuance.refused("cert:" + serial.hex(), "certificate.renew", serial.hex(), Map.of("reason",
                    "certificate is " + current.status().wireName()));
            throw new ProblemException(ProblemType.FORBIDDEN, "certificate " + serial.hex() + " is "
                    + current.status().wireName() + " and cannot be renewed");
        }
        if (!current.validity().contains(call.now())) {
            throw auth.failed(call, ProblemType.UNAUTHORIZED, "certificate " + serial.hex() + " is not currently valid");
        }
        Wire.RenewBody body = Wire.read(call.jsonBody(), Wire.RenewBody.class);
        byte[] csr = csr(body.csr());
        Optional<Duration> ttl = optional(body.ttl(), "ttl", Durations::parse);
        return issued(call, issuance.renew(csr, ttl, current), current.profile());
    }

    private static Reply issued(Call call, IssuedCertificate issued, Profile profile) {
        if (call.accepts(Reply.PEM_CHAIN)) {
            return Reply.text(201, Reply.PEM_CHAIN, Pem.certificates(issued.fullChain()));
        }
        return Reply.json(201, Wire.Issued.of(issued, profile, issued.names().all()));
    }

    Reply list(Call call) throws Exception {
        CertificateQuery q = new CertificateQuery(
                optional(call.query("status").orElse(null), "status", CertificateStatus::parse),
                optional(call.query("expiring_within").orElse(null), "expiring_within", Durations::parse),
                call.query("spiffe_id_prefix"), call.query("dns_prefix"),
                optional(call.query("profile").orElse(null), "profile", ApiV1::profile),
                call.query("requester"), call.query("cursor"),
                optional(call.query("limit").orElse(null), "limit", ApiV1::limit).orElse(100));
        CertificatePage page;
        try {
            page = registry.list(q, call.now());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "invalid cursor");
        }
        return Reply.json(200, new Wire.CertificateList(page.items().stream().map(Wire.Certificate::of).toList(),
                page.nextCursor().orElse(null)));
    }

    Reply get(Call call) throws Exception {
        SerialNumber serial = serial(call.param("serial"));
        CertificateRecord r = registry.find(serial).orElseThrow(() -> notFound("certificate " + serial.hex()));
        return Reply.json(200, Wire.Certificate.of(r));
    }

    Reply revoke(Call call) throws Exception {
        SerialNumber serial = serial(call.param("serial"));
        Wire.RevokeBody body = Wire.read(call.jsonBody(), Wire.RevokeBody.class);
        RevocationReason reason = parse(required(body.reason(), "reason"), "reason", RevocationReason::parse);
        String actor = call.caller().actor();
        Optional<Revocation> revoked;
        try {
            revoked = registry.revoke(serial, reason, call.now(), AuditEvent.success(actor, "certificate.revoke",
                    serial.hex(), Map.of("reason", reason.wireName())));
        } catch (RegistryException e) {
            issuance.refused(actor, "certificate.revoke", serial.hex(), Map.of("reason",
                    e.getMessage() == null ? e.kind().name() : e.getMessage()));
            throw e;
        }
        if (revoked.isEmpty()) {
            issuance.refused(actor, "certificate.revoke", serial.hex(), Map.of("reason", "unknown serial"));
            throw notFound("certificate " + serial.hex());
        }
        // Revoking again is not an error: the first revocation stands and the answer says so.
        return Reply.json(200, Wire.revocation(revoked.get()));
    }

    // ------------------------------------------------------------------ tokens and provisioners

    Reply createToken(Call call) throws Exception {
        Wire.TokenBody body = Wire.read(call.jsonBody(), Wire.TokenBody.class);
        String name = required(body.name(), "name");
        if (name.length() > 100 || name.isBlank()) {
            throw malformed("name must be 1 to 100 characters");
        }
        Role role = parse(required(body.role(), "role"), "role", Role::parse);
        Optional<Duration> ttl = optional(body.ttl(), "ttl", Durations::parse);
        Secret secret = Secret.generate("cwt_");
        Instant now = call.now();
        ApiToken token = new ApiToken(newId("tok_"), name, role, secret.hash(), now, ttl.map(now::plus), false);
        access.createToken(token);
        audit.append(AuditEvent.success(call.caller().actor(), "token.create", token.id(),
                Map.of("name", name, "role", role.wireName())));
        return Reply.json(201, new Wire.CreatedToken(token.id(), name, role.wireName(), secret.reveal(),
                now.toString(), token.expiresAt().map(Object::toString).orElse(null)));
    }

    Reply listTokens(Call call) throws Exception {
        return Reply.json(200, new Wire.TokenList(access.tokens().stream().map(Wire.Token::of).toList()));
    }

    Reply revokeToken(Call call) throws Exception {
        String id = call.param("id");
        if (!ID.matcher(id).matches() || !access.revokeToken(id)) {
            throw notFound("token " + id);
        }
        audit.append(AuditEvent.success(call.caller().actor(), "token.revoke", id, Map.of()));
        return Reply.noContent();
    }

    Reply saveProvisioner(Call call) throws Exception {
        Wire.ProvisionerBody b = Wire.read(call.jsonBody(), Wire.ProvisionerBody.class);
        String name = required(b.name(), "name");
        if (!NAME.matcher(name).matches()) {
            throw malformed("name must be 1 to 63 lowercase letters, digits, '.', '_' or '-'");
        }
        if (!"token".equals(required(b.kind(), "kind"))) {
            throw malformed("kind must be 'token'");
        }
        Set<Profile> profiles = new LinkedHashSet<>(each(b.profiles(), "profiles", ApiV1::profile));
        if (profiles.isEmpty()) {
            throw malformed("profiles must name at least one profile");
        }
        SanPolicy names = new SanPolicy(each(b.dns(), "dns", DnsPattern::parse), each(b.ip(), "ip", IpRange::parse),
                each(b.spiffeId(), "spiffe_id", SpiffeIdPattern::parse), List.of(), List.of());
        Duration maxTtl = optional(b.maxTtl(), "max_ttl", Durations::parse).orElse(Duration.ofHours(24));
        Duration tokenTtl = optional(b.tokenTtl(), "token_ttl", Durations::parse).orElse(DEFAULT_TOKEN_TTL);
        Provisioner p = new Provisioner.Token(name, names, profiles, maxTtl, tokenTtl);
        access.saveProvisioner(p);
        audit.append(AuditEvent.success(call.caller().actor(), "provisioner.save", name,
                Map.of("profiles", String.join(",", profiles.stream().map(Profile::wireName).toList()),
                        "max_ttl", Durations.format(maxTtl))));
        return Reply.json(201, Wire.ProvisionerView.of(p));
    }

    Reply listProvisioners(Call call) throws Exception {
        return Reply.json(200, new Wire.ProvisionerList(access.provisioners().stream()
                .map(Wire.ProvisionerView::of).toList()));
    }

    Reply deleteProvisioner(Call call) throws Exception {
        String name = call.param("name");
        if (!NAME.matcher(name).matches() || !access.deleteProvisioner(name)) {
            throw notFound("provisioner " + name);
        }
        audit.append(AuditEvent.success(call.caller().actor(), "provisioner.delete", name, Map.of()));
        return Reply.noContent();
    }

    Reply createEnrollment(Call call) throws Exception {
        String name = call.param("name");
        Provisioner p = (NAME.matcher(name).matches() ? access.provisioner(name) : Optional.<Provisioner>empty())
                .orElseThrow(() -> notFound("provisioner " + name));
        if (!(p instanceof Provisioner.Token tp)) {
            throw new ProblemException(ProblemType.WRONG_STATE, "provisioner " + name + " does not make tokens");
        }
        Wire.EnrollmentBody b = Wire.read(call.jsonBody(), Wire.EnrollmentBody.class);
        List<URI> uris = new ArrayList<>();
        if (b.spiffeId() != null) {
            uris.add(URI.create(parse(b.spiffeId(), "spiffe_id", SpiffeId::parse).toString()));
        }
        SubjectNames names = new SubjectNames(each(b.dns(), "dns", ApiV1::dnsName), each(b.ip(), "ip",
                IpRange::parseLiteral), uris, List.of());
        if (names.isEmpty()) {
            throw malformed("name the identity: spiffe_id, dns or ip");
        }
        Duration ttl = optional(b.ttl(), "ttl", Durations::parse).orElse(tp.tokenLifetime());
        var refusals = new ArrayList<>(Issuance.disallowed(p.names(), names, "provisioner " + name));
        if (ttl.compareTo(tp.tokenLifetime()) > 0) {
            refusals.add(new io.certwright.ca.profile.Refusal(PolicyRule.TTL_ABOVE_MAXIMUM, "token lifetime "
                    + Durations.format(ttl) + " is above the provisioner's " + Durations.format(tp.tokenLifetime())));
        }
        if (!refusals.isEmpty()) {
            throw new PolicyException(refusals);
        }
        Secret secret = Secret.generate("cwe_");
        Instant expires = call.now().plus(ttl);
        EnrollmentToken token = new EnrollmentToken(newId("enr_"), name, secret.hash(), names, expires,
                Optional.empty());
        access.createEnrollment(token);
        audit.append(AuditEvent.success(call.caller().actor(), "enrollment.create", token.id(),
                Map.of("provisioner", name, "names", String.join(",", names.all()), "expires_at", expires.toString())));
        return Reply.json(201, new Wire.Enrollment(token.id(), secret.reveal(), name, names.all(), expires.toString()));
    }

    // ------------------------------------------------------------------ audit

    Reply audit(Call call) throws Exception {
        long from = optional(call.query("from").orElse(null), "from", ApiV1::sequence).orElse(1L);
        int limit = optional(call.query("limit").orElse(null), "limit", ApiV1::limit).orElse(100);
        List<AuditEntry> entries = audit.read(from, limit);
        Long next = entries.size() == limit ? entries.getLast().sequence() + 1 : null;
        return Reply.json(200, new Wire.AuditPage(entries.stream().map(Wire.Entry::of).toList(), next));
    }

    Reply auditExport(Call call) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long from = 1;
        while (true) {
            List<AuditEntry> batch = audit.read(from, 1000);
            for (AuditEntry e : batch) {
                out.write(Wire.write(Wire.Entry.of(e)));
                out.write('\n');
            }
            if (batch.size() < 1000) {
                break;
            }
            from = batch.getLast().sequence() + 1;
        }
        return new Reply(200, "application/jsonl", out.toByteArray(), Map.of());
    }

    // ------------------------------------------------------------------ operations

    Reply openApi(Call call) {
        return new Reply(200, Reply.JSON, openApi, Map.of());
    }

    Reply roots(Call call) {
        return Reply.text(200, Reply.PEM_CHAIN, ca.trustBundle().pem());
    }

    Reply healthz(Call call) {
        return Reply.json(200, new Wire.Status("ok"));
    }

    Reply readyz(Call call) throws ProblemException {
        Optional<String> why = readiness.notReadyBecause();
        if (why.isPresent()) {
            throw new ProblemException(ProblemType.NOT_READY, why.get());
        }
        return Reply.json(200, new Wire.Status("ready"));
    }

    Reply metrics(Call call) {
        return Reply.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
    }

    // ------------------------------------------------------------------ decoding helpers

    private static byte[] csr(@Nullable String pem) throws ProblemException {
        String text = required(pem, "csr");
        try {
            return Pem.readCsr(text.getBytes(StandardCharsets.US_ASCII), "csr");
        } catch (IOException | RuntimeException e) {
            throw malformed("csr must be a PEM CERTIFICATE REQUEST");
        }
    }

    private static Profile profile(String name) {
        Profile p = Profile.parse(name);
        if (!LEAF_PROFILES.contains(p) || !p.wireName().equals(name)) {
            throw new IllegalArgumentException("profile must be svid, server, client or mtls");
        }
        return p;
    }

    private static SerialNumber serial(String text) throws ProblemException {
        if (!SERIAL.matcher(text).matches()) {
            throw malformed("'" + abbreviate(text) + "' is not a hexadecimal serial number");
        }
        return parse(text, "serial", SerialNumber::parseHex);
    }

    private static int limit(String text) {
        int n = Integer.parseInt(text);
        if (n < 1 || n > CertificateQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("must be between 1 and " + CertificateQuery.MAX_LIMIT);
        }
        return n;
    }

    private static long sequence(String text) {
        long n = Long.parseLong(text);
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1");
        }
        return n;
    }

    private static String dnsName(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!DnsNames.isValidSanName(lower)) {
            throw new IllegalArgumentException("'" + text + "' is not a DNS name");
        }
        return lower;
    }
}
