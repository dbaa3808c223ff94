package io.certwright.agent;

import static io.certwright.agent.AgentHarness.mySelector;
import static io.certwright.agent.TestNodeServer.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.certwright.testing.MutableClock;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Attestation by the kernel's peer credentials, seen from a real process of another user.
class ForeignCallerTest {

    private static final int NOBODY = 65534;

    @TempDir
    Path tmp;

    @Test
    void processOfAnotherUserMatchingNoEntryIsPermissionDeniedWhileItsOwnUidIsServed() throws Exception {
        assumeTrue(AgentHarness.myUid() == 0, "needs root to start a process as another user");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        MutableClock clock = MutableClock.at(Instant.now());
        TestNodeServer server = new TestNodeServer(clock);
        server.addJoinToken("join-1");
        server.entries(entry("api", "spiffe://example.org/api", Duration.ofHours(1), mySelector()));
        AgentHarness harness = new AgentHarness(tmp);
        try {
            CertwrightAgent agent = harness.start(server, b -> b.joinToken("join-1"));
            String classpath = childClasspath();

            assertThat(runAs(NOBODY, classpath, harness.socket)).isEqualTo("STATUS PERMISSION_DENIED");

            server.entries(entry("api", "spiffe://example.org/api", Duration.ofHours(1), mySelector()),
                    entry("nobody", "spiffe://example.org/nobody", Duration.ofHours(1), "unix:uid:" + NOBODY,
                            "unix:user:nobody"));
            clock.advance(Duration.ofSeconds(6));
            agent.syncNow();

            assertThat(runAs(NOBODY, classpath, harness.socket)).isEqualTo("STATUS OK");
        } finally {
            harness.close();
        }
    }

    /// A copy of the test class path that any user can read.
    private String childClasspath() throws Exception {
        Path lib = tmp.resolve("lib");
        Files.createDirectories(lib);
        List<String> cp = new ArrayList<>();
        String testCp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int i = 0;
        for (String entry : testCp.split(File.pathSeparator, -1)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                Path copy = lib.resolve(i++ + "-" + p.getFileName());
                Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                cp.add(copy.toString());
            } else if (Files.isDirectory(p)) {
                Path copy = lib.resolve("dir" + i++);
                try (Stream<Path> files = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path target = copy.resolve(p.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
                cp.add(copy.toString());
            }
        }
        try (Stream<Path> all = Files.walk(lib)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(
                        Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, cp);
    }

    /// Runs [ForeignCallerMain] as `uid`; returns its status line.
    private static String runAs(int uid, String classpath, Path socket) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                java, "-cp", classpath, ForeignCallerMain.class.getName(),
                socket.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out.lines().filter(l -> l.startsWith("STATUS ")).findFirst().orElse("no status in: " + out);
    }
}
