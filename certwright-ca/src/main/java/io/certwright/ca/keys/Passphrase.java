package io.certwright.ca.keys;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/// A passphrase protecting a key file. Deliberately a class, not a record: it never prints its content,
/// equality is identity, and [#destroy()] wipes it.
public final class Passphrase implements AutoCloseable {

    /// Environment variable a CA passphrase is read from.
    public static final String ENVIRONMENT_VARIABLE = "CERTWRIGHT_CA_PASSPHRASE";

    private final char[] chars;
    private boolean destroyed;

    private Passphrase(char[] chars) {
        this.chars = chars;
    }

    /// Wraps a copy of `chars`.
    public static Passphrase of(char[] chars) {
        if (chars.length == 0) {
            throw new IllegalArgumentException("the passphrase is empty");
        }
        return new Passphrase(chars.clone());
    }

    /// Reads the first line of a file; a trailing newline is not part of the passphrase.
    public static Passphrase fromFile(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            String text = new String(bytes, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String line = nl < 0 ? text : text.substring(0, nl);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                throw new IOException("passphrase file " + file + " is empty");
            }
            return new Passphrase(line.toCharArray());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /// The value of [#ENVIRONMENT_VARIABLE], if set and not empty.
    public static Optional<Passphrase> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /// The value of [#ENVIRONMENT_VARIABLE] in the given environment, if set and not empty.
    public static Optional<Passphrase> fromEnvironment(java.util.Map<String, String> environment) {
        String v = environment.get(ENVIRONMENT_VARIABLE);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(new Passphrase(v.toCharArray()));
    }

    /// Asks on the terminal without echo; twice when `confirm`, failing if the two differ.
    public static Optional<Passphrase> prompt(String what, boolean confirm) throws IOException {
        Optional<Console> terminal = Optional.ofNullable(System.console()).filter(Console::isTerminal);
        if (terminal.isEmpty()) {
            return Optional.empty();
        }
        Console console = terminal.get();
        char[] first = console.readPassword("%s: ", what);
        if (first == null || first.length == 0) {
            throw new IOException("no passphrase entered");
        }
        if (confirm) {
            char[] second = console.readPassword("Repeat %s: ", what);
            boolean same = second != null && Arrays.equals(first, second);
            if (second != null) {
                Arrays.fill(second, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
                throw new IOException("the passphrases do not match");
            }
        }
        return Optional.of(new Passphrase(first));
    }

    /// A fresh random passphrase of 32 characters, for throwaway CAs such as the demo's.
    public static Passphrase random(SecureRandom random) {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return new Passphrase(Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray());
    }

    /// A copy of the characters; the caller should wipe it after use.
    public char[] chars() {
        if (destroyed) {
            throw new IllegalStateException("passphrase destroyed");
        }
        return chars.clone();
    }

    /// Overwrites the characters.
    public void destroy() {
        Arrays.fill(chars, '\0');
        destroyed = true;
    }

    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "Passphrase[redacted]";
    }
}
