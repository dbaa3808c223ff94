package io.certwright.inventory.discovery;

/// Whether the leaf certificate names the host a client asked for.
public enum HostnameMatch {
    /// A DNS name (wildcards in the leftmost label only) or IP address in the subject alternative names matches.
    MATCH,
    /// No subject alternative name matches. The subject's common name is not consulted, as browsers do not.
    MISMATCH,
    /// There was no name to check: an IP address target without SNI and without IP address names is still
    /// checked, so this means the target had neither.
    NOT_CHECKED
}
