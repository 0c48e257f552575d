package io.github.natgrad.lanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.linalg.Simd;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * natgrad's kernels, a whole optimizer run and a damping sweep give the same bits at 2, 4 and 8 doubles
 * per vector; the kernels that have a scalar path (all but the Gram build, which is OpenBLAS's {@code dsyrk}
 * with the SIMD kernels off) and the damping sweep give the same bits on it too. The vector width is a constant chosen when the kernels' class is initialised (so the JIT
 * compiles the Vector API to machine vectors), so each setting gets a fresh copy of the library in its own
 * class loader, initialised with {@code -Dnatgrad.simd.lanes=2|4|8} or {@code -Dnatgrad.simd=off} in
 * effect: the production code as a user would run it, in this JVM (the JDK runs any width on any CPU,
 * emulating those the CPU lacks). {@link LaneProbe} computes the results; every double is compared by its
 * raw bits (so +0 and −0, or two NaNs, count as different).
 */
@DisabledIfSystemProperty(named = "natgrad.simd", matches = "off", disabledReason = "needs the Vector API module")
class SameBitsAtEveryWidthTest {

    /** Classes of the library and the tests load child-first; the JDK, ND4J and the rest from the parent. */
    private static final class FreshLibrary extends URLClassLoader {
        FreshLibrary(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.github.natgrad.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = super.loadClass(name, false);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, double[]> probe(String property, String value) throws Exception {
        Set<URL> urls = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {Simd.class, LaneProbe.class, io.github.natgrad.Optimizer.class}) {
            urls.add(c.getProtectionDomain().getCodeSource().getLocation());
        }
        String lanes = System.getProperty(Simd.LANES_PROPERTY);
        String simd = System.getProperty(Simd.PROPERTY);
        System.setProperty(property, value);
        try (FreshLibrary loader = new FreshLibrary(urls.toArray(new URL[0]), SameBitsAtEveryWidthTest.class
                .getClassLoader())) {
            Class<?> probe = loader.loadClass(LaneProbe.class.getName());
            assertTrue(probe != LaneProbe.class, "the probe was not loaded afresh");
            Method run = probe.getMethod("run");
            return (Map<String, double[]>) run.invoke(null);
        } finally {
            restore(Simd.LANES_PROPERTY, lanes);
            restore(Simd.PROPERTY, simd);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    /** Every result of {@code actual} whose key {@code compared} accepts has the raw bits of {@code expected}'s. */
    private static void assertSameBits(Map<String, double[]> expected, Map<String, double[]> actual,
            java.util.function.Predicate<String> compared, String what) {
        assertEquals(expected.keySet(), actual.keySet());
        int count = 0;
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            if (e.getKey().equals("simd") || !compared.test(e.getKey())) {
                continue;
            }
            double[] a = e.getValue();
            double[] b = actual.get(e.getKey());
            assertEquals(a.length, b.length, e.getKey());
            for (int i = 0; i < a.length; i++) {
                assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]),
                        () -> e.getKey() + ": " + what + " differ");
            }
            count++;
        }
        assertTrue(count > 100, "only " + count + " results compared");
    }

    @Test
    void kernelsOptimizerAndSweepGiveTheSameBitsAt2And4And8LanesAndOnTheScalarPath() throws Exception {
        Map<String, double[]> two = probe(Simd.LANES_PROPERTY, "2");
        assertEquals(2.0, two.get("simd")[0], "-D" + Simd.LANES_PROPERTY + "=2 did not take effect");
        for (String lanes : new String[] {"4", "8"}) {
            Map<String, double[]> vector = probe(Simd.LANES_PROPERTY, lanes);
            assertEquals(Double.parseDouble(lanes), vector.get("simd")[0], "-D" + Simd.LANES_PROPERTY + "=" + lanes
                    + " did not take effect");
            assertSameBits(two, vector, key -> true, lanes + " lanes vs 2 lanes");
        }
        // the scalar path: every kernel that has one; the Gram build (and so the one-run optimizer) is then
        // OpenBLAS's dsyrk, which agrees to rounding only
        Map<String, double[]> scalar = probe(Simd.PROPERTY, "off");
        assertEquals(0.0, scalar.get("simd")[0], "-Dnatgrad.simd=off did not turn the kernels off");
        assertSameBits(two, scalar, key -> !key.startsWith(LaneProbe.BLAS_WHEN_OFF), "the scalar path vs 2 lanes");
    }

    @Test
    void aBadWidthIsRefusedByName() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> probe(Simd.LANES_PROPERTY, "3"));
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(cause instanceof IllegalArgumentException, String.valueOf(cause));
        assertTrue(cause.getMessage().contains(Simd.LANES_PROPERTY) && cause.getMessage().contains("2, 4 or 8"),
                cause.getMessage());
    }
}
