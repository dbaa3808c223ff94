package io.certwright.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// The lookups OCSP, CRL generation, ACME, the inventory and alerting run often or over many rows use an index on
/// SQLite, as its query planner reports, rather than scanning a table or sorting its rows.
class SqliteQueryPlanTest {

    private final TestDatabases dbs = new TestDatabases(TestDatabases.Engine.SQLITE);

    @AfterEach
    void closeDatabases() {
        dbs.close();
    }

    private List<String> plan(String sql) throws Exception {
        Database db = dbs.open();
        try (Connection c = db.read(); PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            int parameters = (int) sql.chars().filter(ch -> ch == '?').count();
            for (int i = 1; i <= parameters; i++) {
                ps.setString(i, "00");
            }
            List<String> steps = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
            return steps;
        }
    }

    @Test
    void statusBySerialSearchesTheUniqueSerialIndex() throws Exception {
        assertThat(plan(JdbcCertificateStore.STATUS_SQL)).singleElement().asString()
                .startsWith("SEARCH certificates USING INDEX").contains("(serial=?)");
    }

    @Test
    void revokedListOfAnIssuerSearchesTheIssuerStatusIndex() throws Exception {
        assertThat(plan(JdbcCertificateStore.REVOKED_SQL)).singleElement().asString()
                .startsWith("SEARCH certificates USING INDEX certificates_issuer_status")
                .contains("issuer_key_id=? AND status=? AND not_after>?");
    }

    @Test
    void inventoryLookupByFingerprintSearchesThePrimaryKey() throws Exception {
        assertThat(plan(JdbcInventoryStore.FIND_SQL)).singleElement().asString()
                .startsWith("SEARCH inventory_certificates USING INDEX").contains("(fingerprint=?)");
    }

    @Test
    void inventoryByOwnerSearchesTheOwnerIndex() throws Exception {
        assertThat(plan(JdbcInventoryStore.OWNED_BY_SQL)).singleElement().asString()
                .startsWith("SEARCH inventory_certificates USING INDEX inventory_certificates_owner")
                .contains("(owner=?)");
    }

    @Test
    void inventoryExpiringBeforeSearchesTheNotAfterIndexWithoutSorting() throws Exception {
        assertThat(plan(JdbcInventoryStore.EXPIRING_SQL)).singleElement().asString()
                .startsWith("SEARCH inventory_certificates USING INDEX inventory_certificates_not_after")
                .contains("(not_after<?)");
    }

    @Test
    void theResolutionCheckOfOpenClaimsSearchesTheSubjectIndex() throws Exception {
        assertThat(plan(JdbcAlertStateStore.OPEN_SQL)).anySatisfy(step -> assertThat(step)
                .startsWith("SEARCH r USING COVERING INDEX alert_claims_subject")
                .contains("subject=? AND channel=? AND kind=?"));
    }

    @Test
    void theReusableAuthorizationSearchesTheReuseIndexWithoutSorting() throws Exception {
        assertThat(plan(JdbcAcmeStore.REUSABLE_SQL)).singleElement().asString()
                .startsWith("SEARCH acme_authorizations USING INDEX acme_authorizations_reuse")
                .contains("account_id=? AND identifier_type=? AND identifier_value=? AND wildcard=? AND status=? "
                        + "AND expires_at>?");
    }

    @Test
    void anAccountsOrdersSearchTheAccountIndexWithoutSorting() throws Exception {
        assertThat(plan(JdbcAcmeStore.ORDER_IDS_SQL)).singleElement().asString()
                .startsWith("SEARCH acme_orders USING COVERING INDEX acme_orders_account").contains("(account_id=?)");
        assertThat(plan(JdbcAcmeStore.ORDER_IDS_AFTER_SQL)).noneSatisfy(step -> assertThat(step)
                .contains("TEMP B-TREE")).noneSatisfy(step -> assertThat(step).startsWith("SCAN"));
    }

    @Test
    void theOrderReplacingACertificateIsFoundThroughTheReplacesIndex() throws Exception {
        assertThat(plan(JdbcAcmeStore.REPLACING_ORDER_SQL)).singleElement().asString()
                .startsWith("SEARCH acme_orders USING INDEX acme_orders_replaces").contains("(replaces=?)");
    }

    @Test
    void stalledValidationsSearchThePendingAuthorizationsByExpiry() throws Exception {
        assertThat(plan(JdbcAcmeStore.PROCESSING_SQL)).anySatisfy(step -> assertThat(step)
                .startsWith("SEARCH acme_authorizations USING INDEX acme_authorizations_status_expires")
                .contains("status=? AND expires_at>?"));
    }

    @Test
    void anAccountByKeySearchesTheUniqueKeyIndex() throws Exception {
        assertThat(plan(JdbcAcmeStore.ACCOUNT_BY_THUMBPRINT_SQL)).singleElement().asString()
                .startsWith("SEARCH acme_accounts USING INDEX").contains("(provisioner=? AND key_thumbprint=?)");
    }

    @Test
    void purgingUsedNoncesSearchesTheExpiryIndex() throws Exception {
        assertThat(plan(JdbcAcmeStore.PURGE_NONCES_SQL)).singleElement().asString()
                .startsWith("SEARCH acme_used_nonces USING INDEX acme_used_nonces_expires_at")
                .contains("(expires_at<?)");
    }
}
