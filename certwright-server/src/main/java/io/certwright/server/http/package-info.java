/// The HTTPS edge: a Jetty 12 core-handler listener with the server's own renewing TLS certificate, the
/// REST API v1 route table ([Routes]), bearer-token and mTLS authentication, and RFC 9457 problem responses
/// rendered in exactly one place ([ProblemType], [ProblemException]). Handlers decode, call the domain and
/// encode; they hold no PKI logic.
@NullMarked
package io.certwright.server.http;

import org.jspecify.annotations.NullMarked;
