package io.certwright.ca.revocation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/// Runs the real `openssl` binary. No fallback when it is missing: the failure to start fails the test.
final class Openssl {

    /// What a run printed (stdout and stderr together) and its exit code.
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private Openssl() {
    }

    static Result run(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), out);
    }
}
