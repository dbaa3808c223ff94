package io.certwright.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.core.TrustDomain;
import io.certwright.inventory.status.ExpiryThresholds;
import io.certwright.server.inventory.InventorySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @TempDir
    Path dir;

    private ServerOptions withFile(String yaml) throws Exception {
        Path file = dir.resolve("certwright.yaml");
        Files.writeString(file, yaml);
        return ServerOptions.defaults().withConfigFile(file);
    }

    @Test
    void noConfigurationGivesTheDocumentedDefaults() throws Exception {
        ServerConfig c = ServerConfig.resolve(ServerOptions.defaults());
        assertThat(c.dataDir()).isEqualTo(Path.of("certwright-data"));
        assertThat(c.listen().getHostString() + ":" + c.listen().getPort()).isEqualTo("127.0.0.1:8443");
        assertThat(c.trustDomain()).isEqualTo(new TrustDomain("certwright.local"));
        assertThat(c.maxBodyBytes()).isEqualTo(64 * 1024);
        assertThat(c.databaseUrl()).isEmpty();
    }

    @Test
    void revocationDefaultsPublishNoHttpListenerAndDayLongCrls() throws Exception {
        ServerConfig.Revocation r = ServerConfig.resolve(ServerOptions.defaults()).revocation();
        assertThat(r.httpListen()).isEmpty();
        assertThat(r.publicUrl()).isEmpty();
        assertThat(r.crlLifetime()).isEqualTo(Duration.ofHours(24));
        assertThat(r.crlGrace()).isEqualTo(Duration.ofDays(1));
        assertThat(r.ocspValidity()).isEqualTo(Duration.ofHours(1));
        assertThat(r.ocspSignerLifetime()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void revocationSettingsComeFromTheFileAndTheEnvironment() throws Exception {
        ServerOptions o = withFile("""
                revocation:
                  http-listen: 127.0.0.1:8080
                  public-url: http://pki.example/
                  crl-lifetime: 6h
                """).withEnvironment(Map.of("CERTWRIGHT_REVOCATION_OCSP_VALIDITY", "30m"));
        ServerConfig.Revocation r = ServerConfig.resolve(o).revocation();
        assertThat(r.httpListen()).hasValueSatisfying(a -> assertThat(a.getPort()).isEqualTo(8080));
        assertThat(r.publicUrl()).hasValue(java.net.URI.create("http://pki.example"));
        assertThat(r.crlLifetime()).isEqualTo(Duration.ofHours(6));
        assertThat(r.ocspValidity()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void revocationPublicUrlMustBeAnHttpUrlWithoutQuery() {
        for (String bad : new String[] {"ftp://pki.example", "pki.example", "http://pki.example/?x=1",
                "http://user:pw@pki.example"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.resolve(ServerOptions.defaults()
                    .withEnvironment(Map.of("CERTWRIGHT_REVOCATION_PUBLIC_URL", bad))), bad);
            assertThat(e.getMessage()).contains("revocation.public-url").contains("CERTWRIGHT_REVOCATION_PUBLIC_URL");
        }
    }

    @Test
    void anOcspSignerMustOutliveThreeResponseValidities() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.resolve(ServerOptions.defaults()
                .withEnvironment(Map.of("CERTWRIGHT_REVOCATION_OCSP_VALIDITY", "1d",
                        "CERTWRIGHT_REVOCATION_OCSP_SIGNER_LIFETIME", "2d"))));
        assertThat(e.getMessage()).contains("revocation.ocsp-signer-lifetime");
    }

    @Test
    void thresholdOverridesPickAnOwnerOrALabelAndBadOnesAreRefusedNamingTheKey() throws Exception {
        ServerConfig c = ServerConfig.resolve(ServerOptions.defaults().withEnvironment(Map.of(
                "CERTWRIGHT_ALERTING_THRESHOLD_OVERRIDES", "owner:payments=60d/30d/7d,label:environment:dev=3d")));
        var overrides = c.inventory().alerting().overrides();
        assertThat(overrides).hasSize(2);
        assertThat(overrides.getFirst().thresholds().toString()).isEqualTo("60d,30d,7d");
        assertThat(c.redacted().get("alerting.threshold-overrides"))
                .isEqualTo("owner:payments=60d/30d/7d,label:environment:dev=3d");
        for (String bad : new String[] {"team:payments=1d", "owner:=1d", "owner:payments", "label:env=1d",
                "owner:payments=soon"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.resolve(ServerOptions.defaults()
                    .withEnvironment(Map.of("CERTWRIGHT_ALERTING_THRESHOLD_OVERRIDES", bad))), bad);
            assertThat(e.getMessage()).as(bad).contains("alerting.threshold-overrides");
        }
    }

    @Test
    void ownershipRulesAreParsedInOrderAndBadOnesAreRefusedNamingTheKey() throws Exception {
        ServerConfig c = ServerConfig.resolve(ServerOptions.defaults().withEnvironment(Map.of(
                "CERTWRIGHT_INVENTORY_OWNERS", "spiffe:spiffe://prod.example/ns/pay/**=payments;team=pay,"
                        + "endpoint:10.0.4.*:443=platform")));
        assertThat(c.inventory().owners().rules()).extracting(r -> r.owner()).containsExactly("payments", "platform");
        assertThat(c.inventory().owners().rules().getFirst().labels()).containsEntry("team", "pay");
        for (String bad : new String[] {"dns:*.x=a", "san:*.x", "san:*.x=", "san:*.x=a;nolabel", "=a"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.resolve(ServerOptions.defaults()
                    .withEnvironment(Map.of("CERTWRIGHT_INVENTORY_OWNERS", bad))), bad);
            assertThat(e.getMessage()).as(bad).contains("inventory.owners");
        }
    }

    @Test
    void unknownKeyIsAnErrorNamingTheKey() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ServerConfig.resolve(withFile("database:\n  uri: jdbc:postgresql://x/y\n")));
        assertThat(e.getMessage()).contains("'database.uri'");
    }

    @Test
    void environmentOverridesTheFileAndFlagsOverrideBoth() throws Exception {
        ServerOptions o = withFile("listen: 0.0.0.0:9000\ntrust-domain: file.example\ntls:\n  hostnames: [ca.example]\n")
                .withEnvironment(Map.of("CERTWRIGHT_TRUST_DOMAIN", "env.example", "CERTWRIGHT_LIMITS_MAX_BODY_BYTES", "2048",
                        "CERTWRIGHT_TLS_CERTIFICATE_LIFETIME", "2d"));
        ServerConfig c = ServerConfig.resolve(o);
        assertThat(c.listen().getPort()).isEqualTo(9000);
        assertThat(c.trustDomain().name()).isEqualTo("env.example");
        assertThat(c.maxBodyBytes()).isEqualTo(2048);
        assertThat(c.tlsHostnames()).containsExactly("ca.example");
        assertThat(c.tlsCertificateLifetime()).isEqualTo(Duration.ofDays(2));
        ServerConfig flagged = ServerConfig.resolve(o.withTrustDomain(new TrustDomain("flag.example")));
        assertThat(flagged.trustDomain().name()).isEqualTo("flag.example");
    }

    @Test
    void invalidValueNamesTheKeyAndTheEnvironmentVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.resolve(ServerOptions.defaults()
                .withEnvironment(Map.of("CERTWRIGHT_LISTEN", "nowhere"))));
        assertThat(e.getMessage()).contains("listen").contains("CERTWRIGHT_LISTEN");
    }

    @Test
    void exampleConfigurationParsesAndNamesEveryKey() throws Exception {
        String example = ServerConfig.example();
        ServerConfig c = ServerConfig.resolve(withFile(example));
        assertThat(c.listen().getPort()).isEqualTo(8443);
        for (String key : ServerConfig.KEYS) {
            String leaf = key.substring(key.lastIndexOf('.') + 1);
            assertThat(example).as(key).contains(leaf + ":");
        }
    }

    @Test
    void passwordNeverPrints() throws Exception {
        ServerConfig c = ServerConfig.resolve(ServerOptions.defaults()
                .withEnvironment(Map.of("CERTWRIGHT_DATABASE_PASSWORD", "hunter2")));
        assertThat(c.databasePassword()).contains("hunter2");
        assertThat(c.toString()).doesNotContain("hunter2");
    }

    @Test
    void flagsWinOverFileAndEnvironmentEvenWhenTheyRepeatTheDefault() throws Exception {
        ServerOptions o = withFile("listen: 0.0.0.0:9000\ndata-dir: /srv/certwright\nlog:\n  format: json\n")
                .withEnvironment(Map.of("CERTWRIGHT_LISTEN", "0.0.0.0:9001"));
        ServerConfig fromFileAndEnv = ServerConfig.resolve(o);
        assertThat(fromFileAndEnv.listen().getPort()).isEqualTo(9001);
        assertThat(fromFileAndEnv.dataDir()).isEqualTo(Path.of("/srv/certwright"));
        assertThat(fromFileAndEnv.logFormat()).isEqualTo(LogFormat.JSON);

        ServerConfig flagged = ServerConfig.resolve(o.withListen(ServerConfig.parseListen("127.0.0.1:8443"))
                .withDataDir(Path.of("certwright-data")).withLogFormat(LogFormat.TEXT));
        assertThat(flagged.listen().getHostString() + ":" + flagged.listen().getPort()).isEqualTo("127.0.0.1:8443");
        assertThat(flagged.dataDir()).isEqualTo(Path.of("certwright-data"));
        assertThat(flagged.logFormat()).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void optionsBuiltWithTheConstructorTreatOnlyNonDefaultValuesAsGiven() throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "listen: 0.0.0.0:9000\n");
        ServerOptions asDefaults = new ServerOptions(ServerOptions.DEFAULT_DATA_DIR, ServerOptions.DEFAULT_LISTEN,
                java.util.Optional.empty(), java.util.Optional.of(file), Map.of());
        assertThat(asDefaults.explicit()).isEmpty();
        assertThat(ServerConfig.resolve(asDefaults).listen().getPort()).isEqualTo(9000);
        ServerOptions given = new ServerOptions(ServerOptions.DEFAULT_DATA_DIR, ServerConfig.parseListen("127.0.0.1:0"),
                java.util.Optional.empty(), java.util.Optional.of(file), Map.of());
        assertThat(given.isExplicit(ServerOptions.Flag.LISTEN)).isTrue();
        assertThat(ServerConfig.resolve(given).listen().getPort()).isZero();
    }

    @Test
    void ipv6ListenFlagSurvivesResolution() throws Exception {
        ServerConfig c = ServerConfig.resolve(ServerOptions.defaults().withListen(ServerConfig.parseListen("[::1]:8443")));
        assertThat(c.listen().getHostString()).isEqualTo("::1");
    }

    @Test
    void logFormatIsTextByDefaultAndRefusesUnknownFormatsNamingTheKey() throws Exception {
        assertThat(ServerConfig.resolve(ServerOptions.defaults()).logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(ServerConfig.resolve(ServerOptions.defaults().withEnvironment(Map.of("CERTWRIGHT_LOG_FORMAT", "JSON")))
                .logFormat()).isEqualTo(LogFormat.JSON);
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.resolve(withFile("log:\n  format: xml\n")));
        assertThat(e.getMessage()).contains("log.format").contains("xml");
    }

    @Test
    void configurationHashLeavesSecretsOutButChangesWithEveryOtherValue() throws Exception {
        ServerOptions base = ServerOptions.defaults().withEnvironment(Map.of(
                "CERTWRIGHT_DATABASE_URL", "jdbc:postgresql://cw:s3cret-in-url@db.internal/certwright?password=other-secret",
                "CERTWRIGHT_DATABASE_PASSWORD", "hunter2"));
        ServerConfig c = ServerConfig.resolve(base);
        assertThat(c.redacted().toString()).doesNotContain("hunter2").doesNotContain("s3cret-in-url")
                .doesNotContain("other-secret").contains("db.internal");
        assertThat(c.toString()).doesNotContain("s3cret-in-url").doesNotContain("other-secret");
        assertThat(c.redacted().keySet()).doesNotContain("database.password");
        assertThat(c.sha256()).matches("[0-9a-f]{64}");

        ServerConfig otherPassword = ServerConfig.resolve(base.withEnvironment(Map.of(
                "CERTWRIGHT_DATABASE_URL", "jdbc:postgresql://cw:s3cret-in-url@db.internal/certwright?password=other-secret",
                "CERTWRIGHT_DATABASE_PASSWORD", "correct horse")));
        assertThat(otherPassword.sha256()).isEqualTo(c.sha256());
        ServerConfig otherListen = ServerConfig.resolve(base.withListen(ServerConfig.parseListen("127.0.0.1:9443")));
        assertThat(otherListen.sha256()).isNotEqualTo(c.sha256());
    }

    @Test
    void inventoryAndAlertingDefaultsSyncEvery5sScanNothingAndSendNothing() throws Exception {
        InventorySettings i = ServerConfig.resolve(ServerOptions.defaults()).inventory();
        assertThat(i.syncInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(i.scan().enabled()).isFalse();
        assertThat(i.scan().ports()).containsExactly(443);
        assertThat(i.scan().interval()).isEqualTo(Duration.ofHours(1));
        assertThat(i.metrics().labels()).containsExactly("owner", "source", "issuer", "subject");
        assertThat(i.metrics().maxSeries()).isEqualTo(10_000);
        assertThat(i.alerting().thresholds()).isEqualTo(ExpiryThresholds.defaults());
        assertThat(i.alerting().anyChannel()).isFalse();
    }

    @Test
    void inventoryAndAlertingSettingsComeFromTheFileAndTheEnvironment() throws Exception {
        ServerOptions o = withFile("""
                inventory:
                  scan:
                    targets: [api.example.com, "10.0.0.0/30", "smtp://mail.example.com"]
                    ports: [443, 8443]
                    files: [/etc/ssl/certs]
                    interval: 30m
                  metrics:
                    labels: [owner, subject]
                    max-series: 500
                alerting:
                  thresholds: [21d, 7d]
                  webhook:
                    url: https://hooks.example.com/certwright?tenant=7
                  smtp:
                    host: mail.example.com
                    from: certwright@example.com
                    to: [ops@example.com]
                    owner-to: [payments=pay@example.com]
                """).withEnvironment(Map.of("CERTWRIGHT_ALERTING_WEBHOOK_SECRET", "hook-secret-1",
                "CERTWRIGHT_ALERTING_SMTP_USERNAME", "cw", "CERTWRIGHT_ALERTING_SMTP_PASSWORD", "mail-secret-2",
                "CERTWRIGHT_ALERTING_SLACK_URL", "https://hooks.slack.example/services/T0/B0/slack-secret-3"));
        ServerConfig c = ServerConfig.resolve(o);
        InventorySettings i = c.inventory();
        assertThat(i.scan().targets()).containsExactly("api.example.com", "10.0.0.0/30", "smtp://mail.example.com");
        assertThat(i.scan().ports()).containsExactly(443, 8443);
        assertThat(i.scan().files()).containsExactly(Path.of("/etc/ssl/certs"));
        assertThat(i.scan().interval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(i.metrics().labels()).containsExactly("owner", "subject");
        assertThat(i.metrics().maxSeries()).isEqualTo(500);
        assertThat(i.alerting().thresholds()).isEqualTo(ExpiryThresholds.parse("21d,7d"));
        assertThat(i.alerting().webhook()).hasValueSatisfying(w -> assertThat(w.secret()).isEqualTo(
                io.certwright.inventory.alert.Secret.of("hook-secret-1")));
        assertThat(i.alerting().smtp()).hasValueSatisfying(s -> {
            assertThat(s.port()).isEqualTo(587);
            assertThat(s.ownerTo()).containsEntry("payments", "pay@example.com");
        });

        String redacted = c.redacted().toString() + c + i;
        assertThat(redacted).doesNotContain("hook-secret-1").doesNotContain("mail-secret-2")
                .doesNotContain("slack-secret-3").doesNotContain("tenant=7");
        assertThat(c.redacted()).doesNotContainKeys("alerting.webhook.secret", "alerting.smtp.password")
                .containsEntry("alerting.slack.url", "https://hooks.slack.example/***");
        ServerConfig otherSecrets = ServerConfig.resolve(o.withEnvironment(Map.of("CERTWRIGHT_ALERTING_WEBHOOK_SECRET",
                "hook-secret-9", "CERTWRIGHT_ALERTING_SMTP_USERNAME", "cw", "CERTWRIGHT_ALERTING_SMTP_PASSWORD", "x",
                "CERTWRIGHT_ALERTING_SLACK_URL", "https://hooks.slack.example/services/T0/B0/slack-secret-3")));
        assertThat(otherSecrets.sha256()).isEqualTo(c.sha256());
    }

    @Test
    void invalidInventoryAndAlertingValuesNameTheKeyAndWhereTheyCameFrom() {
        Map<String, String> bad = Map.of(
                "CERTWRIGHT_INVENTORY_SCAN_TARGETS", "10.0.0.0/8",
                "CERTWRIGHT_INVENTORY_SCAN_PORTS", "0",
                "CERTWRIGHT_INVENTORY_SYNC_INTERVAL", "1ms",
                "CERTWRIGHT_INVENTORY_METRICS_LABELS", "owner,pod",
                "CERTWRIGHT_ALERTING_THRESHOLDS", "7d,7d",
                "CERTWRIGHT_ALERTING_WEBHOOK_URL", "ftp://hooks.example.com",
                "CERTWRIGHT_ALERTING_SMTP_SECURITY", "ssl3",
                "CERTWRIGHT_ALERTING_DIGEST", "maybe");
        bad.forEach((variable, value) -> {
            Map<String, String> env = new java.util.HashMap<>(Map.of(variable, value));
            if (variable.startsWith("CERTWRIGHT_ALERTING_SMTP")) {
                env.put("CERTWRIGHT_ALERTING_SMTP_HOST", "mail.example.com");
                env.put("CERTWRIGHT_ALERTING_SMTP_FROM", "a@example.com");
                env.put("CERTWRIGHT_ALERTING_SMTP_TO", "b@example.com");
            }
            if (variable.equals("CERTWRIGHT_ALERTING_WEBHOOK_URL")) {
                env.put("CERTWRIGHT_ALERTING_WEBHOOK_SECRET", "s");
            }
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ServerConfig.resolve(ServerOptions.defaults().withEnvironment(env)), variable);
            assertThat(e.getMessage()).as(variable).contains(variable);
        });
        ConfigException unsigned = assertThrows(ConfigException.class, () -> ServerConfig.resolve(ServerOptions
                .defaults().withEnvironment(Map.of("CERTWRIGHT_ALERTING_WEBHOOK_URL", "https://hooks.example.com"))));
        assertThat(unsigned.getMessage()).contains("alerting.webhook.secret");
        ConfigException noRecipient = assertThrows(ConfigException.class, () -> ServerConfig.resolve(ServerOptions
                .defaults().withEnvironment(Map.of("CERTWRIGHT_ALERTING_SMTP_HOST", "mail.example.com",
                        "CERTWRIGHT_ALERTING_SMTP_FROM", "a@example.com"))));
        assertThat(noRecipient.getMessage()).contains("alerting.smtp.to");
    }
}
