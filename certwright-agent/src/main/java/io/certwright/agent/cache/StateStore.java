package io.certwright.agent.cache;

import io.certwright.agent.internal.io.AtomicFiles;
import io.certwright.agent.internal.x509.Pem;
import io.certwright.agent.node.AgentIdentity;
import io.certwright.agent.node.AgentSvid;
import io.certwright.agent.node.Bundle;
import io.certwright.agent.node.RegistrationEntry;
import io.certwright.agent.node.Selector;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/// Keeps the [AgentState] in one JSON file, `agent-state.json`, in the agent's data directory.
///
/// The file holds private keys (the agent's and every workload SVID's) in PKCS#8 PEM, unencrypted: it is
/// created with mode 0600 in a directory of mode 0700, like an SSH host key. Encrypting it with a key kept on
/// the same disk would add nothing; a TPM- or KMS-held key is the way to do better.
public final class StateStore {

    /// Name of the state file.
    public static final String FILE = "agent-state.json";
    private static final int VERSION = 1;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final Path dir;

    /// A store in `dataDir`, which is created with mode 0700 if missing.
    public StateStore(Path dataDir) {
        this.dir = dataDir;
    }

    /// The file the state is kept in.
    public Path file() {
        return dir.resolve(FILE);
    }

    /// Reads the state; [AgentState#EMPTY] when there is none yet.
    ///
    /// @throws IOException when the file exists but cannot be read or understood
    public AgentState load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file());
        } catch (NoSuchFileException e) {
            return AgentState.EMPTY;
        }
        try {
            StateJson json = MAPPER.readValue(bytes, StateJson.class);
            if (json.version() != VERSION) {
                throw new IOException(file() + " has version " + json.version() + ", this agent reads " + VERSION);
            }
            Optional<AgentSvid> agent = json.agent() == null ? Optional.empty() : Optional.of(json.agent().toDomain());
            Optional<Bundle> bundle = json.bundle() == null ? Optional.empty() : Optional.of(json.bundle().toDomain());
            List<RegistrationEntry> entries = json.entries().stream().map(EntryJson::toDomain).toList();
            Map<String, RegistrationEntry> byId = new HashMap<>();
            entries.forEach(e -> byId.put(e.id(), e));
            Map<String, X509Svid> svids = new HashMap<>();
            for (SvidJson s : json.svids()) {
                RegistrationEntry entry = byId.get(s.entryId());
                if (entry != null) {
                    svids.put(entry.id(), new X509Svid(entry, Pem.parseCertificates(s.chain()),
                            Pem.parsePrivateKey(s.key(), "EC"), s.bundleSequence()));
                }
            }
            return new AgentState(agent, new CacheSnapshot(entries, svids, bundle));
        } catch (JacksonException | GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new IOException("cannot read the agent state in " + file() + ": " + e.getMessage(), e);
        }
    }

    /// Writes the state atomically, mode 0600.
    public void save(AgentState state) throws IOException {
        AtomicFiles.createDirectory(dir, AtomicFiles.PRIVATE_DIR);
        StateJson json = new StateJson(VERSION,
                state.agent().map(AgentJson::of).orElse(null),
                state.cache().bundle().map(BundleJson::of).orElse(null),
                state.cache().entries().stream().map(EntryJson::of).toList(),
                state.cache().svids().values().stream().map(SvidJson::of).toList());
        AtomicFiles.write(file(), MAPPER.writeValueAsBytes(json), AtomicFiles.SECRET);
    }

    record StateJson(int version, @Nullable AgentJson agent, @Nullable BundleJson bundle, List<EntryJson> entries,
            List<SvidJson> svids) {
    }

    record AgentJson(String spiffeId, String chain, String roots, String key) {
        static AgentJson of(AgentSvid a) {
            return new AgentJson(a.identity().spiffeId().toString(), Pem.certificates(a.identity().chain()),
                    Pem.certificates(a.identity().roots()), Pem.privateKey(a.privateKey()));
        }

        AgentSvid toDomain() throws GeneralSecurityException {
            PrivateKey k = Pem.parsePrivateKey(key, "EC");
            return new AgentSvid(new AgentIdentity(SpiffeId.parse(spiffeId), Pem.parseCertificates(chain),
                    Pem.parseCertificates(roots)), k);
        }
    }

    record BundleJson(String trustDomain, String x509Authorities, String jwks, long sequence) {
        static BundleJson of(Bundle b) {
            return new BundleJson(b.trustDomain().name(), Pem.certificates(b.x509Authorities()), b.jwksJson(),
                    b.sequence());
        }

        Bundle toDomain() throws GeneralSecurityException {
            return new Bundle(TrustDomain.parse(trustDomain), Pem.parseCertificates(x509Authorities), jwks, sequence);
        }
    }

    record EntryJson(String id, String spiffeId, String parentId, List<String> selectors, String x509SvidTtl,
            String jwtSvidTtl, List<String> dnsNames, boolean admin, long revision) {
        static EntryJson of(RegistrationEntry e) {
            return new EntryJson(e.id(), e.spiffeId().toString(), e.parentId().toString(),
                    e.selectors().stream().map(Selector::toString).toList(), e.x509SvidTtl().toString(),
                    e.jwtSvidTtl().toString(), e.dnsNames(), e.admin(), e.revision());
        }

        RegistrationEntry toDomain() {
            return new RegistrationEntry(id, SpiffeId.parse(spiffeId), SpiffeId.parse(parentId),
                    selectors.stream().map(Selector::parse).toList(), Duration.parse(x509SvidTtl),
                    Duration.parse(jwtSvidTtl), dnsNames, admin, revision);
        }
    }

    record SvidJson(String entryId, String chain, String key, long bundleSequence) {
        static SvidJson of(X509Svid s) {
            return new SvidJson(s.entry().id(), Pem.certificates(s.chain()), Pem.privateKey(s.privateKey()),
                    s.bundleSequence());
        }
    }
}
