package io.certwright.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/// `certwright acme eab`: external account binding keys, which admit new ACME accounts to provisioners
/// with `eabRequired: true`.
@Command(name = "eab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "External account binding keys of ACME provisioners.",
        subcommands = {AcmeEabCommand.Create.class, AcmeEabCommand.ListKeys.class})
final class AcmeEabCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /// `certwright acme eab create`.
    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Create an external account binding key for one ACME provisioner (admin token).",
                "Prints 'KEY_ID HMAC_KEY' on one line on stdout, for scripts (read KID HMAC < <(certwright acme "
                    + "eab create ...)); the details go to stderr. The HMAC key is shown once; it admits one "
                    + "account."})
    static final class Create extends ClientCommand {

        @Option(names = "--provisioner", paramLabel = "NAME", required = true,
                description = "ACME provisioner the key admits an account to.")
        @SuppressWarnings("NullAway.Init")
        String provisioner;

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Mixin
        TokenOptions tokens = new TokenOptions();

        @Override
        int run(Main main) throws Exception {
            ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())),
                    Optional.empty());
            JsonNode answer = client.post("/api/v1/acme/eab", Map.of("provisioner", provisioner));
            String keyId = answer.path("key_id").asString("");
            String hmac = answer.path("hmac_key").asString("");
            if (keyId.isEmpty() || hmac.isEmpty()) {
                throw new CliException("the server's answer holds no EAB key");
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println(Text.CHECK + " Created an external account binding key (provisioner " + provisioner + ")");
            Text.row(err, "  ", "Key ID", keyId);
            Text.row(err, "  ", "Use", "certbot --eab-kid " + keyId + " --eab-hmac-key <HMAC_KEY>; lego --eab --kid "
                    + keyId + " --hmac <HMAC_KEY>");
            err.flush();
            PrintWriter out = spec.commandLine().getOut();
            out.println(keyId + " " + hmac);
            out.flush();
            return 0;
        }
    }

    /// `certwright acme eab list`.
    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "List external account binding keys (never their HMAC keys) and the accounts they admitted.")
    static final class ListKeys extends ClientCommand {

        @Option(names = "--provisioner", paramLabel = "NAME", description = "Only this provisioner's keys.")
        @Nullable String provisioner;

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Mixin
        TokenOptions tokens = new TokenOptions();

        @Override
        int run(Main main) throws Exception {
            ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())),
                    Optional.empty());
            JsonNode answer = client.get("/api/v1/acme/eab" + (provisioner == null ? ""
                    : "?provisioner=" + ServerClient.segment(provisioner)));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-26s %-16s %-26s %s%n", "KEY ID", "PROVISIONER", "CREATED", "ACCOUNT");
            for (JsonNode k : answer.path("keys")) {
                out.printf("%-26s %-16s %-26s %s%n", k.path("key_id").asString(""), k.path("provisioner").asString(""),
                        k.path("created_at").asString(""), k.path("bound_account").asString("-"));
            }
            out.flush();
            return 0;
        }
    }
}
