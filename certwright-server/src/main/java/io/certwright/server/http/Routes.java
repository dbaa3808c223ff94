package io.certwright.server.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/// The whole URL space of the server on one screen: method, path pattern, who may call it, handler.
final class Routes {

    /// A handler: decode the call, ask the domain, encode the answer.
    @FunctionalInterface
    interface Endpoint {
        Reply handle(Call call) throws Exception;
    }

    /// One route. With `restOfPath`, the pattern's last parameter takes the rest of the path, slashes
    /// included (an OCSP GET request is base64, whose alphabet has `/`).
    record Route(String method, String pattern, Access access, Endpoint endpoint, boolean restOfPath) {

        Route(String method, String pattern, Access access, Endpoint endpoint) {
            this(method, pattern, access, endpoint, false);
        }
    }

    static List<Route> table(ApiV1 api) {
        return List.of(
                new Route("POST", "/api/v1/certificates", Access.OPERATOR_OR_ENROLLMENT, api::issue),
                new Route("POST", "/api/v1/certificates/renew", Access.CLIENT_CERTIFICATE, api::renew),
                new Route("GET", "/api/v1/certificates", Access.AUDITOR, api::list),
                new Route("GET", "/api/v1/certificates/{serial}", Access.AUDITOR, api::get),
                new Route("POST", "/api/v1/certificates/{serial}/revoke", Access.OPERATOR, api::revoke),
                new Route("POST", "/api/v1/tokens", Access.ADMIN, api::createToken),
                new Route("GET", "/api/v1/tokens", Access.ADMIN, api::listTokens),
                new Route("DELETE", "/api/v1/tokens/{id}", Access.ADMIN, api::revokeToken),
                new Route("POST", "/api/v1/provisioners", Access.ADMIN, api::saveProvisioner),
                new Route("GET", "/api/v1/provisioners", Access.ADMIN, api::listProvisioners),
                new Route("DELETE", "/api/v1/provisioners/{name}", Access.ADMIN, api::deleteProvisioner),
                new Route("POST", "/api/v1/provisioners/{name}/tokens", Access.OPERATOR, api::createEnrollment),
                new Route("GET", "/api/v1/audit", Access.AUDITOR, api::audit),
                new Route("GET", "/api/v1/audit/export", Access.AUDITOR, api::auditExport),
                new Route("GET", "/api/v1/openapi.json", Access.PUBLIC, api::openApi),
                new Route("GET", "/roots.pem", Access.PUBLIC, api::roots),
                new Route("GET", "/healthz", Access.PUBLIC, api::healthz),
                new Route("GET", "/readyz", Access.PUBLIC, api::readyz),
                new Route("GET", "/metrics", Access.PUBLIC, api::metrics));
    }

    /// A route found for a request, with its path parameters.
    record Match(Route route, Map<String, String> params) {
    }

    /// A route with its pattern split into segments once, and how many of them are literal.
    private static final class Compiled {
        private final Route route;
        private final String[] segments;
        private final int literals;

        Compiled(Route route) {
            this.route = route;
            this.segments = split(route.pattern());
            this.literals = (int) java.util.Arrays.stream(segments).filter(s -> !s.startsWith("{")).count();
        }
    }

    private final List<Route> routes;
    private final List<Compiled> compiled;

    Routes(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.compiled = this.routes.stream().map(Compiled::new).toList();
    }

    List<Route> routes() {
        return routes;
    }

    /// The route for `method` and `path`; 405 (naming the allowed methods) when only the path matches, 404
    /// when nothing does. Literal segments win over parameters (`/certificates/renew` over `/{serial}`).
    Match match(String method, String path) throws ProblemException {
        String[] segments = split(path);
        Match best = null;
        int bestLiterals = -1;
        Set<String> allowed = new LinkedHashSet<>();
        for (Compiled c : compiled) {
            Route r = c.route;
            Optional<Map<String, String>> params = bind(c.segments, segments, r.restOfPath());
            if (params.isEmpty()) {
                continue;
            }
            allowed.add(r.method());
            if (r.method().equals(method) && c.literals > bestLiterals) {
                best = new Match(r, params.get());
                bestLiterals = c.literals;
            }
        }
        if (best != null) {
            return best;
        }
        if (!allowed.isEmpty()) {
            throw new ProblemException(ProblemType.METHOD_NOT_ALLOWED, method + " is not allowed here; use "
                    + String.join(" or ", allowed));
        }
        throw new ProblemException(ProblemType.NOT_FOUND, "no such resource");
    }

    private static String[] split(String path) {
        return path.startsWith("/") ? path.substring(1).split("/", -1) : path.split("/", -1);
    }

    private static Optional<Map<String, String>> bind(String[] pattern, String[] segments, boolean restOfPath) {
        if (restOfPath && segments.length > pattern.length) {
            String[] joined = java.util.Arrays.copyOf(segments, pattern.length);
            joined[pattern.length - 1] = String.join("/",
                    java.util.Arrays.copyOfRange(segments, pattern.length - 1, segments.length));
            segments = joined;
        }
        if (pattern.length != segments.length) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{")) {
                if (segments[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(p.substring(1, p.length() - 1), segments[i]);
            } else if (!p.equals(segments[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /// Method and pattern of every route, e.g. `GET /roots.pem`, for the OpenAPI check.
    List<String> signatures() {
        List<String> out = new ArrayList<>();
        routes.forEach(r -> out.add(r.method() + " " + r.pattern()));
        return out;
    }
}
