package io.certwright.cli;

import io.certwright.ca.keys.CryptoProviders;
import io.certwright.core.KeyAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/// `certwright --version`: the release, the JVM and the crypto provider that signs.
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"certwright " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor", "unknown vendor") + ")",
            "Signing provider: " + CryptoProviders.describe(KeyAlgorithm.P256)};
    }

    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
