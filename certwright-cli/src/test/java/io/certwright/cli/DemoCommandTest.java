package io.certwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void demoCreatesACaIssuesValidatesAndCompletesAMutualTlsHandshake() throws Exception {
        Cli.Result r = Cli.run("demo");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains(Text.CHECK + " Created a CA", Text.CHECK + " Issued an X.509-SVID for "
                        + "spiffe://demo.certwright.test/ns/demo/sa/client", Text.CHECK + " Validated both chains")
                .contains(Text.CHECK + " Mutual TLS handshake on 127.0.0.1:", "TLSv1.3")
                .contains("client presented SPIFFE ID spiffe://demo.certwright.test/ns/demo/sa/client");
        Matcher m = Pattern.compile("Certwright demo in (\\S+)").matcher(r.out());
        assertThat(m.find()).isTrue();
        Path dir = Path.of(m.group(1));
        try {
            assertThat(dir.resolve("client/key.pem")).exists();
            assertThat(dir.resolve("server/chain.pem")).exists();
            assertThat(dir.resolve("ca/ca.properties")).exists();
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
