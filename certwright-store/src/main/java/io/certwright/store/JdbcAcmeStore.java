package io.certwright.store;

import io.certwright.acme.store.Account;
import io.certwright.acme.store.AccountStatus;
import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.store.AcmeStoreException;
import io.certwright.acme.store.Authorization;
import io.certwright.acme.store.AuthorizationStatus;
import io.certwright.acme.store.Challenge;
import io.certwright.acme.store.ChallengeStatus;
import io.certwright.acme.store.EabKey;
import io.certwright.acme.store.Effects;
import io.certwright.acme.store.Identifier;
import io.certwright.acme.store.Order;
import io.certwright.acme.store.OrderStatus;
import io.certwright.acme.store.RenewalOverride;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/// The ACME server's state in the `acme_*` tables (schema versions 5 and 7), shared by every replica on one
/// database.
///
/// Every write goes through the database's group-commit writer and is durable when the method returns.
/// Compare-and-set updates are `UPDATE ... WHERE id = ? AND version = ?`, won when they change one row.
/// [#useNonce], run for every ACME request, is a single `INSERT ... ON CONFLICT DO NOTHING` on the nonce's
/// primary key: the insert that adds a row is the nonce's one use. [#createOrder] writes the order and its
/// authorizations in one write task, so they are stored together or not at all; [#createAccount] likewise
/// writes the account and binds its EAB key in one.
///
/// Checks that precede a write (does the id exist, does another account hold the key, is the EAB key unbound,
/// does an order that is not invalid replace the certificate already) run inside the write task; write tasks
/// are serialised (the one SQLite writer; on PostgreSQL an advisory lock every replica's writer takes), so
/// nothing slips in between check and write. A unique-constraint violation the checks
/// did not foresee is reported as [AcmeStoreException.Kind#CONFLICT] all the same, on both databases; every
/// other database failure as [AcmeStoreException.Kind#UNAVAILABLE].
///
/// Times are kept to the millisecond (sub-millisecond parts are dropped). Text is stored escaped (see
/// [Codec#storedText]) so that any string, from a client or not, round-trips exactly and never fails a
/// query; lists and challenges are ASCII-only JSON.
public final class JdbcAcmeStore implements AcmeStore {

    // --- nonces
    static final String USE_NONCE_SQL =
            "INSERT INTO acme_used_nonces (nonce, expires_at) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING";
    /// Marks a nonce used only while the account that signed its request is valid with the signing key.
    static final String USE_SIGNED_NONCE_SQL = "INSERT INTO acme_used_nonces (nonce, expires_at) SELECT ?, ? "
            + "WHERE EXISTS (SELECT 1 FROM acme_accounts WHERE id = ? AND status = ? AND key_thumbprint = ?) "
            + "ON CONFLICT (nonce) DO NOTHING";
    private static final String NONCE_USED_SQL = "SELECT 1 FROM acme_used_nonces WHERE nonce = ?";
    static final String PURGE_NONCES_SQL = "DELETE FROM acme_used_nonces WHERE expires_at < ?";
    private static final String SECRET_SQL = "SELECT secret FROM acme_nonce_secret WHERE id = 1";
    private static final String INSERT_SECRET_SQL = "INSERT INTO acme_nonce_secret (id, secret, created_at) "
            + "VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING";

    // --- accounts
    private static final String ACCOUNT_COLUMNS = "id, provisioner, key_thumbprint, jwk, contacts, status, "
            + "created_at, eab_key_id, terms_of_service_agreed, version";
    private static final String INSERT_ACCOUNT_SQL = "INSERT INTO acme_accounts (" + ACCOUNT_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    static final String ACCOUNT_SQL = "SELECT " + ACCOUNT_COLUMNS + " FROM acme_accounts WHERE id = ?";
    static final String ACCOUNT_BY_THUMBPRINT_SQL =
            "SELECT " + ACCOUNT_COLUMNS + " FROM acme_accounts WHERE provisioner = ? AND key_thumbprint = ?";
    private static final String ACCOUNT_VERSION_SQL = "SELECT version FROM acme_accounts WHERE id = ?";
    private static final String KEY_HOLDER_SQL =
            "SELECT id FROM acme_accounts WHERE provisioner = ? AND key_thumbprint = ? AND id <> ?";
    private static final String UPDATE_ACCOUNT_SQL = "UPDATE acme_accounts SET provisioner = ?, key_thumbprint = ?, "
            + "jwk = ?, contacts = ?, status = ?, created_at = ?, eab_key_id = ?, terms_of_service_agreed = ?, "
            + "version = ? WHERE id = ? AND version = ?";

    // --- orders
    private static final String ORDER_COLUMNS = "id, account_id, provisioner, status, expires_at, identifiers, "
            + "not_before, not_after, authorization_ids, error, certificate_serial, replaces, created_at, version";
    private static final String INSERT_ORDER_SQL = "INSERT INTO acme_orders (" + ORDER_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String ORDER_SQL = "SELECT " + ORDER_COLUMNS + " FROM acme_orders WHERE id = ?";
    // The literal 'invalid' below is the condition of the partial indexes acme_orders_account and
    // acme_orders_replaces (V7); a query names it the same way, not as a parameter, for them to be used.
    static final String ORDER_IDS_SQL = "SELECT id FROM acme_orders WHERE account_id = ? AND status <> 'invalid' "
            + "ORDER BY created_at DESC, id DESC LIMIT ?";
    /// The page after the cursor order (of the same account, invalid or not): orders strictly older in
    /// (created_at, id) order.
    static final String ORDER_IDS_AFTER_SQL = "SELECT o.id FROM acme_orders o JOIN acme_orders c "
            + "ON c.id = ? AND c.account_id = o.account_id WHERE o.account_id = ? AND o.status <> 'invalid' "
            + "AND (o.created_at, o.id) < (c.created_at, c.id) ORDER BY o.created_at DESC, o.id DESC LIMIT ?";
    static final String REPLACING_ORDER_SQL =
            "SELECT " + ORDER_COLUMNS + " FROM acme_orders WHERE replaces = ? AND status <> 'invalid'";
    private static final String REPLACED_SQL = "SELECT 1 FROM acme_orders WHERE replaces = ? AND status <> 'invalid'";
    private static final String UPDATE_ORDER_SQL = "UPDATE acme_orders SET account_id = ?, provisioner = ?, "
            + "status = ?, expires_at = ?, identifiers = ?, not_before = ?, not_after = ?, authorization_ids = ?, "
            + "error = ?, certificate_serial = ?, replaces = ?, created_at = ?, version = ? "
            + "WHERE id = ? AND version = ?";

    // --- authorizations
    private static final String AUTHORIZATION_COLUMNS = "id, account_id, provisioner, identifier_type, "
            + "identifier_value, wildcard, status, expires_at, challenges, version";
    private static final String INSERT_AUTHORIZATION_SQL = "INSERT INTO acme_authorizations ("
            + AUTHORIZATION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String AUTHORIZATION_SQL =
            "SELECT " + AUTHORIZATION_COLUMNS + " FROM acme_authorizations WHERE id = ?";
    static final String REUSABLE_SQL = "SELECT " + AUTHORIZATION_COLUMNS + " FROM acme_authorizations "
            + "WHERE account_id = ? AND identifier_type = ? AND identifier_value = ? AND wildcard = ? "
            + "AND status = ? AND expires_at > ? ORDER BY expires_at DESC LIMIT 1";
    /// Pending, unexpired authorizations with a challenge `processing`: a coarse filter on the challenges JSON
    /// (written by this class, without spaces); [#stalledValidations] compares the start times.
    static final String PROCESSING_SQL = "SELECT " + AUTHORIZATION_COLUMNS + " FROM acme_authorizations "
            + "WHERE status = ? AND expires_at > ? AND challenges LIKE ? ORDER BY expires_at, id";
    private static final String UPDATE_AUTHORIZATION_SQL = "UPDATE acme_authorizations SET account_id = ?, "
            + "provisioner = ?, identifier_type = ?, identifier_value = ?, wildcard = ?, status = ?, "
            + "expires_at = ?, challenges = ?, version = ? WHERE id = ? AND version = ?";

    // --- external account binding
    private static final String EAB_COLUMNS = "key_id, provisioner, hmac_key, created_at, bound_account";
    private static final String INSERT_EAB_SQL = "INSERT INTO acme_eab_keys (" + EAB_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING";
    private static final String EAB_SQL = "SELECT " + EAB_COLUMNS + " FROM acme_eab_keys WHERE key_id = ?";
    private static final String ALL_EAB_SQL =
            "SELECT " + EAB_COLUMNS + " FROM acme_eab_keys ORDER BY created_at, key_id";
    static final String PROVISIONER_EAB_SQL = "SELECT " + EAB_COLUMNS
            + " FROM acme_eab_keys WHERE provisioner = ? ORDER BY created_at, key_id";
    private static final String UNBOUND_EAB_SQL =
            "SELECT 1 FROM acme_eab_keys WHERE key_id = ? AND provisioner = ? AND bound_account IS NULL";
    private static final String BIND_EAB_SQL = "UPDATE acme_eab_keys SET bound_account = ? "
            + "WHERE key_id = ? AND provisioner = ? AND bound_account IS NULL";
    private static final String DELETE_EAB_SQL = "DELETE FROM acme_eab_keys WHERE key_id = ?";

    // --- renewal overrides
    private static final String OVERRIDE_COLUMNS = "id, serial, issuer_key_id, issued_before, window_start, "
            + "window_end, explanation_url, created_at";
    private static final String INSERT_OVERRIDE_SQL = "INSERT INTO acme_renewal_overrides (" + OVERRIDE_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String OVERRIDES_SQL =
            "SELECT " + OVERRIDE_COLUMNS + " FROM acme_renewal_overrides ORDER BY created_at, id";

    /// PostgreSQL's SQLSTATE for a unique-constraint violation.
    private static final String UNIQUE_VIOLATION = "23505";

    /// What a checked write did.
    private enum Outcome { DONE, STALE, CONFLICT, EAB_KEY_UNUSABLE, REPLACED }

    /// Sets the parameters of a read.
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /// Turns the current row into a value.
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static final String NONCE_SECRET_PLACE = "acme_nonce_secret:1";
    private static final String EAB_PLACE = "acme_eab_keys:";

    private final Database db;
    private final SecretBox secrets;

    /// A store on `db`, whose schema the database's migrations have created, keeping its secrets (the nonce
    /// secret, EAB keys) as they are: for tests and tools. A server uses [#JdbcAcmeStore(Database, SecretBox)].
    public JdbcAcmeStore(Database db) {
        this(db, SecretBox.none());
    }

    /// A store on `db` that encrypts its secrets (the nonce secret, EAB keys) with `secrets`.
    public JdbcAcmeStore(Database db, SecretBox secrets) {
        this.db = Objects.requireNonNull(db, "db");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    // ---------------------------------------------------------------- nonces

    @Override
    public byte[] nonceSecret(Supplier<byte[]> create) throws AcmeStoreException {
        Objects.requireNonNull(create, "create");
        Optional<byte[]> stored = first("read the nonce secret", SECRET_SQL, ps -> { }, rs -> blob(rs, "secret"));
        if (stored.isPresent()) {
            return openNonceSecret(stored.get());
        }
        // Made outside the write task: a task may run twice (see GroupCommitWriter), a secret is made once.
        byte[] candidate = secrets.seal(Objects.requireNonNull(create.get(), "the created nonce secret"),
                NONCE_SECRET_PLACE);
        return openNonceSecret(write("store the nonce secret", c -> {
            PreparedStatement insert = db.statement(c, INSERT_SECRET_SQL);
            insert.setBytes(1, candidate);
            insert.setLong(2, db.clock().millis());
            insert.executeUpdate();
            // Ours, or the one another replica stored first.
            PreparedStatement select = db.statement(c, SECRET_SQL);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the nonce secret vanished while it was stored");
                }
                return blob(rs, "secret");
            }
        }));
    }

    private byte[] openNonceSecret(byte[] stored) throws AcmeStoreException {
        return secrets.open(stored, NONCE_SECRET_PLACE).orElseThrow(() -> new AcmeStoreException(
                AcmeStoreException.Kind.UNAVAILABLE, "the stored ACME nonce secret does not decrypt with this "
                + "deployment's key (is the CA passphrase the one it was stored with?)"));
    }

    @Override
    public boolean useNonce(String nonce, Instant expires) throws AcmeStoreException {
        String key = Codec.storedText(nonce);
        long expiresAt = expires.toEpochMilli();
        return write("use a nonce", c -> {
            PreparedStatement ps = db.statement(c, USE_NONCE_SQL);
            ps.setString(1, key);
            ps.setLong(2, expiresAt);
            return ps.executeUpdate() == 1;
        });
    }

    @Override
    public void record(Effects effects) throws AcmeStoreException {
        Objects.requireNonNull(effects, "effects");
        if (effects.isEmpty()) {
            return;
        }
        write("record a request's nonce and audit events", c -> {
            applyEffects(c, effects);
            return Boolean.TRUE;
        });
    }

    /// Writes `effects` on the writer connection `c`, in the transaction of the change they go with: throws
    /// [NonceUsedException] when the nonce was used before and [SignerChangedException] when the account that
    /// signed the request is no longer valid with its key (the writer then undoes the whole task).
    private void applyEffects(Connection c, Effects effects) throws SQLException {
        if (effects.nonce().isPresent()) {
            Effects.Nonce nonce = effects.nonce().get();
            String key = Codec.storedText(nonce.value());
            long expiresAt = nonce.expires().toEpochMilli();
            Optional<Effects.Signer> signer = nonce.signer();
            String sql = signer.isPresent() ? USE_SIGNED_NONCE_SQL : USE_NONCE_SQL;
            GroupCommitWriter.Binder binder = ps -> {
                ps.setString(1, key);
                ps.setLong(2, expiresAt);
                if (signer.isPresent()) {
                    setText(ps, 3, signer.get().accountId());
                    ps.setString(4, AccountStatus.VALID.wire());
                    setText(ps, 5, signer.get().keyThumbprint());
                }
            };
            if (db.writer().defers()) {
                // Inserted with the group's other nonces; a used one (or a changed signer) fails the group, which
                // is then run task by task and fails here below.
                db.writer().deferInsert(sql, binder, "a nonce was used before or its signer changed");
            } else {
                PreparedStatement ps = db.statement(c, sql);
                binder.bind(ps);
                if (ps.executeUpdate() != 1) {
                    throw signer.isPresent() && !nonceUsed(c, key) ? new SignerChangedException()
                            : new NonceUsedException();
                }
            }
        }
        JdbcAuditLog.appendAll(db, c, effects.audit());
    }

    private boolean nonceUsed(Connection c, String key) throws SQLException {
        PreparedStatement ps = db.statement(c, NONCE_USED_SQL);
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /// Thrown inside a write task whose nonce was used before, to undo what the task wrote.
    private static final class NonceUsedException extends SQLException {

        private static final long serialVersionUID = 1L;

        NonceUsedException() {
            super("the nonce was used before");
        }
    }

    /// Thrown inside a write task whose signing account is no longer valid with the signing key, to undo
    /// what the task wrote.
    private static final class SignerChangedException extends SQLException {

        private static final long serialVersionUID = 1L;

        SignerChangedException() {
            super("the account that signed the request is no longer valid with that key");
        }
    }

    @Override
    public int purgeUsedNonces(Instant now) throws AcmeStoreException {
        // A stored expiry e (cut to the millisecond) is below now's millisecond only if the real expiry was
        // before now: a nonce is never forgotten early.
        long cutoff = now.toEpochMilli();
        return write("purge used nonces", c -> {
            PreparedStatement ps = db.statement(c, PURGE_NONCES_SQL);
            ps.setLong(1, cutoff);
            return ps.executeUpdate();
        });
    }

    // ---------------------------------------------------------------- accounts

    @Override
    public void createAccount(Account account, Effects effects) throws AcmeStoreException {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(effects, "effects");
        String contacts = stringList(account.contacts());
        Outcome outcome = write("create account " + account.id(), c -> {
            Optional<String> eabKeyId = account.eabKeyId();
            if (eabKeyId.isPresent()) {
                PreparedStatement unbound = db.statement(c, UNBOUND_EAB_SQL);
                setText(unbound, 1, eabKeyId.get());
                setText(unbound, 2, account.provisioner());
                try (ResultSet rs = unbound.executeQuery()) {
                    if (!rs.next()) {
                        return Outcome.EAB_KEY_UNUSABLE;
                    }
                }
            }
            PreparedStatement ps = db.statement(c, INSERT_ACCOUNT_SQL);
            setText(ps, 1, account.id());
            setText(ps, 2, account.provisioner());
            setText(ps, 3, account.keyThumbprint());
            setText(ps, 4, account.jwk());
            ps.setString(5, contacts);
            ps.setString(6, account.status().wire());
            ps.setLong(7, account.createdAt().toEpochMilli());
            setOptionalText(ps, 8, eabKeyId);
            ps.setInt(9, account.termsOfServiceAgreed() ? 1 : 0);
            ps.setLong(10, account.version());
            if (ps.executeUpdate() != 1) {
                return Outcome.CONFLICT;
            }
            if (eabKeyId.isPresent()) {
                PreparedStatement bind = db.statement(c, BIND_EAB_SQL);
                setText(bind, 1, account.id());
                setText(bind, 2, eabKeyId.get());
                setText(bind, 3, account.provisioner());
                if (bind.executeUpdate() != 1) {
                    // Checked above in this serialised task; throwing rolls the account back with it.
                    throw new SQLException("EAB key " + eabKeyId.get() + " changed while account " + account.id()
                            + " was bound to it");
                }
            }
            applyEffects(c, effects);
            return Outcome.DONE;
        });
        if (outcome == Outcome.CONFLICT) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT,
                    "account " + account.id() + " exists, or its key is another account's key");
        }
        if (outcome == Outcome.EAB_KEY_UNUSABLE) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT, "EAB key " + account.eabKeyId().orElse("")
                    + " is unknown to provisioner " + account.provisioner() + " or bound already");
        }
    }

    @Override
    public Optional<Account> account(String id) throws AcmeStoreException {
        return first("read account " + id, ACCOUNT_SQL, ps -> setText(ps, 1, id), JdbcAcmeStore::account);
    }

    @Override
    public Optional<Account> accountByThumbprint(String provisioner, String thumbprint) throws AcmeStoreException {
        return first("find an account by key", ACCOUNT_BY_THUMBPRINT_SQL, ps -> {
            setText(ps, 1, provisioner);
            setText(ps, 2, thumbprint);
        }, JdbcAcmeStore::account);
    }

    @Override
    public boolean updateAccount(Account next, Effects effects) throws AcmeStoreException {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(effects, "effects");
        String contacts = stringList(next.contacts());
        Outcome outcome = write("update account " + next.id(), c -> {
            PreparedStatement version = db.statement(c, ACCOUNT_VERSION_SQL);
            setText(version, 1, next.id());
            try (ResultSet rs = version.executeQuery()) {
                if (!rs.next() || rs.getLong(1) != next.version() - 1) {
                    return Outcome.STALE;
                }
            }
            PreparedStatement holder = db.statement(c, KEY_HOLDER_SQL);
            setText(holder, 1, next.provisioner());
            setText(holder, 2, next.keyThumbprint());
            setText(holder, 3, next.id());
            try (ResultSet rs = holder.executeQuery()) {
                if (rs.next()) {
                    return Outcome.CONFLICT;
                }
            }
            PreparedStatement ps = db.statement(c, UPDATE_ACCOUNT_SQL);
            setText(ps, 1, next.provisioner());
            setText(ps, 2, next.keyThumbprint());
            setText(ps, 3, next.jwk());
            ps.setString(4, contacts);
            ps.setString(5, next.status().wire());
            ps.setLong(6, next.createdAt().toEpochMilli());
            setOptionalText(ps, 7, next.eabKeyId());
            ps.setInt(8, next.termsOfServiceAgreed() ? 1 : 0);
            ps.setLong(9, next.version());
            setText(ps, 10, next.id());
            ps.setLong(11, next.version() - 1);
            if (ps.executeUpdate() != 1) {
                return Outcome.STALE;
            }
            applyEffects(c, effects);
            return Outcome.DONE;
        });
        if (outcome == Outcome.CONFLICT) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT,
                    "the new key of account " + next.id() + " is another account's key");
        }
        return outcome == Outcome.DONE;
    }

    private static Account account(ResultSet rs) throws SQLException {
        try {
            return new Account(Codec.text(rs, "id"), Codec.text(rs, "provisioner"), Codec.text(rs, "key_thumbprint"),
                    Codec.text(rs, "jwk"), Codec.stringList(Codec.string(rs, "contacts")),
                    parse(AccountStatus.class, Codec.string(rs, "status")), Codec.instant(rs, "created_at"),
                    optionalText(rs, "eab_key_id"), rs.getInt("terms_of_service_agreed") != 0, rs.getLong("version"));
        } catch (IllegalArgumentException e) {
            throw malformed("account", e);
        }
    }

    // ---------------------------------------------------------------- orders and authorizations

    @Override
    public void createOrder(Order order, List<Authorization> authorizations, Effects effects)
            throws AcmeStoreException {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(effects, "effects");
        List<Authorization> all = List.copyOf(authorizations);
        OrderRow orderRow = new OrderRow(order);
        List<AuthorizationRow> rows = all.stream().map(AuthorizationRow::new).toList();
        Outcome outcome = write("create order " + order.id(), c -> {
            if (order.status() != OrderStatus.INVALID && order.replaces().isPresent()
                    && exists(c, REPLACED_SQL, order.replaces().get())) {
                return Outcome.REPLACED;
            }
            // An order or authorization id in use already (ids are random: practically never) breaks a primary
            // key below; the exception undoes the whole task and reads as a conflict.
            orderRow.insert(db.statement(c, INSERT_ORDER_SQL));
            for (AuthorizationRow row : rows) {
                row.insert(db.statement(c, INSERT_AUTHORIZATION_SQL));
            }
            applyEffects(c, effects);
            return Outcome.DONE;
        });
        if (outcome == Outcome.CONFLICT) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT,
                    "order " + order.id() + " or one of its authorizations exists");
        }
        if (outcome == Outcome.REPLACED) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT, "certificate "
                    + order.replaces().orElse("") + " is replaced by another order already");
        }
    }

    @Override
    public Optional<Order> order(String id) throws AcmeStoreException {
        return first("read order " + id, ORDER_SQL, ps -> setText(ps, 1, id), JdbcAcmeStore::order);
    }

    @Override
    public List<String> orderIds(String accountId, Optional<String> cursor, int limit) throws AcmeStoreException {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(cursor, "cursor");
        if (limit < 1) {
            return List.of();
        }
        if (cursor.isEmpty()) {
            return all("list orders of " + accountId, ORDER_IDS_SQL, ps -> {
                setText(ps, 1, accountId);
                ps.setInt(2, limit);
            }, rs -> Codec.text(rs, "id"));
        }
        return all("list orders of " + accountId, ORDER_IDS_AFTER_SQL, ps -> {
            setText(ps, 1, cursor.get());
            setText(ps, 2, accountId);
            ps.setInt(3, limit);
        }, rs -> Codec.text(rs, "id"));
    }

    @Override
    public Optional<Order> replacingOrder(String certificateId) throws AcmeStoreException {
        return first("find the order replacing a certificate", REPLACING_ORDER_SQL, ps -> setText(ps, 1, certificateId),
                JdbcAcmeStore::order);
    }

    @Override
    public boolean updateOrder(Order next, Effects effects) throws AcmeStoreException {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(effects, "effects");
        OrderRow row = new OrderRow(next);
        return write("update order " + next.id(), c -> updated(c, row.update(db.statement(c, UPDATE_ORDER_SQL)),
                effects));
    }

    /// Writes `effects` when the compare-and-set update they go with was made; returns whether it was.
    private boolean updated(Connection c, boolean made, Effects effects) throws SQLException {
        if (made) {
            applyEffects(c, effects);
        }
        return made;
    }

    @Override
    public Optional<Authorization> authorization(String id) throws AcmeStoreException {
        return first("read authorization " + id, AUTHORIZATION_SQL, ps -> setText(ps, 1, id),
                JdbcAcmeStore::authorization);
    }

    @Override
    public Optional<Authorization> reusableAuthorization(String accountId, Identifier identifier, boolean wildcard,
            Instant now) throws AcmeStoreException {
        Objects.requireNonNull(identifier, "identifier");
        long cutoff = now.toEpochMilli();
        return first("find a reusable authorization", REUSABLE_SQL, ps -> {
            setText(ps, 1, accountId);
            ps.setString(2, identifier.type().wire());
            setText(ps, 3, identifier.value());
            ps.setInt(4, wildcard ? 1 : 0);
            ps.setString(5, AuthorizationStatus.VALID.wire());
            // expires > now, with expires stored in whole milliseconds.
            ps.setLong(6, cutoff);
        }, JdbcAcmeStore::authorization);
    }

    @Override
    public boolean updateAuthorization(Authorization next, Effects effects) throws AcmeStoreException {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(effects, "effects");
        AuthorizationRow row = new AuthorizationRow(next);
        return write("update authorization " + next.id(),
                c -> updated(c, row.update(db.statement(c, UPDATE_AUTHORIZATION_SQL)), effects));
    }

    /// Reads every pending, unexpired authorization with a challenge `processing` (no index serves this
    /// query: it scans `acme_authorizations`) and keeps those whose validation started before
    /// `startedBefore` or at a time not recorded.
    @Override
    public List<Authorization> stalledValidations(Instant startedBefore, Instant now, int limit)
            throws AcmeStoreException {
        Objects.requireNonNull(startedBefore, "startedBefore");
        if (limit < 1) {
            return List.of();
        }
        long cutoff = now.toEpochMilli();
        List<Authorization> processing = all("find stalled challenge validations", PROCESSING_SQL, ps -> {
            ps.setString(1, AuthorizationStatus.PENDING.wire());
            // expires > now, with expires stored in whole milliseconds.
            ps.setLong(2, cutoff);
            ps.setString(3, "%\"status\":\"" + ChallengeStatus.PROCESSING.wire() + "\"%");
        }, JdbcAcmeStore::authorization);
        return processing.stream().filter(a -> a.stalledChallenge(startedBefore, now).isPresent()).limit(limit)
                .toList();
    }

    /// An order's column values, encoded before the write task runs.
    private static final class OrderRow {
        private final Order order;
        private final String identifiers;
        private final String authorizationIds;

        OrderRow(Order order) {
            this.order = order;
            this.identifiers = identifiers(order.identifiers());
            this.authorizationIds = stringList(order.authorizationIds());
        }

        void insert(PreparedStatement ps) throws SQLException {
            setText(ps, 1, order.id());
            int next = setColumns(ps, 2);
            ps.setLong(next, order.version());
            ps.executeUpdate();
        }

        boolean update(PreparedStatement ps) throws SQLException {
            int next = setColumns(ps, 1);
            ps.setLong(next, order.version());
            setText(ps, next + 1, order.id());
            ps.setLong(next + 2, order.version() - 1);
            return ps.executeUpdate() == 1;
        }

        /// Sets account_id to created_at from `first` on; returns the next parameter index.
        private int setColumns(PreparedStatement ps, int first) throws SQLException {
            int i = first;
            setText(ps, i++, order.accountId());
            setText(ps, i++, order.provisioner());
            ps.setString(i++, order.status().wire());
            ps.setLong(i++, order.expires().toEpochMilli());
            ps.setString(i++, identifiers);
            Codec.setOptionalInstant(ps, i++, order.notBefore());
            Codec.setOptionalInstant(ps, i++, order.notAfter());
            ps.setString(i++, authorizationIds);
            setOptionalText(ps, i++, order.error());
            setOptionalText(ps, i++, order.certificateSerial());
            setOptionalText(ps, i++, order.replaces());
            ps.setLong(i++, order.createdAt().toEpochMilli());
            return i;
        }
    }

    private static Order order(ResultSet rs) throws SQLException {
        try {
            return new Order(Codec.text(rs, "id"), Codec.text(rs, "account_id"), Codec.text(rs, "provisioner"),
                    parse(OrderStatus.class, Codec.string(rs, "status")), Codec.instant(rs, "expires_at"),
                    identifiers(Codec.string(rs, "identifiers")), Codec.optionalInstant(rs, "not_before"),
                    Codec.optionalInstant(rs, "not_after"), Codec.stringList(Codec.string(rs, "authorization_ids")),
                    optionalText(rs, "error"), optionalText(rs, "certificate_serial"), optionalText(rs, "replaces"),
                    Codec.instant(rs, "created_at"), rs.getLong("version"));
        } catch (IllegalArgumentException e) {
            throw malformed("order", e);
        }
    }

    /// An authorization's column values, encoded before the write task runs.
    private static final class AuthorizationRow {
        private final Authorization authorization;
        private final String challenges;

        AuthorizationRow(Authorization authorization) {
            this.authorization = authorization;
            this.challenges = challenges(authorization.challenges());
        }

        void insert(PreparedStatement ps) throws SQLException {
            setText(ps, 1, authorization.id());
            int next = setColumns(ps, 2);
            ps.setLong(next, authorization.version());
            ps.executeUpdate();
        }

        boolean update(PreparedStatement ps) throws SQLException {
            int next = setColumns(ps, 1);
            ps.setLong(next, authorization.version());
            setText(ps, next + 1, authorization.id());
            ps.setLong(next + 2, authorization.version() - 1);
            return ps.executeUpdate() == 1;
        }

        /// Sets account_id to challenges from `first` on; returns the next parameter index.
        private int setColumns(PreparedStatement ps, int first) throws SQLException {
            int i = first;
            setText(ps, i++, authorization.accountId());
            setText(ps, i++, authorization.provisioner());
            ps.setString(i++, authorization.identifier().type().wire());
            setText(ps, i++, authorization.identifier().value());
            ps.setInt(i++, authorization.wildcard() ? 1 : 0);
            ps.setString(i++, authorization.status().wire());
            ps.setLong(i++, authorization.expires().toEpochMilli());
            ps.setString(i++, challenges);
            return i;
        }
    }

    private static Authorization authorization(ResultSet rs) throws SQLException {
        try {
            String type = Codec.string(rs, "identifier_type");
            Identifier.Type identifierType = Identifier.Type.fromWire(type);
            if (identifierType == null) {
                throw new SQLException("unknown identifier type '" + type + "' in the database");
            }
            return new Authorization(Codec.text(rs, "id"), Codec.text(rs, "account_id"),
                    Codec.text(rs, "provisioner"),
                    new Identifier(identifierType, Codec.text(rs, "identifier_value")), rs.getInt("wildcard") != 0,
                    parse(AuthorizationStatus.class, Codec.string(rs, "status")), Codec.instant(rs, "expires_at"),
                    challenges(Codec.string(rs, "challenges")), rs.getLong("version"));
        } catch (IllegalArgumentException e) {
            throw malformed("authorization", e);
        }
    }

    // ---------------------------------------------------------------- external account binding

    @Override
    public void createEabKey(EabKey key) throws AcmeStoreException {
        Objects.requireNonNull(key, "key");
        byte[] hmac = secrets.seal(key.hmacKey(), EAB_PLACE + key.keyId());
        boolean created = write("create EAB key " + key.keyId(), c -> {
            PreparedStatement ps = db.statement(c, INSERT_EAB_SQL);
            setText(ps, 1, key.keyId());
            setText(ps, 2, key.provisioner());
            ps.setBytes(3, hmac);
            ps.setLong(4, key.createdAt().toEpochMilli());
            setOptionalText(ps, 5, key.boundAccount());
            return ps.executeUpdate() == 1;
        });
        if (!created) {
            throw new AcmeStoreException(AcmeStoreException.Kind.CONFLICT, "EAB key " + key.keyId() + " exists");
        }
    }

    @Override
    public Optional<EabKey> eabKey(String keyId) throws AcmeStoreException {
        return first("read EAB key " + keyId, EAB_SQL, ps -> setText(ps, 1, keyId), this::eabKey);
    }

    @Override
    public List<EabKey> eabKeys(Optional<String> provisioner) throws AcmeStoreException {
        Objects.requireNonNull(provisioner, "provisioner");
        if (provisioner.isEmpty()) {
            return all("list EAB keys", ALL_EAB_SQL, ps -> { }, this::eabKey);
        }
        return all("list EAB keys", PROVISIONER_EAB_SQL, ps -> setText(ps, 1, provisioner.get()),
                this::eabKey);
    }

    @Override
    public boolean deleteEabKey(String keyId) throws AcmeStoreException {
        String key = Codec.storedText(keyId);
        return write("delete EAB key " + keyId, c -> {
            PreparedStatement ps = db.statement(c, DELETE_EAB_SQL);
            ps.setString(1, key);
            return ps.executeUpdate() == 1;
        });
    }

    private EabKey eabKey(ResultSet rs) throws SQLException {
        String keyId = Codec.text(rs, "key_id");
        byte[] hmac = secrets.open(blob(rs, "hmac_key"), EAB_PLACE + keyId).orElseThrow(() -> new SQLException(
                "EAB key " + keyId + " does not decrypt with this deployment's key (is the CA passphrase the one "
                + "it was stored with?)"));
        try {
            return new EabKey(keyId, Codec.text(rs, "provisioner"), hmac,
                    Codec.instant(rs, "created_at"), optionalText(rs, "bound_account"));
        } catch (IllegalArgumentException e) {
            throw malformed("EAB key", e);
        }
    }

    // ---------------------------------------------------------------- renewal information

    @Override
    public void addRenewalOverride(RenewalOverride override) throws AcmeStoreException {
        Objects.requireNonNull(override, "override");
        write("add renewal override " + override.id(), c -> {
            PreparedStatement ps = db.statement(c, INSERT_OVERRIDE_SQL);
            setText(ps, 1, override.id());
            setOptionalText(ps, 2, override.serial());
            setOptionalText(ps, 3, override.issuerKeyId());
            ps.setLong(4, override.issuedBefore().toEpochMilli());
            ps.setLong(5, override.windowStart().toEpochMilli());
            ps.setLong(6, override.windowEnd().toEpochMilli());
            setOptionalText(ps, 7, override.explanationUrl());
            ps.setLong(8, override.createdAt().toEpochMilli());
            return ps.executeUpdate();
        });
    }

    @Override
    public List<RenewalOverride> renewalOverrides() throws AcmeStoreException {
        return all("list renewal overrides", OVERRIDES_SQL, ps -> { }, rs -> new RenewalOverride(
                Codec.text(rs, "id"), optionalText(rs, "serial"), optionalText(rs, "issuer_key_id"),
                Codec.instant(rs, "issued_before"), Codec.instant(rs, "window_start"), Codec.instant(rs, "window_end"),
                optionalText(rs, "explanation_url"), Codec.instant(rs, "created_at")));
    }

    // ---------------------------------------------------------------- columns

    private static void setText(PreparedStatement ps, int index, String value) throws SQLException {
        ps.setString(index, Codec.storedText(value));
    }

    private static void setOptionalText(PreparedStatement ps, int index, Optional<String> value)
            throws SQLException {
        if (value.isPresent()) {
            setText(ps, index, value.get());
        } else {
            ps.setNull(index, Types.VARCHAR);
        }
    }

    private static Optional<String> optionalText(ResultSet rs, String column) throws SQLException {
        String stored = rs.getString(column);
        return stored == null ? Optional.empty() : Optional.of(Codec.text(stored));
    }

    private static byte[] blob(ResultSet rs, String column) throws SQLException {
        byte[] v = rs.getBytes(column);
        if (v == null) {
            throw new SQLException("column " + column + " is unexpectedly NULL");
        }
        return v;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String wire) throws SQLException {
        try {
            return Enum.valueOf(type, wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SQLException("unknown " + type.getSimpleName() + " '" + wire + "' in the database", e);
        }
    }

    private static SQLException malformed(String what, RuntimeException e) {
        return new SQLException("malformed " + what + " in the database: " + e.getMessage(), e);
    }

    /// A JSON array of strings, in ASCII so both databases keep every string exactly.
    private static String stringList(List<String> values) {
        ArrayNode a = Codec.ASCII_JSON.createArrayNode();
        values.forEach(a::add);
        return Codec.ASCII_JSON.writeValueAsString(a);
    }

    private static String identifiers(List<Identifier> identifiers) {
        ArrayNode a = Codec.ASCII_JSON.createArrayNode();
        for (Identifier i : identifiers) {
            a.addObject().put("type", i.type().wire()).put("value", i.value());
        }
        return Codec.ASCII_JSON.writeValueAsString(a);
    }

    private static List<Identifier> identifiers(String json) throws SQLException {
        List<Identifier> out = new ArrayList<>();
        for (JsonNode n : array(json, "identifiers")) {
            String type = field(n, "type");
            Identifier.Type t = Identifier.Type.fromWire(type);
            if (t == null) {
                throw new SQLException("unknown identifier type '" + type + "' in the database");
            }
            out.add(new Identifier(t, field(n, "value")));
        }
        return out;
    }

    private static String challenges(List<Challenge> challenges) {
        ArrayNode a = Codec.ASCII_JSON.createArrayNode();
        for (Challenge ch : challenges) {
            ObjectNode o = a.addObject().put("id", ch.id()).put("type", ch.type()).put("token", ch.token())
                    .put("status", ch.status().wire());
            ch.validated().ifPresent(t -> o.put("validated", t.toEpochMilli()));
            ch.error().ifPresent(e -> o.put("error", e));
            ch.validationStarted().ifPresent(t -> o.put("started", t.toEpochMilli()));
        }
        return Codec.ASCII_JSON.writeValueAsString(a);
    }

    private static List<Challenge> challenges(String json) throws SQLException {
        List<Challenge> out = new ArrayList<>();
        for (JsonNode n : array(json, "challenges")) {
            JsonNode validated = n.get("validated");
            if (validated != null && !validated.isIntegralNumber()) {
                throw new SQLException("malformed challenge validation time in the database");
            }
            JsonNode error = n.get("error");
            if (error != null && !error.isString()) {
                throw new SQLException("malformed challenge error in the database");
            }
            JsonNode started = n.get("started");
            if (started != null && !started.isIntegralNumber()) {
                throw new SQLException("malformed challenge validation start in the database");
            }
            out.add(new Challenge(field(n, "id"), field(n, "type"), field(n, "token"),
                    parse(ChallengeStatus.class, field(n, "status")),
                    validated == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(validated.asLong())),
                    error == null ? Optional.empty() : Optional.of(error.asString()),
                    started == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(started.asLong()))));
        }
        return out;
    }

    private static JsonNode array(String json, String what) throws SQLException {
        JsonNode a = Codec.tree(json);
        if (!a.isArray()) {
            throw new SQLException("malformed " + what + " in the database: not a JSON array");
        }
        return a;
    }

    private static String field(JsonNode object, String name) throws SQLException {
        JsonNode v = object.get(name);
        if (v == null || !v.isString()) {
            throw new SQLException("malformed JSON in the database: no text field '" + name + "'");
        }
        return v.asString();
    }

    // ---------------------------------------------------------------- plumbing

    private boolean exists(Connection c, String sql, String id) throws SQLException {
        PreparedStatement ps = db.statement(c, sql);
        setText(ps, 1, id);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private <T> Optional<T> first(String what, String sql, Binder binder, RowReader<T> reader)
            throws AcmeStoreException {
        List<T> found = query(what, sql, binder, reader, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    private <T> List<T> all(String what, String sql, Binder binder, RowReader<T> reader) throws AcmeStoreException {
        return query(what, sql, binder, reader, Integer.MAX_VALUE);
    }

    private <T> List<T> query(String what, String sql, Binder binder, RowReader<T> reader, int max)
            throws AcmeStoreException {
        try (Connection c = db.read()) {
            PreparedStatement ps = db.readStatement(c, sql);
            binder.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (out.size() < max && rs.next()) {
                    out.add(reader.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private <T> T write(String what, GroupCommitWriter.WriteTask<T> task) throws AcmeStoreException {
        @Nullable T result;
        try {
            result = db.write(task);
        } catch (SQLException e) {
            throw failure(what, e);
        }
        if (result == null) {
            throw new AcmeStoreException(AcmeStoreException.Kind.UNAVAILABLE, "cannot " + what + ": no result");
        }
        return result;
    }

    private static AcmeStoreException failure(String what, SQLException e) {
        if (e instanceof NonceUsedException) {
            return new AcmeStoreException(AcmeStoreException.Kind.NONCE_USED, "ACME store: cannot " + what + ": "
                    + e.getMessage());
        }
        if (e instanceof SignerChangedException) {
            return new AcmeStoreException(AcmeStoreException.Kind.SIGNER_CHANGED, "ACME store: cannot " + what
                    + ": " + e.getMessage());
        }
        AcmeStoreException.Kind kind = uniqueViolation(e) ? AcmeStoreException.Kind.CONFLICT
                : AcmeStoreException.Kind.UNAVAILABLE;
        return new AcmeStoreException(kind, "ACME store: cannot " + what + ": " + e.getMessage(), e);
    }

    /// Whether `e` (or an exception it wraps) reports a broken primary-key or unique constraint.
    static boolean uniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
            if (t instanceof SQLiteException s && (s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                    || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
                return true;
            }
        }
        return false;
    }
}
