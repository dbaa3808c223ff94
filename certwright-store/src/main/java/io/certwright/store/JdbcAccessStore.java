package io.certwright.store;

import io.certwright.ca.access.AccessException;
import io.certwright.ca.access.AccessStore;
import io.certwright.ca.access.ApiToken;
import io.certwright.ca.access.EnrollmentToken;
import io.certwright.ca.access.Provisioner;
import io.certwright.ca.access.Redemption;
import io.certwright.ca.access.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// API tokens, provisioners and enrollment tokens in tables `api_tokens`, `provisioners` and
/// `enrollment_tokens`. Secrets are stored only as their SHA-256 hashes; provisioners as JSON with their
/// name patterns in text form (see [ProvisionerJson]).
///
/// Writes go through the database's group-commit writer and are durable when a method returns.
/// [#redeemEnrollment] marks a token used with a conditional `UPDATE ... WHERE used_at IS NULL` and checks
/// that it changed exactly one row, so only one caller ever redeems a token, even with several replicas.
public final class JdbcAccessStore implements AccessStore {

    private static final String TOKEN_COLUMNS = "id, name, role, secret_hash, created_at, expires_at, revoked";
    private static final String ENROLLMENT_COLUMNS = "id, provisioner, secret_hash, names, expires_at, used_at";

    private final Database db;

    public JdbcAccessStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    // ---------------------------------------------------------------- API tokens

    @Override
    public void createToken(ApiToken token) throws AccessException {
        Objects.requireNonNull(token, "token");
        Boolean created = write("create token " + token.id(), c -> {
            if (exists(c, "SELECT 1 FROM api_tokens WHERE id = ? OR secret_hash = ?", token.id(), token.secretHash())) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_tokens (" + TOKEN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, token.id());
                ps.setString(2, token.name());
                ps.setString(3, token.role().wireName());
                ps.setString(4, token.secretHash());
                ps.setLong(5, token.createdAt().toEpochMilli());
                Codec.setOptionalInstant(ps, 6, token.expiresAt());
                ps.setInt(7, token.revoked() ? 1 : 0);
                ps.executeUpdate();
            }
            return true;
        });
        if (!Boolean.TRUE.equals(created)) {
            throw new AccessException("a token with id " + token.id() + " or the same secret exists already");
        }
    }

    @Override
    public Optional<ApiToken> findToken(String secretHash) throws AccessException {
        List<ApiToken> found = tokens("SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE secret_hash = ?",
                secretHash);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    @Override
    public List<ApiToken> tokens() throws AccessException {
        return tokens("SELECT " + TOKEN_COLUMNS + " FROM api_tokens ORDER BY created_at, id");
    }

    @Override
    public boolean revokeToken(String id) throws AccessException {
        Integer changed = write("revoke token " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_tokens SET revoked = 1 WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
        return changed != null && changed > 0;
    }

    private List<ApiToken> tokens(String sql, String... params) throws AccessException {
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, sql);
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            List<ApiToken> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ApiToken(Codec.string(rs, "id"), Codec.string(rs, "name"),
                            Role.parse(Codec.string(rs, "role")), Codec.string(rs, "secret_hash"),
                            Codec.instant(rs, "created_at"), Codec.optionalInstant(rs, "expires_at"),
                            rs.getInt("revoked") != 0));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AccessException("cannot read tokens: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- provisioners

    @Override
    public void saveProvisioner(Provisioner provisioner) throws AccessException {
        Objects.requireNonNull(provisioner, "provisioner");
        String json = ProvisionerJson.write(provisioner);
        write("save provisioner " + provisioner.name(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO provisioners (name, kind, definition, "
                    + "updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, "
                    + "definition = excluded.definition, updated_at = excluded.updated_at")) {
                ps.setString(1, provisioner.name());
                ps.setString(2, ProvisionerJson.kind(provisioner));
                ps.setString(3, json);
                ps.setLong(4, db.clock().millis());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Provisioner> provisioner(String name) throws AccessException {
        List<Provisioner> found = provisioners("SELECT definition FROM provisioners WHERE name = ?", name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    @Override
    public List<Provisioner> provisioners() throws AccessException {
        return provisioners("SELECT definition FROM provisioners ORDER BY name");
    }

    @Override
    public boolean deleteProvisioner(String name) throws AccessException {
        Integer changed = write("delete provisioner " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM provisioners WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate();
            }
        });
        return changed != null && changed > 0;
    }

    private List<Provisioner> provisioners(String sql, String... params) throws AccessException {
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, sql);
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            List<Provisioner> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(ProvisionerJson.read(Codec.string(rs, "definition")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AccessException("cannot read provisioners: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- enrollment tokens

    @Override
    public void createEnrollment(EnrollmentToken token) throws AccessException {
        Objects.requireNonNull(token, "token");
        Boolean created = write("create enrollment token " + token.id(), c -> {
            if (exists(c, "SELECT 1 FROM enrollment_tokens WHERE id = ? OR secret_hash = ?", token.id(),
                    token.secretHash())) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO enrollment_tokens (" + ENROLLMENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, token.id());
                ps.setString(2, token.provisioner());
                ps.setString(3, token.secretHash());
                ps.setString(4, ProvisionerJson.writeNames(token.names()));
                ps.setLong(5, token.expiresAt().toEpochMilli());
                Codec.setOptionalInstant(ps, 6, token.usedAt());
                ps.executeUpdate();
            }
            return true;
        });
        if (!Boolean.TRUE.equals(created)) {
            throw new AccessException("an enrollment token with id " + token.id() + " or the same secret exists already");
        }
    }

    @Override
    public Redemption redeemEnrollment(String secretHash, Instant now) throws AccessException {
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(now, "now");
        return Objects.requireNonNull(write("redeem an enrollment token", c -> {
            Optional<EnrollmentToken> found = enrollment(c, secretHash);
            if (found.isEmpty()) {
                return new Redemption.Unknown();
            }
            EnrollmentToken token = found.get();
            if (token.usedAt().isPresent()) {
                return new Redemption.AlreadyUsed(token);
            }
            if (!now.isBefore(token.expiresAt())) {
                return new Redemption.Expired(token);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE enrollment_tokens SET used_at = ? WHERE secret_hash = ? AND used_at IS NULL")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, secretHash);
                if (ps.executeUpdate() == 1) {
                    return new Redemption.Redeemed(new EnrollmentToken(token.id(), token.provisioner(),
                            token.secretHash(), token.names(), token.expiresAt(),
                            Optional.of(Instant.ofEpochMilli(now.toEpochMilli()))));
                }
            }
            // Another replica redeemed it between the read and the update.
            return new Redemption.AlreadyUsed(enrollment(c, secretHash).orElse(token));
        }));
    }

    private static Optional<EnrollmentToken> enrollment(Connection c, String secretHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + ENROLLMENT_COLUMNS + " FROM enrollment_tokens WHERE secret_hash = ?")) {
            ps.setString(1, secretHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new EnrollmentToken(Codec.string(rs, "id"), Codec.string(rs, "provisioner"),
                        Codec.string(rs, "secret_hash"), ProvisionerJson.readNames(Codec.string(rs, "names")),
                        Codec.instant(rs, "expires_at"), Codec.optionalInstant(rs, "used_at")));
            }
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

    private <T> @org.jspecify.annotations.Nullable T write(String what, GroupCommitWriter.WriteTask<T> task)
            throws AccessException {
        try {
            return db.write(task);
        } catch (SQLException e) {
            throw new AccessException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
