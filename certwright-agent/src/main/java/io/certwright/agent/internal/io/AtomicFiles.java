package io.certwright.agent.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/// Crash-safe file writes: a temporary file in the target's directory, created with its final permissions
/// (a key is never readable by others, not even briefly), flushed, then renamed over the target atomically.
public final class AtomicFiles {

    /// Owner read and write only: private keys and the agent state.
    public static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    /// Readable by all: certificates and bundles.
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    /// A directory only its owner may enter.
    public static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {
    }

    /// Writes `content` to `target`, replacing it atomically.
    public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(permissions));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /// Writes text as UTF-8.
    public static void writeString(Path target, String content, Set<PosixFilePermission> permissions)
            throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8), permissions);
    }

    /// Creates `dir` (and its parents) and gives it `permissions`.
    public static void createDirectory(Path dir, Set<PosixFilePermission> permissions) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, permissions);
    }
}
