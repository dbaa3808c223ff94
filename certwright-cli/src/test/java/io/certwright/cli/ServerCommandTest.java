package io.certwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCommandTest {

    @TempDir
    Path dir;

    @Test
    void configExamplePrintsEveryKeyWithComments() {
        Cli.Result r = Cli.run("config", "example");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("listen: 127.0.0.1:8443").contains("data-dir:").contains("trust-domain:")
                .contains("database:").contains("hostnames:").contains("max-body-bytes: 65536").contains("format: text").contains("# ");
    }

    @Test
    void serverHelpListsItsFlags() {
        Cli.Result r = Cli.run("server", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--data-dir").contains("--listen").contains("--config").contains("--trust-domain")
                .contains("--log-format");
    }

    @Test
    void serverRefusesAConfigurationWithAnUnknownKeyNamingIt() throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "listne: 127.0.0.1:0\n");
        Cli.Result r = Cli.run("server", "--config", config.toString(), "--data-dir", dir.resolve("d").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("'listne'");
    }

    @Test
    void serverRefusesAMalformedListenAddress() {
        Cli.Result r = Cli.run(Map.of(), "server", "--listen", "nowhere", "--data-dir", dir.resolve("d").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--listen");
    }

    @Test
    void serverRefusesAnUnknownLogFormatAsAUsageError() {
        Cli.Result r = Cli.run(Map.of(), "server", "--log-format", "xml", "--data-dir", dir.resolve("d").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--log-format").contains("xml");
        assertThat(dir.resolve("d")).doesNotExist();
    }

    @Test
    void serverRefusesAnUnknownLogFormatFromTheEnvironmentNamingTheVariable() {
        Cli.Result r = Cli.run(Map.of("CERTWRIGHT_LOG_FORMAT", "yaml"), "server", "--data-dir", dir.resolve("d").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("log.format").contains("CERTWRIGHT_LOG_FORMAT");
        assertThat(dir.resolve("d")).doesNotExist();
    }
}
