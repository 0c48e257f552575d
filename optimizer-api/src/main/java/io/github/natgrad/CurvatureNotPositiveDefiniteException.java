package io.github.natgrad;

/**
 * Thrown when a damped curvature C + λI cannot be factorised because it is not positive definite,
 * and the damping policy in use does not repair it. The message names the smallest eigenvalue of C
 * and the fix.
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
        super(String.format("the %s curvature plus damping is not positive definite: its smallest eigenvalue is "
                + "%.6g and the damping lambda is %.6g. Raise lambda above %.6g, or use "
                + "Damping.shiftToPositiveDefinite(), Damping.saddleFree() or Damping.levenbergMarquardt(), "
                + "or a positive semi-definite kind (Fisher, Gauss-Newton)",
                curvature, smallestEigenvalue, lambda, -smallestEigenvalue));
        this.smallestEigenvalue = smallestEigenvalue;
        this.lambda = lambda;
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
