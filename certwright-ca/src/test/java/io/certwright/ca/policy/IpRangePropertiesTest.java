package io.certwright.ca.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/// A range contains exactly the addresses that agree with its network in the first `prefixLength` bits.
class IpRangePropertiesTest {

    @Provide
    Arbitrary<byte[]> ipv4() {
        return Arbitraries.bytes().array(byte[].class).ofSize(4);
    }

    @Provide
    Arbitrary<byte[]> ipv6() {
        // IPv4-mapped addresses (::ffff:a.b.c.d) are IPv4 addresses to InetAddress, so leave them out.
        return Arbitraries.bytes().array(byte[].class).ofSize(16).filter(b -> !isIpv4Mapped(b));
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static InetAddress address(byte[] bytes) throws Exception {
        return InetAddress.getByAddress(bytes);
    }

    private static byte[] flip(byte[] bytes, int bit) {
        byte[] out = bytes.clone();
        out[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
        return out;
    }

    @Property
    void ipv4RangeContainsAddressesDifferingOnlyInHostBits(@ForAll("ipv4") byte[] network,
            @ForAll @IntRange(min = 0, max = 32) int prefix, @ForAll @IntRange(min = 0, max = 31) int bit)
            throws Exception {
        IpRange range = IpRange.parse(address(network).getHostAddress() + "/" + prefix);

        assertThat(range.contains(address(network))).isTrue();
        assertThat(range.contains(address(flip(network, bit)))).isEqualTo(bit >= prefix);
    }

    @Property
    void ipv6RangeContainsAddressesDifferingOnlyInHostBits(@ForAll("ipv6") byte[] network,
            @ForAll @IntRange(min = 0, max = 128) int prefix, @ForAll @IntRange(min = 0, max = 127) int bit)
            throws Exception {
        IpRange range = new IpRange(InetAddress.getByAddress(network), prefix);

        assertThat(range.contains(InetAddress.getByAddress(network))).isTrue();
        assertThat(range.contains(InetAddress.getByAddress(flip(network, bit)))).isEqualTo(bit >= prefix);
    }

    @Property
    void rangesNeverContainAddressesOfTheOtherFamily(@ForAll("ipv4") byte[] v4, @ForAll("ipv6") byte[] v6,
            @ForAll @IntRange(min = 0, max = 32) int prefix) throws Exception {
        assertThat(new IpRange(InetAddress.getByAddress(v4), prefix).contains(InetAddress.getByAddress(v6))).isFalse();
        assertThat(new IpRange(InetAddress.getByAddress(v6), prefix).contains(InetAddress.getByAddress(v4))).isFalse();
    }

    @Property
    void bareAddressIsASingleHostRange(@ForAll("ipv4") byte[] a, @ForAll @IntRange(min = 0, max = 31) int bit)
            throws Exception {
        IpRange range = IpRange.parse(address(a).getHostAddress());

        assertThat(range.prefixLength()).isEqualTo(32);
        assertThat(range.contains(address(a))).isTrue();
        assertThat(range.contains(address(flip(a, bit)))).isFalse();
    }

    @Example
    void zeroPrefixContainsEveryAddressOfItsFamily() throws Exception {
        assertThat(IpRange.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(IpRange.parse("::/0").contains(InetAddress.getByName("2001:db8::1"))).isTrue();
    }

    @Example
    void malformedRangesAreRefusedWithoutNameResolution() {
        for (String bad : List.of("10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "256.0.0.1", "10.0.0", "localhost",
                "example.com/8", "::/129", "fe80::1%eth0", "")) {
            assertThatThrownBy(() -> IpRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
