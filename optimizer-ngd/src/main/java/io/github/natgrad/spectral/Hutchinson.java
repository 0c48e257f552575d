package io.github.natgrad.spectral;

import io.github.natgrad.Checks;
import io.github.natgrad.CurvatureOperator;
import java.util.SplittableRandom;

/**
 * The trace of a symmetric operator from its products: Hutchinson's estimator tr(C) ≈ (1/s) Σ zᵀCz over
 * s Rademacher probes z ∈ {−1, +1}ᴰ (Hutchinson 1990; Avron and Toledo 2011), unbiased, with variance
 * 2 Σ_{i≠j} C_ij² / s (exact for a diagonal C). Seeded.
 *
 * @param trace          the estimate
 * @param standardError  its standard error, from the probes' spread
 * @param probes         s
 */
public record Hutchinson(double trace, double standardError, int probes) {

    /** The estimate from {@code probes} ≥ 2 products. */
    public static Hutchinson estimate(CurvatureOperator operator, int probes, long seed) {
        if (probes < 2) {
            throw new IllegalArgumentException("Hutchinson needs at least 2 probes, got " + probes);
        }
        Checks.notNull(operator, "operator");
        int d = operator.dimension();
        SplittableRandom random = new SplittableRandom(seed);
        double[] z = new double[d];
        double[] cz = new double[d];
        double sum = 0;
        double sumSq = 0;
        for (int s = 0; s < probes; s++) {
            for (int j = 0; j < d; j++) {
                z[j] = random.nextBoolean() ? 1.0 : -1.0;
            }
            operator.multiply(z, cz);
            double q = 0;
            for (int j = 0; j < d; j++) {
                q += z[j] * cz[j];
            }
            sum += q;
            sumSq += q * q;
        }
        double mean = sum / probes;
        double variance = Math.max(0, (sumSq - probes * mean * mean) / (probes - 1));
        return new Hutchinson(mean, Math.sqrt(variance / probes), probes);
    }
}
