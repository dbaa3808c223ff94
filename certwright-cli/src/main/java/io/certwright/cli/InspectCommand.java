package io.certwright.cli;

import io.certwright.ca.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `certwright inspect`: every certificate in a file or presented by a TLS server, readable or as JSON.
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Show the certificates in a PEM or DER file, or those a TLS server presents.",
            "For HOST:PORT the chain is fetched over TLS 1.2/1.3 with a 10 s timeout. The server is NOT "
                + "authenticated: every certificate is accepted only so that it can be shown. Nothing is sent "
                + "after the handshake."})
final class InspectCommand implements Callable<Integer> {

    private static final Pattern HOST_PORT = Pattern.compile("^(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):(\\d{1,5})$");
    static final int TIMEOUT_MILLIS = 10_000;

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|HOST:PORT", description = "Certificate file, or a TLS server.")
    @SuppressWarnings("NullAway.Init")
    String target;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--servername", paramLabel = "SNI",
            description = "Server name to send (SNI) when connecting; default: the host, unless it is an IP address.")
    @Nullable String serverName;

    @Override
    public Integer call() throws Exception {
        Path file = Path.of(target);
        List<X509Certificate> certs;
        String source;
        if (Files.exists(file)) {
            certs = Pem.readCertificates(Files.readAllBytes(file), target);
            source = target;
        } else {
            Matcher m = HOST_PORT.matcher(target);
            if (!m.matches()) {
                throw new NoSuchFileException(target);
            }
            String host = m.group(1);
            if (host.startsWith("[")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65_535) {
                throw new CliException("port " + port + " is out of range 1..65535");
            }
            try {
                certs = fetch(host, port, serverName);
            } catch (java.net.UnknownHostException e) {
                throw new IOException("cannot connect to " + target + ": unknown host " + host, e);
            } catch (java.net.SocketTimeoutException e) {
                throw new IOException("cannot connect to " + target + ": timed out after "
                        + TIMEOUT_MILLIS / 1000 + " s", e);
            } catch (IOException e) {
                throw new IOException("cannot fetch the certificates of " + target + ": "
                        + ErrorHandler.message(e), e);
            }
            source = "TLS server " + target;
        }
        CertificateReport report = new CertificateReport(source, certs, Main.of(spec).clock().instant());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(report.json());
        } else {
            report.printText(out);
        }
        out.flush();
        return 0;
    }

    /// The chain a TLS server presents, accepting every certificate: this is for looking, not trusting.
    static List<X509Certificate> fetch(String host, int port, @Nullable String sni)
            throws IOException, GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new UncheckedServerTrust()}, new SecureRandom());
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            SSLParameters params = socket.getSSLParameters();
            params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            String name = sni != null ? sni : isIpLiteral(host) ? null : host;
            if (name != null) {
                params.setServerNames(List.of(new SNIHostName(name)));
            }
            socket.setSSLParameters(params);
            socket.startHandshake();
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : socket.getSession().getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            if (out.isEmpty()) {
                throw new IOException(host + ":" + port + " presented no X.509 certificate");
            }
            return out;
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }
}
