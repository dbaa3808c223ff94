package io.certwright.cli;

import io.certwright.ca.keys.CryptoProviders;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/// The `certwright` command.
@Command(name = "certwright", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Certificate management: a private CA in a directory, issuance, CSRs, inspection and discovery.",
        footer = {"", "Exit codes: 0 success, 1 refused or bad input, 2 usage error.",
            "Set CERTWRIGHT_DEBUG=1 to see stack traces of unexpected errors."},
        subcommands = {CaCommand.class, IssueCommand.class, CsrCommand.class, SignCommand.class,
            InspectCommand.class, DemoCommand.class, CompletionCommand.class,
            BootstrapCommand.class, RenewCommand.class, RevokeCommand.class, ListCommand.class, TokenCommand.class,
            AuditCommand.class, ServerCommand.class, ConfigCommand.class, ScanCommand.class,
            ReportCommand.class, EntryCommand.class, AgentCommand.class, AcmeCommand.class})
public final class Main implements Callable<Integer> {

    /// Environment variable that turns on stack traces for unexpected errors.
    static final String DEBUG_VARIABLE = "CERTWRIGHT_DEBUG";

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    private final Map<String, String> environment;
    private final Clock clock;

    /// A command reading the process environment.
    public Main() {
        this(System.getenv(), Clock.systemUTC());
    }

    /// A command reading `environment` instead of the process environment, for tests and embedding.
    public Main(Map<String, String> environment, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static void main(String[] args) {
        CryptoProviders.installPreferred();
        System.exit(commandLine(new Main()).execute(args));
    }

    /// A command line for `main` with Certwright's error handling (one `error:` line, exit 1 for refused
    /// or bad input, exit 2 for usage errors) and Amazon Corretto Crypto Provider installed first where it loads.
    public static CommandLine commandLine(Main main) {
        CryptoProviders.installPreferred();
        CommandLine cl = new CommandLine(main);
        ErrorHandler handler = new ErrorHandler();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    Map<String, String> environment() {
        return environment;
    }

    Clock clock() {
        return clock;
    }

    boolean debug() {
        String v = environment.get(DEBUG_VARIABLE);
        return v != null && !v.isEmpty() && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    /// The [Main] a (sub)command runs under.
    static Main of(CommandSpec spec) {
        Object root = spec.root().userObject();
        if (root instanceof Main m) {
            return m;
        }
        throw new IllegalStateException("command is not running under certwright's Main");
    }
}
