package io.certwright.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/// `certwright server --log-format json` as an operator runs it: the executable jar in its own process,
/// standard error read as JSON Lines by a log shipper.
class ServerJsonLogTest {

    private static final Duration SAFETY_NET = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void serverWritesEveryLogLineAsJsonAndNeverTheAdminToken() throws Exception {
        Path jar = CrashSafetyTest.cliJar();
        Path data = dir.resolve("data");
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-jar",
                jar.toString(), "server", "--data-dir", data.toString(), "--listen",
                "127.0.0.1:" + CrashSafetyTest.freePort(), "--log-format", "json")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CERTWRIGHT_"));
        Process p = pb.start();
        try {
            Instant giveUp = Instant.now().plus(SAFETY_NET);
            while (!Files.readString(out, StandardCharsets.UTF_8).contains("Admin token:")) {
                if (!p.isAlive()) {
                    fail("the server exited with " + p.exitValue() + ":\n" + Files.readString(err));
                }
                if (Instant.now().isAfter(giveUp)) {
                    fail("the server did not start:\n" + Files.readString(err));
                }
                Thread.sleep(100);
            }
            // SIGTERM: the server shuts down gracefully and logs that it stopped.
            p.destroy();
            assertThat(p.waitFor(SAFETY_NET.toSeconds(), TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        } finally {
            p.destroyForcibly();
        }

        String token = Files.readString(data.resolve("secrets").resolve("admin.token"), StandardCharsets.US_ASCII)
                .strip();
        ObjectMapper json = new ObjectMapper();
        List<String> messages = new ArrayList<>();
        for (String line : Files.readAllLines(err, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = json.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.path("level").asString()).as(line).isIn("INFO", "WARN", "ERROR");
            assertThat(event.path("loggerName").asString()).as(line).isNotBlank();
            assertThat(event.has("timestamp")).as(line).isTrue();
            messages.add(event.path("formattedMessage").asString());
        }
        assertThat(messages).anyMatch(m -> m.startsWith("listening on https://127.0.0.1:"))
                .anyMatch(m -> m.startsWith("root certificate SHA-256 fingerprint"))
                .anyMatch(m -> m.equals("stopped"));
        assertThat(Files.readString(err, StandardCharsets.UTF_8)).doesNotContain(token);
    }
}
