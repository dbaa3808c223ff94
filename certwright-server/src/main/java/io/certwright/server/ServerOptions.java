package io.certwright.server;

import io.certwright.core.TrustDomain;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/// How to start a [CertwrightServer], as the command line gives it.
///
/// A data directory or listen address different from [#defaults()]'s, and a present trust domain, count as
/// given explicitly and win over the configuration file and the environment; default values yield to them.
///
/// @param dataDir where the database, the CA and the secrets live
/// @param listen the HTTPS address; port 0 picks a free port
/// @param trustDomain the SPIFFE trust domain of a CA created on first start
/// @param configFile the YAML configuration file, if any
/// @param environment the environment `CERTWRIGHT_*` overrides and the CA passphrase are read from
public record ServerOptions(Path dataDir, InetSocketAddress listen, Optional<TrustDomain> trustDomain,
        Optional<Path> configFile, Map<String, String> environment) {

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
        environment = Map.copyOf(environment);
    }

    /// `./certwright-data`, `127.0.0.1:8443`, trust domain `certwright.local`, no configuration file, an
    /// empty environment.
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_DATA_DIR, DEFAULT_LISTEN, Optional.empty(), Optional.empty(), Map.of());
    }

    public ServerOptions withDataDir(Path dir) {
        return new ServerOptions(dir, listen, trustDomain, configFile, environment);
    }

    public ServerOptions withListen(InetSocketAddress address) {
        return new ServerOptions(dataDir, address, trustDomain, configFile, environment);
    }

    public ServerOptions withTrustDomain(TrustDomain td) {
        return new ServerOptions(dataDir, listen, Optional.of(td), configFile, environment);
    }

    public ServerOptions withConfigFile(Path file) {
        return new ServerOptions(dataDir, listen, trustDomain, Optional.of(file), environment);
    }

    public ServerOptions withEnvironment(Map<String, String> env) {
        return new ServerOptions(dataDir, listen, trustDomain, configFile, env);
    }

    @Override
    public String toString() {
        // The environment may hold secrets (the CA passphrase); never print it.
        return "ServerOptions[" + dataDir + ", " + listen + ", " + trustDomain.map(TrustDomain::name).orElse("-")
                + ", " + configFile.map(Path::toString).orElse("-") + "]";
    }
}
