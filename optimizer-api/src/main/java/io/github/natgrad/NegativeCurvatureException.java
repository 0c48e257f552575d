package io.github.natgrad;

/**
 * Thrown by an iterative solve (conjugate gradients) of (C + λI) d = g that met a direction p with
 * non-positive curvature pᵀ(C + λI)p ≤ 0, so the damped curvature is not positive definite. The optimizer
 * hands it to its {@link DampingPolicy#repair damping policy}, which raises λ and says so, or rethrows it;
 * the Rayleigh quotient q = pᵀCp / pᵀp is an upper bound of λ_min(C), so λ must exceed −q.
 */
public class NegativeCurvatureException extends CurvatureNotPositiveDefiniteException {
    private static final long serialVersionUID = 1L;

    private final double rayleighQuotient;
    private final int iteration;

    /**
     * @param curvature        the curvature kind's name
     * @param rayleighQuotient pᵀCp / pᵀp for the direction found (undamped)
     * @param lambda           the damping in use
     * @param iteration        the CG iteration at which it was found (1-based)
     */
    public NegativeCurvatureException(String curvature, double rayleighQuotient, double lambda, int iteration) {
        super(Double.isFinite(rayleighQuotient) && Double.isFinite(lambda)
                ? String.format("conjugate gradients met negative curvature of the %s curvature at iteration %d: a "
                + "direction p with p'Cp/p'p = %.6g, so C + lambda I (lambda = %.6g) is not positive definite. "
                + "Use Damping.levenbergMarquardt() or Damping.shiftToPositiveDefinite(), which raise lambda and "
                + "report it, raise lambda above %.6g, or a positive semi-definite kind (fisher, gauss-newton)",
                curvature, iteration, rayleighQuotient, lambda, -rayleighQuotient)
                : String.format("conjugate gradients met a direction p with p'Cp/p'p = %s of the %s curvature at "
                + "iteration %d (lambda = %.6g): the curvature products are not finite, from a step that diverged "
                + "or from non-finite data; lower the step size or check the data", rayleighQuotient, curvature,
                iteration, lambda), rayleighQuotient, lambda, true);
        this.rayleighQuotient = rayleighQuotient;
        this.iteration = iteration;
    }

    /** pᵀCp / pᵀp of the undamped curvature along the direction found: an upper bound of λ_min(C). */
    public double rayleighQuotient() {
        return rayleighQuotient;
    }

    /** The CG iteration (1-based) that found it. */
    public int iteration() {
        return iteration;
    }
}
