package io.certwright.cli;

import io.certwright.server.ServerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/// `certwright config`: the server configuration file.
@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Server configuration.", subcommands = ConfigCommand.Example.class)
final class ConfigCommand implements Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /// `certwright config example`: prints a complete commented configuration with every key at its default.
    @Command(name = "example", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Print a complete, commented server configuration file.",
                "Save it with 'certwright config example > certwright.yaml' and start with "
                    + "'certwright server --config certwright.yaml'."})
    static final class Example implements Callable<Integer> {

        @Spec
        @SuppressWarnings("NullAway.Init")
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(ServerConfig.example());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
