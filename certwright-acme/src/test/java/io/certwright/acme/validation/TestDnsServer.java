package io.certwright.acme.validation;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/// A small authoritative DNS server on loopback for tests: it answers A, AAAA, TXT, CAA and CNAME questions from
/// records the test sets, over UDP and TCP on one random port of 127.0.0.1, and NXDOMAIN for names it has
/// no record of.
///
/// CNAMEs are followed within the server's own records (at most 8 links), so an answer carries the chain
/// and the target's records, as an authoritative server for both names would send. UDP answers larger
/// than the client's limit (512 bytes, or its EDNS payload size) are truncated with the TC flag, so the
/// client asks again over TCP. The whole server, or single names, can be made to answer SERVFAIL or not
/// to answer at all. Records and failures may change while the server runs.
///
/// ```java
/// try (TestDnsServer dns = TestDnsServer.start()) {
///     dns.a("app.test", "127.0.0.1").txt("_acme-challenge.app.test", "digest");
///     settings = settings.withDnsServer(dns.hostPort());
/// }
/// ```
public final class TestDnsServer implements AutoCloseable {

    /// How the server fails instead of answering.
    public enum Failure {
        /// Answers with rcode SERVFAIL.
        SERVFAIL,
        /// Reads the question and sends nothing back.
        DROP
    }

    private static final long TTL = 60;
    private static final int MAX_CNAME_LINKS = 8;
    private static final int PLAIN_UDP_LIMIT = 512;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private final Map<Name, Failure> failingNames = new ConcurrentHashMap<>();
    private final List<String> questions = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger tcpQuestions = new AtomicInteger();
    private volatile @Nullable Failure failingAll;

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        Thread.ofVirtual().name("test-dns-udp").start(this::serveUdp);
        Thread.ofVirtual().name("test-dns-tcp").start(this::acceptTcp);
    }

    /// Starts a server with no records on a random port of 127.0.0.1, the same port for UDP and TCP.
    public static TestDnsServer start() throws IOException {
        InetAddress loopback = InetAddress.ofLiteral("127.0.0.1");
        for (int tries = 0; ; tries++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            try {
                ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 50, loopback);
                return new TestDnsServer(udp, tcp);
            } catch (IOException e) {
                udp.close();
                if (tries >= 20) {
                    throw e;
                }
            }
        }
    }

    /// The port, for UDP and TCP alike.
    public int port() {
        return udp.getLocalPort();
    }

    /// The server's socket address.
    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), port());
    }

    /// `127.0.0.1:<port>`, as `acme.validation.dnsServer` takes it.
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    /// Adds A records for `name`.
    public TestDnsServer a(String name, String... addresses) {
        for (String a : addresses) {
            add(new ARecord(name(name), DClass.IN, TTL, InetAddress.ofLiteral(a)));
        }
        return this;
    }

    /// Adds AAAA records for `name`.
    public TestDnsServer aaaa(String name, String... addresses) {
        for (String a : addresses) {
            add(new AAAARecord(name(name), DClass.IN, TTL, InetAddress.ofLiteral(a)));
        }
        return this;
    }

    /// Adds one TXT record for each of `values`, each record a single string.
    public TestDnsServer txt(String name, String... values) {
        for (String v : values) {
            add(new TXTRecord(name(name), DClass.IN, TTL, v));
        }
        return this;
    }

    /// Adds one TXT record made of several strings (as long values are published).
    public TestDnsServer txtRecord(String name, String... strings) {
        add(new TXTRecord(name(name), DClass.IN, TTL, List.of(strings)));
        return this;
    }

    /// Adds a CAA record (RFC 8659) for `name`: `flags` 0, or 128 for a critical property, a `tag` such as
    /// `issue`, `issuewild` or `iodef`, and its value (`ca.example; account=1`).
    public TestDnsServer caa(String name, int flags, String tag, String value) {
        add(new CAARecord(name(name), DClass.IN, TTL, flags, tag, value));
        return this;
    }

    /// Makes `name` an alias of `target`.
    public TestDnsServer cname(String name, String target) {
        add(new CNAMERecord(name(name), DClass.IN, TTL, name(target)));
        return this;
    }

    /// Removes every record of `name`, so that it answers NXDOMAIN.
    public TestDnsServer remove(String name) {
        records.remove(name(name));
        return this;
    }

    /// Removes every record and every failure.
    public TestDnsServer clear() {
        records.clear();
        failingNames.clear();
        failingAll = null;
        questions.clear();
        tcpQuestions.set(0);
        return this;
    }

    /// Makes every question fail as `failure` says.
    public TestDnsServer failAll(Failure failure) {
        failingAll = failure;
        return this;
    }

    /// Makes questions about `name` fail as `failure` says.
    public TestDnsServer fail(String name, Failure failure) {
        failingNames.put(name(name), failure);
        return this;
    }

    /// Answers every question again.
    public TestDnsServer answerAll() {
        failingAll = null;
        failingNames.clear();
        return this;
    }

    /// The questions received so far over UDP and TCP, as `name TYPE` (`app.test A`), in order.
    public List<String> questions() {
        return List.copyOf(questions);
    }

    /// How many questions came over TCP.
    public int tcpQuestions() {
        return tcpQuestions.get();
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // Closing a listener fails only when it is closed already.
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Closed already.
            }
        }
    }

    private void add(Record r) {
        records.computeIfAbsent(r.getName(), n -> new CopyOnWriteArrayList<>()).add(r);
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + text, e);
        }
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            Message query;
            try {
                query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
            } catch (IOException e) {
                continue; // not DNS: ignore it, as servers do
            }
            Optional<Message> response = answer(query);
            if (response.isEmpty()) {
                continue;
            }
            OPTRecord opt = query.getOPT();
            int limit = opt != null ? Math.max(PLAIN_UDP_LIMIT, opt.getPayloadSize()) : PLAIN_UDP_LIMIT;
            byte[] wire = response.get().toWire(limit);
            try {
                udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (udp.isClosed()) {
                    return;
                }
            }
        }
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            Socket s;
            try {
                s = tcp.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.add(s);
            Thread.ofVirtual().name("test-dns-tcp-connection").start(() -> serveTcp(s));
        }
    }

    private void serveTcp(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            while (true) {
                int length = in.readUnsignedShort();
                byte[] data = in.readNBytes(length);
                if (data.length < length) {
                    return;
                }
                tcpQuestions.incrementAndGet();
                Optional<Message> response = answer(new Message(data));
                if (response.isPresent()) {
                    byte[] wire = response.get().toWire();
                    out.writeShort(wire.length);
                    out.write(wire);
                    out.flush();
                }
            }
        } catch (EOFException | SocketException e) {
            // The client closed the connection, or the server is closing.
        } catch (IOException e) {
            // A malformed query over TCP: drop the connection.
        } finally {
            connections.remove(s);
        }
    }

    /// The answer to `query`, or empty to send nothing.
    private Optional<Message> answer(Message query) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        header.setOpcode(query.getHeader().getOpcode());
        if (question == null) {
            header.setRcode(Rcode.FORMERR);
            return Optional.of(response);
        }
        response.addRecord(question, Section.QUESTION);
        Name asked = question.getName();
        int type = question.getType();
        questions.add(asked.toString(true) + " " + Type.string(type));
        Failure failure = failingNames.getOrDefault(asked, failingAll);
        if (failure == Failure.DROP) {
            return Optional.empty();
        }
        if (failure == Failure.SERVFAIL) {
            header.setRcode(Rcode.SERVFAIL);
            return Optional.of(response);
        }
        Name current = asked;
        for (int link = 0; link <= MAX_CNAME_LINKS; link++) {
            List<Record> here = records.get(current);
            if (here == null || here.isEmpty()) {
                header.setRcode(Rcode.NXDOMAIN);
                return Optional.of(response);
            }
            Record alias = here.stream().filter(r -> r.getType() == Type.CNAME).findFirst().orElse(null);
            if (alias != null && type != Type.CNAME) {
                response.addRecord(alias, Section.ANSWER);
                current = ((CNAMERecord) alias).getTarget();
                continue;
            }
            List<Record> matching = new ArrayList<>();
            for (Record r : here) {
                if (r.getType() == type) {
                    matching.add(r);
                }
            }
            matching.forEach(r -> response.addRecord(r, Section.ANSWER));
            return Optional.of(response);
        }
        header.setRcode(Rcode.SERVFAIL);
        return Optional.of(response);
    }
}
