package io.certwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certwright.acme.store.Account;
import io.certwright.acme.store.AccountStatus;
import io.certwright.acme.store.AcmeStoreException;
import io.certwright.acme.store.Authorization;
import io.certwright.acme.store.AuthorizationStatus;
import io.certwright.acme.store.EabKey;
import io.certwright.acme.store.Effects;
import io.certwright.acme.store.Identifier;
import io.certwright.acme.store.Order;
import io.certwright.acme.store.OrderStatus;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.keys.Passphrase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// ACME storage on one engine beyond the port contract: constraint failures the store's own checks do not
/// foresee still read as conflicts and roll the whole write back, storage failures and damaged rows read as
/// unavailability, times are kept to the millisecond, and a database of an older release gains the tables
/// and keeps its rows working under the rules added since.
abstract class AcmeStorageTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private final TestDatabases dbs = new TestDatabases(engine());

    abstract TestDatabases.Engine engine();

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    private static Account account(String id) {
        return new Account(id, "acme", "thumb-" + id, "{}", List.of(), AccountStatus.VALID, NOW, Optional.empty(), false,
                1);
    }

    private static Authorization authorization(String id, String name) {
        return new Authorization(id, "a", "acme", Identifier.dns(name), false, AuthorizationStatus.PENDING,
                NOW.plusSeconds(60), List.of(), 1);
    }

    private static Order order(String id, List<String> authorizationIds) {
        return new Order(id, "a", "acme", OrderStatus.PENDING, NOW.plusSeconds(60), List.of(Identifier.dns("x.test")),
                Optional.empty(), Optional.empty(), authorizationIds, Optional.empty(), Optional.empty(),
                Optional.empty(), NOW, 1);
    }

    @Test
    void aChangeWithItsNonceAndAuditEventsIsOneWrite() throws Exception {
        Database db = dbs.open();
        JdbcAcmeStore store = new JdbcAcmeStore(db);
        Order o = order("o", List.of());
        store.createOrder(o, List.of());
        Database.WriteStats before = db.writeStats();

        Effects effects = new Effects(Optional.of(new Effects.Nonce("n", NOW.plusSeconds(60))), List.of(
                AuditEvent.success("acme:acme:a", "acme.order.finalize", "o", java.util.Map.of()),
                AuditEvent.success("acme:acme:a", "acme.order.note", "o", java.util.Map.of())));
        assertThat(store.updateOrder(o.with(OrderStatus.READY, Optional.empty(), Optional.empty()), effects)).isTrue();

        Database.WriteStats after = db.writeStats();
        assertThat(after.writes() - before.writes()).isEqualTo(1);
        assertThat(after.commits() - before.commits()).isEqualTo(1);
        assertThat(new JdbcAuditLog(db).read(0, 10)).extracting(e -> e.event().action())
                .containsExactly("acme.order.finalize", "acme.order.note");
        assertThat(new JdbcAuditLog(db).verify()).isEmpty();
    }

    @Test
    void aClosedDatabaseIsUnavailable() throws Exception {
        Database db = dbs.open();
        JdbcAcmeStore store = new JdbcAcmeStore(db);
        db.close();

        assertThatThrownBy(() -> store.useNonce("n", NOW)).isInstanceOfSatisfying(AcmeStoreException.class,
                e -> assertThat(e.kind()).isEqualTo(AcmeStoreException.Kind.UNAVAILABLE));
        assertThatThrownBy(() -> store.account("a")).isInstanceOfSatisfying(AcmeStoreException.class,
                e -> assertThat(e.kind()).isEqualTo(AcmeStoreException.Kind.UNAVAILABLE));
    }

    @Test
    void aDamagedRowIsReportedAsUnavailableNotReturned() throws Exception {
        Database db = dbs.open();
        JdbcAcmeStore store = new JdbcAcmeStore(db);
        store.createAccount(account("a"));
        store.createOrder(order("o", List.of("az")), List.of(authorization("az", "x.test")));
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE acme_accounts SET status = 'suspended'")) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE acme_authorizations SET challenges = '{'")) {
                ps.executeUpdate();
            }
            return null;
        });

        assertThatThrownBy(() -> store.account("a")).isInstanceOfSatisfying(AcmeStoreException.class,
                e -> assertThat(e.kind()).isEqualTo(AcmeStoreException.Kind.UNAVAILABLE));
        assertThatThrownBy(() -> store.authorization("az")).isInstanceOfSatisfying(AcmeStoreException.class,
                e -> assertThat(e.kind()).isEqualTo(AcmeStoreException.Kind.UNAVAILABLE));
    }

    @Test
    void timesAreKeptToTheMillisecond() throws Exception {
        JdbcAcmeStore store = new JdbcAcmeStore(dbs.open());
        Instant precise = Instant.parse("2030-01-01T00:00:00.123456789Z");
        Account a = new Account("a", "acme", "t", "{}", List.of(), AccountStatus.VALID, precise, Optional.empty(),
                false, 1);

        store.createAccount(a);

        assertThat(store.account("a").orElseThrow().createdAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00.123Z"));
    }

    @Test
    void aNonceIsNeverPurgedBeforeItsExpiryWithinTheMillisecond() throws Exception {
        JdbcAcmeStore store = new JdbcAcmeStore(dbs.open());
        Instant expires = Instant.parse("2030-01-01T00:00:00.000900Z");
        store.useNonce("n", expires);

        assertThat(store.purgeUsedNonces(Instant.parse("2030-01-01T00:00:00.000500Z"))).isZero();
        assertThat(store.useNonce("n", expires)).isFalse();
        assertThat(store.purgeUsedNonces(Instant.parse("2030-01-01T00:00:00.001Z"))).isOne();
    }

    @Test
    void aDatabaseOfTheReleaseBeforeGainsTheAcmeTables() throws Exception {
        StoreConfig config = dbs.config();
        Database.migrateTo(config, "4");

        JdbcAcmeStore store = new JdbcAcmeStore(dbs.reopen(config));

        store.createAccount(account("a"));
        assertThat(store.account("a")).contains(account("a"));
        assertThat(store.useNonce("n", NOW.plus(Duration.ofMinutes(5)))).isTrue();
    }

    @Test
    void accountsAndOrdersOfTheReleaseBeforeKeepWorkingWithTheIntegrityRules() throws Exception {
        StoreConfig config = dbs.config();
        Database.migrateTo(config, "6");
        try (Connection c = DriverManager.getConnection(config.jdbcUrl()); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO acme_accounts (id, provisioner, key_thumbprint, jwk, contacts, status, "
                    + "created_at, eab_key_id, version) VALUES ('old', 'acme', 'thumb-old', '{}', '[]', 'valid', 0, "
                    + "NULL, 1)");
            // Two orders that replace one certificate, as a race the earlier release lost may have left them.
            for (String[] row : new String[][] {{"twin-1", "pending", "1000"}, {"twin-2", "valid", "2000"},
                    {"dead", "invalid", "3000"}}) {
                s.executeUpdate("INSERT INTO acme_orders (id, account_id, provisioner, status, expires_at, "
                        + "identifiers, authorization_ids, replaces, created_at, version) VALUES ('" + row[0]
                        + "', 'old', 'acme', '" + row[1] + "', 99999999999999, '[{\"type\":\"dns\",\"value\":"
                        + "\"x.test\"}]', '[]', 'cert-1', " + row[2] + ", 1)");
            }
        }

        JdbcAcmeStore store = new JdbcAcmeStore(dbs.reopen(config));

        assertThat(store.account("old").orElseThrow().termsOfServiceAgreed()).isFalse();
        assertThat(store.orderIds("old", Optional.empty(), 10)).containsExactly("twin-2", "twin-1");
        assertThat(store.replacingOrder("cert-1").orElseThrow().id()).isIn("twin-1", "twin-2");
        assertThatThrownBy(() -> store.createOrder(new Order("third", "old", "acme", OrderStatus.PENDING,
                NOW.plusSeconds(60), List.of(Identifier.dns("x.test")), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Optional.of("cert-1"), NOW, 1), List.of()))
                .isInstanceOfSatisfying(AcmeStoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(AcmeStoreException.Kind.CONFLICT));
    }

    private static byte[] column(Database db, String sql) throws Exception {
        try (Connection c = db.read(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getBytes(1);
        }
    }


    @Test
    void eabKeysAndTheNonceSecretAreStoredEncryptedAndReadBackClear() throws Exception {
        Database db = dbs.open();
        JdbcAcmeStore store = new JdbcAcmeStore(db, TestSecrets.box());
        byte[] hmac = new byte[32];
        Arrays.fill(hmac, (byte) 0x5a);
        store.createEabKey(new EabKey("kid-1", "acme", hmac, NOW, Optional.empty()));
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 0x33);
        assertThat(store.nonceSecret(() -> secret)).isEqualTo(secret);

        byte[] storedHmac = column(db, "SELECT hmac_key FROM acme_eab_keys WHERE key_id = 'kid-1'");
        byte[] storedSecret = column(db, "SELECT secret FROM acme_nonce_secret WHERE id = 1");
        assertThat(SecretBox.isSealed(storedHmac)).isTrue();
        assertThat(TestSecrets.contains(storedHmac, hmac)).isFalse();
        assertThat(SecretBox.isSealed(storedSecret)).isTrue();
        assertThat(TestSecrets.contains(storedSecret, secret)).isFalse();

        assertThat(store.eabKey("kid-1")).hasValueSatisfying(k -> assertThat(k.hmacKey()).isEqualTo(hmac));
        assertThat(store.nonceSecret(() -> new byte[32])).isEqualTo(secret);
    }

    @Test
    void secretsStoredUnderAnotherKeyReadAsUnavailableNotAsOtherBytes() throws Exception {
        Database db = dbs.open();
        JdbcAcmeStore sealed = new JdbcAcmeStore(db, TestSecrets.box());
        sealed.createEabKey(new EabKey("kid-2", "acme", new byte[32], NOW, Optional.empty()));
        sealed.nonceSecret(() -> new byte[32]);
        SecretBox other = SecretBox.derive(Passphrase.of("changed".toCharArray()),
                TestSecrets.root());
        JdbcAcmeStore wrongKey = new JdbcAcmeStore(db, other);

        assertThatThrownBy(() -> wrongKey.eabKey("kid-2")).isInstanceOfSatisfying(AcmeStoreException.class,
                e -> assertThat(e.kind()).isEqualTo(AcmeStoreException.Kind.UNAVAILABLE));
        assertThatThrownBy(() -> wrongKey.nonceSecret(() -> new byte[32])).isInstanceOfSatisfying(
                AcmeStoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(AcmeStoreException.Kind.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("passphrase");
                });
    }

    @Test
    void secretsStoredInTheClearByAnEarlierReleaseStillRead() throws Exception {
        Database db = dbs.open();
        byte[] hmac = new byte[32];
        Arrays.fill(hmac, (byte) 0x11);
        new JdbcAcmeStore(db).createEabKey(new EabKey("kid-3", "acme", hmac, NOW, Optional.empty()));
        assertThat(column(db, "SELECT hmac_key FROM acme_eab_keys WHERE key_id = 'kid-3'")).isEqualTo(hmac);
        assertThat(new JdbcAcmeStore(db, TestSecrets.box()).eabKey("kid-3"))
                .hasValueSatisfying(k -> assertThat(k.hmacKey()).isEqualTo(hmac));
    }
}
