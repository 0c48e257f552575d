package io.github.natgrad;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Everything an {@link Optimizer} carries from one step to the next, as an immutable value: the step
 * count, the damping λ and its memory, curvature averages, cached factorisations, the random stream and
 * momentum, each stored under a name as a number, an array or (for a random stream) serialised bytes.
 *
 * <p>A state names the optimizer configuration that wrote it ({@link #kind()}) and the model it belongs
 * to ({@link #modelFingerprint()}, see {@link #fingerprint(Model)}); an optimizer refuses, with the
 * reason, to restore a state written by another kind or for another model. Restoring a state and stepping on the same batches continues
 * a run bit for bit as if it had never been interrupted, on the same host.
 *
 * <p>A state also records the host numerics that wrote it ({@link #host()}: the SIMD width of natgrad's
 * kernels and the BLAS and its kernel, from the {@link NumericsEnvironment} on the class path). natgrad's own
 * kernels give the same bits at every SIMD width, but OpenBLAS's products and LAPACK's solves may round
 * differently under another BLAS kernel: {@link #hostDifference()} names what differs, for a command to warn
 * before it resumes (a state is never refused for it).
 *
 * <p>This is a value: the library's {@code io.github.natgrad.training.StateFiles} writes it to a file (atomically,
 * with a format version and a CRC-32) and reads it back.
 */
public final class OptimizerState {
    private static final String HOST = describeHost();

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
        Require.notNull(model, "model");
        return model.describe() + " [D=" + model.parameterCount() + "]";
    }

    /** A builder for a state of optimizer {@code kind} bound to {@code model}, recording this host. */
    public static Builder builder(String kind, Model model) {
        return new Builder(Require.notNull(kind, "kind"), fingerprint(model), HOST);
    }

    /**
     * A builder for a state read back from storage, with the kind, model fingerprint and host it was written with
     * (the empty host for a file that did not record one).
     */
    public static Builder restored(String kind, String modelFingerprint, String host) {
        return new Builder(Require.notNull(kind, "kind"), Require.notNull(modelFingerprint, "model fingerprint"),
                Require.notNull(host, "host"));
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

    /** The type of an entry, for a codec that writes every entry ({@code training.StateFiles}). */
    public enum EntryType {
        /** A whole number ({@link #getLong}). */
        LONG,
        /** An array of numbers ({@link #getDoubles}). */
        DOUBLES,
        /** Opaque bytes ({@link #getBytes}): a random stream, a nested state's kind. */
        BYTES
    }

    /** The type of entry {@code name}. */
    public EntryType type(String name) {
        Object v = entries.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the optimizer state has no entry '" + name + "' (it has "
                    + entries.keySet() + ")");
        }
        return v instanceof Long ? EntryType.LONG : v instanceof double[] ? EntryType.DOUBLES : EntryType.BYTES;
    }

    /** A copy of a bytes entry. */
    public byte[] getBytes(String name) {
        return ((byte[]) get(name, byte[].class)).clone();
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
        private final String host;
        private final Map<String, Object> entries = new LinkedHashMap<>();

        private Builder(String kind, String fingerprint, String host) {
            this.kind = kind;
            this.fingerprint = fingerprint;
            this.host = host;
        }

        private Builder put(String name, Object value) {
            Require.notNull(name, "name");
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
            return put(name, Require.notNull(values, name).clone());
        }

        /** Opaque bytes, copied. */
        public Builder putBytes(String name, byte[] bytes) {
            return put(name, Require.notNull(bytes, name).clone());
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
            Require.notNull(nested, "nested state");
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
            return new OptimizerState(kind, fingerprint, host, new LinkedHashMap<>(entries));
        }
    }
}
