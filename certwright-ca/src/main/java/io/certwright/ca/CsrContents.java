package io.certwright.ca;

import io.certwright.ca.internal.x509.CsrParser;
import io.certwright.ca.policy.DnsNames;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.Profile;
import io.certwright.ca.profile.SubjectNames;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/// What a PKCS#10 request asks for, after its proof of possession and requested extensions were checked,
/// with the names [CertificateAuthority#sign] would put in the certificate.
///
/// Front ends that must compare the requested names with what a caller is entitled to (an enrollment
/// token bound to one identity, a renewal that must keep its names) read the CSR with this first and then
/// hand [#toRequest] to [CertificateAuthority#issue], so the names checked are the names signed.
///
/// @param publicKey the subject key whose possession the CSR signature proved
/// @param commonName the subject CN the certificate will carry; always empty for SVIDs
/// @param names the SANs the certificate will carry, including a host-like CN folded into the DNS names
public record CsrContents(PublicKey publicKey, Optional<String> commonName, SubjectNames names) {

    public CsrContents {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(names, "names");
    }

    /// Parses a DER CSR for issuance under `profile`.
    ///
    /// @throws PolicyException when the CSR is malformed, its signature does not verify, or it requests a
    ///     CA certificate or an unknown critical extension
    public static CsrContents read(byte[] csrDer, Profile profile) throws PolicyException {
        CsrParser.ParsedCsr csr = CsrParser.parse(csrDer);
        // An SVID's identity is its SPIFFE ID alone: like SPIRE, ignore the proposed subject. Elsewhere a
        // host-like CN missing from the SANs is added to them, as step-ca and ACME CAs do.
        Optional<String> cn = profile == Profile.SVID ? Optional.empty() : csr.commonName();
        SubjectNames names = csr.names();
        if (cn.isPresent()) {
            String lower = cn.get().toLowerCase(Locale.ROOT);
            if (DnsNames.isValidSanName(lower) && !names.dns().contains(lower) && !names.dns().contains(cn.get())) {
                List<String> dns = new ArrayList<>(names.dns());
                dns.add(lower);
                names = new SubjectNames(dns, names.ips(), names.uris(), names.emails());
            }
        }
        return new CsrContents(csr.publicKey(), cn, names);
    }

    /// The issuance request for these contents.
    public IssuanceRequest toRequest(Profile profile, Optional<Duration> lifetime) {
        return new IssuanceRequest(profile, publicKey, commonName, names, lifetime);
    }
}
