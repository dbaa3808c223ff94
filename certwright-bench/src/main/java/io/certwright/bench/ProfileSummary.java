package io.certwright.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/// Where a server's CPU time went, from a JFR recording: CPU-time samples (`jdk.CPUTimeSample`, which also
/// see native code such as ACCP and SQLite) grouped by the library of the innermost frame that belongs to
/// a known library, plus the hottest methods. Falls back to `jdk.ExecutionSample` when the recording has no
/// CPU-time samples.
final class ProfileSummary {

    /// Package prefixes and the group they are counted in, in order of precedence.
    private static final Map<String, String> GROUPS = groups();

    private ProfileSummary() {
    }

    private static Map<String, String> groups() {
        Map<String, String> g = new LinkedHashMap<>();
        g.put("com.amazon.corretto.", "ACCP (signature, CSR verification, hashing)");
        g.put("org.sqlite.", "SQLite (JDBC driver and native engine, incl. fsync)");
        g.put("org.postgresql.", "PostgreSQL JDBC driver");
        g.put("com.zaxxer.hikari.", "HikariCP");
        g.put("sun.security.ssl.", "TLS (JSSE)");
        g.put("com.sun.crypto.", "TLS (JSSE)");
        g.put("sun.security.", "JDK security (X.509, TLS crypto)");
        g.put("org.bouncycastle.", "Bouncy Castle (ASN.1, PEM, certificate building)");
        g.put("tools.jackson.", "JSON (Jackson)");
        g.put("com.fasterxml.jackson.", "JSON (Jackson)");
        g.put("org.eclipse.jetty.", "Jetty (HTTP/1.1 parsing, connections)");
        g.put("io.micrometer.", "metrics");
        g.put("io.prometheus.", "metrics");
        g.put("ch.qos.logback.", "logging");
        g.put("io.certwright.", "Certwright code");
        return g;
    }

    /// A Markdown summary of `recording`, at most `top` hot methods.
    static String markdown(Path recording, int top) throws IOException {
        Map<String, Long> byGroup = new HashMap<>();
        Map<String, Long> byMethod = new HashMap<>();
        long cpuSamples = 0;
        long javaSamples = 0;
        List<RecordedEvent> java = new ArrayList<>();
        try (RecordingFile f = new RecordingFile(recording)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.CPUTimeSample")) {
                    cpuSamples++;
                    count(e.getStackTrace(), byGroup, byMethod);
                } else if (type.equals("jdk.ExecutionSample")) {
                    javaSamples++;
                    java.add(e);
                }
            }
        }
        String kind = "CPU-time samples (`jdk.CPUTimeSample`)";
        long total = cpuSamples;
        if (cpuSamples == 0) {
            kind = "Java execution samples (`jdk.ExecutionSample`; native code is not seen)";
            total = javaSamples;
            for (RecordedEvent e : java) {
                count(e.getStackTrace(), byGroup, byMethod);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d %s; each is counted in the group of the innermost frame that "
                + "belongs to a known library (JDK frames count towards their caller).%n%n", total, kind));
        out.append("| where | share |\n|---|---:|\n");
        long denominator = Math.max(1, total);
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(en -> out.append(String.format(Locale.ROOT, "| %s | %.1f %% |%n", en.getKey(),
                        100.0 * en.getValue() / denominator)));
        out.append("\nHottest methods (self time):\n\n| method | share |\n|---|---:|\n");
        byMethod.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(en -> out.append(String.format(Locale.ROOT, "| `%s` | %.1f %% |%n", en.getKey(),
                        100.0 * en.getValue() / denominator)));
        return out.toString();
    }

    private static void count(RecordedStackTrace stack, Map<String, Long> byGroup, Map<String, Long> byMethod) {
        if (stack == null || stack.getFrames().isEmpty()) {
            byGroup.merge("(no stack: GC, JIT or VM)", 1L, Long::sum);
            return;
        }
        List<RecordedFrame> frames = stack.getFrames();
        RecordedFrame first = frames.getFirst();
        byMethod.merge(first.getMethod().getType().getName() + "." + first.getMethod().getName(), 1L, Long::sum);
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (Map.Entry<String, String> g : GROUPS.entrySet()) {
                if (type.startsWith(g.getKey())) {
                    byGroup.merge(g.getValue(), 1L, Long::sum);
                    return;
                }
            }
        }
        byGroup.merge("JDK only (threads, NIO, GC support)", 1L, Long::sum);
    }
}
