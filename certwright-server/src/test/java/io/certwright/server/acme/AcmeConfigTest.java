package io.certwright.server.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.certwright.server.ConfigException;
import io.certwright.server.ServerConfig;
import io.certwright.server.ServerOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The `acme.*` keys: the names the issue and the operators' guide give, the defaults, and refusals that
/// name the key.
class AcmeConfigTest {

    @TempDir
    Path dir;

    private ServerConfig fromFile(String yaml) throws Exception {
        Path file = dir.resolve("certwright.yaml");
        Files.writeString(file, yaml);
        return ServerConfig.resolve(ServerOptions.defaults().withConfigFile(file));
    }

    @Test
    void withoutConfigurationTheDefaultProvisionerServesEveryChallengeForAnyIdentifier() throws Exception {
        AcmeConfig acme = ServerConfig.resolve(ServerOptions.defaults()).acme();

        assertThat(acme.provisioners()).containsExactly(new AcmeConfig.Provisioner("default",
                List.of("http-01", "dns-01", "tls-alpn-01"), List.of(), false, Duration.ofHours(24)));
        assertThat(acme.validation()).isEqualTo(new AcmeConfig.Validation(80, 443, Optional.empty(),
                Duration.ofSeconds(10), Duration.ofSeconds(2)));
        assertThat(acme.baseUrl()).isEmpty();
    }

    @Test
    void theDocumentedYamlContractParses() throws Exception {
        AcmeConfig acme = fromFile("""
                acme:
                  validation: { http01Port: 5002, tlsAlpn01Port: 5001, dnsServer: "127.0.0.1:8053" }
                  provisioners:
                    - name: default
                      challenges: [http-01, dns-01, tls-alpn-01]
                      allowedIdentifiers: []
                      eabRequired: false
                      certificateTtl: 24h
                    - name: cluster
                      challenges: [dns-01]
                      allowedIdentifiers: ["*.svc.cluster.local", "10.0.0.0/8"]
                      eabRequired: true
                      certificateTtl: 6h
                      termsOfService: https://pki.example/terms
                      website: https://pki.example
                      caaIdentities: [pki.example]
                """).acme();

        assertThat(acme.validation().http01Port()).isEqualTo(5002);
        assertThat(acme.validation().tlsAlpn01Port()).isEqualTo(5001);
        assertThat(acme.validation().dnsServer()).contains("127.0.0.1:8053");
        assertThat(acme.provisioner("cluster")).contains(new AcmeConfig.Provisioner("cluster", List.of("dns-01"),
                List.of("*.svc.cluster.local", "10.0.0.0/8"), true, Duration.ofHours(6),
                Optional.of(URI.create("https://pki.example/terms")), Optional.of(URI.create("https://pki.example")),
                List.of("pki.example")));
        assertThat(acme.provisioners()).extracting(AcmeConfig.Provisioner::name).containsExactly("default", "cluster");
    }

    @Test
    void environmentVariablesOverrideTheFileIncludingTheProvisionerList() throws Exception {
        Path file = dir.resolve("certwright.yaml");
        Files.writeString(file, "acme:\n  validation:\n    http01Port: 80\n");
        ServerConfig c = ServerConfig.resolve(ServerOptions.defaults().withConfigFile(file).withEnvironment(Map.of(
                "CERTWRIGHT_ACME_VALIDATION_HTTP01PORT", "8080",
                "CERTWRIGHT_ACME_PROVISIONERS", "[{name: internal, challenges: [http-01], eabRequired: true}]")));

        assertThat(c.acme().validation().http01Port()).isEqualTo(8080);
        assertThat(c.acme().provisioners()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("internal");
            assertThat(p.challenges()).containsExactly("http-01");
            assertThat(p.eabRequired()).isTrue();
            assertThat(p.certificateTtl()).isEqualTo(Duration.ofHours(24));
        });
    }

    @Test
    void anUnknownChallengeTypeIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> fromFile("""
                acme:
                  provisioners:
                    - name: default
                      challenges: [http-01, dns-02]
                """));
        assertThat(e.getMessage()).contains("acme.provisioners").contains("dns-02");
    }

    @Test
    void anUnknownProvisionerFieldIsRefusedRatherThanIgnored() {
        ConfigException e = assertThrows(ConfigException.class, () -> fromFile("""
                acme:
                  provisioners:
                    - name: default
                      eabRequried: true
                """));
        assertThat(e.getMessage()).contains("eabRequried");
    }

    @Test
    void twoProvisionersWithOneNameAreRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> fromFile("""
                acme:
                  provisioners:
                    - name: default
                    - name: default
                """));
        assertThat(e.getMessage()).contains("configured twice");
    }

    @Test
    void aProvisionerNameThatCannotBeAPathSegmentIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> fromFile("""
                acme:
                  provisioners:
                    - name: "../admin"
                """));
        assertThat(e.getMessage()).contains("../admin");
    }

    @Test
    void termsOfServiceMustBeAUrl() {
        ConfigException e = assertThrows(ConfigException.class, () -> fromFile("""
                acme:
                  provisioners:
                    - name: default
                      termsOfService: "see the wiki"
                """));
        assertThat(e.getMessage()).contains("default.termsOfService");
    }

    @Test
    void caaIdentitiesMustBeDomainNamesSinceCaaRecordsNameCasSo() {
        ConfigException e = assertThrows(ConfigException.class, () -> fromFile("""
                acme:
                  provisioners:
                    - name: default
                      caaIdentities: ["pki.example", "https://pki.example"]
                """));
        assertThat(e.getMessage()).contains("caaIdentities").contains("'https://pki.example'");
    }

    @Test
    void aDnsServerWithoutPortIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> fromFile(
                "acme:\n  validation:\n    dnsServer: 127.0.0.1\n"));
        assertThat(e.getMessage()).contains("acme.validation.dnsServer").contains("HOST:PORT");
    }

    @Test
    void aBaseUrlWithAPathIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> fromFile(
                "acme:\n  baseUrl: https://acme.example/acme\n"));
        assertThat(e.getMessage()).contains("acme.baseUrl");
    }

    @Test
    void theChallengeAnswerWaitIsADurationUpToAMinuteOrZeroForNone() throws Exception {
        assertThat(fromFile("acme:\n  validation:\n    answerWait: 5s\n").acme().validation().answerWait())
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(fromFile("acme:\n  validation:\n    answerWait: 0s\n").acme().validation().answerWait())
                .isZero();
        ConfigException e = assertThrows(ConfigException.class, () -> fromFile(
                "acme:\n  validation:\n    answerWait: 2m\n"));
        assertThat(e.getMessage()).contains("acme.validation.answerWait");
    }

    @Test
    void theServerAnswersChallengeResponsesAfterTheConfiguredWait() throws Exception {
        AcmeConfig acme = fromFile("acme:\n  validation:\n    answerWait: 7s\n").acme();
        assertThat(AcmeWiring.settings(acme, URI.create("https://acme.example:8443")).challengeAnswerWait())
                .isEqualTo(Duration.ofSeconds(7));
    }
}
