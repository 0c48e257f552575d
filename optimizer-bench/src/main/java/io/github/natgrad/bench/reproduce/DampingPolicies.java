package io.github.natgrad.bench.reproduce;

import io.github.natgrad.Curvature;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import java.util.List;

/**
 * The damping policies {@link MlpDampingExperiment} compares, by name: which curvature and which library
 * damping policy each one is, and whether a step's damping action was a repair of an indefinite system.
 */
final class DampingPolicies {
    /** The policies compared, in output order. */
    static final List<String> NAMES =
            List.of("fixed", "shift-to-pd", "saddle-free", "levenberg-marquardt", "gauss-newton");

    private DampingPolicies() {
    }

    /** The curvature a policy damps: the Gauss-Newton matrix for the reference, else the Hessian. */
    static Curvature curvature(String policy) {
        return policy.equals("gauss-newton") ? Curvatures.gaussNewton() : Curvatures.hessian();
    }

    /** The library's damping policy for {@code policy} at λ (the initial λ for Levenberg-Marquardt). */
    static DampingPolicy damping(String policy, double lambda) {
        switch (policy) {
            case "fixed":
            case "gauss-newton":
                return Damping.fixed(lambda);
            case "shift-to-pd":
                return Damping.shiftToPositiveDefinite(lambda, 1e-8);
            case "saddle-free":
                return Damping.saddleFree(lambda);
            case "levenberg-marquardt":
                return Damping.levenbergMarquardt(lambda, Math.min(lambda, 1e-8), 1e8);
            default:
                throw new IllegalArgumentException("unknown damping policy '" + policy + "'; choose one of " + NAMES);
        }
    }

    /** Whether a step's damping action says the policy had to repair an indefinite system. */
    static boolean repaired(String action) {
        if (action.startsWith("shifted") || action.contains("raised")) {
            return true;
        }
        return action.startsWith("saddle-free: ") && !action.startsWith("saddle-free: 0 ");
    }
}
