package io.certwright.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SerialNumber;
import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerialIssuanceTest {

    @Test
    void hundredIssuedCertificatesHaveDistinctPositive128BitSerials() throws Exception {
        CaFixture f = CaFixture.spiffe(Clock.systemUTC());
        KeyPair key = CaFixture.keyPair(KeyAlgorithm.P256);
        List<BigInteger> serials = new ArrayList<>();

        for (int i = 0; i < 100; i++) {
            serials.add(f.svid(key, "spiffe://example.org/w/" + i).certificate().getSerialNumber());
        }

        assertThat(serials).doesNotHaveDuplicates().allSatisfy(s -> {
            assertThat(s.signum()).isPositive();
            assertThat(s.bitLength()).isEqualTo(128);
            assertThat(s.toByteArray()).hasSize(17);
        });
        assertThat(serials).allSatisfy(s -> assertThat(f.ledger.find(new SerialNumber(s))).isPresent());
    }

    @Test
    void rootAndIntermediateSerialsAlsoHave128Bits() throws Exception {
        CaFixture f = CaFixture.spiffe(Clock.systemUTC());

        assertThat(f.root().getSerialNumber().bitLength()).isEqualTo(128);
        assertThat(f.intermediate().getSerialNumber().bitLength()).isEqualTo(128);
        assertThat(f.root().getSerialNumber()).isNotEqualTo(f.intermediate().getSerialNumber());
    }
}
