package io.certwright.inventory.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class GrafanaDashboardTest {

    /// The metric names the server exposes for the inventory.
    static final Set<String> KNOWN_METRICS = Set.of(
            "certwright_certificate_not_after_timestamp_seconds",
            "certwright_certificates",
            "certwright_certificate_renewal_overdue",
            "certwright_scan_errors_total",
            "certwright_scan_last_success_timestamp_seconds",
            "certwright_alert_deliveries_total");
    private static final Pattern METRIC = Pattern.compile("\\b(certwright_[a-z_]+)\\b");

    @Test
    void dashboardIsValidJsonAndReferencesOnlyKnownMetrics() throws Exception {
        Path file = PrometheusRulesTest.deployDir().resolve("grafana/certwright.json");
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(file));
        assertThat(dashboard.get("title").asString()).isNotBlank();
        assertThat(dashboard.get("uid").asString()).isNotBlank();
        assertThat(dashboard.get("panels").isArray()).isTrue();

        List<String> expressions = new ArrayList<>();
        collect(dashboard, expressions);
        assertThat(expressions).isNotEmpty();
        Set<String> used = new TreeSet<>();
        for (String e : expressions) {
            Matcher m = METRIC.matcher(e);
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).isNotEmpty().isSubsetOf(KNOWN_METRICS);
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("targets")).as("panel %s has queries", panel.get("title")).isNotEmpty();
        }
    }

    @Test
    void rulesReferenceOnlyKnownMetrics() throws Exception {
        String rules = Files.readString(PrometheusRulesTest.deployDir().resolve("prometheus/certwright-rules.yml"));
        Matcher m = METRIC.matcher(rules);
        Set<String> used = new TreeSet<>();
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).isSubsetOf(KNOWN_METRICS);
    }

    // Every "expr" and "query" string anywhere in the document.
    private static void collect(JsonNode node, List<String> out) {
        if (node.isObject()) {
            for (String name : node.propertyNames()) {
                JsonNode child = node.get(name);
                if ((name.equals("expr") || name.equals("query") || name.equals("definition")) && child.isString()) {
                    out.add(child.asString());
                }
                collect(child, out);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, out));
        }
    }
}
