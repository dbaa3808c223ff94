package io.certwright.cli;

import io.certwright.core.Durations;
import io.certwright.core.SpiffeId;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/// `certwright token create`: a short-lived, single-use token bound to one identity.
@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Create a one-time enrollment token bound to one identity.",
            "Prints only the token on stdout (for scripts: T=$(certwright token create ...)); the details go to "
                + "stderr. The token can be used once, with 'certwright issue --token', before it expires."})
final class TokenCreateCommand extends ClientCommand {

    @Option(names = "--provisioner", paramLabel = "NAME", required = true, description = "Token provisioner to create it with.")
    @SuppressWarnings("NullAway.Init")
    String provisioner;

    @Option(names = "--spiffe-id", paramLabel = "ID", converter = Converters.Spiffe.class,
            description = "SPIFFE ID the token may be used for.")
    @Nullable SpiffeId spiffeId;

    @Option(names = "--dns", paramLabel = "NAME", split = ",", description = "DNS name the token may be used for; repeatable.")
    List<String> dns = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "ADDR", split = ",", converter = Converters.IpAddress.class,
            description = "IP address the token may be used for; repeatable.")
    List<InetAddress> ips = new ArrayList<>();

    @Option(names = "--ttl", paramLabel = "DURATION", converter = Converters.Lifetime.class,
            description = "How long the token stays usable (default: the provisioner's default), e.g. 10m.")
    @Nullable Duration ttl;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    TokenOptions tokens = new TokenOptions();

    @Override
    int run(Main main) throws Exception {
        if (spiffeId == null && dns.isEmpty() && ips.isEmpty()) {
            throw new CliException("a token is bound to an identity: pass --spiffe-id, --dns or --ip");
        }
        ServerClient client = connection.client(main, Optional.of(tokens.require(main.environment())), Optional.empty());
        Map<String, Object> body = new LinkedHashMap<>();
        if (spiffeId != null) {
            body.put("spiffe_id", spiffeId.toString());
        }
        if (!dns.isEmpty()) {
            body.put("dns", dns);
        }
        if (!ips.isEmpty()) {
            body.put("ip", ips.stream().map(InetAddress::getHostAddress).toList());
        }
        if (ttl != null) {
            body.put("ttl", Durations.format(ttl));
        }
        JsonNode answer = client.post("/api/v1/provisioners/" + ServerClient.segment(provisioner) + "/tokens", body);
        String token = answer.path("token").asString("");
        if (token.isEmpty()) {
            throw new CliException("the server's answer holds no token");
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println(Text.CHECK + " Created a one-time enrollment token (provisioner " + provisioner + ")");
        Text.row(err, "  ", "Token ID", answer.path("id").asString(""));
        List<String> identity = new ArrayList<>();
        if (spiffeId != null) {
            identity.add(spiffeId.toString());
        }
        dns.forEach(d -> identity.add("DNS:" + d));
        ips.forEach(i -> identity.add("IP:" + i.getHostAddress()));
        Text.row(err, "  ", "For", identity);
        Text.row(err, "  ", "Expires", answer.path("expires_at").asString(""));
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.println(token);
        out.flush();
        return 0;
    }
}
