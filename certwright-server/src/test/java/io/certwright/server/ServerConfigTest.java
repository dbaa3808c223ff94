package io.certwright.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.core.TrustDomain;
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
}
