package io.certwright.agent.attestation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// User and group names from `passwd` and `group` files, re-read when a file changes.
///
/// Only the local files are read (no NSS, LDAP or SSSD): a user known only to a directory service yields
/// `unix:uid:N` but no `unix:user:NAME` selector.
public final class UserDatabase {

    private final Path passwd;
    private final Path group;
    private @Nullable Snapshot users;
    private @Nullable Snapshot groups;

    /// The database of `passwd` (`name:x:uid:...`) and `group` (`name:x:gid:members`).
    public UserDatabase(Path passwd, Path group) {
        this.passwd = passwd;
        this.group = group;
    }

    /// The system's `/etc/passwd` and `/etc/group`.
    public static UserDatabase system() {
        return new UserDatabase(Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    /// The name of the user with id `uid`.
    public synchronized Optional<String> userName(int uid) {
        users = refresh(users, passwd);
        return Optional.ofNullable(users.names().get(uid));
    }

    /// The name of the group with id `gid`.
    public synchronized Optional<String> groupName(int gid) {
        groups = refresh(groups, group);
        return Optional.ofNullable(groups.names().get(gid));
    }

    private static Snapshot refresh(@Nullable Snapshot current, Path file) {
        FileTime mtime;
        try {
            mtime = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return new Snapshot(FileTime.fromMillis(0), Map.of());
        }
        if (current != null && current.mtime().equals(mtime)) {
            return current;
        }
        Map<Integer, String> names = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length < 3 || f[0].isEmpty() || line.startsWith("#")) {
                    continue;
                }
                try {
                    names.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                } catch (NumberFormatException ignored) {
                    // a malformed line names no one
                }
            }
        } catch (IOException e) {
            return new Snapshot(FileTime.fromMillis(0), Map.of());
        }
        return new Snapshot(mtime, Map.copyOf(names));
    }

    private record Snapshot(FileTime mtime, Map<Integer, String> names) {
    }
}
