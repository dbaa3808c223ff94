package io.certwright.testing;

import io.certwright.ca.CertificateLedger;
import io.certwright.ca.InMemoryLedger;

class InMemoryLedgerContractTest extends CertificateLedgerContract {

    @Override
    protected CertificateLedger newLedger() {
        return new InMemoryLedger();
    }
}
