package io.github.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FixedExpLog}'s exp and log1p against {@link StrictMath} (fdlibm, an independent implementation within
 * 1 ulp of the true value), and {@link Kernels#expNegativeAbs} / {@link Kernels#sumLog1p} — the SIMD path
 * where on — against the scalar formulas bit for bit (the widths against each other:
 * {@code SameBitsAtEveryWidthTest}).
 */
class FixedExpLogTest {

    /** |a − b| in units of the last place of b (subnormal results: in multiples of the smallest double). */
    private static double ulps(double a, double b) {
        return Math.abs(a - b) / Math.ulp(b);
    }

    private static double[] arguments(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            // magnitudes from 1e-20 to 750, uniform in the exponent; and uniform on [−750, 0]
            x[i] = i % 2 == 0 ? -Math.pow(10, -20 + 22.875 * r.nextDouble()) : -750 * r.nextDouble();
        }
        return x;
    }

    @Test
    void expIsWithinOneUlpOfFdlibm() {
        double worst = 0;
        for (double x : arguments(200_000, 5)) {
            double expected = StrictMath.exp(x);
            double got = FixedExpLog.expNonPositive(x);
            worst = Math.max(worst, ulps(got, expected));
            assertTrue(ulps(got, expected) <= 1.0, "exp(" + x + ") = " + got + ", fdlibm " + expected);
        }
        System.out.println("exp: worst " + worst + " ulp against StrictMath over 200000 arguments");
    }

    @Test
    void expEdges() {
        assertEquals(1.0, FixedExpLog.expNonPositive(0.0));
        assertEquals(1.0, FixedExpLog.expNonPositive(-0.0));
        assertEquals(0.0, FixedExpLog.expNonPositive(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, FixedExpLog.expNonPositive(-746.0));
        assertEquals(0.0, FixedExpLog.expNonPositive(-1e300));
        assertTrue(Double.isNaN(FixedExpLog.expNonPositive(Double.NaN)));
        assertEquals(1.0, FixedExpLog.expNonPositive(-Double.MIN_VALUE)); // 1 − 5e-324 rounds to 1
        for (double x : new double[] {-0x1p-54, -0x1p-53, -0x1p-52, -1e-10}) {
            assertEquals(StrictMath.exp(x), FixedExpLog.expNonPositive(x), "exp(" + x + ")");
        }
        // the smallest normal, the subnormals and the last non-zero result
        for (double x : new double[] {Math.log(Double.MIN_NORMAL), -708.5, -720.0, -740.0, -744.4, -745.1}) {
            assertEquals(StrictMath.exp(x), FixedExpLog.expNonPositive(x), Double.MIN_VALUE, "exp(" + x + ")");
        }
        for (int k = -1074; k <= 0; k++) {
            double x = k * Math.log(2);
            assertTrue(ulps(FixedExpLog.expNonPositive(x), StrictMath.exp(x)) <= 1.0, "exp(" + k + " ln 2)");
        }
    }

    @Test
    void log1pIsWithinOneUlpOfFdlibmOnTheUnitInterval() {
        Random r = new Random(8);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = i % 2 == 0 ? r.nextDouble() : Math.pow(10, -30 * r.nextDouble());
            double expected = StrictMath.log1p(x);
            double got = FixedExpLog.log1p(x);
            worst = Math.max(worst, ulps(got, expected));
            assertTrue(ulps(got, expected) <= 1.0, "log1p(" + x + ") = " + got + ", fdlibm " + expected);
        }
        System.out.println("log1p: worst " + worst + " ulp against StrictMath over 200000 arguments in [0, 1]");
        assertEquals(0.0, FixedExpLog.log1p(0.0));
        assertEquals(Double.MIN_VALUE, FixedExpLog.log1p(Double.MIN_VALUE));
        assertEquals(StrictMath.log1p(0.5), FixedExpLog.log1p(0.5), Math.ulp(StrictMath.log1p(0.5)));
        assertEquals(StrictMath.log(2), FixedExpLog.log1p(1.0), Math.ulp(StrictMath.log(2)));
        // outside [0, 1]: the general formula
        for (double x : new double[] {-0.5, -1e-9, 1.5, 1e6}) {
            assertEquals(Kernels.log1p(x), FixedExpLog.log1p(x), "log1p(" + x + ")");
        }
        assertTrue(Double.isNaN(FixedExpLog.log1p(Double.NaN)));
    }

    @Test
    void theKernelsGiveTheScalarBits() {
        Random r = new Random(13);
        for (int n : new int[] {1, 3, 7, 8, 9, 17, 569}) {
            double[] f = new double[n];
            for (int i = 0; i < n; i++) {
                f[i] = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(8) - 3);
            }
            f[0] = n % 2 == 0 ? -0.0 : 800.0;
            for (double scale : new double[] {1.0, 0.5}) {
                double[] e = new double[n];
                Kernels.expNegativeAbs(n, f, scale, e);
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    double expected = FixedExpLog.expNonPositive(-scale * Math.abs(f[i]));
                    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(e[i]),
                            "exp(−" + scale + "·|" + f[i] + "|) at n = " + n);
                    sum += FixedExpLog.log1p(e[i]);
                }
                assertEquals(Double.doubleToRawLongBits(sum), Double.doubleToRawLongBits(Kernels.sumLog1p(n, e)),
                        "Σ log1p at n = " + n);
                // a value outside [0, 1] sends its block down the general formula, element by element
                e[n / 2] = 2.5;
                double mixed = 0;
                for (int i = 0; i < n; i++) {
                    mixed += FixedExpLog.log1p(e[i]);
                }
                assertEquals(Double.doubleToRawLongBits(mixed), Double.doubleToRawLongBits(Kernels.sumLog1p(n, e)),
                        "Σ log1p with 2.5 at n = " + n);
            }
        }
    }
}
