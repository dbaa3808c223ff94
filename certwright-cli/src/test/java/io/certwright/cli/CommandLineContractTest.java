package io.certwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/// The command names and flags users script against.
class CommandLineContractTest {

    @ParameterizedTest
    @ValueSource(strings = {"ca", "ca init", "ca show", "ca import", "issue", "csr", "sign", "inspect", "demo",
        "completion"})
    void everyCommandHasHelp(String command) {
        String[] args = (command + " --help").split(" ");
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: certwright " + command);
    }

    @Test
    void issueHelpListsTheContractFlags() {
        assertThat(Cli.run("issue", "--help").out().replaceAll("\\s+", " ")).contains("--dir", "--profile", "--spiffe-id", "--dns", "--ip",
                "--uri", "--email", "--cn", "--key-type", "--ttl", "--out", "--passphrase-file", "svid, server, client, mtls");
    }

    @Test
    void caInitHelpListsEveryKeyType() {
        assertThat(Cli.run("ca", "init", "--help").out().replaceAll("\\s+", " ")).contains("p256, p384, ed25519, rsa2048, rsa3072, rsa4096, "
                + "mldsa44, mldsa65, mldsa87", "--permit-dns", "--constrain-spiffe", "--root-ttl", "--intermediate-ttl",
                "--trust-domain", "--name");
    }

    @Test
    void inspectHelpSaysTheServerIsNotAuthenticated() {
        assertThat(Cli.run("inspect", "--help").out().replaceAll("\\s+", " ")).contains("NOT", "authenticated", "--servername", "--json");
    }

    @Test
    void versionNamesTheReleaseAndSigningProvider() {
        Cli.Result r = Cli.run("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("certwright ").contains("Signing provider");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca init", "issue", "inspect"})
    void subcommandsPrintTheVersionToo(String command) {
        Cli.Result r = Cli.run((command + " --version").split(" "));
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("certwright ");
    }

    @Test
    void completionPrintsABashScriptCoveringTheCommands() {
        Cli.Result r = Cli.run("completion");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("complete -F", "certwright", "inspect", "--spiffe-id", "mldsa65");
    }

    @Test
    void noCommandPrintsUsageAndExitsWithTheUsageCode() {
        Cli.Result r = Cli.run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: certwright");
    }

    @Test
    void aMalformedDurationIsAUsageError() {
        Cli.Result r = Cli.run("ca", "init", "--root-ttl", "ten years");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("error: ").contains("invalid duration 'ten years'");
    }
}
