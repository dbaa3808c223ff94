package io.certwright.inventory.discovery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// Finds certificates in files: PEM (single certificates, chains and bundles), DER, PKCS#12, JKS and JCEKS.
///
/// Directories are walked recursively, following symbolic links (loops are reported, not followed twice).
/// Files are examined when their name looks like a certificate or keystore (`.pem`, `.crt`, `.cer`, `.der`,
/// `.p12`, `.pfx`, `.jks`, `cacerts`, ...) or when their first bytes are a PEM certificate header or a
/// JKS/JCEKS magic number; other files are skipped silently. Files named explicitly are always examined.
///
/// A PEM file yields one [Finding] per chain in it: consecutive certificates each issued by the next form
/// one chain, anything else starts a new one, so a full-chain file is one finding and a CA bundle is one per
/// root. A keystore yields one finding per certificate or key entry, opened with the first of the
/// [KeystorePasswords] that works. Private keys are never read.
///
/// Every problem becomes a [ScanError] and the walk goes on: unreadable files, dangling links, FIFOs and
/// other special files with a certificate-like name, files over [#MAX_FILE_BYTES], garbage, undecodable
/// PEM blocks (the file's other blocks are still read) and keystores no password opens.
public final class FileScanner {

    /// Files larger than this are not read.
    public static final long MAX_FILE_BYTES = 16L << 20;

    /// The most certificates taken from one file.
    public static final int MAX_CERTIFICATES_PER_FILE = 10_000;

    private static final int MAX_DEPTH = 64;
    private static final int SNIFF_BYTES = 8_192;
    private static final long SNIFF_MAX_SIZE = 1L << 20;
    private static final Set<String> EXTENSIONS = Set.of("pem", "crt", "cer", "cert", "der", "p12", "pfx",
            "jks", "jceks", "keystore", "truststore", "ks", "ca-bundle", "chain");
    private static final Set<String> NAMES = Set.of("cacerts", "jssecacerts");
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)(?:-----END \\1-----|\\z)", Pattern.DOTALL);
    private static final Set<String> CERTIFICATE_LABELS = Set.of("CERTIFICATE", "X509 CERTIFICATE",
            "TRUSTED CERTIFICATE");
    private static final int JKS_MAGIC = 0xFEEDFEED;
    private static final int JCEKS_MAGIC = 0xCECECECE;

    private final KeystorePasswords passwords;
    private final Clock clock;

    /// A scanner trying `passwords` on keystores and stamping results with `clock`'s time.
    public FileScanner(KeystorePasswords passwords, Clock clock) {
        this.passwords = passwords;
        this.clock = clock;
    }

    /// Examines each path: a file directly, a directory recursively.
    public ScanReport scan(List<Path> paths, ScanListener listener) {
        java.time.Instant started = clock.instant();
        List<Observation> out = Collections.synchronizedList(new ArrayList<>());
        ScanListener both = o -> {
            out.add(o);
            listener.observed(o);
        };
        for (Path path : paths) {
            scanPath(path, both);
        }
        return ScanReport.of(out, started, clock.instant());
    }

    private void scanPath(Path path, ScanListener sink) {
        if (Files.isDirectory(path)) {
            try {
                Files.walkFileTree(path, EnumSet.of(FileVisitOption.FOLLOW_LINKS), MAX_DEPTH, new Walker(sink));
            } catch (IOException | RuntimeException e) {
                sink.observed(error(path, ErrorKind.UNREADABLE, "cannot walk the directory: " + Targets.describe(e)));
            }
            return;
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException | RuntimeException e) {
            boolean link = Files.isSymbolicLink(path);
            sink.observed(error(path, ErrorKind.UNREADABLE, link ? "dangling symbolic link" : Targets.describe(e)));
            return;
        }
        examine(path, attrs, true, sink);
    }

    private final class Walker extends SimpleFileVisitor<Path> {
        private final ScanListener sink;

        Walker(ScanListener sink) {
            this.sink = sink;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            examine(file, attrs, false, sink);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            String why = e instanceof FileSystemLoopException ? "symbolic link loop; not followed again"
                    : Targets.describe(e);
            sink.observed(error(file, ErrorKind.UNREADABLE, why));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (e != null) {
                sink.observed(error(dir, ErrorKind.UNREADABLE, "cannot list the directory: " + Targets.describe(e)));
            }
            return FileVisitResult.CONTINUE;
        }
    }

    private void examine(Path file, BasicFileAttributes attrs, boolean explicit, ScanListener sink) {
        boolean named = explicit || looksLikeCertificateFile(file);
        if (attrs.isSymbolicLink()) {
            // Following links, the walker reports a link's own attributes only when its target is missing.
            if (named) {
                sink.observed(error(file, ErrorKind.UNREADABLE, "dangling symbolic link"));
            }
            return;
        }
        if (!attrs.isRegularFile()) {
            if (named) {
                sink.observed(error(file, ErrorKind.UNREADABLE,
                        "not a regular file (a FIFO, socket or device); not read"));
            }
            return;
        }
        if (attrs.size() > MAX_FILE_BYTES) {
            if (named) {
                sink.observed(error(file, ErrorKind.UNREADABLE, "larger than " + (MAX_FILE_BYTES >> 20)
                        + " MiB; not read"));
            }
            return;
        }
        byte[] bytes;
        try {
            if (!named) {
                if (attrs.size() > SNIFF_MAX_SIZE || !sniff(file)) {
                    return;
                }
            }
            bytes = readAtMost(file);
        } catch (IOException | RuntimeException e) {
            if (named) {
                sink.observed(error(file, ErrorKind.UNREADABLE, Targets.describe(e)));
            }
            return;
        }
        try {
            parse(file, bytes, sink);
        } catch (RuntimeException e) {
            // A parser bug or a JDK provider failing on hostile input: one error for the file, the walk goes on.
            sink.observed(error(file, ErrorKind.MALFORMED_CERTIFICATE, "cannot parse: " + Targets.describe(e)));
        }
    }

    private static boolean looksLikeCertificateFile(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return false;
        }
        String n = name.toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return NAMES.contains(n) || (dot >= 0 && EXTENSIONS.contains(n.substring(dot + 1)));
    }

    private static boolean sniff(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(SNIFF_BYTES);
        }
        if (head.length >= 4) {
            int magic = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
            if (magic == JKS_MAGIC || magic == JCEKS_MAGIC) {
                return true;
            }
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        return text.contains("-----BEGIN CERTIFICATE-----") || text.contains("-----BEGIN X509 CERTIFICATE-----")
                || text.contains("-----BEGIN TRUSTED CERTIFICATE-----");
    }

    private static byte[] readAtMost(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (b.length > MAX_FILE_BYTES) {
                throw new IOException("larger than " + (MAX_FILE_BYTES >> 20) + " MiB; not read");
            }
            return b;
        }
    }

    private void parse(Path file, byte[] bytes, ScanListener sink) {
        if (bytes.length >= 4) {
            int magic = ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8)
                    | (bytes[3] & 0xff);
            if (magic == JKS_MAGIC) {
                keystore(file, bytes, "JKS", sink);
                return;
            }
            if (magic == JCEKS_MAGIC) {
                keystore(file, bytes, "JCEKS", sink);
                return;
            }
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN ")) {
            pem(file, text, sink);
            return;
        }
        if (bytes.length > 0 && bytes[0] == 0x30) {
            String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
            boolean pkcs12Name = name.endsWith(".p12") || name.endsWith(".pfx");
            if (!pkcs12Name) {
                Optional<X509Certificate> cert = der(bytes);
                if (cert.isPresent()) {
                    sink.observed(Finding.of(new Place.File(file, 1), List.of(cert.get()), clock.instant(),
                            Optional.empty()));
                    return;
                }
            }
            keystore(file, bytes, "PKCS12", sink);
            return;
        }
        sink.observed(error(file, ErrorKind.MALFORMED_CERTIFICATE,
                bytes.length == 0 ? "empty file" : "neither PEM, DER, PKCS#12 nor JKS"));
    }

    private static Optional<X509Certificate> der(byte[] bytes) {
        try {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(bytes));
            return c instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void pem(Path file, String text, ScanListener sink) {
        List<X509Certificate> certs = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(text);
        int number = 0;
        boolean truncated = false;
        while (m.find()) {
            String label = m.group(1).strip();
            if (!CERTIFICATE_LABELS.contains(label)) {
                continue;
            }
            number++;
            if (number > MAX_CERTIFICATES_PER_FILE) {
                truncated = true;
                break;
            }
            String where = file + " (certificate " + number + ")";
            if (m.group(0).indexOf("-----END ", 11) < 0) {
                sink.observed(new ScanError(where, ErrorKind.MALFORMED_CERTIFICATE,
                        "PEM block without its END line", clock.instant()));
                continue;
            }
            try {
                byte[] der = Base64.getMimeDecoder().decode(stripHeaders(m.group(2)));
                Optional<X509Certificate> cert = der(der);
                if (cert.isEmpty()) {
                    throw new IllegalArgumentException("not a valid X.509 certificate");
                }
                certs.add(cert.get());
                positions.add(number);
            } catch (IllegalArgumentException e) {
                sink.observed(new ScanError(where, ErrorKind.MALFORMED_CERTIFICATE,
                        "undecodable PEM certificate: " + Targets.describe(e), clock.instant()));
            }
        }
        if (truncated) {
            sink.observed(error(file, ErrorKind.MALFORMED_CERTIFICATE, "more than " + MAX_CERTIFICATES_PER_FILE
                    + " certificates; the rest were not read"));
        }
        int start = 0;
        for (int i = 1; i <= certs.size(); i++) {
            if (i == certs.size() || !issuedByNext(certs.get(i - 1), certs.get(i))) {
                sink.observed(Finding.of(new Place.File(file, positions.get(start)), certs.subList(start, i),
                        clock.instant(), Optional.empty()));
                start = i;
            }
        }
    }

    private static String stripHeaders(String body) {
        // RFC 1421 headers ("Proc-Type: ...") end with an empty line; certificates rarely have them.
        int colon = body.indexOf(':');
        if (colon < 0) {
            return body;
        }
        int blank = body.indexOf("\n\n");
        int blankCr = body.indexOf("\r\n\r\n");
        int end = blank >= 0 ? blank + 2 : blankCr >= 0 ? blankCr + 4 : 0;
        return body.substring(end);
    }

    private static boolean issuedByNext(X509Certificate cert, X509Certificate next) {
        return !cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
                && cert.getIssuerX500Principal().equals(next.getSubjectX500Principal());
    }

    private void keystore(Path file, byte[] bytes, String type, ScanListener sink) {
        KeyStore store = null;
        for (char[] password : passwords.inOrder()) {
            try {
                KeyStore ks = KeyStore.getInstance(type);
                ks.load(new ByteArrayInputStream(bytes), password);
                store = ks;
                break;
            } catch (IOException e) {
                if (!wrongPassword(e)) {
                    sink.observed(error(file, ErrorKind.MALFORMED_CERTIFICATE, "not a readable " + label(type)
                            + " keystore: " + Targets.describe(e)));
                    return;
                }
            } catch (KeyStoreException | java.security.NoSuchAlgorithmException | CertificateException
                     | RuntimeException e) {
                sink.observed(error(file, ErrorKind.MALFORMED_CERTIFICATE, "not a readable " + label(type)
                        + " keystore: " + Targets.describe(e)));
                return;
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        if (store == null) {
            sink.observed(error(file, ErrorKind.WRONG_PASSWORD, "none of the " + passwords.size()
                    + " passwords tried opens this " + label(type) + " keystore"));
            return;
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                entry(file, store, type, alias, sink);
            }
        } catch (KeyStoreException e) {
            sink.observed(error(file, ErrorKind.MALFORMED_CERTIFICATE, "cannot list the entries: " + Targets.describe(e)));
        }
    }

    private void entry(Path file, KeyStore store, String type, String alias, ScanListener sink) {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            Place.EntryKind kind;
            if (store.isKeyEntry(alias)) {
                Certificate[] certs = store.getCertificateChain(alias);
                if (certs == null) {
                    return; // a secret key: no certificate to find
                }
                for (Certificate c : certs) {
                    if (c instanceof X509Certificate x) {
                        chain.add(x);
                    }
                }
                kind = Place.EntryKind.PRIVATE_KEY;
            } else {
                if (store.getCertificate(alias) instanceof X509Certificate x) {
                    chain.add(x);
                }
                kind = Place.EntryKind.TRUSTED_CERTIFICATE;
            }
            if (!chain.isEmpty()) {
                sink.observed(Finding.of(new Place.KeystoreEntry(file, type, alias, kind), chain, clock.instant(),
                        Optional.empty()));
            }
        } catch (KeyStoreException | RuntimeException e) {
            sink.observed(new ScanError(file + "#" + alias, ErrorKind.MALFORMED_CERTIFICATE,
                    "cannot read the entry: " + Targets.describe(e), clock.instant()));
        }
    }

    private static boolean wrongPassword(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            if (c instanceof UnrecoverableKeyException || m.contains("password")) {
                return true;
            }
        }
        return false;
    }

    private static String label(String type) {
        return type.equals("PKCS12") ? "PKCS#12" : type;
    }

    private ScanError error(Path file, ErrorKind kind, String message) {
        return new ScanError(file.toString(), kind, message, clock.instant());
    }
}
