package io.certwright.ca.registry;

import java.util.List;
import java.util.Optional;

/// One page of a listing.
///
/// @param items the certificates of this page
/// @param nextCursor the cursor for the next page; empty on the last page
public record CertificatePage(List<CertificateRecord> items, Optional<String> nextCursor) {

    public CertificatePage {
        items = List.copyOf(items);
    }
}
