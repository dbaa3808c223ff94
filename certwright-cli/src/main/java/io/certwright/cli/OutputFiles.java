package io.certwright.cli;

import io.certwright.ca.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/// Files a command writes into one output directory, all at the end, once everything is computed. Each
/// file is written atomically; if one write fails, the files this run created are removed again so the
/// directory never holds a partial set.
final class OutputFiles {

    private record Entry(Path path, String content, Set<PosixFilePermission> permissions) {
    }

    private final Path dir;
    private final List<Entry> entries = new ArrayList<>();

    OutputFiles(Path dir) {
        this.dir = dir;
    }

    /// Fails early when `dir` cannot be an output directory, before any key is generated.
    static void checkTarget(Path dir) throws CliException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CliException("output " + dir + " exists and is not a directory");
        }
    }

    Path add(String name, String content, Set<PosixFilePermission> permissions) {
        Path p = dir.resolve(name);
        entries.add(new Entry(p, content, permissions));
        return p;
    }

    void write() throws IOException, CliException {
        checkTarget(dir);
        boolean createdDir = !Files.exists(dir);
        List<Path> created = new ArrayList<>();
        try {
            if (createdDir) {
                Files.createDirectories(dir);
            }
            for (Entry e : entries) {
                boolean existed = Files.exists(e.path());
                AtomicFiles.writeString(e.path(), e.content(), e.permissions());
                if (!existed) {
                    created.add(e.path());
                }
            }
        } catch (IOException | RuntimeException ex) {
            for (Path p : created) {
                deleteQuietly(p, ex);
            }
            if (createdDir) {
                deleteQuietly(dir, ex);
            }
            throw ex;
        }
    }

    private static void deleteQuietly(Path p, Exception failure) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
