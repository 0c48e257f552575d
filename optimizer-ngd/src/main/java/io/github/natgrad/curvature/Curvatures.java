package io.github.natgrad.curvature;

import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import java.util.List;
import java.util.Locale;

/**
 * Factories for natgrad's curvature kinds. Each is the matrix of the data term (a mean over the batch);
 * the optimizer adds the prior's curvature where the kind includes it.
 *
 * <table>
 *   <caption>Curvature kinds</caption>
 *   <tr><th>factory</th><th>name</th><th>C</th></tr>
 *   <tr><td>{@link #identity()}</td><td>identity</td><td>I (gradient descent)</td></tr>
 *   <tr><td>{@link #fisher()}</td><td>fisher</td><td>(1/N) Σ J_iᵀ Λ(f_i) J_i</td></tr>
 *   <tr><td>{@link #monteCarloFisher(int, long)}</td><td>mc-fisher</td>
 *       <td>(1/Nk) Σ_i Σ_s J_iᵀ ∇ℓ(ŷ_is) ∇ℓ(ŷ_is)ᵀ J_i, ŷ ~ model</td></tr>
 *   <tr><td>{@link #empiricalFisher()}</td><td>empirical-fisher</td><td>(1/N) Σ ∇ℓ_i ∇ℓ_iᵀ</td></tr>
 *   <tr><td>{@link #gaussNewton()}</td><td>gauss-newton</td><td>(1/N) Σ J_iᵀ ∇²_f ℓ_i J_i</td></tr>
 *   <tr><td>{@link #hessian()}</td><td>hessian</td><td>∇²_θ L</td></tr>
 * </table>
 */
public final class Curvatures {
    /** The names {@link #byName} accepts. */
    public static final List<String> NAMES =
            List.of("identity", "fisher", "mc-fisher", "empirical-fisher", "gauss-newton", "hessian");

    private Curvatures() {
    }

    /** C = I: gradient descent. */
    public static Curvature identity() {
        return new IdentityCurvature();
    }

    /** The exact (true) Fisher information. */
    public static Curvature fisher() {
        return new TrueFisher();
    }

    /** The Monte-Carlo Fisher with {@code samples} labels drawn per example from a stream seeded by {@code seed}. */
    public static Curvature monteCarloFisher(int samples, long seed) {
        Checks.atLeastOne(samples, "Monte-Carlo samples per example");
        return new MonteCarloFisher(samples, seed);
    }

    /** The empirical Fisher. */
    public static Curvature empiricalFisher() {
        return new EmpiricalFisher();
    }

    /** The generalised Gauss-Newton matrix. */
    public static Curvature gaussNewton() {
        return new GaussNewton();
    }

    /** The exact Hessian, including the model's second-order term. */
    public static Curvature hessian() {
        return new ExactHessian();
    }

    /**
     * {@code kind} without the prior's curvature: with an L2 prior the optimizer still adds the prior to the
     * loss and the gradient, but preconditions with the data-term matrix alone, (C + λI)⁻¹ g. Kunstner,
     * Balles and Hennig's empirical-Fisher field (Fig. 1) is
     * {@code NaturalGradient.of(Curvatures.withoutPrior(Curvatures.empiricalFisher())).withPrior(prior)}.
     * Its name is the kind's with {@code -without-prior} appended.
     */
    public static Curvature withoutPrior(Curvature kind) {
        return new WithoutPrior(Checks.notNull(kind, "curvature"));
    }

    /**
     * The kind with the given name (one of {@link #NAMES}); {@code mc-fisher} uses {@code samples} and
     * {@code seed}.
     */
    public static Curvature byName(String name, int samples, long seed) {
        switch (canonicalName(name)) {
            case "identity":
                return identity();
            case "fisher":
                return fisher();
            case "mc-fisher":
                return monteCarloFisher(samples, seed);
            case "empirical-fisher":
                return empiricalFisher();
            case "gauss-newton":
                return gaussNewton();
            case "hessian":
                return hessian();
            default:
                throw new IllegalArgumentException("unknown curvature '" + name + "'; choose one of " + NAMES);
        }
    }

    /**
     * The name in {@link #NAMES} that {@code name} stands for, in any case: itself, or the kind of a short alias
     * (gd: identity, ngd: fisher, ef: empirical-fisher, ggn: gauss-newton); any other text lower-cased as it is.
     */
    public static String canonicalName(String name) {
        String t = name.toLowerCase(Locale.ROOT);
        switch (t) {
            case "gd":
                return "identity";
            case "ngd":
                return "fisher";
            case "ef":
                return "empirical-fisher";
            case "ggn":
                return "gauss-newton";
            default:
                return t;
        }
    }
}
