package io.certwright.server.acme;

import io.certwright.acme.AcmeAudit;
import io.certwright.acme.AcmeProvisionerSettings;
import io.certwright.acme.AcmeSettings;
import io.certwright.acme.EabKeys;
import io.certwright.acme.IdentifierPattern;
import io.certwright.acme.ari.RenewalOverrides;
import io.certwright.acme.engine.AcmeServer;
import io.certwright.acme.store.AcmeStore;
import io.certwright.acme.validation.DnsCaaChecker;
import io.certwright.acme.validation.ValidationSettings;
import io.certwright.acme.validation.Validators;
import io.certwright.ca.CertificateAuthority;
import io.certwright.ca.audit.AuditException;
import io.certwright.ca.audit.AuditLog;
import io.certwright.ca.registry.CertificateRepository;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Builds the ACME server from the `acme.*` configuration: engine settings, provisioners, the validators
/// and the CAA checker (both asking `acme.validation.dnsServer`), and the ports onto the CA, the registry
/// and the audit log.
public final class AcmeWiring {

    private static final Logger LOG = LoggerFactory.getLogger(AcmeWiring.class);

    private AcmeWiring() {
    }

    /// The ACME server and its administration: the engine, EAB keys and renewal-window overrides, with the
    /// names of the configured provisioners.
    ///
    /// @param server the protocol engine
    /// @param eabKeys creates and lists external account binding keys
    /// @param renewals pulls renewal windows earlier
    /// @param provisioners the configured provisioner names
    public record Parts(AcmeServer server, EabKeys eabKeys, RenewalOverrides renewals, List<String> provisioners) {
    }

    /// The ACME server for `config`, whose URLs start with `baseUrl`.
    public static Parts start(AcmeConfig config, URI baseUrl, AcmeStore store, CertificateAuthority ca,
            CertificateRepository registry, AuditLog audit, Clock clock) {
        AcmeAudit toLog = event -> {
            try {
                audit.append(event);
            } catch (AuditException e) {
                LOG.error("cannot audit {} by {}: {}", event.action(), event.actor(), e.getMessage());
            }
        };
        SecureRandom random = new SecureRandom();
        ValidationSettings validation = validation(config);
        AcmeServer server = new AcmeServer(settings(config, baseUrl), provisioners(config), store,
                new ServerAcmeIssuer(ca, registry, clock), new Validators(validation), new DnsCaaChecker(validation),
                toLog, clock, random);
        return new Parts(server, new EabKeys(store, clock, random), new RenewalOverrides(store, toLog, clock, random),
                config.provisioners().stream().map(AcmeConfig.Provisioner::name).toList());
    }

    /// The engine's settings: its defaults, with the configured rate limits and challenge answer wait.
    static AcmeSettings settings(AcmeConfig config, URI baseUrl) {
        AcmeConfig.RateLimits r = config.rateLimits();
        return AcmeSettings.defaults(baseUrl).withRateLimits(new AcmeSettings.RateLimits(r.newOrdersPerHour(),
                r.newOrdersPerAddressPerHour(), r.newAccountsPerHour(), r.failedValidationsPerHour(),
                Duration.ofHours(1))).withChallengeAnswerWait(config.validation().answerWait());
    }

    /// The provisioners as the engine takes them.
    static List<AcmeProvisionerSettings> provisioners(AcmeConfig config) {
        return config.provisioners().stream().map(p -> new AcmeProvisionerSettings(p.name(), Set.copyOf(p.challenges()),
                p.allowedIdentifiers().stream().map(IdentifierPattern::new).toList(), p.eabRequired(),
                p.certificateTtl(), p.termsOfService(), p.website(), p.caaIdentities())).toList();
    }

    /// The validators' settings: ports, DNS server and time limit from the configuration.
    static ValidationSettings validation(AcmeConfig config) {
        AcmeConfig.Validation v = config.validation();
        ValidationSettings s = ValidationSettings.defaults().withHttp01Port(v.http01Port())
                .withTlsAlpn01Port(v.tlsAlpn01Port()).withTimeout(v.timeout());
        return v.dnsServer().isPresent() ? s.withDnsServer(v.dnsServer().get()) : s;
    }
}
