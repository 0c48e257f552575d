package io.github.natgrad.models;

import org.apache.commons.math3.special.Erf;

/**
 * The standard normal CDF Φ in the forms the probit likelihood needs, accurate in both tails: log Φ(z),
 * the ratio λ(z) = φ(z)/Φ(z) (the inverse Mills ratio of −z) and λ(z)(z + λ(z)) = −d²log Φ(z)/dz².
 *
 * <p>For z ≥ −3 they come from Φ(z) = erfc(−z/√2)/2 (Commons Math {@link Erf#erfc}). Below, Φ(z)
 * underflows and z + λ(z) cancels, so with t = −z they come from the continued fraction of the Mills
 * ratio R(t) = Φ(−t)/φ(t) = 1/(t + q), q = 1/(t + 2/(t + 3/(t + …))) (Laplace; Abramowitz and Stegun
 * 26.2.14), evaluated by the modified Lentz method: log Φ(z) = log φ(z) − log(t + q), λ(z) = t + q and
 * z + λ(z) = q exactly, so λ(z)(z + λ(z)) = q(t + q) without cancellation.
 */
final class NormalTails {
    /** Below this z the continued fraction is used. */
    static final double TAIL = -3.0;
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double SQRT_HALF = Math.sqrt(0.5);

    private NormalTails() {
    }

    /** The density φ(z). */
    static double density(double z) {
        return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
    }

    /** Φ(z). */
    static double cdf(double z) {
        return z < 0 ? 0.5 * Erf.erfc(-z * SQRT_HALF) : 1.0 - 0.5 * Erf.erfc(z * SQRT_HALF);
    }

    /** q(t) = 1/(t + 2/(t + 3/(t + …))) for t &gt; 0, by the modified Lentz method. */
    static double tailFraction(double t) {
        final double tiny = 1e-300;
        double f = tiny;
        double c = f;
        double d = 0;
        for (int j = 1; j < 10_000; j++) {
            d = t + j * d;
            d = d == 0 ? 1 / tiny : 1 / d;
            c = t + j / c;
            if (c == 0) {
                c = tiny;
            }
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                return f;
            }
        }
        return f;
    }

    /** log Φ(z), finite for every finite z. */
    static double logCdf(double z) {
        if (z < TAIL) {
            double t = -z;
            return -0.5 * z * z - LOG_SQRT_2PI - Math.log(t + tailFraction(t));
        }
        return z < 0 ? Math.log(0.5 * Erf.erfc(-z * SQRT_HALF)) : Math.log1p(-0.5 * Erf.erfc(z * SQRT_HALF));
    }

    /** λ(z) = φ(z)/Φ(z) = d log Φ(z)/dz, positive. */
    static double ratio(double z) {
        if (z < TAIL) {
            double t = -z;
            return t + tailFraction(t);
        }
        return density(z) / cdf(z);
    }

    /** λ(z)(z + λ(z)) = −d² log Φ(z)/dz², in (0, 1). */
    static double curvature(double z) {
        if (z < TAIL) {
            double t = -z;
            double q = tailFraction(t);
            return q * (t + q);
        }
        double lambda = density(z) / cdf(z);
        return lambda * (z + lambda);
    }
}
