package io.certwright.inventory.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/// Runs `promtool` (Debian's `prometheus` package) over the shipped alerting rules and their unit tests. Fails,
/// rather than skips, when promtool is missing: CI installs it.
class PrometheusRulesTest {

    static Path deployDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/prometheus"))) {
                return dir.resolve("deploy");
            }
        }
        throw new AssertionError("no deploy/prometheus directory above the working directory");
    }

    private static String promtool(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is not installed (apt-get install prometheus)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(p.exitValue()).as("promtool %s exit status; output:%n%s", args[0] + " " + args[1], out).isZero();
        return out;
    }

    @Test
    void alertingRulesPassPromtoolCheck() throws Exception {
        String out = promtool(deployDir().resolve("prometheus"), "check", "rules", "certwright-rules.yml");
        assertThat(out).contains("SUCCESS");
    }

    @Test
    void alertingRulesPassTheirPromtoolUnitTests() throws Exception {
        String out = promtool(deployDir().resolve("prometheus"), "test", "rules", "certwright-rules.test.yml");
        assertThat(out).contains("SUCCESS");
    }

    @Test
    void rulesCoverExpiringExpiredRenewalOverdueAndScanFailing() throws Exception {
        String rules = Files.readString(deployDir().resolve("prometheus/certwright-rules.yml"));
        assertThat(rules).contains("alert: CertwrightCertificateExpiringSoon", "alert: CertwrightCertificateExpired",
                "alert: CertwrightCertificateRenewalOverdue", "alert: CertwrightScanFailing");
    }
}
