package io.certwright.ca.profile;

import java.net.URI;
import java.util.List;

/// Where relying parties find revocation information; written into the CRL distribution points and
/// authority information access extensions of every certificate the issuing CA signs.
///
/// @param crlDistributionPoints CRL URLs
/// @param ocspResponders OCSP responder URLs
/// @param caIssuers URLs of the issuing CA certificate
public record RevocationUrls(List<URI> crlDistributionPoints, List<URI> ocspResponders, List<URI> caIssuers) {

    public RevocationUrls {
        crlDistributionPoints = List.copyOf(crlDistributionPoints);
        ocspResponders = List.copyOf(ocspResponders);
        caIssuers = List.copyOf(caIssuers);
    }

    public static RevocationUrls none() {
        return new RevocationUrls(List.of(), List.of(), List.of());
    }

    public boolean isEmpty() {
        return crlDistributionPoints.isEmpty() && ocspResponders.isEmpty() && caIssuers.isEmpty();
    }
}
