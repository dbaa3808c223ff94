package io.certwright.server.http;

import io.certwright.ca.workload.AgentRecord;
import io.certwright.ca.workload.RegistrationEntry;
import io.certwright.ca.workload.Selector;
import io.certwright.core.Durations;
import java.util.List;
import org.jspecify.annotations.Nullable;

/// The JSON vocabulary of registration entries, join tokens, agents and the node API (snake_case through
/// [Wire]'s mapper).
final class WorkloadWire {

    private WorkloadWire() {
    }

    // ------------------------------------------------------------------ admin API

    record EntryBody(@Nullable String spiffeId, @Nullable String parentId, @Nullable List<String> selectors,
            @Nullable String x509SvidTtl, @Nullable String jwtSvidTtl, @Nullable List<String> dnsNames,
            @Nullable Boolean admin) {
    }

    /// An entry as the admin API shows it.
    record Entry(String id, String spiffeId, String parentId, List<String> selectors, String x509SvidTtl,
            String jwtSvidTtl, List<String> dnsNames, boolean admin, long revision, String updatedAt) {

        static Entry of(RegistrationEntry e) {
            return new Entry(e.id(), e.spiffeId().toString(), e.parent().text(),
                    e.selectors().stream().map(Selector::toString).toList(), Durations.format(e.x509SvidTtl()),
                    Durations.format(e.jwtSvidTtl()), e.dnsNames(), e.admin(), e.revision(), e.updatedAt().toString());
        }
    }

    record EntryList(List<Entry> entries) {
    }

    record JoinTokenBody(@Nullable String node, @Nullable String ttl) {
    }

    record CreatedJoinToken(String id, String token, String node, String spiffeId, String expiresAt) {
    }

    record Agent(String name, String spiffeId, String svidSerial, String attestedAt, String lastSeen, boolean banned) {

        static Agent of(AgentRecord a) {
            return new Agent(a.name(), a.spiffeId().toString(), a.svidSerial().hex(), a.attestedAt().toString(),
                    a.lastSeen().toString(), a.banned());
        }
    }

    record AgentList(List<Agent> agents) {
    }

    record Banned(String name, String spiffeId, boolean banned, int revokedCertificates) {
    }

    // ------------------------------------------------------------------ node API

    record AttestBody(@Nullable String joinToken, @Nullable String csr) {
    }

    record CsrBody(@Nullable String csr) {
    }

    /// An agent SVID: the chain leaf first, then the trust bundle's roots, all base64 DER.
    record AgentSvid(String spiffeId, String serial, List<String> chain, List<String> bundle, String expiresAt) {
    }

    /// An entry as its agent sees it.
    record NodeEntry(String id, String spiffeId, String parentId, List<String> selectors, String x509SvidTtl,
            String jwtSvidTtl, List<String> dnsNames, boolean admin, long revision) {

        static NodeEntry of(RegistrationEntry e) {
            return new NodeEntry(e.id(), e.spiffeId().toString(), e.parent().text(),
                    e.selectors().stream().map(Selector::toString).toList(), Durations.format(e.x509SvidTtl()),
                    Durations.format(e.jwtSvidTtl()), e.dnsNames(), e.admin(), e.revision());
        }
    }

    record NodeEntries(List<NodeEntry> entries) {
    }

    record SvidRequest(@Nullable String entryId, @Nullable String csr) {
    }

    record SvidsBody(@Nullable List<@Nullable SvidRequest> csrs) {
    }

    record Svid(String entryId, String spiffeId, String serial, List<String> chain, String expiresAt) {
    }

    record SvidError(String entryId, String type, String detail) {
    }

    record Svids(List<Svid> svids, List<SvidError> errors) {
    }

    record JwtSvidBody(@Nullable String entryId, @Nullable List<@Nullable String> audience) {
    }

    record JwtSvid(String token, String spiffeId, String expiresAt) {
    }
}
