package io.certwright.agent.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.agent.node.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixWorkloadAttestorTest {

    @TempDir
    Path tmp;

    private Path proc;
    private Path binary;
    private UnixWorkloadAttestor attestor;

    @BeforeEach
    void fakeHost() throws Exception {
        proc = tmp.resolve("proc");
        binary = tmp.resolve("usr/bin/api");
        Files.createDirectories(binary.getParent());
        Files.writeString(binary, "#!/bin/sh\necho api\n");
        Path passwd = Files.writeString(tmp.resolve("passwd"),
                "root:x:0:0:root:/root:/bin/sh\n# comment\napi:x:1000:1000::/home/api:/bin/sh\nbroken line\n");
        Path group = Files.writeString(tmp.resolve("group"), "root:x:0:\napi:x:1000:\ndocker:x:998:api\nssl:x:20:\n");
        attestor = new UnixWorkloadAttestor(proc, new UserDatabase(passwd, group));
    }

    private void process(int pid, int euid, String groups) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(dir.resolve("status"), "Name:\tapi\nUid:\t" + euid + "\t" + euid + "\t" + euid + "\t"
                + euid + "\nGid:\t1000\t1000\t1000\t1000\nGroups:\t" + groups + "\n");
        Files.createSymbolicLink(dir.resolve("exe"), binary);
    }

    @Test
    void processYieldsUidGidNamesSupplementaryGroupsPathAndBinaryHash() throws Exception {
        process(1234, 1000, "998 20 ");

        Set<Selector> selectors = attestor.attest(new PeerCredentials(1234, 1000, 1000));

        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readString(binary).getBytes(StandardCharsets.UTF_8)));
        assertThat(selectors).extracting(Selector::toString).containsExactlyInAnyOrder(
                "unix:uid:1000", "unix:user:api", "unix:gid:1000", "unix:group:api", "unix:gid:998",
                "unix:group:docker", "unix:gid:20", "unix:group:ssl", "unix:path:" + binary,
                "unix:sha256:" + sha);
    }

    @Test
    void pidNowOwnedByAnotherUserLendsNeitherItsBinaryNorItsGroups() throws Exception {
        process(1234, 0, "998");

        Set<Selector> selectors = attestor.attest(new PeerCredentials(1234, 1000, 1000));

        assertThat(selectors).extracting(Selector::toString).containsExactlyInAnyOrder(
                "unix:uid:1000", "unix:user:api", "unix:gid:1000", "unix:group:api");
    }

    @Test
    void exitedProcessIsAttestedByTheKernelCredentialsAlone() {
        Set<Selector> selectors = attestor.attest(new PeerCredentials(999_999, 4242, 4242));

        assertThat(selectors).extracting(Selector::toString).containsExactlyInAnyOrder("unix:uid:4242",
                "unix:gid:4242");
    }

    @Test
    void changedBinaryAtTheSamePathGetsItsNewHash() throws Exception {
        process(1234, 1000, "");
        String before = hashSelector(attestor.attest(new PeerCredentials(1234, 1000, 1000)));

        Files.writeString(binary, "#!/bin/sh\necho api version 2, longer\n");
        String after = hashSelector(attestor.attest(new PeerCredentials(1234, 1000, 1000)));

        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void thisJvmIsAttestedFromTheRealProcWithItsJavaBinary() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
        Set<Selector> selectors = UnixWorkloadAttestor.system()
                .attest(new PeerCredentials((int) ProcessHandle.current().pid(), uid, gid));

        Path java = Path.of("/proc/self/exe").toRealPath();
        assertThat(selectors).contains(Selector.parse("unix:uid:" + uid), Selector.parse("unix:path:" + java));
        assertThat(hashSelector(selectors)).hasSize("unix:sha256:".length() + 64);
    }

    private static String hashSelector(Set<Selector> selectors) {
        return selectors.stream().map(Selector::toString).filter(s -> s.startsWith("unix:sha256:")).findFirst()
                .orElseThrow();
    }
}
