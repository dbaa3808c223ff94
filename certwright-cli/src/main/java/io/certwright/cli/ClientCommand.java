package io.certwright.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/// A command that talks to a Certwright server: a [ServerProblem] it runs into is printed as
/// `error: <title>: <detail>` and one line per refusal, and the command exits 1.
@Command
abstract class ClientCommand implements Callable<Integer> {

    /// The body of a command that may be answered with a [ServerProblem].
    @FunctionalInterface
    interface Action {
        int run() throws Exception;
    }

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        return handle(spec, () -> run(Main.of(spec)));
    }

    abstract int run(Main main) throws Exception;

    /// Runs `action`, printing a [ServerProblem] on the command's stderr and returning 1 for it.
    static int handle(CommandSpec spec, Action action) throws Exception {
        try {
            return action.run();
        } catch (ServerProblem p) {
            p.print(spec.commandLine().getErr());
            return 1;
        }
    }
}
