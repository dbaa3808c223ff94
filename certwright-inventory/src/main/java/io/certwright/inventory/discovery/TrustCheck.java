package io.certwright.inventory.discovery;

import java.util.Objects;

/// Whether a presented chain leads to a trusted root, judged with PKIX path building over the presented
/// certificates at the scan's time, without revocation checking.
///
/// @param verdict the outcome
/// @param detail  why, in a few words: the root reached, or what failed
public record TrustCheck(Verdict verdict, String detail) {

    /// The outcome of a trust check.
    public enum Verdict {
        /// A valid path to one of the roots exists.
        TRUSTED,
        /// No valid path: unknown root, missing intermediate, expired, a disabled algorithm, ...
        UNTRUSTED,
        /// No roots were given for this check.
        NOT_CHECKED
    }

    /// The check that was not made because no roots were given.
    public static final TrustCheck NOT_CHECKED = new TrustCheck(Verdict.NOT_CHECKED, "no roots given");

    public TrustCheck {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
    }

    public boolean trusted() {
        return verdict == Verdict.TRUSTED;
    }
}
