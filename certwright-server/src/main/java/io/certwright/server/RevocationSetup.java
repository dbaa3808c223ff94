package io.certwright.server;

import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.PublicUrls;
import io.certwright.ca.profile.RevocationUrls;
import io.certwright.ca.policy.IpRange;
import io.certwright.server.revocation.RevocationService;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Where the server publishes revocation status and what issued certificates say about it.
///
/// The **public base URL** is `revocation.public-url` when set, else `http://<revocation.http-listen>`, else
/// the HTTPS address; a wildcard address stands for `127.0.0.1`, and an address with port 0 gives no URL (the
/// port is not known before listening), so certificates then carry no revocation URLs.
///
/// The **URLs in leaf certificates** come from, in order: `revocation.public-url` when set (so changing it
/// takes effect at the next start); the `url.crl`, `url.ocsp` and `url.ca-issuers` of the CA directory's
/// `ca.properties`, which a CA created by the server gets from the public base URL on first start; the
/// public base URL otherwise (a data directory created before the server published revocation status).
final class RevocationSetup {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationSetup.class);
    /// How long after a revocation the CRLs are rebuilt.
    static final Duration CRL_DEBOUNCE = Duration.ofMillis(250);

    private RevocationSetup() {
    }

    /// The public base URL, if one can be known before listening.
    static Optional<PublicUrls> publicUrls(ServerConfig config) throws Exception {
        ServerConfig.Revocation r = config.revocation();
        if (r.publicUrl().isPresent()) {
            return Optional.of(new PublicUrls(r.publicUrl().get()));
        }
        if (r.httpListen().isPresent()) {
            return base("http", r.httpListen().get());
        }
        return base("https", config.listen());
    }

    private static Optional<PublicUrls> base(String scheme, InetSocketAddress address) throws Exception {
        if (address.getPort() == 0) {
            return Optional.empty();
        }
        String host = address.getHostString();
        boolean ip = host.contains(":") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        if (ip && IpRange.parseLiteral(host).isAnyLocalAddress()) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return Optional.of(new PublicUrls(URI.create(scheme + "://" + host + ":" + address.getPort())));
    }

    /// `ca` with the revocation URLs its leaf certificates should carry (see the class comment).
    static CertificateAuthority withLeafUrls(CertificateAuthority ca, ServerConfig config,
            Optional<PublicUrls> publicUrls, Clock clock) {
        RevocationUrls configured = ca.settings().revocationUrls();
        RevocationUrls urls;
        if (config.revocation().publicUrl().isPresent() || (configured.isEmpty() && publicUrls.isPresent())) {
            urls = publicUrls.orElseThrow().forLeavesOf(ca.issuer().certificate());
        } else {
            urls = configured;
        }
        if (urls.isEmpty()) {
            LOG.warn("certificates carry no CRL or OCSP URL: set revocation.public-url (or revocation.http-listen "
                    + "with a fixed port) so that relying parties can check revocation");
        } else {
            LOG.info("certificates point at CRL {} and OCSP {}", urls.crlDistributionPoints(),
                    urls.ocspResponders());
        }
        if (urls.equals(configured)) {
            return ca;
        }
        return new CertificateAuthority(ca.issuer(), ca.trustBundle().roots(), ca.settings().withRevocationUrls(urls),
                ca.ledger(), clock, new SecureRandom());
    }

    /// The revocation service's settings from the configuration.
    static RevocationService.Settings settings(ServerConfig config) {
        ServerConfig.Revocation r = config.revocation();
        return new RevocationService.Settings(r.crlLifetime(), r.crlGrace(), r.ocspValidity(), r.ocspSignerLifetime(),
                CRL_DEBOUNCE);
    }
}
