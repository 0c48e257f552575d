package io.github.natgrad.linalg;

/**
 * exp and log1p from additions, multiplications, fused multiply-adds, one division and bit operations only,
 * so the SIMD kernels ({@code VectorExpLog}) compute exactly the same bits lane by lane, at every vector
 * width, in the interpreter and in compiled code — unlike the Vector API's {@code EXP}/{@code LOG}, whose
 * compiled form (a vector math library) may differ from its interpreted form in the last bit, and unlike
 * {@link Math#exp}, which is one scalar call per element. Accurate to about 1 ulp (the tests compare with
 * {@link StrictMath}, fdlibm).
 *
 * <p>exp(x), x ≤ 0: Cody–Waite reduction x = k·ln 2 + r, |r| ≤ ln 2 / 2 (k by the round-to-nearest
 * of x/ln 2 + 1.5·2⁵², ln 2 in two parts, fused), exp(r) by its Taylor polynomial of degree 13 (the next
 * term is below 5e-18 of the result), Horner with fused multiply-adds, then 2ᵏ applied as two exact powers
 * of two, so a subnormal result is rounded once. Tang, "Table-driven implementation of the exponential
 * function in IEEE floating-point arithmetic", ACM TOMS 15 (1989), without the table.
 *
 * <p>log1p(x), 0 ≤ x ≤ 1: log(1 + a) = 2 atanh(s), s = a/(2 + a), with a = x for x &lt; ½ (|s| &lt; 0.2)
 * and log(1 + x) = ln 2 + log(1 + a), a = (x − 1)/2 (exact) for x ≥ ½ (|s| &lt; 1/7); written as
 * a − s·(a − R) with R = 2 atanh(s)/s − 2 by its series in s² (to s²², the next term below 1e-18 of the
 * result), as fdlibm's log1p, so the rounding of s touches only the small correction. Values outside
 * [0, 1] take {@link Kernels#log1p}.
 */
final class FixedExpLog {
    /** ln 2 rounded to a double, and the rest. */
    static final double LN2_HI = 0x1.62e42fefa39efp-1;
    static final double LN2_LO = 0x1.abc9e3b39803fp-56;
    static final double INV_LN2 = 0x1.71547652b82fep+0;
    /** 1.5·2⁵²: x/ln 2 + this rounds to an integer k held in the low bits. */
    static final double SHIFTER = 0x1.8p52;
    static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** Below this, exp(x) rounds to 0 (e^−746 &lt; 2^−1075); the argument is clamped here. */
    static final double EXP_FLOOR = -746.0;

    /** 1/i!, i = 0..13. */
    static final double E0 = 1.0;
    static final double E1 = 1.0;
    static final double E2 = 0x1.0000000000000p-1;
    static final double E3 = 0x1.5555555555555p-3;
    static final double E4 = 0x1.5555555555555p-5;
    static final double E5 = 0x1.1111111111111p-7;
    static final double E6 = 0x1.6c16c16c16c17p-10;
    static final double E7 = 0x1.a01a01a01a01ap-13;
    static final double E8 = 0x1.a01a01a01a01ap-16;
    static final double E9 = 0x1.71de3a556c734p-19;
    static final double E10 = 0x1.27e4fb7789f5cp-22;
    static final double E11 = 0x1.ae64567f544e4p-26;
    static final double E12 = 0x1.1eed8eff8d898p-29;
    static final double E13 = 0x1.6124613a86d09p-33;

    /** 2/(2j + 3), j = 0..10: R(z) = z·(Q0 + Q1·z + …) = 2 atanh(s)/s − 2. */
    static final double Q0 = 0x1.5555555555555p-1;
    static final double Q1 = 0x1.999999999999ap-2;
    static final double Q2 = 0x1.2492492492492p-2;
    static final double Q3 = 0x1.c71c71c71c71cp-3;
    static final double Q4 = 0x1.745d1745d1746p-3;
    static final double Q5 = 0x1.3b13b13b13b14p-3;
    static final double Q6 = 0x1.1111111111111p-3;
    static final double Q7 = 0x1.e1e1e1e1e1e1ep-4;
    static final double Q8 = 0x1.af286bca1af28p-4;
    static final double Q9 = 0x1.8618618618618p-4;
    static final double Q10 = 0x1.642c8590b2164p-4;

    private FixedExpLog() {
    }

    /** exp(x) for x ≤ 0 (−∞ gives 0, NaN gives NaN); positive x are outside the contract. */
    static double expNonPositive(double x) {
        x = Math.max(x, EXP_FLOOR);
        double t = Math.fma(x, INV_LN2, SHIFTER);
        double kd = t - SHIFTER;
        long k = Double.doubleToRawLongBits(t) - SHIFTER_BITS;
        double r = Math.fma(-kd, LN2_HI, x);
        r = Math.fma(-kd, LN2_LO, r);
        double p = Math.fma(E13, r, E12);
        p = Math.fma(p, r, E11);
        p = Math.fma(p, r, E10);
        p = Math.fma(p, r, E9);
        p = Math.fma(p, r, E8);
        p = Math.fma(p, r, E7);
        p = Math.fma(p, r, E6);
        p = Math.fma(p, r, E5);
        p = Math.fma(p, r, E4);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, E1);
        p = Math.fma(p, r, E0);
        long k1 = k >> 1;
        long k2 = k - k1;
        double scale1 = Double.longBitsToDouble((k1 + 1023) << 52);
        double scale2 = Double.longBitsToDouble((k2 + 1023) << 52);
        return p * scale1 * scale2;
    }

    /** Whether {@link #log1pUnit} covers x (0 ≤ x ≤ 1; NaN is not covered). */
    static boolean inUnit(double x) {
        return x >= 0.0 && x <= 1.0;
    }

    /** log(1 + x) for 0 ≤ x ≤ 1. */
    static double log1pUnit(double x) {
        boolean upper = x >= 0.5;
        double a = upper ? (x - 1.0) * 0.5 : x;
        double s = a / (2.0 + a);
        double z = s * s;
        double q = Math.fma(Q10, z, Q9);
        q = Math.fma(q, z, Q8);
        q = Math.fma(q, z, Q7);
        q = Math.fma(q, z, Q6);
        q = Math.fma(q, z, Q5);
        q = Math.fma(q, z, Q4);
        q = Math.fma(q, z, Q3);
        q = Math.fma(q, z, Q2);
        q = Math.fma(q, z, Q1);
        q = Math.fma(q, z, Q0);
        double r = z * q;
        double log = Math.fma(-s, a - r, a); // log(1 + a) = a − s·(a − R), since 2s = a − s·a
        return upper ? LN2_HI + (log + LN2_LO) : log;
    }

    /** log(1 + x): {@link #log1pUnit} on [0, 1], else {@link Kernels#log1p}. */
    static double log1p(double x) {
        return inUnit(x) ? log1pUnit(x) : Kernels.log1p(x);
    }
}
