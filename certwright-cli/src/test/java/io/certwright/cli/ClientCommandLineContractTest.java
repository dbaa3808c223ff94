package io.certwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/// The names and flags of the commands that talk to a Certwright server, which users script against.
class ClientCommandLineContractTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "issue          | --server --token --token-file --ca-cert --profile --spiffe-id --dns --out --ttl --key-type",
        "renew          | --cert --key --server --out --new-key --ttl --ca-cert",
        "revoke         | SERIAL --reason --server --ca-cert --token --token-file keyCompromise",
        "list           | --expiring --status --spiffe-id-prefix --dns-prefix --json --server --ca-cert --token-file",
        "token create   | --provisioner --spiffe-id --dns --ip --ttl --server --ca-cert --token-file",
        "bootstrap      | --server --fingerprint",
        "audit verify   | --server --file --ca-cert --token-file",
        "audit export   | --server --out --ca-cert --token-file"})
    void everyClientCommandHasHelpListingItsContractFlags(String command, String flags) {
        Cli.Result r = Cli.run((command.strip() + " --help").split(" "));
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: certwright " + command.strip());
        assertThat(r.out().replaceAll("\\s+", " ")).contains(flags.strip().split(" "));
    }

    @Test
    void tokenAndAuditWithoutASubcommandPrintUsage() {
        assertThat(Cli.run("token").exitCode()).isEqualTo(2);
        assertThat(Cli.run("audit").err()).contains("verify", "export");
    }

    @Test
    void remoteIssueRefusesOfflineOnlyOptions() {
        Cli.Result r = Cli.run("issue", "--server", "https://127.0.0.1:1", "--dir", "x", "--token", "t", "--profile",
                "svid", "--spiffe-id", "spiffe://example.org/a", "--out", "o");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--dir is for issuing from a local CA directory");
    }
}
