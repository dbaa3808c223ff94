package io.certwright.it;

import io.grpc.StatusRuntimeException;
import io.spiffe.provider.SpiffeSslContextFactory;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.workloadapi.DefaultWorkloadApiClient;
import io.spiffe.workloadapi.DefaultX509Source;
import io.spiffe.workloadapi.WorkloadApiClient;
import io.spiffe.workloadapi.X509Context;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/// A workload run as its own process (under another uid, so the agent attests it separately): it talks to
/// the agent's Workload API with java-spiffe and reports one line per command.
///
/// `java WorkloadPeerMain SOCKET COMMAND...`, where a command is
/// - `fetch`: fetch the X509 context; prints `FETCH OK <spiffe-id>` or `FETCH <gRPC status code>`;
/// - `connect:<port>:<server-spiffe-id>`: connect to `127.0.0.1:<port>` over mutual TLS with an SSLContext
///   backed by the Workload API that accepts only that server ID, send `hello`, read one line; prints
///   `CONNECT OK <reply>` or `CONNECT REFUSED <exception>`.
public final class WorkloadPeerMain {

    private static final int TIMEOUT_MILLIS = 30_000;

    private WorkloadPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        String socket = "unix:" + args[0];
        DefaultX509Source source = null;
        try {
            for (int i = 1; i < args.length; i++) {
                String command = args[i];
                if (command.equals("fetch")) {
                    System.out.println("FETCH " + fetch(socket));
                } else if (command.startsWith("connect:")) {
                    String[] parts = command.split(":", 3);
                    if (source == null) {
                        source = DefaultX509Source.newSource(DefaultX509Source.X509SourceOptions.builder()
                                .spiffeSocketPath(socket).initTimeout(Duration.ofSeconds(30)).build());
                    }
                    System.out.println("CONNECT " + connect(source, Integer.parseInt(parts[1]),
                            SpiffeId.parse(parts[2])));
                } else {
                    System.out.println("FETCH unknown command " + command);
                }
                System.out.flush();
            }
        } finally {
            if (source != null) {
                source.close();
            }
        }
        System.exit(0);
    }

    private static String fetch(String socket) {
        try (WorkloadApiClient client = DefaultWorkloadApiClient.newClient(DefaultWorkloadApiClient.ClientOptions
                .builder().spiffeSocketPath(socket).build())) {
            X509Context ctx = client.fetchX509Context();
            return "OK " + ctx.getDefaultSvid().getSpiffeId();
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof StatusRuntimeException s) {
                    return s.getStatus().getCode().toString();
                }
            }
            return "FAILED " + e;
        }
    }

    private static String connect(DefaultX509Source source, int port, SpiffeId server) {
        try {
            SSLContext ctx = SpiffeSslContextFactory.getSslContext(SpiffeSslContextFactory.SslContextOptions.builder()
                    .x509Source(source).acceptedSpiffeIdsSupplier(() -> Set.of(server)).build());
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(TIMEOUT_MILLIS);
                s.startHandshake();
                OutputStream out = s.getOutputStream();
                out.write("hello\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                return reply == null ? "REFUSED connection closed without a reply" : "OK " + reply;
            }
        } catch (Exception e) {
            return "REFUSED " + e;
        }
    }
}
