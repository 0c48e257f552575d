package io.github.natgrad;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Everything an {@link Optimizer} carries from one step to the next, as an immutable value: the step
 * count, the damping λ and its memory, curvature averages, cached factorisations, the random stream and
 * momentum, each stored under a name as a number, an array or (for a random stream) serialised bytes.
 *
 * <p>A state names the optimizer configuration that wrote it ({@link #kind()}) and the model it belongs
 * to ({@link #modelFingerprint()}, see {@link #fingerprint(Model)}); an optimizer refuses, with the
 * reason, to restore a state written by another kind, for another model, or in another
 * {@link #FORMAT_VERSION format version}. Restoring a state and stepping on the same batches continues
 * a run bit for bit as if it had never been interrupted, on the same host.
 *
 * <p>A state also records the host numerics that wrote it ({@link #host()}: the SIMD width of natgrad's
 * kernels and the BLAS and its kernel, from the {@link NumericsEnvironment} on the class path). natgrad's own
 * kernels give the same bits at every SIMD width, but OpenBLAS's products and LAPACK's solves may round
 * differently under another BLAS kernel: {@link #hostDifference()} names what differs, for a command to warn
 * before it resumes (a state is never refused for it).
 *
 * <p>Files: {@link #save(Path)} writes atomically (a temporary file beside the target, then a rename), so
 * a crash while saving leaves the previous checkpoint intact; {@link #load(Path)} checks the magic
 * header, the version and a CRC-32 of the content and names the file in every error.
 */
public final class OptimizerState {
    /**
     * The version of the state layout and file format this library writes; it also reads version 1 (before
     * the host was recorded: {@link #host()} is then empty).
     */
    public static final int FORMAT_VERSION = 2;

    private static final String HOST = describeHost();

    private static final String MAGIC = "natgrad-optimizer-state";
    private static final byte LONG = 1;
    private static final byte DOUBLES = 2;
    private static final byte BYTES = 3;

    private final String kind;
    private final String fingerprint;
    private final String host;
    private final Map<String, Object> entries;

    private OptimizerState(String kind, String fingerprint, String host, Map<String, Object> entries) {
        this.kind = kind;
        this.fingerprint = fingerprint;
        this.host = host;
        this.entries = Collections.unmodifiableMap(entries);
    }

    private static String describeHost() {
        for (NumericsEnvironment e : java.util.ServiceLoader.load(NumericsEnvironment.class,
                NumericsEnvironment.class.getClassLoader())) {
            return e.describe();
        }
        return "unknown numerics (no NumericsEnvironment on the class path)";
    }

    /**
     * This process's numerics, as {@link #host()} records them in the states it writes, e.g.
     * {@code "lanes=8; OpenBLAS 0.3.28-1.5.11, kernel auto on AMD EPYC family 26 model 2 (avx512)"}.
     */
    public static String currentHost() {
        return HOST;
    }

    /** The numerics of the process that wrote this state ({@link #currentHost()} there); empty for version 1 files. */
    public String host() {
        return host;
    }

    /**
     * Empty if this state was written with this process's numerics (or its file does not say); otherwise a
     * warning that names the parts that differ, e.g. {@code "lanes=8 then, lanes=4 now"}, and what it means:
     * a run resumed here may differ in its last bits from one that was never interrupted.
     */
    public java.util.Optional<String> hostDifference() {
        if (host.isEmpty() || host.equals(HOST)) {
            return java.util.Optional.empty();
        }
        String parts = NumericsEnvironment.difference(host, HOST);
        return java.util.Optional.of("the state was saved on a host with other numerics (" + parts + "): natgrad's"
                + " own kernels give the same bits at every SIMD width, but BLAS and LAPACK results may differ in"
                + " their last bits under another kernel, so the resumed run may not match an uninterrupted one bit"
                + " for bit");
    }

    /**
     * A model's fingerprint: its description and parameter count, e.g.
     * {@code "multilayer perceptron 784-256-10, relu, categorical(10) likelihood, 203530 parameters"}.
     */
    public static String fingerprint(Model model) {
        Checks.notNull(model, "model");
        return model.describe() + " [D=" + model.parameterCount() + "]";
    }

    /** A builder for a state of optimizer {@code kind} bound to {@code model}. */
    public static Builder builder(String kind, Model model) {
        return new Builder(Checks.notNull(kind, "kind"), fingerprint(model));
    }

    /** The optimizer configuration that wrote this state, e.g. {@code "adam(beta1=0.9, ...)"}. */
    public String kind() {
        return kind;
    }

    /** The fingerprint of the model the state belongs to. */
    public String modelFingerprint() {
        return fingerprint;
    }

    /** The names of the entries, in the order they were written. */
    public java.util.Set<String> names() {
        return entries.keySet();
    }

    /** Whether an entry of that name exists. */
    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /**
     * Throws unless this state was written by an optimizer of {@code expectedKind} for {@code model}.
     *
     * @throws IllegalArgumentException saying which of the two differs, and how
     */
    public void requireCompatible(String expectedKind, Model model) {
        String expectedModel = fingerprint(model);
        if (!fingerprint.equals(expectedModel)) {
            throw new IllegalArgumentException("the optimizer state belongs to another model: it was saved for '"
                    + fingerprint + "', this optimizer's model is '" + expectedModel + "'; start a new run or "
                    + "load the state of this model");
        }
        if (!kind.equals(expectedKind)) {
            throw new IllegalArgumentException("the optimizer state was saved by another optimizer: '" + kind
                    + "', this optimizer is '" + expectedKind + "'; restore it into an optimizer of the same "
                    + "configuration");
        }
    }

    /** A whole-number entry. */
    public long getLong(String name) {
        return (Long) get(name, Long.class);
    }

    /** A copy of an array entry. */
    public double[] getDoubles(String name) {
        return ((double[]) get(name, double[].class)).clone();
    }

    /** A one-number entry (an array of length one). */
    public double getDouble(String name) {
        double[] v = (double[]) get(name, double[].class);
        if (v.length != 1) {
            throw new IllegalArgumentException("state entry '" + name + "' holds " + v.length + " numbers, not one");
        }
        return v[0];
    }

    /**
     * The state stored under {@code prefix} by {@link Builder#include}, with its own kind and fingerprint.
     *
     * @throws IllegalArgumentException if there is none
     */
    public OptimizerState nested(String prefix) {
        String kindKey = prefix + "@kind";
        String fpKey = prefix + "@fingerprint";
        String nestedKind = new String((byte[]) get(kindKey, byte[].class), java.nio.charset.StandardCharsets.UTF_8);
        String nestedFp = new String((byte[]) get(fpKey, byte[].class), java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Object> inner = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(prefix) && !k.equals(kindKey) && !k.equals(fpKey)) {
                inner.put(k.substring(prefix.length()), e.getValue());
            }
        }
        return new OptimizerState(nestedKind, nestedFp, host, inner);
    }

    /** A random generator restored from its entry (see {@link Builder#putRandom}). */
    public RandomGenerator getRandom(String name) {
        byte[] bytes = (byte[]) get(name, byte[].class);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(info -> {
                Class<?> c = info.serialClass();
                if (c == null || c.isPrimitive() || c.isArray()
                        || c.getName().startsWith("org.apache.commons.math3.random.")) {
                    return ObjectInputFilter.Status.UNDECIDED;
                }
                return ObjectInputFilter.Status.REJECTED;
            });
            return (RandomGenerator) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalArgumentException("state entry '" + name + "' is not a saved random generator: "
                    + e.getMessage(), e);
        }
    }

    private Object get(String name, Class<?> type) {
        Object v = entries.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the optimizer state has no entry '" + name + "' (it has "
                    + entries.keySet() + "); was it written by another version of this optimizer?");
        }
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("state entry '" + name + "' is a " + v.getClass().getSimpleName()
                    + ", expected " + type.getSimpleName());
        }
        return v;
    }

    /** Writes the state to {@code file} atomically (temporary file, then rename). */
    public void save(Path file) throws IOException {
        Checks.notNull(file, "file");
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                write(out);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes the state in natgrad's binary state format (version {@value #FORMAT_VERSION}). */
    public void write(OutputStream target) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeUTF(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeUTF(kind);
        out.writeUTF(fingerprint);
        out.writeUTF(host);
        out.writeInt(entries.size());
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            out.writeUTF(e.getKey());
            Object v = e.getValue();
            if (v instanceof Long l) {
                out.writeByte(LONG);
                out.writeLong(l);
            } else if (v instanceof double[] d) {
                out.writeByte(DOUBLES);
                out.writeInt(d.length);
                for (double x : d) {
                    out.writeLong(Double.doubleToRawLongBits(x));
                }
            } else {
                byte[] b = (byte[]) v;
                out.writeByte(BYTES);
                out.writeInt(b.length);
                out.write(b);
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
     * Reads a state file written by {@link #save(Path)}.
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
            Map<String, Object> entries = new LinkedHashMap<>();
            for (int e = 0; e < count; e++) {
                String name = in.readUTF();
                byte type = in.readByte();
                switch (type) {
                    case LONG -> entries.put(name, in.readLong());
                    case DOUBLES -> {
                        double[] d = new double[in.readInt()];
                        for (int i = 0; i < d.length; i++) {
                            d[i] = Double.longBitsToDouble(in.readLong());
                        }
                        entries.put(name, d);
                    }
                    case BYTES -> {
                        byte[] b = new byte[in.readInt()];
                        in.readFully(b);
                        entries.put(name, b);
                    }
                    default -> throw new IOException("entry '" + name + "' has unknown type " + type);
                }
            }
            return new OptimizerState(kind, fingerprint, host, entries);
        } catch (EOFException e) {
            throw new IOException("truncated: the file ends inside its content");
        }
    }

    /** Equal kind, fingerprint and entries (the recorded {@link #host()} is not compared). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OptimizerState s) || !kind.equals(s.kind) || !fingerprint.equals(s.fingerprint)
                || !entries.keySet().equals(s.entries.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            Object a = e.getValue();
            Object b = s.entries.get(e.getKey());
            boolean same = a instanceof double[] x ? b instanceof double[] y && Arrays.equals(x, y)
                    : a instanceof byte[] x ? b instanceof byte[] y && Arrays.equals(x, y) : a.equals(b);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return "OptimizerState[" + kind + ", " + entries.keySet() + ", host " + host + "]";
    }

    /** Collects a state's entries; each name may be written once. */
    public static final class Builder {
        private final String kind;
        private final String fingerprint;
        private final Map<String, Object> entries = new LinkedHashMap<>();

        private Builder(String kind, String fingerprint) {
            this.kind = kind;
            this.fingerprint = fingerprint;
        }

        private Builder put(String name, Object value) {
            Checks.notNull(name, "name");
            if (entries.putIfAbsent(name, value) != null) {
                throw new IllegalStateException("state entry '" + name + "' written twice");
            }
            return this;
        }

        /** A whole number. */
        public Builder putLong(String name, long value) {
            return put(name, value);
        }

        /** One number. */
        public Builder putDouble(String name, double value) {
            return put(name, new double[] {value});
        }

        /** An array, copied. */
        public Builder putDoubles(String name, double[] values) {
            return put(name, Checks.notNull(values, name).clone());
        }

        /** A random generator's exact position in its stream (it must be {@link Serializable}). */
        public Builder putRandom(String name, RandomGenerator random) {
            if (!(random instanceof Serializable)) {
                throw new IllegalArgumentException("random generator " + random.getClass().getName()
                        + " cannot be saved: it is not Serializable");
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(random);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return put(name, bytes.toByteArray());
        }

        /**
         * Stores another state (e.g. an optimizer's inside a training checkpoint) under {@code prefix},
         * with its kind and fingerprint; {@link OptimizerState#nested} gets it back unchanged.
         */
        public Builder include(String prefix, OptimizerState nested) {
            Checks.notNull(nested, "nested state");
            put(prefix + "@kind", nested.kind.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            put(prefix + "@fingerprint", nested.fingerprint.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Map.Entry<String, Object> e : nested.entries.entrySet()) {
                Object v = e.getValue();
                put(prefix + e.getKey(), v instanceof double[] d ? d.clone() : v instanceof byte[] b ? b.clone() : v);
            }
            return this;
        }

        /** The state. */
        public OptimizerState build() {
            return new OptimizerState(kind, fingerprint, HOST, new LinkedHashMap<>(entries));
        }
    }
}
