package io.github.natgrad.damping;

import io.github.natgrad.Checks;
import io.github.natgrad.DampingPolicy;

/**
 * Factories for the damping policies.
 *
 * <ul>
 *   <li>{@link #fixed(double)}: Tikhonov λ, constant; fails on a curvature that is not PD after damping.</li>
 *   <li>{@link #auto()}: Levenberg-Marquardt with λ₀ from the curvature's diagonal and Nielsen's update (the
 *       default of {@code NaturalGradient} and of {@code natgrad train}).</li>
 *   <li>{@link #levenbergMarquardt()}: λ adapted by the reduction ratio ρ (Moré 1978; Martens 2010);
 *       {@link #kfac(double)} is the same rule with K-FAC's settings (Martens and Grosse 2015).</li>
 *   <li>{@link #shiftToPositiveDefinite(double, double)}: λ raised to −λ_min(C) + λ₀ when needed.</li>
 *   <li>{@link #saddleFree(double)}: (|C| + λI)⁻¹ through the eigen-decomposition (Dauphin et al. 2014).</li>
 *   <li>{@link #trustRegion()}: TRON's trust region (Lin, Weng and Keerthi 2008): a radius instead of λ.</li>
 * </ul>
 */
public final class Damping {
    private Damping() {
    }

    /** No damping, λ = 0. */
    public static DampingPolicy none() {
        return new FixedDamping(0.0);
    }

    /** A fixed Tikhonov damping λ ≥ 0. */
    public static DampingPolicy fixed(double lambda) {
        return new FixedDamping(Checks.nonNegative(lambda, "damping lambda"));
    }

    /**
     * Levenberg-Marquardt on the problem's scale: λ₀ = 10⁻³ × the smallest diagonal entry of C, then Nielsen's
     * update from the reduction ratio (see {@link AutoDamping}).
     */
    public static AutoDamping auto() {
        return AutoDamping.defaults();
    }

    /**
     * LIBLINEAR's trust-region Newton step (TRON): Steihaug–Toint CG within the radius with a CG solver, the
     * λ(Δ) search with a solver that factorises; TRON's radius update and step acceptance (see
     * {@link TrustRegion}).
     */
    public static TrustRegion trustRegion() {
        return new TrustRegion(Double.NaN);
    }

    /** Levenberg-Marquardt with λ₀ = 1 in [1e-8, 1e8], multiplied or divided by 3/2 per step (a new object). */
    public static LevenbergMarquardtDamping levenbergMarquardt() {
        return LevenbergMarquardtDamping.defaults();
    }

    /** Levenberg-Marquardt starting from λ₀, within [min, max]. */
    public static LevenbergMarquardtDamping levenbergMarquardt(double initial, double min, double max) {
        return LevenbergMarquardtDamping.of(initial, min, max);
    }

    /**
     * K-FAC's Levenberg-Marquardt rule (Martens and Grosse 2015, section 6.5): λ₀ within [min(1e-6, λ₀),
     * max(1e3, λ₀)], shrunk by ω = 19/20 per step when ρ &gt; 3/4 and raised by 1/ω when ρ &lt; 1/4; the
     * default of {@code LayerwiseNaturalGradient} with λ₀ = 1e-3.
     */
    public static LevenbergMarquardtDamping kfac(double initial) {
        Checks.positive(initial, "initial damping");
        return LevenbergMarquardtDamping.of(initial, Math.min(1e-6, initial), Math.max(1e3, initial)).withShrink(0.95);
    }

    /**
     * Shift to positive definite: λ₀ when C + λ₀I factorises, else −λ_min(C) + max(λ₀, ε·max(1, |λ_min|)),
     * with λ_min from the eigen-decomposition.
     */
    public static DampingPolicy shiftToPositiveDefinite(double lambda, double epsilon) {
        return new ShiftToPositiveDefinite(Checks.nonNegative(lambda, "damping lambda"),
                Checks.positive(epsilon, "shift epsilon"));
    }

    /** {@link #shiftToPositiveDefinite(double, double)} with λ₀ = 0 and ε = 1e-8. */
    public static DampingPolicy shiftToPositiveDefinite() {
        return shiftToPositiveDefinite(0.0, 1e-8);
    }

    /** The saddle-free step (|C| + λI)⁻¹ g, λ &gt; 0. */
    public static DampingPolicy saddleFree(double lambda) {
        return new SaddleFreeDamping(Checks.positive(lambda, "saddle-free damping lambda"));
    }
}
