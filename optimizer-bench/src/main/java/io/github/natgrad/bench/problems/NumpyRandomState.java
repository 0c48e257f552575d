package io.github.natgrad.bench.problems;

/**
 * The random stream of numpy's legacy {@code numpy.random.RandomState} (the {@code np.random.seed},
 * {@code np.random.randn}, {@code np.random.lognormal} functions), draw for draw, so that the paper's
 * synthetic problems can be generated from the same numbers as Kunstner, Balles and Hennig's Python code.
 *
 * <ul>
 *   <li>Bits: MT19937 (Matsumoto and Nishimura 1998). An integer seed s in [0, 2³²) sets the state with
 *       the classic {@code init_genrand(s)}: mt[0] = s, mt[i] = 1812433253 · (mt[i−1] ^ (mt[i−1] &gt;&gt; 30)) + i
 *       (mod 2³²), as {@code RandomState.seed(s)} does.</li>
 *   <li>{@link #nextDouble()} is {@code random_sample} ({@code genrand_res53}): from two consecutive 32-bit
 *       outputs a, b, ((a &gt;&gt; 5) · 2²⁶ + (b &gt;&gt; 6)) / 2⁵³.</li>
 *   <li>{@link #nextGaussian()} is {@code legacy_gauss}, the polar method: x1 = 2u − 1, x2 = 2u − 1 until
 *       0 &lt; r² = x1² + x2² &lt; 1, f = √(−2 ln r² / r²); returns f·x2 and keeps f·x1, which the next
 *       normal draw of any distribution (randn, normal, lognormal) returns first.</li>
 *   <li>{@link #lognormal(double, double)} = exp(μ + σ·gauss); {@link #randn(int, int)} fills row-major.</li>
 * </ul>
 *
 * <p>{@code ln} and {@code exp} are rounded correctly ({@link RoundedMath}), as the C library of the
 * authors' time (glibc before 2.28) rounded them; {@code sqrt} is exact-rounded everywhere. The glibc of
 * today is off by one unit in rare cases, so numpy 2.4 on it differs from this stream in the last bit of
 * about 3 in 10⁴ normal draws (a pair at a time) and 9 in 10⁴ lognormal ones; of the paper's problems with
 * seed 0, only normal draws 662 and 663 differ (1 ulp), and the vector-field data are identical.
 * Not thread-safe.
 */
public final class NumpyRandomState {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int index;
    private boolean hasGauss;
    private double gauss;

    /** A stream seeded as {@code np.random.seed(seed)}; the seed must lie in [0, 2³²). */
    public NumpyRandomState(long seed) {
        seed(seed);
    }

    /**
     * Reseeds as {@code np.random.seed(seed)} with an integer: {@code init_genrand(seed)}, and forgets a
     * kept normal value.
     *
     * @throws IllegalArgumentException unless 0 ≤ seed &lt; 2³² (numpy's own range for an integer seed)
     */
    public void seed(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("a numpy seed must lie in [0, 2^32 - 1], got " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
        hasGauss = false;
        gauss = 0.0;
    }

    /** The next 32-bit output of MT19937 ({@code genrand_int32}), as an unsigned value in a long. */
    public long nextUnsignedInt() {
        if (index >= N) {
            twist();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        index = 0;
    }

    /** A double uniform on [0, 1) with 53 random bits: numpy's {@code random_sample()}. */
    public double nextDouble() {
        long a = nextUnsignedInt() >>> 5;
        long b = nextUnsignedInt() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** A standard normal draw: numpy's {@code legacy_gauss} (polar method with a kept value). */
    public double nextGaussian() {
        if (hasGauss) {
            hasGauss = false;
            double kept = gauss;
            gauss = 0.0;
            return kept;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * RoundedMath.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** {@code np.random.normal(mean, sd)}: mean + sd · gauss. */
    public double normal(double mean, double sd) {
        return mean + sd * nextGaussian();
    }

    /** {@code np.random.lognormal(mean, sigma)}: exp(mean + sigma · gauss). */
    public double lognormal(double mean, double sigma) {
        return RoundedMath.exp(normal(mean, sigma));
    }

    /** {@code np.random.randn(rows, columns)}: standard normals, row-major. */
    public double[] randn(int rows, int columns) {
        if (rows < 0 || columns < 0) {
            throw new IllegalArgumentException("randn needs non-negative dimensions, got " + rows + " x " + columns);
        }
        double[] out = new double[Math.multiplyExact(rows, columns)];
        for (int i = 0; i < out.length; i++) {
            out[i] = nextGaussian();
        }
        return out;
    }

    /** {@code np.random.lognormal(mean, sigma, count)}: {@code count} draws in order. */
    public double[] lognormal(double mean, double sigma, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("lognormal needs a non-negative count, got " + count);
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = lognormal(mean, sigma);
        }
        return out;
    }
}
