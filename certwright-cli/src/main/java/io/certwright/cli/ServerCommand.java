package io.certwright.cli;

import io.certwright.core.TrustDomain;
import io.certwright.server.CertwrightServer;
import io.certwright.server.ConfigException;
import io.certwright.server.LogFormat;
import io.certwright.server.ServerConfig;
import io.certwright.server.ServerLogging;
import io.certwright.server.ServerOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `certwright server`: runs the CA service until SIGTERM or SIGINT, then shuts down gracefully.
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run the Certwright CA server (HTTPS REST API, SQLite by default).",
            "On first start it creates the data directory, the CA and a bootstrap admin token, and prints the URL, "
                + "the root fingerprint and the token's path. Stops gracefully on SIGTERM or Ctrl-C."})
final class ServerCommand implements Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: ./certwright-data).")
    @Nullable Path dataDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "HTTPS address (default: 127.0.0.1:8443).")
    @Nullable String listen;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file; "
            + "see 'certwright config example'.")
    @Nullable Path config;

    @Option(names = "--trust-domain", paramLabel = "TD", converter = Converters.Domain.class,
            description = "SPIFFE trust domain of a CA created on first start (default: certwright.local).")
    @Nullable TrustDomain trustDomain;

    @Option(names = "--log-format", paramLabel = "FORMAT", converter = LogFormatConverter.class,
            description = "Log format on standard error: text or json (JSON Lines) (default: text).")
    @Nullable LogFormat logFormat;

    @Override
    public Integer call() throws Exception {
        Main main = Main.of(spec);
        ServerOptions options = ServerOptions.defaults().withEnvironment(main.environment());
        if (dataDir != null) {
            options = options.withDataDir(dataDir);
        }
        if (listen != null) {
            try {
                options = options.withListen(ServerConfig.parseListen(listen));
            } catch (IllegalArgumentException e) {
                throw new CliException("--listen: " + e.getMessage());
            }
        }
        if (config != null) {
            options = options.withConfigFile(config);
        }
        if (trustDomain != null) {
            options = options.withTrustDomain(trustDomain);
        }
        if (logFormat != null) {
            options = options.withLogFormat(logFormat);
        }
        CertwrightServer server;
        try {
            ServerLogging.configure(ServerConfig.resolve(options).logFormat());
            server = CertwrightServer.start(options, main.clock());
        } catch (ConfigException e) {
            throw new CliException(String.valueOf(e.getMessage()));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "certwright-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Certwright server listening on " + server.url());
        out.println("Root certificate SHA-256: " + server.rootFingerprint());
        out.println("Admin token: " + server.adminTokenFile());
        out.println("Trust it with: certwright bootstrap --server " + server.url() + " --fingerprint "
                + server.rootFingerprint());
        out.flush();
        stopped.await();
        return 0;
    }

    /// Parses `--log-format`.
    static final class LogFormatConverter implements CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            try {
                return LogFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(String.valueOf(e.getMessage()));
            }
        }
    }
}
