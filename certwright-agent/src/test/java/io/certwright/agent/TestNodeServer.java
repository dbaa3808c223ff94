package io.certwright.agent;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.certwright.agent.node.AgentIdentity;
import io.certwright.agent.node.Bundle;
import io.certwright.agent.node.EntrySnapshot;
import io.certwright.agent.node.NodeClient;
import io.certwright.agent.node.NodeException;
import io.certwright.agent.node.RegistrationEntry;
import io.certwright.agent.node.Selector;
import io.certwright.agent.node.SignedSvid;
import io.certwright.agent.node.SvidRequest;
import io.certwright.ca.CsrContents;
import io.certwright.ca.IssuedCertificate;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.Profile;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import io.certwright.testing.MutableClock;
import io.certwright.testing.TestCa;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/// The server's node API, in process: a real [TestCa] signs what an agent asks for, and the test controls
/// entries, bundle changes and outages. Only the transport (HTTPS, mutual TLS) is left out.
final class TestNodeServer implements NodeClient {

    static final TrustDomain TRUST_DOMAIN = TrustDomain.parse("example.org");
    static final SpiffeId AGENT_ID = SpiffeId.parse("spiffe://example.org/certwright/agent/node-1");

    final MutableClock clock;
    private volatile TestCa ca;
    private final List<X509Certificate> extraRoots = new CopyOnWriteArrayList<>();
    private final ECKey jwtKey;
    private final Set<String> joinTokens = new HashSet<>();
    private volatile List<RegistrationEntry> entries = List.of();
    private final AtomicLong bundleSequence = new AtomicLong(1);
    private volatile boolean available = true;
    private volatile Duration agentTtl = Duration.ofHours(1);
    final AtomicInteger signedSvids = new AtomicInteger();
    final AtomicInteger attestations = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    TestNodeServer(MutableClock clock) throws Exception {
        this.clock = clock;
        this.ca = newCa(clock);
        this.jwtKey = new ECKeyGenerator(Curve.P_256).keyID("jwt-1").generate();
    }

    private static TestCa newCa(MutableClock clock) throws Exception {
        return TestCa.builder(KeyAlgorithm.P256).trustDomain("example.org").clock(clock).build();
    }

    /// A factory handing out this server, for [CertwrightAgent].
    io.certwright.agent.node.NodeClientFactory factory() {
        return (URI url, java.util.function.Supplier<Optional<io.certwright.agent.node.AgentSvid>> creds) -> this;
    }

    TestCa ca() {
        return ca;
    }

    synchronized void addJoinToken(String token) {
        joinTokens.add(token);
    }

    void agentTtl(Duration ttl) {
        this.agentTtl = ttl;
    }

    void entries(RegistrationEntry... e) {
        this.entries = List.of(e);
    }

    void available(boolean up) {
        this.available = up;
    }

    /// Replaces the CA by a new one with a new root, kept in the bundle beside the old root, and bumps the
    /// bundle's sequence, as a root rotation does.
    void rotateRoot() throws Exception {
        extraRoots.add(ca.root());
        ca = newCa(clock);
        bundleSequence.incrementAndGet();
    }

    static RegistrationEntry entry(String id, String spiffeId, Duration ttl, String... selectors) {
        return new RegistrationEntry(id, SpiffeId.parse(spiffeId), AGENT_ID,
                List.of(selectors).stream().map(Selector::parse).toList(), ttl, Duration.ofMinutes(5), List.of(),
                false, 1);
    }

    private void up() throws NodeException {
        calls.incrementAndGet();
        if (!available) {
            throw new NodeException(NodeException.Kind.UNAVAILABLE, "connection refused");
        }
    }

    @Override
    public AgentIdentity attest(String joinToken, byte[] csrDer) throws NodeException {
        up();
        synchronized (this) {
            if (!joinTokens.remove(joinToken)) {
                throw new NodeException(NodeException.Kind.DENIED, "join token unknown or already used");
            }
        }
        attestations.incrementAndGet();
        return agentIdentity(csrDer);
    }

    @Override
    public AgentIdentity renewAgent(byte[] csrDer) throws NodeException {
        up();
        return agentIdentity(csrDer);
    }

    private AgentIdentity agentIdentity(byte[] csrDer) throws NodeException {
        try {
            CsrContents csr = CsrContents.read(csrDer, Profile.SVID);
            var names = io.certwright.ca.profile.SubjectNames.ofSpiffeId(AGENT_ID);
            IssuedCertificate c = ca.authority().issue(new io.certwright.ca.IssuanceRequest(Profile.SVID,
                    csr.publicKey(), Optional.empty(), names, Optional.of(agentTtl)));
            return new AgentIdentity(AGENT_ID, c.fullChain(), roots());
        } catch (PolicyException e) {
            throw new NodeException(NodeException.Kind.INVALID, e.toString(), e);
        } catch (Exception e) {
            throw new NodeException(NodeException.Kind.UNAVAILABLE, e.toString(), e);
        }
    }

    private List<X509Certificate> roots() {
        List<X509Certificate> roots = new ArrayList<>(extraRoots);
        roots.add(ca.root());
        return roots;
    }

    @Override
    public EntrySnapshot entries() throws NodeException {
        up();
        return new EntrySnapshot(entries);
    }

    @Override
    public List<SignedSvid> signX509Svids(List<SvidRequest> requests) throws NodeException {
        up();
        List<SignedSvid> out = new ArrayList<>();
        for (SvidRequest r : requests) {
            RegistrationEntry e = entries.stream().filter(x -> x.id().equals(r.entryId())).findFirst().orElse(null);
            if (e == null) {
                continue;
            }
            try {
                CsrContents csr = CsrContents.read(r.csrDer(), Profile.SVID);
                if (!csr.names().uris().equals(List.of(URI.create(e.spiffeId().toString())))) {
                    throw new NodeException(NodeException.Kind.INVALID, "CSR names " + csr.names().uris());
                }
                IssuedCertificate c = ca.authority().issue(csr.toRequest(Profile.SVID, Optional.of(e.x509SvidTtl())));
                out.add(new SignedSvid(e.id(), c.fullChain()));
                signedSvids.incrementAndGet();
            } catch (NodeException ex) {
                throw ex;
            } catch (Exception ex) {
                throw new NodeException(NodeException.Kind.INVALID, ex.toString(), ex);
            }
        }
        return out;
    }

    @Override
    public String signJwtSvid(String entryId, List<String> audience) throws NodeException {
        up();
        RegistrationEntry e = entries.stream().filter(x -> x.id().equals(entryId)).findFirst()
                .orElseThrow(() -> new NodeException(NodeException.Kind.INVALID, "no entry " + entryId));
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(e.spiffeId().toString()).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(e.jwtSvidTtl()))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(jwtKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new ECDSASigner(jwtKey));
        } catch (JOSEException ex) {
            throw new NodeException(NodeException.Kind.INVALID, ex.toString(), ex);
        }
        return jwt.serialize();
    }

    /// Signs a token with this server's key whatever the claims, for validation tests.
    String signRaw(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(jwtKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new ECDSASigner(jwtKey));
        return jwt.serialize();
    }

    String jwks() {
        return new JWKSet(jwtKey.toPublicJWK()).toString();
    }

    @Override
    public Bundle bundle() throws NodeException {
        up();
        return new Bundle(TRUST_DOMAIN, roots(), jwks(), bundleSequence.get());
    }
}
