package io.certwright.server;

import io.certwright.ca.AtomicFiles;
import io.certwright.ca.CaDirectory;
import io.certwright.ca.CaException;
import io.certwright.ca.CaSpec;
import io.certwright.acme.engine.AcmeServer;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.PublicUrls;
import io.certwright.ca.keys.SigningKey;
import io.certwright.server.revocation.RevocationService;
import io.certwright.store.JdbcCrlStore;
import io.certwright.ca.Issuer;
import io.certwright.ca.access.AccessStore;
import io.certwright.ca.access.ApiToken;
import io.certwright.ca.access.Role;
import io.certwright.ca.access.Secret;
import io.certwright.ca.audit.AuditEntry;
import io.certwright.ca.audit.AuditEvent;
import io.certwright.ca.audit.AuditException;
import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.keys.Passphrase;
import io.certwright.ca.policy.IpRange;
import io.certwright.ca.profile.SubjectNames;
import io.certwright.ca.registry.CertificateQuery;
import io.certwright.ca.registry.CertificateRepository;
import io.certwright.core.KeyAlgorithm;
import io.certwright.server.acme.AcmeWiring;
import io.certwright.server.http.HttpEdge;
import io.certwright.server.http.Metrics;
import io.certwright.server.inventory.InventoryService;
import io.certwright.store.Database;
import io.certwright.store.JdbcAccessStore;
import io.certwright.store.JdbcAcmeStore;
import io.certwright.store.JdbcAlertStateStore;
import io.certwright.store.JdbcDeliveryLog;
import io.certwright.store.JdbcInventoryStore;
import io.certwright.store.JdbcSilenceStore;
import io.certwright.store.JdbcWorkloadStore;
import io.certwright.ca.workload.JwtKeys;
import io.certwright.store.JdbcAuditLog;
import io.certwright.store.JdbcCertificateStore;
import io.certwright.store.SecretBox;
import io.certwright.store.StoreConfig;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The Certwright server, wired by hand: data directory, database, CA, bootstrap admin token, HTTPS edge.
///
/// Files in the data directory (mode 0700):
///
/// | path | what |
/// |---|---|
/// | `certwright.db` | the SQLite database (unless a PostgreSQL URL is configured) |
/// | `ca/` | the CA directory: certificates and the encrypted intermediate key |
/// | `ca/jwt/` | the JWT-SVID signing keys, encrypted with the CA passphrase (see [JwtKeys]) |
/// | `secrets/ca.passphrase` | the generated CA passphrase (0600), when `CERTWRIGHT_CA_PASSPHRASE` is not set |
/// | `secrets/admin.token` | the bootstrap admin token (0600), written once on first start |
public final class CertwrightServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CertwrightServer.class);
    /// The directory under `ca/` with the JWT-SVID signing keys.
    static final String JWT_KEYS = "jwt";
    /// How often the server certificate's renewal is checked.
    private static final Duration RENEWAL_CHECK = Duration.ofMinutes(1);
    /// Audit action appended on every start with the hash of the effective configuration.
    static final String CONFIG_LOADED = "config.loaded";
    /// Audit action appended when the configuration differs from the one last loaded.
    static final String CONFIG_CHANGED = "config.changed";

    private final ServerConfig config;
    private final Database db;
    private final Metrics metrics;
    private final HttpEdge edge;
    private final CertificateAuthority ca;
    private final CaDirectory caDir;
    private final ScheduledExecutorService tasks;
    private final URI url;
    private final InventoryService inventory;
    private final RevocationService revocation;
    private final AcmeServer acme;
    private final JwtKeys jwtKeys;
    private boolean closed;

    private CertwrightServer(ServerConfig config, Database db, Metrics metrics, HttpEdge edge,
            CertificateAuthority ca, CaDirectory caDir, ScheduledExecutorService tasks, URI url,
            InventoryService inventory, RevocationService revocation, AcmeServer acme, JwtKeys jwtKeys) {
        this.acme = acme;
        this.jwtKeys = jwtKeys;
        this.inventory = inventory;
        this.revocation = revocation;
        this.config = config;
        this.db = db;
        this.metrics = metrics;
        this.edge = edge;
        this.ca = ca;
        this.caDir = caDir;
        this.tasks = tasks;
        this.url = url;
    }

    /// Starts the server: creates whatever the first start needs, then listens.
    ///
    /// @throws ConfigException when the configuration is invalid
    /// @throws Exception when the database, the CA or the listener cannot be opened
    public static CertwrightServer start(ServerOptions options, Clock clock) throws Exception {
        ServerConfig config = ServerConfig.resolve(options);
        boolean accp = CryptoProviders.installPreferred();
        // 1. The data directory first: the database, the CA and the secrets all live in it.
        Path dataDir = config.dataDir().toAbsolutePath();
        AtomicFiles.createDirectory(dataDir, AtomicFiles.PRIVATE_DIR);
        AtomicFiles.createDirectory(dataDir.resolve("secrets"), AtomicFiles.PRIVATE_DIR);
        // 2. The database before the CA: a CA created now records its root and intermediate in it.
        Database db = Database.open(storeConfig(config, dataDir), clock);
        Metrics metrics = null;
        InventoryService inventory = null;
        RevocationService revocation = null;
        AcmeServer acme = null;
        try {
            JdbcCertificateStore certificates = new JdbcCertificateStore(db);
            JdbcAuditLog audit = new JdbcAuditLog(db);
            JdbcAccessStore access = new JdbcAccessStore(db);
            // 3. The CA, unlocked with the database as its ledger: nothing is signed before it is recorded.
            Path caPath = dataDir.resolve("ca");
            Path passphraseFile = dataDir.resolve("secrets").resolve("ca.passphrase");
            boolean firstStart = !Files.exists(caPath.resolve(CaDirectory.CONFIG));
            CaDirectory caDir;
            CertificateAuthority ca;
            Optional<SigningKey> rootKey;
            JwtKeys jwtKeys;
            SecretBox storeSecrets;
            Optional<PublicUrls> publicUrls = RevocationSetup.publicUrls(config);
            try (Passphrase passphrase = passphrase(options.environment(), passphraseFile, firstStart)) {
                if (firstStart) {
                    CaSpec spec = CaSpec.of(KeyAlgorithm.P256, CaSpec.DEFAULT_NAME)
                            .withTrustDomain(config.trustDomain(), false);
                    if (publicUrls.isPresent()) {
                        spec = spec.withPublicUrls(publicUrls.get());
                    }
                    caDir = CaDirectory.init(caPath, spec, passphrase, clock, certificates.ledger());
                    audit.append(AuditEvent.success("system", "ca.create", caDir.root().getSerialNumber().toString(16),
                            Map.of("trust_domain", config.trustDomain().name())));
                } else {
                    caDir = CaDirectory.open(caPath);
                }
                ca = caDir.unlock(passphrase, clock, certificates.ledger());
                // The root key signs the root's CRL, which lists revoked intermediates.
                rootKey = unlockRoot(caDir, passphrase);
                // The JWT-SVID signing keys live beside the CA keys, encrypted with the same passphrase.
                jwtKeys = JwtKeys.openOrCreate(caPath.resolve(JWT_KEYS), passphrase, ca.trustBundle().roots());
                // Secrets kept in the database (ACME's nonce secret and EAB keys) are encrypted with a key
                // derived from the same passphrase, so every replica of this CA derives the same key.
                storeSecrets = SecretBox.derive(passphrase, caDir.root());
            }
            ca = RevocationSetup.withLeafUrls(ca, config, publicUrls, clock);
            // 4. The bootstrap admin token, once: only its hash is stored, the secret goes to a 0600 file.
            Path tokenFile = dataDir.resolve("secrets").resolve("admin.token");
            bootstrapToken(access, audit, tokenFile, clock);
            // 4b. The effective configuration, as a hash without secrets: changes between starts are audited.
            auditConfiguration(audit, config);
            // 5. The HTTPS edge last: it needs the unlocked CA for its own certificate, and nothing should
            //    be served before the CA can issue.
            // 4c. Revocation publishing before the edge serves it: the OCSP signer is issued, CRLs published.
            revocation = RevocationService.start(RevocationSetup.settings(config), ca, caDir.root(), rootKey,
                    certificates, new JdbcCrlStore(db), clock);
            metrics = new Metrics();
            metrics.databasePools(db::poolStats);
            metrics.databaseWrites(db::writeStats);
            CertificateAuthority authority = ca;
            HttpEdge.ReadinessCheck readiness = () -> notReadyBecause(certificates, authority, clock);
            // 4c. The inventory, before the edge serves its routes; its periodic jobs start after the edge.
            inventory = new InventoryService(inventoryStores(db), config.inventory(), certificates,
                    () -> authority.issuer().issuingChain(), authority.trustBundle().roots(), db::tryJobLock,
                    metrics.registry(), clock);
            HttpEdge edge = HttpEdge.start(new HttpEdge.Settings(config.listen(), tlsNames(config),
                    config.tlsCertificateLifetime(), config.maxBodyBytes(), config.authFailuresPerMinute(),
                    config.revocation().httpListen()),
                    new HttpEdge.Services(ca, revocation.registry(), access, audit, metrics, clock, readiness, revocation,
                            inventory, new HttpEdge.Workload(new JdbcWorkloadStore(db), jwtKeys, caDir.config().trustDomain()
                                    .orElse(config.trustDomain()))));
            URI url = URI.create("https://" + urlHost(config) + ":" + edge.port());
            // 6. ACME once the port is known: every ACME URL carries the base URL.
            JdbcAcmeStore acmeStore = new JdbcAcmeStore(db, storeSecrets);
            AcmeWiring.Parts acmeParts = AcmeWiring.start(config.acme(), config.acme().baseUrl().orElse(url),
                    acmeStore, ca, revocation.registry(), audit, clock);
            acme = acmeParts.server();
            edge.serveAcme(acmeParts);
            ScheduledExecutorService tasks = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofVirtual().name("certwright-tls-renewal").factory());
            CertwrightServer server = new CertwrightServer(config, db, metrics, edge, ca, caDir, tasks, url, inventory,
                    revocation, acme, jwtKeys);
            inventory.start();
            var unused = tasks.scheduleWithFixedDelay(server::renewQuietly, RENEWAL_CHECK.toSeconds(), RENEWAL_CHECK.toSeconds(),
                    TimeUnit.SECONDS);
            LOG.info("signing with {}{}", CryptoProviders.describe(KeyAlgorithm.P256), accp ? "" : " (ACCP not loaded)");
            LOG.info("listening on {}", url);
            server.revocationUrl().ifPresent(u -> LOG.info("serving CRLs and OCSP over plain HTTP on {}", u));
            LOG.info("root certificate SHA-256 fingerprint {}", server.rootFingerprint());
            LOG.info("bootstrap admin token in {}", tokenFile);
            return server;
        } catch (Exception | Error e) {
            if (acme != null) {
                acme.close();
            }
            if (inventory != null) {
                inventory.close();
            }
            if (revocation != null) {
                revocation.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            db.close();
            throw e;
        }
    }

    /// Why the server cannot serve now, if it cannot: the database does not answer, or the CA could not
    /// sign because a certificate of its issuing chain is not valid at the clock's instant.
    static Optional<String> notReadyBecause(CertificateRepository registry, CertificateAuthority ca, Clock clock) {
        Instant now = clock.instant();
        try {
            registry.list(new CertificateQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), 1), now);
        } catch (Exception e) {
            return Optional.of("database unreachable");
        }
        List<X509Certificate> chain = new ArrayList<>(ca.issuer().issuingChain());
        chain.addAll(ca.trustBundle().roots());
        for (X509Certificate c : chain) {
            if (now.isBefore(c.getNotBefore().toInstant())) {
                return Optional.of("the CA cannot sign: " + c.getSubjectX500Principal().getName()
                        + " is not valid before " + c.getNotBefore().toInstant());
            }
            if (now.isAfter(c.getNotAfter().toInstant())) {
                return Optional.of("the CA cannot sign: " + c.getSubjectX500Principal().getName() + " expired at "
                        + c.getNotAfter().toInstant());
            }
        }
        return trialSignatureFails(ca.issuer(), now);
    }

    /// Signs a probe with the issuing key (a file key, or an HSM that may have gone away) and verifies the
    /// signature against the issuing certificate: the CA is ready only if its key really signs.
    static Optional<String> trialSignatureFails(Issuer issuer, Instant now) {
        byte[] probe = ("certwright readiness " + now).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            byte[] signature = issuer.key().sign(probe);
            java.security.Signature verifier =
                    java.security.Signature.getInstance(issuer.key().algorithm().signatureAlgorithm());
            verifier.initVerify(issuer.certificate().getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                return Optional.of("the CA cannot sign: a trial signature with the issuing key does not verify "
                        + "against the issuing certificate");
            }
            return Optional.empty();
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return Optional.of("the CA cannot sign: a trial signature with the issuing key failed ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /// Appends `config.loaded` with the SHA-256 of the effective configuration (secrets left out) and its
    /// values, preceded by `config.changed` naming the changed keys when the hash differs from the last
    /// `config.loaded` in the log.
    static void auditConfiguration(JdbcAuditLog audit, ServerConfig config) throws AuditException {
        String hash = config.sha256();
        Map<String, String> values = config.redacted();
        Optional<AuditEntry> last = lastEntry(audit, CONFIG_LOADED);
        if (last.isPresent()) {
            Map<String, String> before = last.get().event().details();
            String previousHash = before.getOrDefault("sha256", "");
            if (!previousHash.equals(hash)) {
                List<String> changed = new ArrayList<>();
                for (String key : ServerConfig.KEYS) {
                    if (!values.getOrDefault(key, "").equals(before.getOrDefault(key, ""))) {
                        changed.add(key);
                    }
                }
                audit.append(AuditEvent.success("system", CONFIG_CHANGED, "server", Map.of("previous_sha256",
                        previousHash, "sha256", hash, "keys", String.join(",", changed))));
            }
        }
        Map<String, String> details = new LinkedHashMap<>(values);
        details.put("sha256", hash);
        audit.append(AuditEvent.success("system", CONFIG_LOADED, "server", details));
    }

    /// The last entry with `action`, searched from the end of the log backwards.
    private static Optional<AuditEntry> lastEntry(JdbcAuditLog audit, String action) throws AuditException {
        int page = 1000;
        long to = audit.size();
        while (to >= 1) {
            long from = Math.max(1, to - page + 1);
            List<AuditEntry> entries = audit.read(from, (int) (to - from + 1));
            for (AuditEntry e : entries.reversed()) {
                if (e.event().action().equals(action)) {
                    return Optional.of(e);
                }
            }
            to = from - 1;
        }
        return Optional.empty();
    }

    /// The stores of the inventory and of alerting, in the database: the inventory, alert deduplication,
    /// silences and the delivery log survive restarts and are shared by replicas.
    static InventoryService.Stores inventoryStores(Database db) {
        return new InventoryService.Stores(new JdbcInventoryStore(db), new JdbcAlertStateStore(db),
                new JdbcSilenceStore(db), new JdbcDeliveryLog(db));
    }

    /// The root's signing key for its CRL; empty, with the reason logged, when it is offline or unusable.
    private static Optional<SigningKey> unlockRoot(CaDirectory caDir, Passphrase passphrase) {
        try {
            Optional<SigningKey> key = caDir.unlockRoot(passphrase);
            if (key.isEmpty()) {
                LOG.warn("the root key is not in {} (kept offline): the root CRL cannot be signed here",
                        caDir.path());
            }
            return key;
        } catch (Exception e) {
            LOG.warn("the root key in {} cannot be unlocked ({}): the root CRL cannot be signed here", caDir.path(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    private static StoreConfig storeConfig(ServerConfig config, Path dataDir) {
        if (config.databaseUrl().isPresent()) {
            return new StoreConfig(config.databaseUrl().get(), config.databaseUsername(), config.databasePassword(),
                    config.databaseMaxPoolSize());
        }
        StoreConfig sqlite = StoreConfig.sqlite(dataDir.resolve("certwright.db"));
        // database.max-pool-size bounds the SQLite readers too; the writer is always one connection.
        return new StoreConfig(sqlite.jdbcUrl(), Optional.empty(), Optional.empty(), config.databaseMaxPoolSize());
    }

    private static Passphrase passphrase(Map<String, String> env, Path file, boolean firstStart) throws Exception {
        Optional<Passphrase> fromEnv = Passphrase.fromEnvironment(env);
        if (fromEnv.isPresent()) {
            return fromEnv.get();
        }
        if (Files.isRegularFile(file)) {
            return Passphrase.fromFile(file);
        }
        if (!firstStart) {
            throw new CaException("the CA exists but its passphrase is neither in " + Passphrase.ENVIRONMENT_VARIABLE
                    + " nor in " + file);
        }
        Passphrase generated = Passphrase.random(new SecureRandom());
        char[] chars = generated.chars();
        byte[] bytes = (new String(chars) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFiles.write(file, bytes, AtomicFiles.SECRET);
        } finally {
            java.util.Arrays.fill(chars, '\0');
            java.util.Arrays.fill(bytes, (byte) 0);
        }
        return generated;
    }

    private static void bootstrapToken(AccessStore access, JdbcAuditLog audit, Path file, Clock clock)
            throws Exception {
        if (!access.tokens().isEmpty()) {
            return;
        }
        Secret secret = Secret.generate("cwt_");
        byte[] id = new byte[9];
        new SecureRandom().nextBytes(id);
        ApiToken token = new ApiToken("tok_" + HexFormat.of().formatHex(id), "bootstrap admin", Role.ADMIN,
                secret.hash(), clock.instant(), Optional.empty(), false);
        // The file first: a token in the database that nobody can read would lock the operator out.
        AtomicFiles.writeString(file, secret.reveal() + "\n", AtomicFiles.SECRET);
        access.createToken(token);
        audit.append(AuditEvent.success("system", "token.create", token.id(),
                Map.of("name", token.name(), "role", Role.ADMIN.wireName())));
    }

    /// The server certificate's names: the listen address (IP SAN, or DNS name), the configured host names
    /// and `localhost`; a wildcard address is represented by the loopback addresses.
    static SubjectNames tlsNames(ServerConfig config) throws Exception {
        List<String> dns = new ArrayList<>();
        List<InetAddress> ips = new ArrayList<>();
        String host = config.listen().getHostString();
        if (isIpLiteral(host)) {
            InetAddress a = IpRange.parseLiteral(host);
            if (a.isAnyLocalAddress()) {
                ips.add(InetAddress.getLoopbackAddress());
                ips.add(IpRange.parseLiteral("::1"));
            } else {
                ips.add(a);
            }
        } else {
            dns.add(host.toLowerCase(java.util.Locale.ROOT));
        }
        for (String h : config.tlsHostnames()) {
            if (!dns.contains(h)) {
                dns.add(h);
            }
        }
        if (!dns.contains("localhost")) {
            dns.add("localhost");
        }
        return new SubjectNames(dns, ips, List.of(), List.of());
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static String urlHost(ServerConfig config) throws Exception {
        String host = config.listen().getHostString();
        if (isIpLiteral(host) && IpRange.parseLiteral(host).isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private void renewQuietly() {
        try {
            edge.renewCertificateIfDue();
        } catch (Exception e) {
            LOG.error("server certificate renewal failed; retrying in {}", RENEWAL_CHECK, e);
        }
    }

    /// Renews the server's TLS certificate if two thirds of its lifetime have passed; the scheduled check
    /// calls this every minute.
    ///
    /// @return whether a new certificate was swapped in
    boolean renewServerCertificateIfDue() throws Exception {
        return edge.renewCertificateIfDue();
    }

    /// Method and path pattern of every HTTP route, e.g. `GET /roots.pem`.
    List<String> routeSignatures() {
        return edge.routeSignatures();
    }

    /// The TLS certificate the listener presents now.
    X509Certificate serverCertificate() {
        return edge.serverCertificate();
    }

    /// The resolved configuration.
    public ServerConfig config() {
        return config;
    }

    /// The base URL, `https://<listen host>:<actual port>`.
    public URI url() {
        return url;
    }

    /// The JWT-SVID signing keys the bundle publishes, for rotating them in-process
    /// ([JwtKeys#prepareNext], [JwtKeys#activate], [JwtKeys#retire]); the bundle served follows at once.
    public JwtKeys jwtKeys() {
        return jwtKeys;
    }

    /// The plain-HTTP base URL of the revocation listener (`revocation.http-listen`), with its actual port.
    public Optional<URI> revocationUrl() {
        String host = config.revocation().httpListen().map(a -> a.getHostString()).orElse("127.0.0.1");
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1"
                : host.contains(":") ? "[" + host + "]" : host;
        return edge.plainPort().map(p -> URI.create("http://" + shown + ":" + p));
    }

    /// The revocation service.
    RevocationService revocation() {
        return revocation;
    }

    /// `<data-dir>/secrets/admin.token`.
    public Path adminTokenFile() {
        return config.dataDir().toAbsolutePath().resolve("secrets").resolve("admin.token");
    }

    /// The root certificate's SHA-256 fingerprint, uppercase hex with colons.
    public String rootFingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(caDir.root().getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException("cannot fingerprint the root certificate", e);
        }
    }

    /// The root certificate relying parties trust.
    public X509Certificate root() {
        return caDir.root();
    }

    /// The inventory, its jobs and its API operations.
    InventoryService inventory() {
        return inventory;
    }

    /// The open database.
    Database database() {
        return db;
    }

    /// The running authority.
    CertificateAuthority authority() {
        return ca;
    }

    /// Stops accepting connections, finishes requests in flight, then closes the database. Idempotent.
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        tasks.shutdownNow();
        inventory.close();
        edge.close();
        acme.close();
        revocation.close();
        metrics.close();
        db.close();
        LOG.info("stopped");
    }
}
