package io.certwright.ca.internal.x509;

import io.certwright.ca.keys.CryptoProviders;
import io.certwright.ca.profile.PolicyException;
import io.certwright.ca.profile.PolicyRule;
import io.certwright.ca.profile.Refusal;
import io.certwright.ca.profile.SubjectNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/// Parses and checks PKCS#10 certificate signing requests ([RFC 2986](https://www.rfc-editor.org/rfc/rfc2986)):
/// proof of possession, requested names, and the requested extensions the CA refuses.
public final class CsrParser {

    /// Extensions a CSR may request as critical; anything else critical is refused.
    private static final Set<ASN1ObjectIdentifier> UNDERSTOOD = Set.of(Extension.subjectAlternativeName,
            Extension.keyUsage, Extension.extendedKeyUsage, Extension.basicConstraints, Extension.subjectKeyIdentifier);

    /// What a valid CSR asks for.
    ///
    /// @param publicKey the subject's key, whose possession the signature proved
    /// @param names requested SANs
    /// @param commonName the subject CN, if any
    public record ParsedCsr(PublicKey publicKey, SubjectNames names, Optional<String> commonName) {
    }

    private CsrParser() {
    }

    /// Parses DER, verifies the CSR's signature with its own key, and extracts the names.
    ///
    /// @throws PolicyException naming [PolicyRule#CSR_MALFORMED], [PolicyRule#CSR_SIGNATURE],
    ///     [PolicyRule#CSR_CA_REQUESTED] or [PolicyRule#CSR_UNKNOWN_CRITICAL_EXTENSION]
    public static ParsedCsr parse(byte[] der) throws PolicyException {
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(CertificationRequest.getInstance(ASN1Primitive.fromByteArray(der)));
            csr.getSubjectPublicKeyInfo().getAlgorithm();
        } catch (IOException | RuntimeException e) {
            throw new PolicyException(PolicyRule.CSR_MALFORMED, "not a DER PKCS#10 request");
        }
        PublicKey key = verifySignature(csr, der);
        List<Refusal> refusals = new ArrayList<>();
        SubjectNames names = SubjectNames.none();
        Extensions requested;
        try {
            requested = csr.getRequestedExtensions();
        } catch (RuntimeException e) {
            throw new PolicyException(PolicyRule.CSR_MALFORMED, "malformed extension request");
        }
        if (requested != null) {
            for (ASN1ObjectIdentifier oid : requested.getExtensionOIDs()) {
                Extension e = requested.getExtension(oid);
                if (e.isCritical() && !UNDERSTOOD.contains(oid)) {
                    refusals.add(new Refusal(PolicyRule.CSR_UNKNOWN_CRITICAL_EXTENSION, "critical extension " + oid.getId()));
                }
            }
            try {
                Extension bc = requested.getExtension(Extension.basicConstraints);
                if (bc != null && BasicConstraints.getInstance(bc.getParsedValue()).isCA()) {
                    refusals.add(new Refusal(PolicyRule.CSR_CA_REQUESTED, "basicConstraints cA=true requested"));
                }
                Extension san = requested.getExtension(Extension.subjectAlternativeName);
                if (san != null) {
                    names = names(GeneralNames.getInstance(san.getParsedValue()), refusals);
                }
            } catch (RuntimeException e) {
                throw new PolicyException(PolicyRule.CSR_MALFORMED, "malformed requested extension");
            }
        }
        if (!refusals.isEmpty()) {
            throw new PolicyException(refusals);
        }
        Optional<String> cn = Optional.empty();
        try {
            RDN[] cns = csr.getSubject().getRDNs(BCStyle.CN);
            if (cns.length > 0) {
                cn = Optional.of(IETFUtils.valueToString(cns[0].getFirst().getValue()));
            }
        } catch (RuntimeException e) {
            throw new PolicyException(PolicyRule.CSR_MALFORMED, "malformed subject");
        }
        return new ParsedCsr(key, names, cn);
    }

    private static PublicKey verifySignature(PKCS10CertificationRequest csr, byte[] der) throws PolicyException {
        ASN1ObjectIdentifier sigOid = csr.getSignatureAlgorithm().getAlgorithm();
        String sigName = Oids.SIGNATURE_ALGORITHMS.get(sigOid);
        if (sigName == null) {
            throw new PolicyException(PolicyRule.CSR_SIGNATURE, "unsupported signature algorithm " + sigOid.getId());
        }
        if (csr.getSignatureAlgorithm().getParameters() != null
                && !sigOid.equals(PKCSObjectIdentifiers.sha256WithRSAEncryption)
                && !sigOid.equals(PKCSObjectIdentifiers.sha384WithRSAEncryption)
                && !sigOid.equals(PKCSObjectIdentifiers.sha512WithRSAEncryption)) {
            throw new PolicyException(PolicyRule.CSR_SIGNATURE, "unexpected signature algorithm parameters");
        }
        PublicKey key;
        Provider provider;
        Signature s;
        int[] signedPart;
        try {
            signedPart = DerSlices.firstElement(der);
        } catch (IllegalArgumentException e) {
            throw new PolicyException(PolicyRule.CSR_MALFORMED, "not a DER PKCS#10 request: " + e.getMessage());
        }
        try {
            provider = verifyProvider(sigName);
            key = Keys.toPublicKey(csr.getSubjectPublicKeyInfo(), provider);
            s = verifier(sigName, provider);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PolicyException(PolicyRule.KEY_TYPE, "unsupported or malformed public key: "
                    + Keys.describe(csr.getSubjectPublicKeyInfo()).name());
        }
        try {
            s.initVerify(key);
            s.update(der, signedPart[0], signedPart[1]);
            if (!s.verify(csr.getSignature())) {
                throw new PolicyException(PolicyRule.CSR_SIGNATURE, "signature does not verify");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PolicyException(PolicyRule.CSR_SIGNATURE, "signature does not verify ("
                    + e.getClass().getSimpleName() + ")");
        }
        return key;
    }

    /// Verification provider per signature algorithm, looked up once: ACCP where it has the algorithm.
    private static final Map<String, Provider> PROVIDERS = new ConcurrentHashMap<>();
    /// `Signature` objects are not thread-safe but are reusable after `initVerify`; keep one per thread.
    private static final ThreadLocal<Map<String, Signature>> VERIFIERS = ThreadLocal.withInitial(HashMap::new);

    private static Provider verifyProvider(String sigName) throws GeneralSecurityException {
        Provider cached = PROVIDERS.get(sigName);
        if (cached != null) {
            return cached;
        }
        Optional<Provider> accp = CryptoProviders.accp();
        Provider p = accp.isPresent() && accp.get().getService("Signature", sigName) != null
                ? accp.get() : CryptoProviders.jdkProvider("Signature", sigName);
        PROVIDERS.put(sigName, p);
        return p;
    }

    private static Signature verifier(String sigName, Provider provider) throws GeneralSecurityException {
        Map<String, Signature> mine = VERIFIERS.get();
        Signature s = mine.get(sigName);
        if (s == null) {
            s = Signature.getInstance(sigName, provider);
            mine.put(sigName, s);
        }
        return s;
    }

    private static SubjectNames names(GeneralNames gns, List<Refusal> refusals) {
        List<String> dns = new ArrayList<>();
        List<InetAddress> ips = new ArrayList<>();
        List<URI> uris = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        for (GeneralName gn : gns.getNames()) {
            switch (gn.getTagNo()) {
                case GeneralName.dNSName -> dns.add(gn.getName().toString());
                case GeneralName.rfc822Name -> emails.add(gn.getName().toString());
                case GeneralName.uniformResourceIdentifier -> {
                    String u = gn.getName().toString();
                    try {
                        uris.add(new URI(u));
                    } catch (URISyntaxException e) {
                        refusals.add(new Refusal(PolicyRule.SAN_URI, "'" + u + "' is not a valid URI"));
                    }
                }
                case GeneralName.iPAddress -> {
                    byte[] addr = ASN1OctetString.getInstance(gn.getName()).getOctets();
                    try {
                        if (addr.length != 4 && addr.length != 16) {
                            throw new UnknownHostException();
                        }
                        ips.add(InetAddress.getByAddress(addr));
                    } catch (UnknownHostException e) {
                        refusals.add(new Refusal(PolicyRule.SAN_IP, "IP address of " + addr.length + " octets"));
                    }
                }
                default -> refusals.add(new Refusal(PolicyRule.PROFILE_NAMES,
                        "SAN type " + gn.getTagNo() + " is not supported; use DNS, IP, URI or email"));
            }
        }
        return new SubjectNames(dns, ips, uris, emails);
    }
}
