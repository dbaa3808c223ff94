package io.certwright.cli;

import io.certwright.ca.policy.IpRange;
import io.certwright.ca.profile.Profile;
import io.certwright.core.Durations;
import io.certwright.core.KeyAlgorithm;
import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/// Option value converters. A malformed value is a usage error (exit 2) naming the value and what was expected.
final class Converters {

    /// Profiles a leaf certificate can be requested with.
    static final List<Profile> LEAF_PROFILES = List.of(Profile.SVID, Profile.SERVER, Profile.CLIENT, Profile.MTLS);

    private Converters() {
    }

    static final class KeyType implements ITypeConverter<KeyAlgorithm> {
        @Override
        public KeyAlgorithm convert(String value) {
            try {
                return KeyAlgorithm.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(String.valueOf(e.getMessage()));
            }
        }
    }

    static final class KeyTypes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(KeyAlgorithm.values()).map(KeyAlgorithm::cliName).iterator();
        }
    }

    static final class LeafProfile implements ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) {
            for (Profile p : LEAF_PROFILES) {
                if (p.wireName().equalsIgnoreCase(value.trim())) {
                    return p;
                }
            }
            throw new TypeConversionException("unknown profile '" + value + "'; expected one of "
                    + String.join(", ", LEAF_PROFILES.stream().map(Profile::wireName).toList()));
        }
    }

    static final class LeafProfiles implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return LEAF_PROFILES.stream().map(Profile::wireName).iterator();
        }
    }

    static final class Lifetime implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(String.valueOf(e.getMessage()));
            }
        }
    }

    static final class IpAddress implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            try {
                return IpRange.parseLiteral(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(String.valueOf(e.getMessage()));
            }
        }
    }

    static final class Spiffe implements ITypeConverter<SpiffeId> {
        @Override
        public SpiffeId convert(String value) {
            try {
                return SpiffeId.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("invalid SPIFFE ID '" + value + "': " + e.getMessage());
            }
        }
    }

    static final class Domain implements ITypeConverter<TrustDomain> {
        @Override
        public TrustDomain convert(String value) {
            try {
                return TrustDomain.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("invalid trust domain '" + value + "': " + e.getMessage());
            }
        }
    }

    static final class AbsoluteUri implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            try {
                URI u = new URI(value);
                if (!u.isAbsolute()) {
                    throw new TypeConversionException("'" + value + "' is not an absolute URI");
                }
                return u;
            } catch (URISyntaxException e) {
                throw new TypeConversionException("invalid URI '" + value + "': " + e.getReason());
            }
        }
    }
}
