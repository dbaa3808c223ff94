package io.certwright.server;

import io.certwright.core.TrustDomain;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/// How to start a [CertwrightServer], as the command line gives it.
///
/// Every value set through a `with…` method, and a present trust domain or log format, counts as given
/// explicitly and wins over the configuration file and the environment, even when it equals the default
/// (`--listen 127.0.0.1:8443` beats `listen:` in the file). [#explicit()] records which values were given.
/// The five-component constructor, kept for callers that build options directly, treats a data directory
/// or listen address different from [#defaults()]'s as given.
///
/// @param dataDir where the database, the CA and the secrets live
/// @param listen the HTTPS address; port 0 picks a free port
/// @param trustDomain the SPIFFE trust domain of a CA created on first start
/// @param configFile the YAML configuration file, if any
/// @param environment the environment `CERTWRIGHT_*` overrides and the CA passphrase are read from
/// @param logFormat the log format, when given on the command line
/// @param explicit which of the data directory and the listen address were given explicitly
public record ServerOptions(Path dataDir, InetSocketAddress listen, Optional<TrustDomain> trustDomain,
        Optional<Path> configFile, Map<String, String> environment, Optional<LogFormat> logFormat,
        Set<Flag> explicit) {

    /// Options whose value alone cannot tell whether it was given: they have a default value.
    public enum Flag {
        /// `--data-dir`
        DATA_DIR,
        /// `--listen`
        LISTEN
    }

    /// The data directory used when none is given.
    public static final Path DEFAULT_DATA_DIR = Path.of("certwright-data");
    /// The address listened on when none is given.
    public static final InetSocketAddress DEFAULT_LISTEN = InetSocketAddress.createUnresolved("127.0.0.1", 8443);
    /// The trust domain of a CA created without one given.
    public static final TrustDomain DEFAULT_TRUST_DOMAIN = new TrustDomain("certwright.local");

    public ServerOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(logFormat, "logFormat");
        environment = Map.copyOf(environment);
        explicit = Set.copyOf(explicit);
    }

    /// Options without a log format, where a data directory or listen address other than the default's
    /// counts as given.
    public ServerOptions(Path dataDir, InetSocketAddress listen, Optional<TrustDomain> trustDomain,
            Optional<Path> configFile, Map<String, String> environment) {
        this(dataDir, listen, trustDomain, configFile, environment, Optional.empty(), differing(dataDir, listen));
    }

    private static Set<Flag> differing(Path dataDir, InetSocketAddress listen) {
        Set<Flag> given = EnumSet.noneOf(Flag.class);
        if (!DEFAULT_DATA_DIR.equals(dataDir)) {
            given.add(Flag.DATA_DIR);
        }
        if (!DEFAULT_LISTEN.equals(listen)) {
            given.add(Flag.LISTEN);
        }
        return given;
    }

    /// `./certwright-data`, `127.0.0.1:8443`, trust domain `certwright.local`, no configuration file, an
    /// empty environment, nothing given explicitly.
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_DATA_DIR, DEFAULT_LISTEN, Optional.empty(), Optional.empty(), Map.of(),
                Optional.empty(), Set.of());
    }

    /// Whether `flag` was given explicitly.
    public boolean isExplicit(Flag flag) {
        return explicit.contains(flag);
    }

    /// These options with `dir` given explicitly.
    public ServerOptions withDataDir(Path dir) {
        return new ServerOptions(dir, listen, trustDomain, configFile, environment, logFormat, plus(Flag.DATA_DIR));
    }

    /// These options with `address` given explicitly.
    public ServerOptions withListen(InetSocketAddress address) {
        return new ServerOptions(dataDir, address, trustDomain, configFile, environment, logFormat, plus(Flag.LISTEN));
    }

    public ServerOptions withTrustDomain(TrustDomain td) {
        return new ServerOptions(dataDir, listen, Optional.of(td), configFile, environment, logFormat, explicit);
    }

    public ServerOptions withConfigFile(Path file) {
        return new ServerOptions(dataDir, listen, trustDomain, Optional.of(file), environment, logFormat, explicit);
    }

    public ServerOptions withEnvironment(Map<String, String> env) {
        return new ServerOptions(dataDir, listen, trustDomain, configFile, env, logFormat, explicit);
    }

    public ServerOptions withLogFormat(LogFormat format) {
        return new ServerOptions(dataDir, listen, trustDomain, configFile, environment, Optional.of(format), explicit);
    }

    private Set<Flag> plus(Flag flag) {
        Set<Flag> given = EnumSet.of(flag);
        given.addAll(explicit);
        return given;
    }

    @Override
    public String toString() {
        // The environment may hold secrets (the CA passphrase); never print it.
        return "ServerOptions[" + dataDir + ", " + listen + ", " + trustDomain.map(TrustDomain::name).orElse("-")
                + ", " + configFile.map(Path::toString).orElse("-") + ", log " + logFormat.map(LogFormat::wireName)
                .orElse("-") + ", explicit " + explicit + "]";
    }
}
