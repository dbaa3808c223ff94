package io.certwright.ca.keys;

import java.io.Serial;
import java.security.GeneralSecurityException;

/// The passphrase does not decrypt the key file. Deliberately says nothing about how decryption failed.
public final class WrongPassphraseException extends GeneralSecurityException {

    @Serial
    private static final long serialVersionUID = 1L;

    public WrongPassphraseException(String file) {
        super("wrong passphrase for " + file);
    }
}
