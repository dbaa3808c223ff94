package io.certwright.agent.attestation;

import io.certwright.agent.node.Selector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The `unix` workload attestor: selectors from the peer credentials and `/proc/<pid>`.
///
/// | selector | from |
/// | --- | --- |
/// | `unix:uid:N`, `unix:user:NAME` | the peer's uid (kernel) and the user database |
/// | `unix:gid:N`, `unix:group:NAME` | the peer's gid (kernel) and the supplementary groups of `/proc/<pid>/status` |
/// | `unix:path:/abs/path` | the `/proc/<pid>/exe` link |
/// | `unix:sha256:HEX` | the executable's content, cached by path, modification time and size |
///
/// `/proc` facts are taken only while the process there still has the uid the kernel reported at connect
/// time, so a pid reused by another user's process does not lend its binary. When `/proc/<pid>` cannot be read
/// (the process exited, or the agent lacks the privilege), only the kernel's facts are used.
public final class UnixWorkloadAttestor implements WorkloadAttestor {

    private static final Logger LOG = LoggerFactory.getLogger(UnixWorkloadAttestor.class);
    private static final String TYPE = "unix";

    private final Path procRoot;
    private final UserDatabase users;
    private final Map<BinaryKey, String> hashes = new ConcurrentHashMap<>();

    /// An attestor reading `procRoot` (normally `/proc`) and `users`.
    public UnixWorkloadAttestor(Path procRoot, UserDatabase users) {
        this.procRoot = procRoot;
        this.users = users;
    }

    /// The attestor of this host.
    public static UnixWorkloadAttestor system() {
        return new UnixWorkloadAttestor(Path.of("/proc"), UserDatabase.system());
    }

    @Override
    public Set<Selector> attest(PeerCredentials peer) {
        Set<Selector> out = new LinkedHashSet<>();
        out.add(new Selector(TYPE, "uid:" + peer.uid()));
        users.userName(peer.uid()).ifPresent(n -> out.add(new Selector(TYPE, "user:" + n)));
        Set<Integer> gids = new LinkedHashSet<>();
        gids.add(peer.gid());
        Path proc = procRoot.resolve(Integer.toString(peer.pid()));
        Optional<ProcStatus> status = readStatus(proc);
        boolean sameProcess = status.isPresent() && status.get().effectiveUid() == peer.uid();
        if (status.isPresent() && !sameProcess) {
            LOG.warn("pid {} now belongs to uid {}, not the connecting uid {}: attesting by credentials only",
                    peer.pid(), status.get().effectiveUid(), peer.uid());
        }
        if (sameProcess) {
            gids.addAll(status.get().groups());
        }
        for (int gid : gids) {
            out.add(new Selector(TYPE, "gid:" + gid));
            users.groupName(gid).ifPresent(n -> out.add(new Selector(TYPE, "group:" + n)));
        }
        if (sameProcess) {
            Path exe = proc.resolve("exe");
            try {
                Path target = Files.readSymbolicLink(exe);
                out.add(new Selector(TYPE, "path:" + target));
                sha256(exe, target).ifPresent(h -> out.add(new Selector(TYPE, "sha256:" + h)));
            } catch (IOException | UnsupportedOperationException e) {
                LOG.debug("cannot read the executable of pid {}: {}", peer.pid(), e.toString());
            }
        }
        return Set.copyOf(out);
    }

    private Optional<String> sha256(Path exe, Path target) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(exe, BasicFileAttributes.class);
            BinaryKey key = new BinaryKey(target.toString(), attrs.lastModifiedTime().toMillis(), attrs.size());
            String cached = hashes.get(key);
            if (cached != null) {
                return Optional.of(cached);
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(exe)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            String hex = HexFormat.of().formatHex(md.digest());
            if (hashes.size() > 4096) {
                hashes.clear();
            }
            hashes.put(key, hex);
            return Optional.of(hex);
        } catch (IOException e) {
            LOG.debug("cannot hash {}: {}", target, e.toString());
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static Optional<ProcStatus> readStatus(Path proc) {
        List<String> lines;
        try {
            lines = Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        int euid = -1;
        Set<Integer> groups = new LinkedHashSet<>();
        for (String line : lines) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).trim().split("\\s+", -1);
                if (f.length > 1) {
                    euid = parse(f[1]);
                }
            } else if (line.startsWith("Groups:")) {
                String rest = line.substring(7).trim();
                if (!rest.isEmpty()) {
                    for (String g : rest.split("\\s+", -1)) {
                        int gid = parse(g);
                        if (gid >= 0) {
                            groups.add(gid);
                        }
                    }
                }
            }
        }
        return euid < 0 ? Optional.empty() : Optional.of(new ProcStatus(euid, Set.copyOf(groups)));
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private record ProcStatus(int effectiveUid, Set<Integer> groups) {
    }

    private record BinaryKey(String path, long mtimeMillis, long size) {
    }
}
