package io.github.natgrad;

/**
 * Thrown when a damped curvature C + λI cannot be factorised because it is not positive definite,
 * and the damping policy in use does not repair it. The message names the smallest eigenvalue of C
 * and the fix; a curvature with NaN or infinite entries is reported as such, and a factorisation that
 * failed on a matrix whose eigenvalues are all positive is not called "not positive definite".
 */
public class CurvatureNotPositiveDefiniteException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final double smallestEigenvalue;
    private final double lambda;

    /**
     * @param curvature          the curvature kind's name
     * @param smallestEigenvalue the smallest eigenvalue of C (undamped)
     * @param lambda             the damping that was tried
     */
    public CurvatureNotPositiveDefiniteException(String curvature, double smallestEigenvalue, double lambda) {
        super(message(curvature, smallestEigenvalue, lambda));
        this.smallestEigenvalue = smallestEigenvalue;
        this.lambda = lambda;
    }

    private static final String REMEDIES = "Damping.shiftToPositiveDefinite(), Damping.saddleFree() or "
            + "Damping.levenbergMarquardt(), or a positive semi-definite kind (Fisher, Gauss-Newton)";

    /**
     * The message: the usual one (raise λ above −λ_min) only when it is true. A smallest eigenvalue that is
     * not a number means the matrix has NaN or infinite entries, and is said so; one with λ_min + λ &gt; 0
     * means the eigen-decomposition finds C + λI positive definite and only the factorisation failed: a
     * matrix singular at rounding level, not a matter of the sign of its eigenvalues.
     */
    static String message(String curvature, double smallestEigenvalue, double lambda) {
        if (!Double.isFinite(smallestEigenvalue) || !Double.isFinite(lambda)) {
            return String.format("the %s curvature plus damping (lambda = %.6g) could not be factorised and has no "
                    + "finite smallest eigenvalue (%s): it has NaN or infinite entries, from a step that diverged or "
                    + "from non-finite data; lower the step size or check the data", curvature, lambda,
                    smallestEigenvalue);
        }
        if (smallestEigenvalue + lambda > 0) {
            return String.format("the Cholesky factorisation of the %s curvature plus damping failed, although its "
                    + "eigenvalues say it is positive definite (smallest eigenvalue of C %.6g, lambda %.6g, so the "
                    + "smallest of C + lambda I is %.3g): it is singular at rounding level against its largest "
                    + "eigenvalue. Raise lambda (e.g. tenfold), or use %s", curvature, smallestEigenvalue, lambda,
                    smallestEigenvalue + lambda, REMEDIES);
        }
        return String.format("the %s curvature plus damping is not positive definite: its smallest eigenvalue is "
                + "%.6g and the damping lambda is %.6g. Raise lambda above %.6g, or use %s",
                curvature, smallestEigenvalue, lambda, -smallestEigenvalue, REMEDIES);
    }

    /**
     * For subclasses with their own message.
     *
     * @param message            what happened and what to do
     * @param smallestEigenvalue the smallest eigenvalue of C, or an upper bound of it
     * @param lambda             the damping that was tried
     */
    protected CurvatureNotPositiveDefiniteException(String message, double smallestEigenvalue, double lambda,
            boolean custom) {
        super(message);
        this.smallestEigenvalue = smallestEigenvalue;
        this.lambda = lambda;
    }

    /** The smallest eigenvalue of the undamped curvature. */
    public double smallestEigenvalue() {
        return smallestEigenvalue;
    }

    /** The damping λ that was tried. */
    public double lambda() {
        return lambda;
    }
}
