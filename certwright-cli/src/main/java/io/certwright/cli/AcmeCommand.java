package io.certwright.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/// `certwright acme`: administration of the server's ACME provisioners.
@Command(name = "acme", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Administer the ACME server of a Certwright server.",
        subcommands = AcmeEabCommand.class)
final class AcmeCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
