package io.github.natgrad.linalg;

/**
 * Thrown when a BLAS or LAPACK routine gave natgrad a wrong answer: a known-answer check of the routine
 * failed on its first use in the process ({@link Blas}), or a dense solve left a residual
 * ‖(C + λI)x − g‖ / ‖g‖ far above what rounding allows even after a step of iterative refinement. Some
 * OpenBLAS builds compute wrong results with status 0 on some CPUs (OpenBLAS 0.3.19's SkylakeX kernels on
 * AVX-512 give Cholesky factors and eigenvectors wrong in their first digit); natgrad stops rather than
 * return numbers it cannot trust. The message names the routine, the OpenBLAS in use and its kernel
 * ({@link Blas#describe()}) and the remedy: set {@code OPENBLAS_CORETYPE=Haswell} before the JVM starts,
 * or depend on a newer {@code org.bytedeco:openblas}. Not an {@link IllegalStateException}: no caller may
 * mistake it for a diverged run.
 */
public class BlasKernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What to do about a wrong kernel, appended to every message. */
    public static final String REMEDY = "Set the environment variable OPENBLAS_CORETYPE=Haswell before starting the "
            + "JVM (OpenBLAS's AVX2 kernels), or depend on a newer org.bytedeco:openblas (0.3.28-1.5.11 or later, "
            + "with org.bytedeco:javacpp 1.5.11)";

    private final String routine;

    /**
     * @param routine what gave the wrong answer, e.g. {@code "dpotrf"} or {@code "Cholesky solve (dpotrf/dpotrs)"}
     * @param detail  what was computed and what was expected
     */
    public BlasKernelException(String routine, String detail) {
        super(routine + " gave a wrong answer: " + detail + ". BLAS in use: " + Blas.describe()
                + ". natgrad does not use results it cannot trust. " + REMEDY + ".");
        this.routine = routine;
    }

    private BlasKernelException(BlasKernelException first) {
        super(first.getMessage(), first);
        this.routine = first.routine;
    }

    /** The routine (or solve) that gave the wrong answer. */
    public String routine() {
        return routine;
    }

    /** A new exception with the same message, thrown at a later call (the first one is its cause). */
    BlasKernelException again() {
        return new BlasKernelException(this);
    }
}
