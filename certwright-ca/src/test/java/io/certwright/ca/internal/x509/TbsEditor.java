package io.certwright.ca.internal.x509;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V1TBSCertificateGenerator;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;

/// Rebuilds a to-be-signed certificate with some fields changed, to break one lint rule at a time. Unlike
/// BC's `ExtensionsGenerator` it keeps extensions in order and lets the same extension appear twice.
final class TbsEditor {

    private boolean version1;
    private BigInteger serial;
    private final AlgorithmIdentifier signature;
    private X500Name issuer;
    private Instant notBefore;
    private Instant notAfter;
    private X500Name subject;
    private final SubjectPublicKeyInfo spki;
    private final List<Extension> extensions = new ArrayList<>();

    TbsEditor(TBSCertificate tbs) {
        this.serial = tbs.getSerialNumber().getValue();
        this.signature = tbs.getSignature();
        this.issuer = tbs.getIssuer();
        this.notBefore = tbs.getStartDate().getDate().toInstant();
        this.notAfter = tbs.getEndDate().getDate().toInstant();
        this.subject = tbs.getSubject();
        this.spki = tbs.getSubjectPublicKeyInfo();
        Extensions ext = tbs.getExtensions();
        if (ext != null) {
            for (ASN1ObjectIdentifier oid : ext.getExtensionOIDs()) {
                extensions.add(ext.getExtension(oid));
            }
        }
    }

    TbsEditor version1() {
        this.version1 = true;
        extensions.clear();
        return this;
    }

    TbsEditor serial(BigInteger s) {
        this.serial = s;
        return this;
    }

    TbsEditor issuer(String name) {
        this.issuer = new X500Name(name);
        return this;
    }

    TbsEditor subject(X500Name name) {
        this.subject = name;
        return this;
    }

    TbsEditor notBefore(Instant t) {
        this.notBefore = t;
        return this;
    }

    TbsEditor notAfter(Instant t) {
        this.notAfter = t;
        return this;
    }

    Instant notBefore() {
        return notBefore;
    }

    Instant notAfter() {
        return notAfter;
    }

    /// Replaces the extension in place, or appends it when absent.
    TbsEditor set(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        Extension e = extension(oid, critical, value);
        for (int i = 0; i < extensions.size(); i++) {
            if (extensions.get(i).getExtnId().equals(oid)) {
                extensions.set(i, e);
                return this;
            }
        }
        extensions.add(e);
        return this;
    }

    /// Keeps the extension's value and changes only its criticality.
    TbsEditor critical(ASN1ObjectIdentifier oid, boolean critical) {
        for (int i = 0; i < extensions.size(); i++) {
            Extension old = extensions.get(i);
            if (old.getExtnId().equals(oid)) {
                extensions.set(i, new Extension(oid, critical, old.getExtnValue()));
                return this;
            }
        }
        throw new IllegalArgumentException("no extension " + oid.getId());
    }

    TbsEditor remove(ASN1ObjectIdentifier oid) {
        if (!extensions.removeIf(e -> e.getExtnId().equals(oid))) {
            throw new IllegalArgumentException("no extension " + oid.getId());
        }
        return this;
    }

    /// Appends a second copy of an extension already present.
    TbsEditor duplicate(ASN1ObjectIdentifier oid) {
        Extension e = extensions.stream().filter(x -> x.getExtnId().equals(oid)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no extension " + oid.getId()));
        extensions.add(e);
        return this;
    }

    private static Extension extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            return new Extension(oid, critical, new DEROctetString(value));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    TBSCertificate build() {
        if (version1) {
            V1TBSCertificateGenerator g = new V1TBSCertificateGenerator();
            g.setSerialNumber(new ASN1Integer(serial));
            g.setSignature(signature);
            g.setIssuer(issuer);
            g.setStartDate(new Time(Date.from(notBefore)));
            g.setEndDate(new Time(Date.from(notAfter)));
            g.setSubject(subject);
            g.setSubjectPublicKeyInfo(spki);
            return g.generateTBSCertificate();
        }
        V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
        g.setSerialNumber(new ASN1Integer(serial));
        g.setSignature(signature);
        g.setIssuer(issuer);
        g.setStartDate(new Time(Date.from(notBefore)));
        g.setEndDate(new Time(Date.from(notAfter)));
        g.setSubject(subject);
        g.setSubjectPublicKeyInfo(spki);
        if (!extensions.isEmpty()) {
            g.setExtensions(new Extensions(extensions.toArray(Extension[]::new)));
        }
        return g.generateTBSCertificate();
    }
}
