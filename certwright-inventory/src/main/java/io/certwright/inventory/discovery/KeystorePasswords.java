package io.certwright.inventory.discovery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/// The passwords tried, in order, on each keystore: those given, then the empty password and `changeit`.
///
/// The passwords are secrets: they appear in no `toString`, no error message and no result.
public final class KeystorePasswords {

    private static final List<char[]> DEFAULTS = List.of(new char[0], "changeit".toCharArray());

    private final List<char[]> passwords;

    private KeystorePasswords(List<char[]> passwords) {
        this.passwords = passwords;
    }

    /// Only the defaults: the empty password and `changeit`.
    public static KeystorePasswords defaults() {
        return of(List.of());
    }

    /// `extra` (copied) followed by the defaults, without repeats.
    public static KeystorePasswords of(List<char[]> extra) {
        List<char[]> all = new ArrayList<>();
        for (char[] p : extra) {
            add(all, p);
        }
        for (char[] p : DEFAULTS) {
            add(all, p);
        }
        return new KeystorePasswords(List.copyOf(all));
    }

    private static void add(List<char[]> all, char[] p) {
        for (char[] q : all) {
            if (Arrays.equals(p, q)) {
                return;
            }
        }
        all.add(p.clone());
    }

    /// How many passwords are tried.
    public int size() {
        return passwords.size();
    }

    /// The passwords in the order they are tried; copies the caller may clear.
    List<char[]> inOrder() {
        return passwords.stream().map(char[]::clone).toList();
    }

    @Override
    public String toString() {
        return "KeystorePasswords[" + passwords.size() + " passwords]";
    }
}
