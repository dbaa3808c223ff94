package io.certwright.store;

import io.certwright.ca.workload.AgentRecord;
import io.certwright.ca.workload.EntryParent;
import io.certwright.ca.workload.JoinAttempt;
import io.certwright.ca.workload.JoinToken;
import io.certwright.ca.workload.RegistrationEntry;
import io.certwright.ca.workload.Selector;
import io.certwright.ca.workload.WorkloadException;
import io.certwright.ca.workload.WorkloadStore;
import io.certwright.core.SerialNumber;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// Registration entries, join tokens and node agents in tables `workload_entries`, `join_tokens` and
/// `workload_agents` (migration V6). Join token secrets are stored only as their SHA-256 hashes.
///
/// Writes go through the database's group-commit writer and are durable when a method returns.
/// [#consumeJoinToken] marks a token used with a conditional `UPDATE ... WHERE used_at IS NULL` and checks
/// that it changed exactly one row, so only one caller ever consumes a token, even with several replicas.
public final class JdbcWorkloadStore implements WorkloadStore {

    private static final String ENTRY_COLUMNS = "id, spiffe_id, parent, selectors, x509_ttl_ms, jwt_ttl_ms, "
            + "dns_names, admin, revision, updated_at";
    private static final String TOKEN_COLUMNS = "id, node, secret_hash, created_at, expires_at, used_at";
    private static final String AGENT_COLUMNS = "name, spiffe_id, svid_serial, attested_at, last_seen, banned";

    private final Database db;

    public JdbcWorkloadStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    // ---------------------------------------------------------------- entries

    @Override
    public void createEntry(RegistrationEntry e) throws WorkloadException {
        Objects.requireNonNull(e, "entry");
        Boolean created = write("create entry " + e.id(), c -> {
            if (exists(c, "SELECT 1 FROM workload_entries WHERE id = ?", e.id())) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO workload_entries (" + ENTRY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, e.id());
                ps.setString(2, e.spiffeId().toString());
                ps.setString(3, e.parent().text());
                ps.setString(4, Codec.stringList(e.selectors().stream().map(Selector::toString).toList()));
                ps.setLong(5, e.x509SvidTtl().toMillis());
                ps.setLong(6, e.jwtSvidTtl().toMillis());
                ps.setString(7, Codec.stringList(e.dnsNames()));
                ps.setInt(8, e.admin() ? 1 : 0);
                ps.setLong(9, e.revision());
                ps.setLong(10, e.updatedAt().toEpochMilli());
                ps.executeUpdate();
            }
            return true;
        });
        if (!Boolean.TRUE.equals(created)) {
            throw new WorkloadException("an entry with id " + e.id() + " exists already");
        }
    }

    @Override
    public Optional<RegistrationEntry> entry(String id) throws WorkloadException {
        List<RegistrationEntry> found = entries("SELECT " + ENTRY_COLUMNS + " FROM workload_entries WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    @Override
    public List<RegistrationEntry> entries(Optional<String> parent) throws WorkloadException {
        if (parent.isPresent()) {
            return entries("SELECT " + ENTRY_COLUMNS + " FROM workload_entries WHERE parent = ? ORDER BY id",
                    parent.get());
        }
        return entries("SELECT " + ENTRY_COLUMNS + " FROM workload_entries ORDER BY id");
    }

    @Override
    public List<RegistrationEntry> entriesFor(TrustDomain td, String node) throws WorkloadException {
        SpiffeId agent = EntryParent.agentId(td, node);
        List<RegistrationEntry> out = new ArrayList<>();
        for (RegistrationEntry e : entries("SELECT " + ENTRY_COLUMNS + " FROM workload_entries WHERE parent = ? "
                + "OR parent LIKE ? ORDER BY id", agent.toString(), EntryParent.NODE_PREFIX + "%")) {
            if (e.parent().admits(td, node)) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public boolean deleteEntry(String id) throws WorkloadException {
        Integer changed = write("delete entry " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM workload_entries WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
        return changed != null && changed > 0;
    }

    private List<RegistrationEntry> entries(String sql, String... params) throws WorkloadException {
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, sql);
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            List<RegistrationEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
            return out;
        } catch (SQLException | IllegalArgumentException e) {
            throw new WorkloadException("cannot read registration entries: " + e.getMessage(), e);
        }
    }

    private static RegistrationEntry entry(ResultSet rs) throws SQLException {
        return new RegistrationEntry(Codec.string(rs, "id"), SpiffeId.parse(Codec.string(rs, "spiffe_id")),
                EntryParent.parse(Codec.string(rs, "parent")),
                Codec.stringList(Codec.string(rs, "selectors")).stream().map(Selector::parse).toList(),
                Duration.ofMillis(rs.getLong("x509_ttl_ms")), Duration.ofMillis(rs.getLong("jwt_ttl_ms")),
                Codec.stringList(Codec.string(rs, "dns_names")), rs.getInt("admin") != 0, rs.getLong("revision"),
                Codec.instant(rs, "updated_at"));
    }

    // ---------------------------------------------------------------- join tokens

    @Override
    public void createJoinToken(JoinToken t) throws WorkloadException {
        Objects.requireNonNull(t, "token");
        Boolean created = write("create join token " + t.id(), c -> {
            if (exists(c, "SELECT 1 FROM join_tokens WHERE id = ? OR secret_hash = ?", t.id(), t.secretHash())) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO join_tokens (" + TOKEN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, t.id());
                ps.setString(2, t.node());
                ps.setString(3, t.secretHash());
                ps.setLong(4, t.createdAt().toEpochMilli());
                ps.setLong(5, t.expiresAt().toEpochMilli());
                Codec.setOptionalInstant(ps, 6, t.usedAt());
                ps.executeUpdate();
            }
            return true;
        });
        if (!Boolean.TRUE.equals(created)) {
            throw new WorkloadException("a join token with id " + t.id() + " or the same secret exists already");
        }
    }

    @Override
    public JoinAttempt consumeJoinToken(String secretHash, Instant now) throws WorkloadException {
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(now, "now");
        return Objects.requireNonNull(write("consume a join token", c -> {
            Optional<JoinToken> found = joinToken(c, secretHash);
            if (found.isEmpty()) {
                return new JoinAttempt.Unknown();
            }
            JoinToken t = found.get();
            if (t.usedAt().isPresent()) {
                return new JoinAttempt.AlreadyUsed(t);
            }
            if (!now.isBefore(t.expiresAt())) {
                return new JoinAttempt.Expired(t);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE join_tokens SET used_at = ? WHERE secret_hash = ? AND used_at IS NULL")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, secretHash);
                if (ps.executeUpdate() == 1) {
                    return new JoinAttempt.Consumed(new JoinToken(t.id(), t.node(), t.secretHash(), t.createdAt(),
                            t.expiresAt(), Optional.of(Instant.ofEpochMilli(now.toEpochMilli()))));
                }
            }
            // Another replica consumed it between the read and the update.
            return new JoinAttempt.AlreadyUsed(joinToken(c, secretHash).orElse(t));
        }));
    }

    @Override
    public List<JoinToken> joinTokens() throws WorkloadException {
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, "SELECT " + TOKEN_COLUMNS
                    + " FROM join_tokens ORDER BY created_at, id");
            List<JoinToken> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(joinToken(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new WorkloadException("cannot read join tokens: " + e.getMessage(), e);
        }
    }

    private static Optional<JoinToken> joinToken(Connection c, String secretHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + TOKEN_COLUMNS + " FROM join_tokens WHERE secret_hash = ?")) {
            ps.setString(1, secretHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(joinToken(rs)) : Optional.empty();
            }
        }
    }

    private static JoinToken joinToken(ResultSet rs) throws SQLException {
        return new JoinToken(Codec.string(rs, "id"), Codec.string(rs, "node"), Codec.string(rs, "secret_hash"),
                Codec.instant(rs, "created_at"), Codec.instant(rs, "expires_at"), Codec.optionalInstant(rs, "used_at"));
    }

    // ---------------------------------------------------------------- agents

    @Override
    public void saveAgent(AgentRecord a) throws WorkloadException {
        Objects.requireNonNull(a, "agent");
        write("save agent " + a.name(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO workload_agents (" + AGENT_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET spiffe_id = excluded.spiffe_id, "
                    + "svid_serial = excluded.svid_serial, attested_at = excluded.attested_at, "
                    + "last_seen = excluded.last_seen, "
                    + "banned = CASE WHEN workload_agents.banned = 1 THEN 1 ELSE excluded.banned END")) {
                ps.setString(1, a.name());
                ps.setString(2, a.spiffeId().toString());
                ps.setString(3, Codec.serialKey(a.svidSerial()));
                ps.setLong(4, a.attestedAt().toEpochMilli());
                ps.setLong(5, a.lastSeen().toEpochMilli());
                ps.setInt(6, a.banned() ? 1 : 0);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<AgentRecord> agent(String name) throws WorkloadException {
        List<AgentRecord> found = agents("SELECT " + AGENT_COLUMNS + " FROM workload_agents WHERE name = ?", name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    @Override
    public List<AgentRecord> agents() throws WorkloadException {
        return agents("SELECT " + AGENT_COLUMNS + " FROM workload_agents ORDER BY name");
    }

    @Override
    public boolean touchAgent(String name, Instant at) throws WorkloadException {
        Integer changed = write("update agent " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE workload_agents SET last_seen = ? WHERE name = ? AND last_seen < ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, name);
                ps.setLong(3, at.toEpochMilli());
                int n = ps.executeUpdate();
                return n > 0 ? n : exists(c, "SELECT 1 FROM workload_agents WHERE name = ?", name) ? 1 : 0;
            }
        });
        return changed != null && changed > 0;
    }

    @Override
    public boolean recordAgentSvid(String name, SerialNumber serial, Instant at) throws WorkloadException {
        Integer changed = write("update agent " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE workload_agents SET svid_serial = ?, last_seen = ? WHERE name = ?")) {
                ps.setString(1, Codec.serialKey(serial));
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, name);
                return ps.executeUpdate();
            }
        });
        return changed != null && changed > 0;
    }

    @Override
    public Optional<AgentRecord> banAgent(String name) throws WorkloadException {
        write("ban agent " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE workload_agents SET banned = 1 WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate();
            }
        });
        return agent(name);
    }

    private List<AgentRecord> agents(String sql, String... params) throws WorkloadException {
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, sql);
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            List<AgentRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AgentRecord(Codec.string(rs, "name"), SpiffeId.parse(Codec.string(rs, "spiffe_id")),
                            Codec.serial(Codec.string(rs, "svid_serial")), Codec.instant(rs, "attested_at"),
                            Codec.instant(rs, "last_seen"), rs.getInt("banned") != 0));
                }
            }
            return out;
        } catch (SQLException | IllegalArgumentException e) {
            throw new WorkloadException("cannot read agents: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static boolean exists(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private <T> @Nullable T write(String what, GroupCommitWriter.WriteTask<T> task) throws WorkloadException {
        try {
            return db.write(task);
        } catch (SQLException e) {
            throw new WorkloadException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
