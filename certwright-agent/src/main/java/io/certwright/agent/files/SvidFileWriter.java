package io.certwright.agent.files;

import io.certwright.agent.cache.CacheSnapshot;
import io.certwright.agent.cache.SvidCache;
import io.certwright.agent.cache.X509Svid;
import io.certwright.agent.internal.io.AtomicFiles;
import io.certwright.agent.internal.x509.Pem;
import io.certwright.agent.node.Bundle;
import io.certwright.agent.node.RegistrationEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Writes the SVID of one delegated registration entry as files, like spiffe-helper, whenever it or the bundle
/// changes:
///
/// - `svid.pem`: the SVID and its intermediates, leaf first;
/// - `svid.key`: its private key, PKCS#8 PEM, mode 0600;
/// - `bundle.pem`: the trust domain's root certificates.
///
/// Each file is replaced atomically (temporary file, then rename). Then the reload command, if any, runs with
/// `sh -c`, is killed after its timeout, and its exit code is logged. Writing and reloading happen on a thread
/// of their own, so a slow command never delays rotation.
///
/// The entry is chosen by SPIFFE ID among those the server delegated to this agent; the agent does not
/// attest the files' readers, so the directory's permissions decide who can read the key.
public final class SvidFileWriter implements AutoCloseable {

    /// File name of the certificate chain.
    public static final String SVID = "svid.pem";
    /// File name of the private key.
    public static final String KEY = "svid.key";
    /// File name of the trust bundle.
    public static final String BUNDLE = "bundle.pem";

    private static final Logger LOG = LoggerFactory.getLogger(SvidFileWriter.class);

    private final SvidFileOptions options;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "certwright-svid-files");
        t.setDaemon(true);
        return t;
    });
    private @Nullable Object lastWritten;
    private SvidCache.@Nullable Subscription subscription;

    public SvidFileWriter(SvidFileOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /// Writes the current SVID, if any, and every later one.
    public synchronized void start(SvidCache cache) {
        subscription = cache.subscribe(s -> worker.execute(() -> write(s)));
        CacheSnapshot now = cache.snapshot();
        worker.execute(() -> write(now));
    }

    /// Writes the files for `snapshot` if they changed since the last write; runs on the worker thread.
    void write(CacheSnapshot snapshot) {
        Optional<X509Svid> svid = snapshot.entries().stream()
                .filter(e -> e.spiffeId().equals(options.spiffeId()))
                .map(RegistrationEntry::id)
                .map(id -> snapshot.svids().get(id))
                .filter(Objects::nonNull)
                .findFirst();
        Optional<Bundle> bundle = snapshot.bundle();
        if (svid.isEmpty() || bundle.isEmpty()) {
            return;
        }
        Object view = List.of(svid.get().leaf(), bundle.get().sequence());
        if (view.equals(lastWritten)) {
            return;
        }
        Path dir = options.directory();
        try {
            AtomicFiles.writeString(dir.resolve(KEY), Pem.privateKey(svid.get().privateKey()), AtomicFiles.SECRET);
            AtomicFiles.writeString(dir.resolve(SVID), Pem.certificates(svid.get().chain()), AtomicFiles.PUBLIC);
            AtomicFiles.writeString(dir.resolve(BUNDLE), Pem.certificates(bundle.get().x509Authorities()),
                    AtomicFiles.PUBLIC);
        } catch (IOException e) {
            LOG.error("cannot write the SVID files of {} to {}: {}", options.spiffeId(), dir, e.toString());
            return;
        }
        lastWritten = view;
        LOG.info("wrote the SVID of {} (valid until {}) to {}", options.spiffeId(), svid.get().notAfter(), dir);
        options.reloadCommand().ifPresent(this::reload);
    }

    private void reload(String command) {
        try {
            Process p = new ProcessBuilder("sh", "-c", command)
                    .directory(options.directory().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(options.reloadTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                LOG.error("reload command did not finish within {} and was killed", options.reloadTimeout());
                return;
            }
            int code = p.exitValue();
            if (code == 0) {
                LOG.info("reload command exited with 0");
            } else {
                LOG.error("reload command exited with {}", code);
            }
        } catch (IOException e) {
            LOG.error("cannot run the reload command: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(options.reloadTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
