package io.certwright.cli;

import io.certwright.ca.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/// `certwright audit export`: the whole audit log as JSON Lines.
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Export a server's audit log as JSON Lines, one entry per line.",
            "Check an export with 'certwright audit verify --file FILE'."})
final class AuditExportCommand extends ClientCommand {

    @Option(names = "--out", paramLabel = "FILE", description = "File to write (replaced atomically; default: stdout).")
    @Nullable Path out;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    TokenOptions tokens = new TokenOptions();

    @Override
    int run(Main main) throws Exception {
        ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())), Optional.empty());
        if (out == null) {
            PrintWriter w = spec.commandLine().getOut();
            try (OutputStream stdout = new WriterStream(w)) {
                client.download("/api/v1/audit/export", stdout);
            }
            w.flush();
            return 0;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        client.download("/api/v1/audit/export", buffer);
        byte[] content = buffer.toByteArray();
        AtomicFiles.write(out, content, AtomicFiles.PUBLIC);
        long lines = new String(content, java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();
        spec.commandLine().getErr().println(Text.CHECK + " Exported " + lines + (lines == 1 ? " audit entry" : " audit entries")
                + " to " + out);
        return 0;
    }

    /// Bytes (UTF-8) to the command's writer, so output goes where picocli's `out` goes.
    private static final class WriterStream extends OutputStream {
        private final PrintWriter writer;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        WriterStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            pending.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void flush() {
            writer.write(pending.toString(java.nio.charset.StandardCharsets.UTF_8));
            pending.reset();
            writer.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
