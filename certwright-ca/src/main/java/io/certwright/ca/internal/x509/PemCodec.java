package io.certwright.ca.internal.x509;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/// Strict PEM ([RFC 7468](https://www.rfc-editor.org/rfc/rfc7468)) reading and writing.
public final class PemCodec {

    /// One PEM block.
    ///
    /// @param label the label between `-----BEGIN ` and `-----`
    /// @param der the decoded content
    @SuppressWarnings("ArrayRecordComponent") // short-lived parse result, never compared
    public record Block(String label, byte[] der) {
    }

    private PemCodec() {
    }

    /// Every PEM block in `text`, in order.
    ///
    /// @throws IOException with a one-line reason when there is no block, a block is cut short, or its
    ///     base64 is corrupt
    public static List<Block> decode(String text) throws IOException {
        List<Block> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(text))) {
            PemObject o;
            while ((o = reader.readPemObject()) != null) {
                if (o.getContent().length == 0) {
                    throw new IOException("PEM block " + o.getType() + " is empty");
                }
                blocks.add(new Block(o.getType(), o.getContent()));
            }
        } catch (IOException e) {
            throw new IOException("malformed PEM: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("malformed PEM: corrupt base64 content", e);
        }
        if (blocks.isEmpty()) {
            throw new IOException("no PEM data found");
        }
        return blocks;
    }

    /// The blocks of `text` with the given label; fails naming the labels found when there are none.
    public static List<byte[]> decode(String text, String label) throws IOException {
        List<Block> blocks = decode(text);
        List<byte[]> out = new ArrayList<>();
        for (Block b : blocks) {
            if (b.label().equals(label)) {
                out.add(b.der());
            }
        }
        if (out.isEmpty()) {
            throw new IOException("expected PEM " + label + " but found "
                    + blocks.stream().map(Block::label).distinct().toList());
        }
        return out;
    }

    public static String encode(String label, byte[] der) {
        StringWriter sw = new StringWriter();
        try (PemWriter w = new PemWriter(sw)) {
            w.writeObject(new PemObject(label, der));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return sw.toString();
    }
}
