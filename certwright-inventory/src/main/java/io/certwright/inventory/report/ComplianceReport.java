package io.certwright.inventory.report;

import io.certwright.inventory.Fingerprint;
import io.certwright.inventory.status.CertificateStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/// The compliance report over an inventory at one instant.
///
/// @param generatedAt when
/// @param policy the policy it applied
/// @param certificates how many certificates it covers
/// @param counts certificates per status
/// @param findings one per certificate and problem, ordered by type then notAfter
/// @param keyReuse public keys found in more than one certificate
/// @param blastRadius for each issuing CA key, what depends on it
public record ComplianceReport(Instant generatedAt, ReportPolicy policy, int certificates,
        Map<CertificateStatus, Long> counts, List<Finding> findings, List<KeyReuse> keyReuse,
        List<BlastRadius> blastRadius) {

    public ComplianceReport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(policy, "policy");
        counts = Collections.unmodifiableMap(new EnumMap<>(counts));
        findings = List.copyOf(findings);
        keyReuse = List.copyOf(keyReuse);
        blastRadius = List.copyOf(blastRadius);
    }

    /// The findings of one type.
    public List<Finding> findings(FindingType type) {
        return findings.stream().filter(f -> f.type() == type).toList();
    }

    /// One problem with one certificate.
    ///
    /// @param type the problem
    /// @param fingerprint the certificate
    /// @param subject its short name
    /// @param owner its owner
    /// @param notAfter when it expires
    /// @param places where it was seen (for endpoint problems: the endpoints concerned)
    /// @param detail one line, such as `RSA 1024` or `SHA1withRSA`
    public record Finding(FindingType type, Fingerprint fingerprint, String subject, Optional<String> owner,
            Instant notAfter, List<String> places, String detail) {
        public Finding {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(notAfter, "notAfter");
            places = List.copyOf(places);
            Objects.requireNonNull(detail, "detail");
        }
    }

    /// One public key in several certificates.
    ///
    /// @param publicKey SHA-256 of the SubjectPublicKeyInfo
    /// @param certificates the certificates carrying it
    /// @param subjects their short names
    /// @param services the services using them (the `service` label, else the places)
    /// @param owners their owners
    public record KeyReuse(Fingerprint publicKey, List<Fingerprint> certificates, List<String> subjects,
            List<String> services, List<String> owners) {
        public KeyReuse {
            Objects.requireNonNull(publicKey, "publicKey");
            certificates = List.copyOf(certificates);
            subjects = List.copyOf(subjects);
            services = List.copyOf(services);
            owners = List.copyOf(owners);
        }
    }

    /// What a compromise of one CA key would affect: the valid certificates it signed and where they are used.
    ///
    /// @param issuerKeyId the CA key's identifier (the certificates' AKI), or `issuer:<DN>` when they have none
    /// @param issuer the issuer's distinguished name
    /// @param certificates how many valid, unrevoked certificates it signed
    /// @param services the services using them
    /// @param places the places they were seen
    /// @param owners their owners
    public record BlastRadius(String issuerKeyId, String issuer, int certificates, List<String> services,
            List<String> places, List<String> owners) {
        public BlastRadius {
            Objects.requireNonNull(issuerKeyId, "issuerKeyId");
            Objects.requireNonNull(issuer, "issuer");
            services = List.copyOf(services);
            places = List.copyOf(places);
            owners = List.copyOf(owners);
        }
    }
}
