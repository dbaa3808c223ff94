package io.certwright.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetsTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static List<String> displayed(Targets.Parsed p) {
        return p.targets().stream().map(TlsTarget::display).toList();
    }

    @Test
    void hostPortIsExactlyThatEndpointWithTheHostAsSni() {
        Targets.Parsed p = Targets.parse(List.of("Example.COM:8443"), List.of(443, 9443), NOW);
        assertThat(p.errors()).isEmpty();
        assertThat(p.targets()).containsExactly(new TlsTarget("example.com", 8443, Optional.of("example.com"),
                Starttls.NONE));
    }

    @Test
    void aHostWithoutPortIsScannedOnEveryListedPort() {
        assertThat(displayed(Targets.parse(List.of("example.com"), List.of(443, 8443), NOW)))
                .containsExactly("example.com:443", "example.com:8443");
    }

    @Test
    void withoutAPortListTheDefaultPortIs443() {
        assertThat(displayed(Targets.parse(List.of("example.com", "192.0.2.7"), List.of(), NOW)))
                .containsExactly("example.com:443", "192.0.2.7:443");
    }

    @Test
    void ipAddressTargetsSendNoSni() {
        Targets.Parsed p = Targets.parse(List.of("192.0.2.7:443", "[2001:db8::1]:443", "2001:db8::2"), List.of(), NOW);
        assertThat(p.targets()).allSatisfy(t -> assertThat(t.serverName()).isEmpty());
        assertThat(displayed(p)).containsExactly("192.0.2.7:443", "[2001:db8:0:0:0:0:0:1]:443",
                "[2001:db8:0:0:0:0:0:2]:443");
    }

    @Test
    void anIpv4RangeSkipsNetworkAndBroadcastAddresses() {
        List<String> d = displayed(Targets.parse(List.of("192.0.2.0/30"), List.of(443, 8443), NOW));
        assertThat(d).containsExactly("192.0.2.1:443", "192.0.2.1:8443", "192.0.2.2:443", "192.0.2.2:8443");
    }

    @Test
    void aSlash31AndASlash32KeepEveryAddress() {
        assertThat(displayed(Targets.parse(List.of("192.0.2.5/31", "192.0.2.9/32:8443"), List.of(), NOW)))
                .containsExactly("192.0.2.4:443", "192.0.2.5:443", "192.0.2.9:8443");
    }

    @Test
    void anIpv6RangeExpandsWithThePortList() {
        Targets.Parsed p = Targets.parse(List.of("2001:db8::/126", "[2001:db8::10/127]:8443"), List.of(443), NOW);
        assertThat(p.targets()).hasSize(6);
        assertThat(displayed(p)).contains("[2001:db8:0:0:0:0:0:3]:443", "[2001:db8:0:0:0:0:0:11]:8443");
    }

    @Test
    void aRangeLargerThanTheCapIsOneErrorAndTheOtherTargetsStay() {
        Targets.Parsed p = Targets.parse(List.of("10.0.0.0/8", "example.com", "2001:db8::/64"), List.of(), NOW);
        assertThat(displayed(p)).containsExactly("example.com:443");
        assertThat(p.errors()).extracting(ScanError::kind).containsOnly(ErrorKind.INVALID_TARGET);
        assertThat(p.errors()).hasSize(2);
        assertThat(p.errors().getFirst().message()).contains("65536", "split it");
    }

    @Test
    void aSlash16IsTheLargestRangeExpanded() {
        assertThat(Targets.parse(List.of("10.1.0.0/16"), List.of(), NOW).targets()).hasSize(65_534);
    }

    @Test
    void schemesSelectStarttlsAndItsDefaultPort() {
        Targets.Parsed p = Targets.parse(List.of("smtp://mail.example.com", "postgres://db.example.com:6432",
                "tls://web.example.com"), List.of(8443), NOW);
        assertThat(displayed(p)).containsExactly("smtp://mail.example.com:25", "postgres://db.example.com:6432",
                "web.example.com:8443");
        assertThat(p.targets().get(1).starttls()).isEqualTo(Starttls.POSTGRES);
    }

    @Test
    void duplicatesAreScannedOnce() {
        assertThat(Targets.parse(List.of("a.example:443", "A.example", "a.example:443"), List.of(), NOW).targets())
                .hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad host", "host:0", "host:65536", "host:http", "256.1.1.1", "1.2.3.4/33",
        "ftp://example.com", "[example.com]:443", "-leading.example", "2001:db8::g", "example..com", "1.2.3",
        "a:b:c:d:e:f:g:h:i", "10.0.0.0/x", "smtp://"})
    void invalidTargetsBecomeErrorsNamingThem(String spec) {
        Targets.Parsed p = Targets.parse(List.of(spec, "ok.example:443"), List.of(), NOW);
        assertThat(displayed(p)).containsExactly("ok.example:443");
        assertThat(p.errors()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_TARGET);
            assertThat(e.target()).isEqualTo(spec.strip());
            assertThat(e.at()).isEqualTo(NOW);
        });
    }

    @Test
    void aTargetFileHasOneTargetPerLineWithComments() throws Exception {
        Path f = Files.writeString(dir.resolve("targets.txt"), """
                # production
                example.com:443   # the web site
                
                192.0.2.0/31
                not valid!
                """);
        Targets.Parsed p = Targets.parseFile(f, List.of(), NOW);
        assertThat(displayed(p)).containsExactly("example.com:443", "192.0.2.0:443", "192.0.2.1:443");
        assertThat(p.errors()).singleElement().extracting(ScanError::target).isEqualTo("not valid!");
    }

    @Test
    void aMissingTargetFileIsOneUnreadableError() {
        Targets.Parsed p = Targets.parseFile(dir.resolve("absent.txt"), List.of(), NOW);
        assertThat(p.targets()).isEmpty();
        assertThat(p.errors()).singleElement().extracting(ScanError::kind).isEqualTo(ErrorKind.UNREADABLE);
    }

    @Test
    void portListsAcceptRangesAndRejectNonsense() {
        assertThat(Targets.parsePorts("443, 8443,9000-9002")).containsExactly(443, 8443, 9000, 9001, 9002);
        assertThatThrownBy(() -> Targets.parsePorts("443,x")).hasMessageContaining("'x'");
        assertThatThrownBy(() -> Targets.parsePorts("70000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Targets.parsePorts("9-1")).hasMessageContaining("backwards");
        assertThatThrownBy(() -> Targets.parsePorts("")).isInstanceOf(IllegalArgumentException.class);
    }
}
