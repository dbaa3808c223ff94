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
import io.certwright.ca.CsrContents;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.Requester;
import io.certwright.ca.access.Secret;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.audit.AuditLog;
import io.certwright.ca.policy.DnsNames;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.PolicyRule;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.registry.CertificateQuery;
import io.certwright.ca.registry.CertificateRecord;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.ca.registry.CertificatePage;
import io.certwright.ca.registry.CertificateStatus;
import io.certwright.ca.registry.RegistryException;
import io.certwright.ca.registry.RevocationReason;
import io.certwright.ca.workload.AgentRecord;
import io.certwright.ca.workload.EntryParent;
import io.certwright.ca.workload.JoinAttempt;
import io.certwright.ca.workload.JoinToken;
import io.certwright.ca.workload.RegistrationEntry;
import io.certwright.ca.workload.Selector;
import io.certwright.ca.workload.WorkloadStore;
import io.certwright.core.Durations;
import io.certwright.core.SerialNumber;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import io.certwright.server.workload.JwtSvids;
import io.certwright.server.workload.SpiffeBundle;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Workload identity over HTTP: the admin routes for registration entries, join tokens and agents, the
/// node API the node agents call, and the public SPIFFE bundle.
///
/// The node API authenticates agents by their X509-SVID, presented as the TLS client certificate: it must
/// be a certificate this CA issued (found in the registry with the same SHA-256), currently valid, not
/// revoked, carry an agent SPIFFE ID of this trust domain, and belong to an agent that is not banned. Only
/// `POST /api/v1/node/attest` takes no certificate: it takes a one-time join token instead. Every refusal
/// is audited; failed authentications count against the address's rate limit.
final class WorkloadApi {

    /// Lifetime of an agent's own X509-SVID (capped at the CA's SVID maximum).
    static final Duration AGENT_SVID_TTL = Duration.ofHours(1);
    /// Lifetime of a join token unless the request names one.
    static final Duration DEFAULT_JOIN_TOKEN_TTL = Duration.ofHours(1);
    /// Longest join token lifetime.
    static final Duration MAX_JOIN_TOKEN_TTL = Duration.ofDays(30);
    /// Default X509-SVID lifetime of an entry.
    static final Duration DEFAULT_X509_SVID_TTL = Duration.ofHours(1);
    /// Default JWT-SVID lifetime of an entry.
    static final Duration DEFAULT_JWT_SVID_TTL = Duration.ofMinutes(5);
    /// Longest JWT-SVID lifetime of an entry.
    static final Duration MAX_JWT_SVID_TTL = Duration.ofHours(24);
    /// Most CSRs in one `POST /api/v1/node/svids`.
    static final int MAX_BATCH = 1000;
    /// Body limit of `POST /api/v1/node/svids` (the configured limit applies when it is larger).
    static final int BATCH_BODY_BYTES = 2 * 1024 * 1024;
    /// Most audiences of one JWT-SVID, and the longest audience.
    static final int MAX_AUDIENCES = 32;
    static final int MAX_AUDIENCE_LENGTH = 512;

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadApi.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final int MAX_SECRET = 256;

    private final WorkloadStore store;
    private final CertificateAuthority ca;
    private final CertificateRepository registry;
    private final AuditLog audit;
    private final Authenticator auth;
    private final Issuance issuance;
    private final JwtSvids jwt;
    private final SpiffeBundle bundle;
    private final TrustDomain td;
    private final int maxBodyBytes;

    WorkloadApi(WorkloadStore store, CertificateAuthority ca, CertificateRepository registry, AuditLog audit,
            Authenticator auth, Issuance issuance, JwtSvids jwt, SpiffeBundle bundle, TrustDomain td,
            int maxBodyBytes) {
        this.store = store;
        this.ca = ca;
        this.registry = registry;
        this.audit = audit;
        this.auth = auth;
        this.issuance = issuance;
        this.jwt = jwt;
        this.bundle = bundle;
        this.td = td;
        this.maxBodyBytes = maxBodyBytes;
    }

    List<Routes.Route> routes() {
        return List.of(
                new Routes.Route("POST", "/api/v1/entries", Access.ADMIN, this::createEntry),
                new Routes.Route("GET", "/api/v1/entries", Access.AUDITOR, this::listEntries),
                new Routes.Route("GET", "/api/v1/entries/{id}", Access.AUDITOR, this::getEntry),
                new Routes.Route("DELETE", "/api/v1/entries/{id}", Access.ADMIN, this::deleteEntry),
                new Routes.Route("POST", "/api/v1/agents/tokens", Access.OPERATOR, this::createJoinToken),
                new Routes.Route("GET", "/api/v1/agents", Access.AUDITOR, this::listAgents),
                new Routes.Route("POST", "/api/v1/agents/{name}/ban", Access.OPERATOR, this::ban),
                new Routes.Route("POST", "/api/v1/node/attest", Access.PUBLIC, this::attest),
                new Routes.Route("POST", "/api/v1/node/renew", Access.AGENT, this::renew),
                new Routes.Route("GET", "/api/v1/node/entries", Access.AGENT, this::nodeEntries),
                new Routes.Route("POST", "/api/v1/node/svids", Access.AGENT, this::svids),
                new Routes.Route("POST", "/api/v1/node/jwt-svid", Access.AGENT, this::jwtSvid),
                new Routes.Route("GET", "/api/v1/node/bundle", Access.AGENT, this::nodeBundle),
                new Routes.Route("GET", "/bundle", Access.PUBLIC, this::bundle));
    }

    // ------------------------------------------------------------------ entries

    Reply createEntry(Call call) throws Exception {
        WorkloadWire.EntryBody b = Wire.read(call.jsonBody(), WorkloadWire.EntryBody.class);
        SpiffeId id = parse(required(b.spiffeId(), "spiffe_id"), "spiffe_id", SpiffeId::parse);
        if (!id.trustDomain().equals(td)) {
            throw malformed("spiffe_id must be in the trust domain " + td.name());
        }
        EntryParent parent = parse(required(b.parentId(), "parent_id"), "parent_id", EntryParent::parse);
        if (parent instanceof EntryParent.Agent a && !a.id().trustDomain().equals(td)) {
            throw malformed("parent_id must be an agent of the trust domain " + td.name());
        }
        List<Selector> selectors = each(b.selectors(), "selectors", Selector::parse);
        if (selectors.isEmpty() || selectors.size() > RegistrationEntry.MAX_SELECTORS) {
            throw malformed("selectors must hold 1 to " + RegistrationEntry.MAX_SELECTORS + " selectors");
        }
        selectors = List.copyOf(new LinkedHashSet<>(selectors));
        Duration x509 = optional(b.x509SvidTtl(), "x509_svid_ttl", Durations::parse).orElse(DEFAULT_X509_SVID_TTL);
        Duration jwtTtl = optional(b.jwtSvidTtl(), "jwt_svid_ttl", Durations::parse).orElse(DEFAULT_JWT_SVID_TTL);
        var lifetimes = ca.settings().lifetimes(Profile.SVID);
        if (x509.compareTo(lifetimes.minimum()) < 0 || x509.compareTo(lifetimes.maximum()) > 0) {
            throw malformed("x509_svid_ttl must be between " + Durations.format(lifetimes.minimum()) + " and "
                    + Durations.format(lifetimes.maximum()));
        }
        if (jwtTtl.compareTo(Duration.ofSeconds(30)) < 0 || jwtTtl.compareTo(MAX_JWT_SVID_TTL) > 0) {
            throw malformed("jwt_svid_ttl must be between 30s and " + Durations.format(MAX_JWT_SVID_TTL));
        }
        List<String> dns = List.copyOf(new LinkedHashSet<>(each(b.dnsNames(), "dns_names", WorkloadApi::dnsName)));
        if (dns.size() > RegistrationEntry.MAX_DNS_NAMES) {
            throw malformed("dns_names holds at most " + RegistrationEntry.MAX_DNS_NAMES + " names");
        }
        RegistrationEntry e;
        try {
            e = new RegistrationEntry(newId("ent_"), id, parent, selectors, x509, jwtTtl, dns,
                    Boolean.TRUE.equals(b.admin()), 1, call.now());
        } catch (IllegalArgumentException ex) {
            throw malformed(String.valueOf(ex.getMessage()));
        }
        store.createEntry(e);
        audit.append(AuditEvent.success(call.caller().actor(), "entry.create", e.id(), Map.of("spiffe_id",
                id.toString(), "parent_id", parent.text(), "selectors", String.join(",",
                        selectors.stream().map(Selector::toString).toList()), "admin", Boolean.toString(e.admin()))));
        return Reply.json(201, WorkloadWire.Entry.of(e));
    }

    Reply listEntries(Call call) throws Exception {
        Optional<String> parent = call.query("parent_id");
        if (parent.isPresent()) {
            parse(parent.get(), "parent_id", EntryParent::parse);
        }
        return Reply.json(200, new WorkloadWire.EntryList(store.entries(parent).stream()
                .map(WorkloadWire.Entry::of).toList()));
    }

    Reply getEntry(Call call) throws Exception {
        String id = call.param("id");
        RegistrationEntry e = (ID.matcher(id).matches() ? store.entry(id) : Optional.<RegistrationEntry>empty())
                .orElseThrow(() -> notFound("entry " + abbreviate(id)));
        return Reply.json(200, WorkloadWire.Entry.of(e));
    }

    Reply deleteEntry(Call call) throws Exception {
        String id = call.param("id");
        if (!ID.matcher(id).matches() || !store.deleteEntry(id)) {
            throw notFound("entry " + abbreviate(id));
        }
        audit.append(AuditEvent.success(call.caller().actor(), "entry.delete", id, Map.of()));
        return Reply.noContent();
    }

    // ------------------------------------------------------------------ join tokens and agents

    Reply createJoinToken(Call call) throws Exception {
        WorkloadWire.JoinTokenBody b = Wire.read(call.jsonBody(), WorkloadWire.JoinTokenBody.class);
        String node = required(b.node(), "node");
        SpiffeId agentId = parse(node, "node", n -> EntryParent.agentId(td, n));
        Duration ttl = optional(b.ttl(), "ttl", Durations::parse).orElse(DEFAULT_JOIN_TOKEN_TTL);
        if (!ttl.isPositive() || ttl.compareTo(MAX_JOIN_TOKEN_TTL) > 0) {
            throw malformed("ttl must be positive and at most " + Durations.format(MAX_JOIN_TOKEN_TTL));
        }
        Secret secret = Secret.generate("cwj_");
        Instant now = call.now();
        JoinToken token = new JoinToken(newId("jt_"), node, secret.hash(), now, now.plus(ttl), Optional.empty());
        store.createJoinToken(token);
        audit.append(AuditEvent.success(call.caller().actor(), "join-token.create", token.id(), Map.of("node", node,
                "expires_at", token.expiresAt().toString())));
        return Reply.json(201, new WorkloadWire.CreatedJoinToken(token.id(), secret.reveal(), node,
                agentId.toString(), token.expiresAt().toString()));
    }

    Reply listAgents(Call call) throws Exception {
        return Reply.json(200, new WorkloadWire.AgentList(store.agents().stream().map(WorkloadWire.Agent::of).toList()));
    }

    Reply ban(Call call) throws Exception {
        String name = call.param("name");
        if (!EntryParent.NODE_NAME.matcher(name).matches()) {
            throw notFound("agent " + abbreviate(name));
        }
        AgentRecord agent = store.banAgent(name).orElseThrow(() -> notFound("agent " + name));
        String actor = call.caller().actor();
        Instant now = call.now();
        // Its own SVIDs (every one with its SPIFFE ID), then the workload SVIDs it obtained.
        String agentId = agent.spiffeId().toString();
        List<SerialNumber> revoked = new ArrayList<>(revokeValid(new CertificateQuery(
                Optional.of(CertificateStatus.VALID), Optional.empty(), Optional.of(agentId), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), CertificateQuery.MAX_LIMIT),
                r -> r.spiffeId().equals(Optional.of(agentId)), name, actor, now));
        revoked.addAll(revokeValid(new CertificateQuery(Optional.of(CertificateStatus.VALID), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(agentActor(name)), Optional.empty(),
                CertificateQuery.MAX_LIMIT), r -> true, name, actor, now));
        audit.append(AuditEvent.success(actor, "agent.ban", name, Map.of("spiffe_id", agent.spiffeId().toString(),
                "revoked", Integer.toString(revoked.size()))));
        return Reply.json(200, new WorkloadWire.Banned(name, agent.spiffeId().toString(), true, revoked.size()));
    }

    /// Revokes every valid certificate `query` lists that `wanted` takes; returns those this call revoked.
    private List<SerialNumber> revokeValid(CertificateQuery query, java.util.function.Predicate<CertificateRecord> wanted,
            String name, String actor, Instant now) throws Exception {
        List<SerialNumber> serials = new ArrayList<>();
        CertificateQuery q = query;
        while (true) {
            CertificatePage page = registry.list(q, now);
            page.items().stream().filter(wanted).forEach(r -> serials.add(r.serial()));
            if (page.nextCursor().isEmpty()) {
                break;
            }
            q = new CertificateQuery(q.status(), q.expiringWithin(), q.spiffeIdPrefix(), q.dnsPrefix(), q.profile(),
                    q.requester(), page.nextCursor(), q.limit());
        }
        List<SerialNumber> revoked = new ArrayList<>();
        for (SerialNumber s : serials) {
            var r = registry.revoke(s, RevocationReason.PRIVILEGE_WITHDRAWN, now, AuditEvent.success(actor,
                    "certificate.revoke", s.hex(), Map.of("reason", RevocationReason.PRIVILEGE_WITHDRAWN.wireName(),
                            "agent", name)));
            if (r.isPresent() && !r.get().alreadyRevoked()) {
                revoked.add(s);
            }
        }
        return revoked;
    }

    // ------------------------------------------------------------------ node API

    Reply attest(Call call) throws Exception {
        auth.refuseIfBlocked(call);
        WorkloadWire.AttestBody b = Wire.read(call.jsonBody(), WorkloadWire.AttestBody.class);
        String presented = required(b.joinToken(), "join_token");
        byte[] csr = csr(b.csr());
        CsrContents.read(csr, Profile.SVID);
        if (presented.length() > MAX_SECRET || !presented.chars().allMatch(c -> c > 32 && c < 127)) {
            throw auth.failed(call, ProblemType.UNAUTHORIZED, "the join token is not valid");
        }
        // The token is consumed only once the request decoded: a garbled request does not burn it.
        JoinToken token = switch (store.consumeJoinToken(Secret.of(presented).hash(), call.now())) {
            case JoinAttempt.Consumed c -> c.token();
            case JoinAttempt.AlreadyUsed u -> throw auth.failed(call, ProblemType.TOKEN_USED,
                    "join token " + u.token().id() + " was used before");
            case JoinAttempt.Expired x -> throw auth.failed(call, ProblemType.TOKEN_EXPIRED,
                    "join token " + x.token().id() + " expired at " + x.token().expiresAt());
            case JoinAttempt.Unknown u -> throw auth.failed(call, ProblemType.UNAUTHORIZED, "the join token is not valid");
        };
        String actor = "join-token:" + token.id();
        audit.append(AuditEvent.success(actor, "join-token.consume", token.id(), Map.of("node", token.node())));
        Optional<AgentRecord> previous = store.agent(token.node());
        if (previous.isPresent() && previous.get().banned()) {
            issuance.refused(actor, "agent.attest", token.node(), Map.of("reason", "agent is banned"));
            throw new ProblemException(ProblemType.FORBIDDEN, "agent " + token.node() + " is banned");
        }
        SpiffeId agentId = EntryParent.agentId(td, token.node());
        IssuedCertificate issued = issuance.svid(csr, agentId, List.of(), AGENT_SVID_TTL,
                new Requester(actor, "node-attestation"), "attest");
        store.saveAgent(new AgentRecord(token.node(), agentId, issued.serial(), call.now(), call.now(), false));
        // A new attestation replaces the node's identity: the SVID of the previous one is revoked.
        if (previous.isPresent() && !previous.get().svidSerial().equals(issued.serial())) {
            SerialNumber old = previous.get().svidSerial();
            try {
                registry.revoke(old, RevocationReason.SUPERSEDED, call.now(), AuditEvent.success(actor,
                        "certificate.revoke", old.hex(), Map.of("reason", RevocationReason.SUPERSEDED.wireName(),
                                "agent", token.node())));
            } catch (RegistryException e) {
                LOG.warn("the superseded SVID {} of agent {} could not be revoked: {}", old.hex(), token.node(),
                        e.getMessage());
            }
        }
        audit.append(AuditEvent.success(actor, "agent.attest", token.node(), Map.of("spiffe_id", agentId.toString(),
                "serial", issued.serial().hex(), "join_token", token.id())));
        return Reply.json(201, agentSvid(agentId, issued));
    }

    Reply renew(Call call) throws Exception {
        AgentRecord agent = agent(call);
        WorkloadWire.CsrBody b = Wire.read(call.jsonBody(), WorkloadWire.CsrBody.class);
        byte[] csr = csr(b.csr());
        IssuedCertificate issued = issuance.svid(csr, agent.spiffeId(), List.of(), AGENT_SVID_TTL,
                new Requester(agentActor(agent.name()), "node-renewal"), "renew");
        store.recordAgentSvid(agent.name(), issued.serial(), call.now());
        audit.append(AuditEvent.success(agentActor(agent.name()), "agent.renew", agent.name(), Map.of("serial",
                issued.serial().hex())));
        return Reply.json(201, agentSvid(agent.spiffeId(), issued));
    }

    Reply nodeEntries(Call call) throws Exception {
        AgentRecord agent = agent(call);
        return Reply.json(200, new WorkloadWire.NodeEntries(store.entriesFor(td, agent.name()).stream()
                .map(WorkloadWire.NodeEntry::of).toList()));
    }

    Reply svids(Call call) throws Exception {
        AgentRecord agent = agent(call);
        WorkloadWire.SvidsBody b = Wire.read(call.jsonBody(Math.max(maxBodyBytes, BATCH_BODY_BYTES)),
                WorkloadWire.SvidsBody.class);
        List<WorkloadWire.@Nullable SvidRequest> items = b.csrs();
        if (items == null || items.isEmpty() || items.size() > MAX_BATCH) {
            throw malformed("csrs must hold 1 to " + MAX_BATCH + " requests");
        }
        List<WorkloadWire.SvidRequest> requests = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            WorkloadWire.SvidRequest r = items.get(i);
            if (r == null || r.entryId() == null || r.entryId().isBlank() || r.csr() == null) {
                throw malformed("csrs[" + i + "] needs entry_id and csr");
            }
            requests.add(r);
        }
        Map<String, RegistrationEntry> delegated = new LinkedHashMap<>();
        store.entriesFor(td, agent.name()).forEach(e -> delegated.put(e.id(), e));
        Requester who = new Requester(agentActor(agent.name()), "node-api");
        // Each item on its own virtual thread, so concurrent issuances share the database's group commits.
        List<Future<Object>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (WorkloadWire.SvidRequest r : requests) {
                futures.add(threads.submit(() -> svid(agent, delegated, r, who)));
            }
        }
        List<WorkloadWire.Svid> svids = new ArrayList<>();
        List<WorkloadWire.SvidError> errors = new ArrayList<>();
        for (Future<Object> f : futures) {
            Object result;
            try {
                result = f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
            if (result instanceof WorkloadWire.Svid s) {
                svids.add(s);
            } else if (result instanceof WorkloadWire.SvidError err) {
                errors.add(err);
            }
        }
        return Reply.json(200, new WorkloadWire.Svids(svids, errors));
    }

    private Object svid(AgentRecord agent, Map<String, RegistrationEntry> delegated, WorkloadWire.SvidRequest r,
            Requester who) {
        String entryId = String.valueOf(r.entryId());
        RegistrationEntry e = delegated.get(entryId);
        if (e == null) {
            issuance.refused(who.actor(), "svid.issue", abbreviate(entryId), Map.of("reason",
                    "entry is not delegated to agent " + agent.name()));
            return new WorkloadWire.SvidError(entryId, ProblemType.FORBIDDEN.wireName(), "entry "
                    + abbreviate(entryId) + " is not delegated to this agent");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(String.valueOf(r.csr()));
        } catch (IllegalArgumentException ex) {
            issuance.refused(who.actor(), "svid.issue", entryId, Map.of("reason", "csr is not base64"));
            return new WorkloadWire.SvidError(entryId, ProblemType.MALFORMED_REQUEST.wireName(),
                    "csr must be base64 DER PKCS#10");
        }
        try {
            IssuedCertificate c = issuance.svid(der, e.spiffeId(), e.dnsNames(), e.x509SvidTtl(), who, "svid");
            return new WorkloadWire.Svid(entryId, e.spiffeId().toString(), c.serial().hex(), base64(c.fullChain()),
                    c.certificate().getNotAfter().toInstant().toString());
        } catch (PolicyException p) {
            ProblemType type = p.rule() == PolicyRule.CSR_MALFORMED ? ProblemType.MALFORMED_REQUEST
                    : ProblemType.POLICY_REFUSED;
            return new WorkloadWire.SvidError(entryId, type.wireName(), "csr: " + p.getMessage());
        } catch (Exception ex) {
            LOG.error("issuing an X509-SVID for entry {} to agent {} failed", entryId, agent.name(), ex);
            return new WorkloadWire.SvidError(entryId, ProblemType.INTERNAL.wireName(),
                    "internal error; see the server log");
        }
    }

    Reply jwtSvid(Call call) throws Exception {
        AgentRecord agent = agent(call);
        WorkloadWire.JwtSvidBody b = Wire.read(call.jsonBody(), WorkloadWire.JwtSvidBody.class);
        String entryId = required(b.entryId(), "entry_id");
        List<@Nullable String> audience = b.audience();
        if (audience == null || audience.isEmpty()) {
            throw malformed("audience must name at least one audience");
        }
        if (audience.size() > MAX_AUDIENCES) {
            throw malformed("audience names at most " + MAX_AUDIENCES + " audiences");
        }
        List<String> aud = new ArrayList<>();
        for (String a : audience) {
            if (a == null || a.isBlank() || a.length() > MAX_AUDIENCE_LENGTH) {
                throw malformed("each audience must be 1 to " + MAX_AUDIENCE_LENGTH + " characters");
            }
            aud.add(a);
        }
        String actor = agentActor(agent.name());
        Optional<RegistrationEntry> entry = store.entriesFor(td, agent.name()).stream()
                .filter(e -> e.id().equals(entryId)).findFirst();
        if (entry.isEmpty()) {
            issuance.refused(actor, "jwt-svid.mint", abbreviate(entryId), Map.of("reason",
                    "entry is not delegated to agent " + agent.name()));
            throw new ProblemException(ProblemType.FORBIDDEN, "entry " + abbreviate(entryId)
                    + " is not delegated to this agent");
        }
        RegistrationEntry e = entry.get();
        String token = jwt.mint(e.spiffeId(), aud, call.now(), e.jwtSvidTtl());
        Instant expires = Instant.ofEpochSecond(call.now().getEpochSecond()).plus(e.jwtSvidTtl());
        audit.append(AuditEvent.success(actor, "jwt-svid.mint", e.id(), Map.of("spiffe_id", e.spiffeId().toString(),
                "audience", String.join(",", aud), "expires_at", expires.toString())));
        return Reply.json(200, new WorkloadWire.JwtSvid(token, e.spiffeId().toString(), expires.toString()));
    }

    Reply nodeBundle(Call call) throws Exception {
        agent(call);
        return new Reply(200, Reply.JSON, bundle.json(), Map.of());
    }

    Reply bundle(Call call) {
        return new Reply(200, Reply.JSON, bundle.json(), Map.of());
    }

    // ------------------------------------------------------------------ agent authentication

    /// The calling agent, established from its client certificate; refuses everything else.
    private AgentRecord agent(Call call) throws Exception {
        auth.refuseIfBlocked(call);
        List<X509Certificate> peer = call.peerCertificates();
        if (peer.isEmpty()) {
            throw auth.failed(call, ProblemType.UNAUTHORIZED, "the node API needs the agent's X509-SVID as the TLS "
                    + "client certificate");
        }
        X509Certificate presented = peer.getFirst();
        SerialNumber serial = new SerialNumber(presented.getSerialNumber());
        Optional<CertificateRecord> found = registry.find(serial);
        if (found.isEmpty() || !found.get().sha256().equals(Optional.of(sha256(presented)))) {
            throw auth.failed(call, ProblemType.UNAUTHORIZED, "the client certificate was not issued by this CA");
        }
        CertificateRecord record = found.get();
        Optional<String> name = record.spiffeId().flatMap(this::agentName);
        if (name.isEmpty() || record.profile() != Profile.SVID) {
            throw auth.failed(call, ProblemType.FORBIDDEN, "the client certificate " + serial.hex()
                    + " is not an agent SVID");
        }
        if (!record.validity().contains(call.now())) {
            throw auth.failed(call, ProblemType.UNAUTHORIZED, "agent SVID " + serial.hex() + " is not currently valid");
        }
        if (record.status() != CertificateStatus.VALID) {
            throw auth.failed(call, ProblemType.FORBIDDEN, "agent SVID " + serial.hex() + " is "
                    + record.status().wireName());
        }
        Optional<AgentRecord> agent = store.agent(name.get());
        if (agent.isEmpty()) {
            throw auth.failed(call, ProblemType.FORBIDDEN, "agent " + name.get() + " is not known");
        }
        if (agent.get().banned()) {
            throw auth.failed(call, ProblemType.FORBIDDEN, "agent " + name.get() + " is banned");
        }
        store.touchAgent(name.get(), call.now());
        return agent.get();
    }

    private Optional<String> agentName(String spiffeId) {
        try {
            SpiffeId id = SpiffeId.parse(spiffeId);
            return id.trustDomain().equals(td) ? Optional.of(EntryParent.nodeName(id)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String agentActor(String name) {
        return "agent:" + name;
    }

    // ------------------------------------------------------------------ helpers

    private WorkloadWire.AgentSvid agentSvid(SpiffeId id, IssuedCertificate issued) throws CertificateEncodingException {
        return new WorkloadWire.AgentSvid(id.toString(), issued.serial().hex(), base64(issued.fullChain()),
                base64(ca.trustBundle().roots()), issued.certificate().getNotAfter().toInstant().toString());
    }

    private static List<String> base64(List<X509Certificate> certs) throws CertificateEncodingException {
        List<String> out = new ArrayList<>();
        for (X509Certificate c : certs) {
            out.add(Base64.getEncoder().encodeToString(c.getEncoded()));
        }
        return out;
    }

    private static byte[] csr(@Nullable String text) throws ProblemException {
        String b64 = required(text, "csr");
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw malformed("csr must be base64 DER PKCS#10");
        }
    }

    private static String dnsName(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!DnsNames.isValidSanName(lower) || lower.startsWith("*.")) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a DNS name");
        }
        return lower;
    }
}
