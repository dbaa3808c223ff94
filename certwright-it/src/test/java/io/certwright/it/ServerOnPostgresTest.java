package io.certwright.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.ca.audit.AuditChain;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.core.SpiffeId;
import io.certwright.server.CertwrightServer;
import io.certwright.server.ServerConfig;
import io.certwright.server.ServerOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/// The server on PostgreSQL, end to end: `database.url` in the configuration file points it at a real
/// (embedded) PostgreSQL server, and issuing, listing, revoking and the audit chain all work there, with
/// the rows in PostgreSQL and no SQLite file in the data directory.
class ServerOnPostgresTest {

    private static final String DATABASE = "certwright_e2e";
    private static final Map<String, String> ENV = Map.of("CERTWRIGHT_CA_PASSPHRASE", "postgres end-to-end test");

    @TempDir
    static Path dir;

    static EmbeddedPostgres postgres;
    static DataSource database;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = ItPostgres.startWithDatabase(DATABASE);
        database = postgres.getDatabase("postgres", DATABASE);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static CertwrightServer start(Path data) throws Exception {
        Path config = dir.resolve("certwright.yaml");
        Files.writeString(config, "database:\n  url: " + postgres.getJdbcUrl("postgres", DATABASE) + "\n"
                + "  username: postgres\n", StandardCharsets.UTF_8);
        return CertwrightServer.start(ServerOptions.defaults().withDataDir(data)
                .withListen(ServerConfig.parseListen("127.0.0.1:0")).withConfigFile(config).withEnvironment(ENV),
                Clock.systemUTC());
    }

    private static ServerApi api(CertwrightServer server) throws Exception {
        String token = Files.readString(server.adminTokenFile(), StandardCharsets.US_ASCII).strip();
        return new ServerApi(server.url(), server.root(), token);
    }

    private static long count(String sql, String... params) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void serverConfiguredWithAPostgresUrlIssuesListsRevokesAndAuditsInPostgres() throws Exception {
        Path data = dir.resolve("data");
        SpiffeId id = SpiffeId.parse("spiffe://certwright.local/pg/payments");
        String serial;
        try (CertwrightServer server = start(data)) {
            assertThat(server.config().databaseUrl()).hasValueSatisfying(u -> assertThat(u).startsWith("jdbc:postgresql:"));
            ServerApi api = api(server);

            serial = api.issueSvid(id).serial();
            JsonNode stored = api.certificate(serial);
            assertThat(stored.get("status").asString()).isEqualTo("valid");
            assertThat(stored.get("spiffe_id").asString()).isEqualTo(id.toString());

            List<JsonNode> listed = api.listAll("spiffe_id_prefix="
                    + URLEncoder.encode("spiffe://certwright.local/pg/", StandardCharsets.UTF_8));
            assertThat(listed).extracting(n -> n.get("serial").asString()).containsExactly(serial);

            HttpResponse<String> revoked = api.post("/api/v1/certificates/" + serial + "/revoke",
                    Map.of("reason", "keyCompromise"));
            assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
            assertThat(api.listAll("status=revoked")).extracting(n -> n.get("serial").asString())
                    .containsExactly(serial);

            List<AuditEntry> log = api.auditLog();
            AuditChain.Verifier verifier = new AuditChain.Verifier();
            for (AuditEntry e : log) {
                assertThat(verifier.accept(e)).as("audit entry %d", e.sequence()).isEmpty();
            }
            assertThat(log).filteredOn(e -> e.event().target().equals(serial))
                    .extracting(e -> e.event().action())
                    .containsExactly("certificate.issue", "certificate.revoke");

            // The records are in PostgreSQL, as many as the API shows, and the data directory holds no SQLite file.
            assertThat(count("SELECT COUNT(*) FROM audit_log")).isEqualTo(log.size());
            assertThat(count("SELECT COUNT(*) FROM certificates")).isEqualTo(api.listAll("").size());
            assertThat(count("SELECT COUNT(*) FROM certificates WHERE status = ? AND spiffe_id = ?", "revoked",
                    id.toString())).isEqualTo(1);
            assertThat(data.resolve("certwright.db")).doesNotExist();
        }

        // A restart on the same database finds the revoked certificate and extends the same chain.
        try (CertwrightServer server = start(data)) {
            ServerApi api = api(server);
            JsonNode stored = api.certificate(serial);
            assertThat(stored.get("status").asString()).isEqualTo("revoked");
            assertThat(stored.get("revocation_reason").asString()).isEqualTo("keyCompromise");
            String second = api.issueSvid(SpiffeId.parse("spiffe://certwright.local/pg/ledger")).serial();
            List<AuditEntry> log = api.auditLog();
            AuditChain.Verifier verifier = new AuditChain.Verifier();
            for (AuditEntry e : log) {
                assertThat(verifier.accept(e)).as("audit entry %d", e.sequence()).isEmpty();
            }
            assertThat(log.getLast().event().action()).isEqualTo("certificate.issue");
            assertThat(log.getLast().event().target()).isEqualTo(second);
            assertThat(count("SELECT COUNT(*) FROM audit_log")).isEqualTo(log.size());
        }
    }
}
