package io.certwright.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/// `certwright ca`: create, show and import a CA kept in a directory.
@Command(name = "ca", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Create, show or import a CA kept in a directory.",
        subcommands = {CaInitCommand.class, CaShowCommand.class, CaImportCommand.class})
final class CaCommand implements Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
