package io.certwright.ca.workload;

import io.certwright.core.SpiffeId;
import io.certwright.core.TrustDomain;
import java.util.Objects;
import java.util.regex.Pattern;

/// Which node agents a registration entry is delegated to: one agent, named by its SPIFFE ID
/// `spiffe://<trust-domain>/certwright/agent/<name>`, or every agent whose node name matches a glob,
/// written `certwright:node:<glob>` (`*` matches any run of characters, e.g. `certwright:node:web-*`).
public sealed interface EntryParent {

    /// The path prefix of every agent SPIFFE ID.
    String AGENT_PATH = "/certwright/agent/";
    /// The prefix of a node selector parent.
    String NODE_PREFIX = "certwright:node:";
    /// A node name: what `certwright agent token create --node` accepts.
    Pattern NODE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /// Whether the agent of node `name` in trust domain `td` may fetch SVIDs for the entry.
    boolean admits(TrustDomain td, String name);

    /// The wire text: the SPIFFE ID, or `certwright:node:<glob>`.
    String text();

    /// One agent.
    ///
    /// @param id the agent's SPIFFE ID
    record Agent(SpiffeId id) implements EntryParent {

        public Agent {
            Objects.requireNonNull(id, "id");
            nodeName(id);
        }

        /// The node name in the agent's SPIFFE ID.
        public String node() {
            return id.path().substring(AGENT_PATH.length());
        }

        @Override
        public boolean admits(TrustDomain td, String name) {
            return id.trustDomain().equals(td) && node().equals(name);
        }

        @Override
        public String text() {
            return id.toString();
        }
    }

    /// Every agent whose node name matches the glob.
    ///
    /// @param glob the pattern, node-name characters and `*`
    record Nodes(String glob) implements EntryParent {

        private static final Pattern GLOB = Pattern.compile("[a-z0-9*][a-z0-9._*-]{0,62}");

        public Nodes {
            Objects.requireNonNull(glob, "glob");
            if (!GLOB.matcher(glob).matches()) {
                throw new IllegalArgumentException("a node selector is certwright:node:<glob>, where the glob has "
                        + "lowercase letters, digits, '.', '_', '-' and '*', at most 63 characters");
            }
        }

        @Override
        public boolean admits(TrustDomain td, String name) {
            return matches(0, name, 0);
        }

        private boolean matches(int gi, String name, int ni) {
            if (gi == glob.length()) {
                return ni == name.length();
            }
            if (glob.charAt(gi) == '*') {
                for (int k = ni; k <= name.length(); k++) {
                    if (matches(gi + 1, name, k)) {
                        return true;
                    }
                }
                return false;
            }
            return ni < name.length() && name.charAt(ni) == glob.charAt(gi) && matches(gi + 1, name, ni + 1);
        }

        @Override
        public String text() {
            return NODE_PREFIX + glob;
        }
    }

    /// Parses an agent SPIFFE ID or `certwright:node:<glob>`.
    ///
    /// @throws IllegalArgumentException naming what is wrong
    static EntryParent parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith(NODE_PREFIX)) {
            return new Nodes(text.substring(NODE_PREFIX.length()));
        }
        if (!text.startsWith(SpiffeId.SCHEME_PREFIX)) {
            throw new IllegalArgumentException("a parent is an agent's SPIFFE ID (spiffe://<trust-domain>"
                    + AGENT_PATH + "<node>) or " + NODE_PREFIX + "<glob>");
        }
        return new Agent(SpiffeId.parse(text));
    }

    /// The SPIFFE ID of the agent of node `name`.
    static SpiffeId agentId(TrustDomain td, String name) {
        if (!NODE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a node name is 1 to 63 lowercase letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
        return new SpiffeId(td, AGENT_PATH + name);
    }

    /// The node name of an agent SPIFFE ID.
    ///
    /// @throws IllegalArgumentException when `id` is not an agent SPIFFE ID
    static String nodeName(SpiffeId id) {
        String path = id.path();
        String name = path.startsWith(AGENT_PATH) ? path.substring(AGENT_PATH.length()) : "";
        if (!NODE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(id + " is not an agent SPIFFE ID (spiffe://<trust-domain>" + AGENT_PATH
                    + "<node>)");
        }
        return name;
    }
}
