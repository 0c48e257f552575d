package io.github.natgrad.training;

import io.github.natgrad.Checks;
import io.github.natgrad.OptimizerState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * natgrad's binary file format for an {@link OptimizerState}: a magic header, the format version, the state's
 * kind, model fingerprint and host, its entries (name, type, value; numbers as their raw IEEE-754 bits, so a
 * state reads back bit for bit) and a CRC-32 of all of it.
 *
 * <p>{@link #save} writes atomically ({@link AtomicFiles}: a temporary file beside the target, then a rename), so a crash while
 * saving leaves the previous checkpoint intact; {@link #load} checks the header, the version and the checksum
 * and names the file in every error.
 *
 * <pre>{@code
 * StateFiles.save(optimizer.state(), file);
 * optimizer.restore(StateFiles.load(file));
 * }</pre>
 */
public final class StateFiles {
    /**
     * The version of the state layout and file format this library writes; it also reads version 1 (before
     * the host was recorded: {@link OptimizerState#host()} is then empty).
     */
    public static final int FORMAT_VERSION = 2;

    private static final String MAGIC = "natgrad-optimizer-state";
    private static final byte LONG = 1;
    private static final byte DOUBLES = 2;
    private static final byte BYTES = 3;

    private StateFiles() {
    }

    /** Writes {@code state} to {@code file} atomically (temporary file, then rename). */
    public static void save(OptimizerState state, Path file) throws IOException {
        Checks.notNull(state, "state");
        Checks.notNull(file, "file");
        AtomicFiles.replace(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                write(state, out);
            }
        });
    }

    /** Writes {@code state} in natgrad's binary state format (version {@value #FORMAT_VERSION}). */
    public static void write(OptimizerState state, OutputStream target) throws IOException {
        Checks.notNull(state, "state");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeUTF(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeUTF(state.kind());
        out.writeUTF(state.modelFingerprint());
        out.writeUTF(state.host());
        out.writeInt(state.names().size());
        for (String name : state.names()) {
            out.writeUTF(name);
            switch (state.type(name)) {
                case LONG -> {
                    out.writeByte(LONG);
                    out.writeLong(state.getLong(name));
                }
                case DOUBLES -> {
                    double[] d = state.getDoubles(name);
                    out.writeByte(DOUBLES);
                    out.writeInt(d.length);
                    for (double x : d) {
                        out.writeLong(Double.doubleToRawLongBits(x));
                    }
                }
                case BYTES -> {
                    byte[] b = state.getBytes(name);
                    out.writeByte(BYTES);
                    out.writeInt(b.length);
                    out.write(b);
                }
            }
        }
        out.flush();
        byte[] bytes = body.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(bytes);
        DataOutputStream file = new DataOutputStream(target);
        file.write(bytes);
        file.writeLong(crc.getValue());
        file.flush();
    }

    /**
     * Reads a state file written by {@link #save}.
     *
     * @throws IOException if the file cannot be read, is truncated, is not a natgrad state file, was
     *                     written in another format version or fails its checksum; the message names the file
     */
    public static OptimizerState load(Path file) throws IOException {
        Checks.notNull(file, "file");
        byte[] all = Files.readAllBytes(file);
        try {
            return read(all);
        } catch (IOException e) {
            throw new IOException("cannot read optimizer state " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a state from the bytes of a state file. */
    public static OptimizerState read(InputStream in) throws IOException {
        return read(in.readAllBytes());
    }

    private static OptimizerState read(byte[] all) throws IOException {
        if (all.length < 8) {
            throw new IOException("truncated: " + all.length + " bytes");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8));
        try {
            String magic;
            try {
                magic = in.readUTF();
            } catch (IOException e) {
                throw new IOException("not a natgrad optimizer state file (no header)");
            }
            if (!MAGIC.equals(magic)) {
                throw new IOException("not a natgrad optimizer state file (header '" + magic + "')");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION && version != 1) {
                throw new IOException("state format version " + version + ", this natgrad reads versions 1 to "
                        + FORMAT_VERSION + "; start a new run or use the natgrad version that wrote it");
            }
            CRC32 crc = new CRC32();
            crc.update(all, 0, all.length - 8);
            long stored = new DataInputStream(new ByteArrayInputStream(all, all.length - 8, 8)).readLong();
            if (stored != crc.getValue()) {
                throw new IOException("checksum mismatch: the file is truncated or corrupted");
            }
            String kind = in.readUTF();
            String fingerprint = in.readUTF();
            String host = version >= 2 ? in.readUTF() : "";
            int count = in.readInt();
            OptimizerState.Builder state = OptimizerState.restored(kind, fingerprint, host);
            for (int e = 0; e < count; e++) {
                String name = in.readUTF();
                byte type = in.readByte();
                switch (type) {
                    case LONG -> state.putLong(name, in.readLong());
                    case DOUBLES -> {
                        double[] d = new double[in.readInt()];
                        for (int i = 0; i < d.length; i++) {
                            d[i] = Double.longBitsToDouble(in.readLong());
                        }
                        state.putDoubles(name, d);
                    }
                    case BYTES -> {
                        byte[] b = new byte[in.readInt()];
                        in.readFully(b);
                        state.putBytes(name, b);
                    }
                    default -> throw new IOException("entry '" + name + "' has unknown type " + type);
                }
            }
            return state.build();
        } catch (EOFException e) {
            throw new IOException("truncated: the file ends inside its content");
        } catch (IllegalStateException e) {
            throw new IOException("malformed: " + e.getMessage());
        }
    }
}
