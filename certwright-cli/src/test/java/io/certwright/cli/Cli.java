package io.certwright.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/// Runs `certwright` in-process with captured output and an empty environment, so no
/// CERTWRIGHT_CA_PASSPHRASE of the machine running the tests can leak in.
final class Cli {

    /// What one run printed and returned.
    record Result(int exitCode, String out, String err) {
        /// The lines printed on stderr.
        java.util.List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new Main(environment, Clock.systemUTC()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
