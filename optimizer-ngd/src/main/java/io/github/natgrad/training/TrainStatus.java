package io.github.natgrad.training;

/**
 * How a {@code train} run ended: the {@code status} field of result.json and the command's exit code.
 * Only {@link #OK} is success; every other status means the parameters are not the optimum the run was
 * asked for, and the exit code says so to scripts. The codes are listed in {@code natgrad train --help}.
 */
public enum TrainStatus {
    /** The gradient tolerance was reached (|g| ≤ tolerance · |g₀|); for networks: every epoch ran. */
    OK("ok", 0),
    /** An exception ended the run (bad input, an unwritable file, …); result.json has the error. */
    FAILED("failed", 1),
    /** The iteration budget ran out before the gradient tolerance was reached. */
    NOT_CONVERGED("not-converged", 3),
    /** A direction d with gᵀd ≤ 0 (not downhill): the curvature or the solve is wrong, or C + λI is indefinite. */
    NOT_DESCENT("not-descent", 4),
    /** No step was taken: step rejection or the line search refused every trial step. */
    ALL_STEPS_REJECTED("all-steps-rejected", 5),
    /** The objective, the gradient or the direction became NaN or infinite. */
    DIVERGED("diverged", 6);

    /** The exit code of picocli's usage errors (an unknown or malformed option). */
    public static final int USAGE_ERROR = 2;

    private final String label;
    private final int exitCode;

    TrainStatus(String label, int exitCode) {
        this.label = label;
        this.exitCode = exitCode;
    }

    /** The value of result.json's {@code status}, e.g. {@code "not-converged"}. */
    public String label() {
        return label;
    }

    /** The exit code of the command. */
    public int exitCode() {
        return exitCode;
    }
}
