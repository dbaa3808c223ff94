package io.certwright.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The server's log set-up, made in code when `certwright server` starts rather than by a `logback.xml` in
/// the jar, so applications that embed Certwright's modules keep their own Logback configuration.
///
/// Events at INFO and above go to standard error as text lines or as JSON Lines (Logback's [JsonEncoder]
/// with the formatted message only: neither the raw arguments nor the context properties are written).
/// Jetty, HikariCP and Flyway are limited to warnings.
public final class ServerLogging {

    /// Name of the appender this class installs.
    static final String APPENDER = "certwright";
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{20} - %msg%n";
    private static final Map<String, Level> QUIET = Map.of("org.eclipse.jetty", Level.WARN,
            "com.zaxxer.hikari", Level.WARN, "org.flywaydb", Level.WARN);

    private ServerLogging() {
    }

    /// Sends the log to standard error in `format`, replacing the console appenders of the root logger.
    /// Does nothing when SLF4J is bound to something other than Logback.
    public static void configure(LogFormat format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setTarget("System.err");
        install(context, console, format);
    }

    /// Writes the log to `out` in `format` besides the appenders already attached; for tests. Returns the
    /// appender, to be stopped and detached with [#remove(Appender)].
    static Appender<ILoggingEvent> attach(LogFormat format, OutputStream out) {
        LoggerContext context = context();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setOutputStream(out);
        appender.setName(APPENDER + "-" + System.identityHashCode(out));
        start(context, appender, format);
        root(context).addAppender(appender);
        return appender;
    }

    /// Detaches and stops an appender from [#attach(LogFormat, OutputStream)].
    static void remove(Appender<ILoggingEvent> appender) {
        root(context()).detachAppender(appender);
        appender.stop();
    }

    private static void install(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender,
            LogFormat format) {
        ch.qos.logback.classic.Logger root = root(context);
        List<Appender<ILoggingEvent>> replaced = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(a -> {
            if (a instanceof ConsoleAppender<?> || APPENDER.equals(a.getName())) {
                replaced.add(a);
            }
        });
        appender.setName(APPENDER);
        start(context, appender, format);
        root.addAppender(appender);
        for (Appender<ILoggingEvent> a : replaced) {
            root.detachAppender(a);
            a.stop();
        }
        root.setLevel(Level.INFO);
        QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    private static void start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, LogFormat format) {
        Encoder<ILoggingEvent> encoder = encoder(format);
        encoder.setContext(context);
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
    }

    private static Encoder<ILoggingEvent> encoder(LogFormat format) {
        return switch (format) {
            case TEXT -> {
                PatternLayoutEncoder e = new PatternLayoutEncoder();
                e.setPattern(PATTERN);
                yield e;
            }
            case JSON -> {
                JsonEncoder e = new JsonEncoder();
                e.setWithSequenceNumber(false);
                e.setWithNanoseconds(false);
                e.setWithContext(false);
                e.setWithMDC(false);
                e.setWithMessage(false);
                e.setWithArguments(false);
                e.setWithFormattedMessage(true);
                yield e;
            }
        };
    }

    private static LoggerContext context() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            return context;
        }
        throw new IllegalStateException("SLF4J is not bound to Logback but to " + factory.getClass().getName());
    }

    private static ch.qos.logback.classic.Logger root(LoggerContext context) {
        return context.getLogger(Logger.ROOT_LOGGER_NAME);
    }
}
