package io.certwright.ca.internal.x509;

import io.certwright.ca.policy.DnsNames;
import io.certwright.ca.profile.IssuerInfo;
import io.certwright.ca.profile.LintFinding;
import io.certwright.ca.profile.LintRule;
import io.certwright.ca.profile.Profile;
import io.certwright.core.SpiffeId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.TBSCertificate;

/// Pre-issuance lint: checks a to-be-signed certificate against rules of RFC 5280 and the SPIFFE
/// X509-SVID standard before any signature exists. See [LintRule] for the rules.
public final class Linter {

    private static final int MIN_SERIAL_BITS = 64;

    private Linter() {
    }

    /// Every rule `tbs` breaks; empty when it may be signed.
    ///
    /// @param issuer the CA that will sign it (for a root, its own data)
    /// @param profile the profile it was built for
    public static List<LintFinding> lint(TBSCertificate tbs, IssuerInfo issuer, Profile profile) {
        List<LintFinding> f = new ArrayList<>();
        Extensions ext = tbs.getExtensions();
        if (tbs.getVersionNumber() != 3) {
            f.add(new LintFinding(LintRule.VERSION_3, "version is " + tbs.getVersionNumber()));
        }
        checkSerial(tbs.getSerialNumber().getValue(), f);
        checkValidity(tbs, issuer, f);
        if (!Arrays.equals(encoded(tbs.getIssuer()), issuer.subject().getEncoded())) {
            f.add(new LintFinding(LintRule.ISSUER_NAME_MATCHES, "issuer " + tbs.getIssuer()
                    + " differs from " + issuer.subject().getName()));
        }
        checkDuplicateExtensions(tbs, f);
        if (ext == null) {
            f.add(new LintFinding(LintRule.BASIC_CONSTRAINTS_PRESENT, "no extensions"));
            f.add(new LintFinding(LintRule.KEY_USAGE_PRESENT, "no extensions"));
            return f;
        }
        boolean emptySubject = tbs.getSubject().getRDNs().length == 0;
        Extension san = ext.getExtension(Extension.subjectAlternativeName);
        GeneralNames names = san == null ? new GeneralNames(new GeneralName[0]) : GeneralNames.getInstance(san.getParsedValue());
        if (emptySubject && san == null) {
            f.add(new LintFinding(LintRule.SUBJECT_OR_SAN, "subject is empty and there is no SAN extension"));
        }
        if (emptySubject && san != null && !san.isCritical()) {
            f.add(new LintFinding(LintRule.SAN_CRITICAL_WHEN_SUBJECT_EMPTY, "subject is empty, SAN not critical"));
        }
        if (san != null && names.getNames().length == 0) {
            f.add(new LintFinding(LintRule.SAN_NOT_EMPTY, "SAN extension is empty"));
        }
        for (GeneralName n : names.getNames()) {
            if (n.getTagNo() == GeneralName.dNSName && !DnsNames.isValidSanName(n.getName().toString())) {
                f.add(new LintFinding(LintRule.SAN_DNS_SYNTAX, "'" + n.getName() + "'"));
            }
        }
        boolean ca = checkBasicConstraints(ext, f);
        KeyUsage ku = checkKeyUsage(tbs, ext, ca, f);
        if (ca && ext.getExtension(Extension.subjectKeyIdentifier) == null) {
            f.add(new LintFinding(LintRule.SKI_PRESENT, "CA certificate without SKI"));
        }
        checkAuthorityKeyId(tbs, ext, issuer, profile, f);
        Extension nc = ext.getExtension(Extension.nameConstraints);
        if (nc != null && (!nc.isCritical() || !ca)) {
            f.add(new LintFinding(LintRule.NAME_CONSTRAINTS_CRITICAL,
                    ca ? "name constraints not critical" : "name constraints in a leaf certificate"));
        }
        checkSpiffe(ext, names, ca, ku, issuer, profile, f);
        checkOcspSigning(ext, ku, profile, f);
        checkMustStaple(ext, profile, f);
        return f;
    }

    private static byte[] encoded(X500Name name) {
        try {
            return name.getEncoded();
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    private static void checkSerial(BigInteger serial, List<LintFinding> f) {
        if (serial.signum() <= 0) {
            f.add(new LintFinding(LintRule.SERIAL_POSITIVE, "serial is " + serial));
        }
        if (serial.toByteArray().length > 20 || serial.bitLength() < MIN_SERIAL_BITS) {
            f.add(new LintFinding(LintRule.SERIAL_LENGTH, "serial has " + serial.bitLength() + " bits"));
        }
    }

    private static void checkValidity(TBSCertificate tbs, IssuerInfo issuer, List<LintFinding> f) {
        Instant nb;
        Instant na;
        try {
            nb = X509Time.decode(tbs.getStartDate());
            na = X509Time.decode(tbs.getEndDate());
        } catch (IllegalArgumentException e) {
            f.add(new LintFinding(LintRule.VALIDITY_ORDER, "validity times are not in RFC 5280 form: " + e.getMessage()));
            return;
        }
        if (!na.isAfter(nb)) {
            f.add(new LintFinding(LintRule.VALIDITY_ORDER, "notBefore " + nb + " is not before notAfter " + na));
        }
        if (na.isAfter(issuer.validity().notAfter()) || nb.isBefore(issuer.validity().notBefore())) {
            f.add(new LintFinding(LintRule.VALIDITY_WITHIN_ISSUER, nb + " .. " + na + " is not inside issuer's "
                    + issuer.validity().notBefore() + " .. " + issuer.validity().notAfter()));
        }
    }

    private static void checkDuplicateExtensions(TBSCertificate tbs, List<LintFinding> f) {
        ASN1Sequence seq = ASN1Sequence.getInstance(tbs.toASN1Primitive());
        for (ASN1Encodable e : seq) {
            if (e instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 3) {
                ASN1Primitive inner = tagged.getExplicitBaseObject().toASN1Primitive();
                Set<String> seen = new HashSet<>();
                for (ASN1Encodable extension : ASN1Sequence.getInstance(inner)) {
                    String oid = Extension.getInstance(extension).getExtnId().getId();
                    if (!seen.add(oid)) {
                        f.add(new LintFinding(LintRule.EXTENSIONS_UNIQUE, "extension " + oid + " repeated"));
                    }
                }
            }
        }
    }

    private static boolean checkBasicConstraints(Extensions ext, List<LintFinding> f) {
        Extension bcExt = ext.getExtension(Extension.basicConstraints);
        if (bcExt == null) {
            f.add(new LintFinding(LintRule.BASIC_CONSTRAINTS_PRESENT, "no basic constraints"));
            return false;
        }
        BasicConstraints bc = BasicConstraints.getInstance(bcExt.getParsedValue());
        if (bc.isCA() && !bcExt.isCritical()) {
            f.add(new LintFinding(LintRule.BASIC_CONSTRAINTS_CRITICAL, "CA certificate with non-critical basic constraints"));
        }
        if (!bc.isCA() && bc.getPathLenConstraint() != null) {
            f.add(new LintFinding(LintRule.PATH_LEN_ONLY_FOR_CA, "pathLen " + bc.getPathLenConstraint() + " with cA false"));
        }
        return bc.isCA();
    }

    private static KeyUsage checkKeyUsage(TBSCertificate tbs, Extensions ext, boolean ca, List<LintFinding> f) {
        Extension kuExt = ext.getExtension(Extension.keyUsage);
        if (kuExt == null) {
            f.add(new LintFinding(LintRule.KEY_USAGE_PRESENT, "no key usage"));
            return new KeyUsage(0);
        }
        if (!kuExt.isCritical()) {
            f.add(new LintFinding(LintRule.KEY_USAGE_CRITICAL, "key usage not critical"));
        }
        KeyUsage ku = KeyUsage.getInstance(kuExt.getParsedValue());
        if (ca != ku.hasUsages(KeyUsage.keyCertSign)) {
            f.add(new LintFinding(LintRule.KEY_USAGE_CA_CONSISTENT, ca ? "CA without keyCertSign" : "keyCertSign in a leaf"));
        }
        boolean rsa = tbs.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption);
        if (!rsa && ku.hasUsages(KeyUsage.keyEncipherment)) {
            f.add(new LintFinding(LintRule.KEY_USAGE_MATCHES_KEY_TYPE, "keyEncipherment with a non-RSA key"));
        }
        if (ku.hasUsages(KeyUsage.dataEncipherment) || ku.hasUsages(KeyUsage.encipherOnly)
                || ku.hasUsages(KeyUsage.decipherOnly)) {
            f.add(new LintFinding(LintRule.KEY_USAGE_MATCHES_KEY_TYPE, "encipherment usage on a signing certificate"));
        }
        return ku;
    }

    private static void checkAuthorityKeyId(TBSCertificate tbs, Extensions ext, IssuerInfo issuer, Profile profile,
            List<LintFinding> f) {
        Extension aki = ext.getExtension(Extension.authorityKeyIdentifier);
        if (aki == null) {
            if (profile != Profile.ROOT) {
                f.add(new LintFinding(LintRule.AKI_PRESENT, "no authority key identifier"));
            }
            return;
        }
        var idObject = AuthorityKeyIdentifier.getInstance(aki.getParsedValue()).getKeyIdentifierObject();
        byte[] id = idObject == null ? null : idObject.getOctets();
        byte[] expected = profile == Profile.ROOT
                ? TbsBuilder.keyIdentifier(tbs.getSubjectPublicKeyInfo()) : issuer.keyIdentifier();
        if (id == null || !Arrays.equals(id, expected)) {
            f.add(new LintFinding(LintRule.AKI_MATCHES_ISSUER, "authority key identifier differs from issuer's"));
        }
    }

    private static void checkOcspSigning(Extensions ext, KeyUsage ku, Profile profile, List<LintFinding> f) {
        Extension ekuExt = ext.getExtension(Extension.extendedKeyUsage);
        KeyPurposeId[] purposes = ekuExt == null ? new KeyPurposeId[0]
                : ExtendedKeyUsage.getInstance(ekuExt.getParsedValue()).getUsages();
        boolean ocspPurpose = Arrays.asList(purposes).contains(KeyPurposeId.id_kp_OCSPSigning);
        boolean nocheck = ext.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck) != null;
        if (profile != Profile.OCSP_SIGNER) {
            if (ocspPurpose) {
                f.add(new LintFinding(LintRule.OCSP_SIGNING_EKU, "id-kp-OCSPSigning in a " + profile + " certificate"));
            }
            if (nocheck) {
                f.add(new LintFinding(LintRule.OCSP_SIGNING_NOCHECK, "id-pkix-ocsp-nocheck in a " + profile + " certificate"));
            }
            return;
        }
        if (!ocspPurpose || purposes.length != 1) {
            f.add(new LintFinding(LintRule.OCSP_SIGNING_EKU, "extended key usage is " + Arrays.toString(purposes)
                    + ", not exactly id-kp-OCSPSigning"));
        }
        if (!nocheck) {
            f.add(new LintFinding(LintRule.OCSP_SIGNING_NOCHECK, "no id-pkix-ocsp-nocheck extension"));
        }
        if (!new KeyUsage(KeyUsage.digitalSignature).equals(ku)) {
            f.add(new LintFinding(LintRule.OCSP_SIGNING_NOCHECK, "key usage is not digitalSignature alone"));
        }
    }

    private static void checkMustStaple(Extensions ext, Profile profile, List<LintFinding> f) {
        if (ext.getExtension(TbsBuilder.TLS_FEATURE) == null) {
            return;
        }
        if (!profile.mayStaple()) {
            f.add(new LintFinding(LintRule.MUST_STAPLE_NEEDS_OCSP, "TLS feature in a " + profile + " certificate"));
            return;
        }
        Extension aia = ext.getExtension(Extension.authorityInfoAccess);
        boolean ocsp = aia != null && Arrays.stream(AuthorityInformationAccess.getInstance(aia.getParsedValue())
                .getAccessDescriptions()).anyMatch(d -> d.getAccessMethod().equals(AccessDescription.id_ad_ocsp));
        if (!ocsp) {
            f.add(new LintFinding(LintRule.MUST_STAPLE_NEEDS_OCSP, "must-staple without an OCSP responder URL"));
        }
    }

    private static void checkSpiffe(Extensions ext, GeneralNames names, boolean ca, KeyUsage ku, IssuerInfo issuer,
            Profile profile, List<LintFinding> f) {
        List<String> uris = Arrays.stream(names.getNames())
                .filter(n -> n.getTagNo() == GeneralName.uniformResourceIdentifier)
                .map(n -> n.getName().toString()).toList();
        List<String> spiffe = uris.stream().filter(u -> u.startsWith(SpiffeId.SCHEME_PREFIX)).toList();
        boolean isSvid = profile == Profile.SVID || !spiffe.isEmpty();
        if (!isSvid) {
            return;
        }
        if (ca && !profile.isCa()) {
            f.add(new LintFinding(LintRule.SVID_LEAF_NOT_CA, "leaf profile " + profile + " with cA true"));
            return;
        }
        if (ca) {
            for (String u : spiffe) {
                if (!SpiffeId.isValid(u) || SpiffeId.parse(u).hasPath()) {
                    f.add(new LintFinding(LintRule.SVID_SIGNING_NO_PATH, "signing certificate carries " + u));
                }
            }
            if (!ku.hasUsages(KeyUsage.keyCertSign) || ku.hasUsages(KeyUsage.digitalSignature)) {
                f.add(new LintFinding(LintRule.SVID_SIGNING_KEY_USAGE, "signing certificate key usage"));
            }
            return;
        }
        if (uris.size() != 1 || spiffe.size() != 1 || !SpiffeId.isValid(spiffe.getFirst())) {
            f.add(new LintFinding(LintRule.SVID_ONE_URI_SAN, uris.size() + " URI SANs: " + uris));
            return;
        }
        SpiffeId id = SpiffeId.parse(spiffe.getFirst());
        if (!id.hasPath()) {
            f.add(new LintFinding(LintRule.SVID_LEAF_PATH, id + " has no path"));
        }
        if (issuer.trustDomain().isPresent() && !issuer.trustDomain().get().equals(id.trustDomain())) {
            f.add(new LintFinding(LintRule.SVID_TRUST_DOMAIN, id + " is outside " + issuer.trustDomain().get()));
        }
        if (!ku.hasUsages(KeyUsage.digitalSignature) || ku.hasUsages(KeyUsage.keyCertSign)
                || ku.hasUsages(KeyUsage.cRLSign)) {
            f.add(new LintFinding(LintRule.SVID_LEAF_KEY_USAGE, "leaf SVID key usage"));
        }
        if (profile == Profile.SVID) {
            Extension ekuExt = ext.getExtension(Extension.extendedKeyUsage);
            ExtendedKeyUsage eku = ekuExt == null ? null : ExtendedKeyUsage.getInstance(ekuExt.getParsedValue());
            if (eku == null || !eku.hasKeyPurposeId(KeyPurposeId.id_kp_serverAuth)
                    || !eku.hasKeyPurposeId(KeyPurposeId.id_kp_clientAuth)) {
                f.add(new LintFinding(LintRule.SVID_LEAF_EKU, "EKU lacks serverAuth or clientAuth"));
            }
        }
    }
}
