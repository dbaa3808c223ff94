package io.certwright.ca;

import io.certwright.ca.profile.Profile;
import io.certwright.core.SerialNumber;
import io.certwright.core.Validity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// A [CertificateLedger] in a directory, for the offline CLI: an append-only log `ledger.log`, each line
/// fsynced before the call returns, and one PEM file per signed certificate in `certs/<serial>.pem`.
///
/// Log lines are tab-separated: `pending <serial> <profile> <notBefore> <notAfter> <tbs-sha256> <recordedAt>
/// <subject-b64> <names-b64> <actor-b64> <provisioner-b64>` and `signed <serial>`. Only one process may append at a time; the CLI holds
/// a file lock for the duration of each write.
public final class FileLedger implements CertificateLedger {

    private static final String LOG = "ledger.log";
    private final Path dir;
    private final Path log;
    private final Map<SerialNumber, LedgerEntry> entries = new LinkedHashMap<>();

    private FileLedger(Path dir) {
        this.dir = dir;
        this.log = dir.resolve(LOG);
    }

    /// Opens (creating if needed) the ledger in `dir` and replays its log.
    public static FileLedger open(Path dir) throws IOException {
        AtomicFiles.createDirectory(dir, AtomicFiles.PRIVATE_DIR);
        FileLedger l = new FileLedger(dir);
        l.replay();
        return l;
    }

    private void replay() throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                switch (f[0]) {
                    case "pending" -> {
                        PendingCertificate p = new PendingCertificate(SerialNumber.parseHex(f[1]), profile(f[2]),
                                decode(f[7]), decode(f[8]).isEmpty() ? List.of() : Arrays.asList(decode(f[8]).split("\n")),
                                new Validity(Instant.parse(f[3]), Instant.parse(f[4])), f[5], Instant.parse(f[6]),
                                f.length > 10 ? new Requester(decode(f[9]), decode(f[10])) : Requester.LOCAL);
                        entries.put(p.serial(), new LedgerEntry(p, Optional.empty()));
                    }
                    case "signed" -> {
                        SerialNumber s = SerialNumber.parseHex(f[1]);
                        LedgerEntry e = entries.get(s);
                        Path pem = certPath(s);
                        if (e == null) {
                            throw new IOException("certificate " + s + " is marked signed but was never recorded pending");
                        }
                        if (!Files.exists(pem)) {
                            throw new IOException("certificate " + s + " is marked signed but " + pem + " is missing");
                        }
                        entries.put(s, new LedgerEntry(e.pending(), Optional.of(Files.readString(pem))));
                    }
                    default -> throw new IOException("unknown record " + f[0]);
                }
            } catch (RuntimeException e) {
                throw new IOException("corrupt ledger line in " + log + ": " + e.getMessage(), e);
            }
        }
    }

    private static Profile profile(String name) {
        for (Profile p : Profile.values()) {
            if (p.wireName().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile " + name);
    }

    private Path certPath(SerialNumber s) {
        return dir.resolve("certs").resolve(s.hex() + ".pem");
    }

    @Override
    public synchronized void recordPending(PendingCertificate p) throws LedgerException {
        if (entries.containsKey(p.serial())) {
            throw new LedgerException("serial " + p.serial() + " was recorded before");
        }
        String line = String.join("\t", "pending", p.serial().hex(), p.profile().wireName(),
                p.validity().notBefore().toString(), p.validity().notAfter().toString(), p.tbsSha256(),
                p.recordedAt().toString(), encode(p.subject()), encode(String.join("\n", p.names())),
                encode(p.requester().actor()), encode(p.requester().provisioner()));
        append(line);
        entries.put(p.serial(), new LedgerEntry(p, Optional.empty()));
    }

    @Override
    public synchronized void recordSigned(SerialNumber serial, X509Certificate certificate) throws LedgerException {
        LedgerEntry e = entries.get(serial);
        if (e == null) {
            throw new LedgerException("serial " + serial + " was never recorded as pending");
        }
        String pem = InMemoryLedger.pem(certificate);
        try {
            AtomicFiles.writeString(certPath(serial), pem, AtomicFiles.PUBLIC);
        } catch (IOException ex) {
            throw new LedgerException("cannot store certificate " + serial, ex);
        }
        append("signed\t" + serial.hex());
        entries.put(serial, new LedgerEntry(e.pending(), Optional.of(pem)));
    }

    private void append(String line) throws LedgerException {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            ch.lock();
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new LedgerException("cannot append to " + log, e);
        }
    }

    private static String encode(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized Optional<LedgerEntry> find(SerialNumber serial) {
        return Optional.ofNullable(entries.get(serial));
    }

    @Override
    public synchronized List<LedgerEntry> entries() {
        return new ArrayList<>(entries.values());
    }
}
