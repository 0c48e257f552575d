package io.github.natgrad.bench.ablate;

import io.github.natgrad.bench.reproduce.GridEngine;
import io.github.natgrad.bench.reproduce.Method;
import io.github.natgrad.bench.reproduce.RunResult;
import java.util.Set;

/**
 * The ONE adapter between studies and the library's many-dampings call,
 * {@link io.github.natgrad.optim.DampingSweep}, reached through the reproduction's {@link GridEngine} (a
 * thin client of it, so {@code ablate} and {@code reproduce optim} share one code path): every run of a
 * group that differs only in the damping advances together, with one curvature build per iteration serving
 * every damping. It answers for a generalised linear model from θ₀ = 0 with the full batch, the kinds gd,
 * fisher and empirical-fisher, a fixed damping, the Cholesky solve and a dense structure, the final-objective
 * metric and the divergence rule "objective above 100 × the initial one". Thread-safe: the engine is immutable.
 */
final class GridPath {
    private static final Set<String> KINDS = Set.of("gd", "fisher", "empirical-fisher");

    private final GridEngine engine;

    GridPath(StudyProblem problem, int maxGroup) {
        this.engine = new GridEngine(problem.glm());
    }

    /** Whether runs with this setting, on a GLM problem ({@code glm}) or not, can go through the grid engine. */
    static boolean supports(boolean glm, RunSetting s, Study study) {
        return study.fastPath() && glm && study.metric() == Metric.FINAL_OBJECTIVE
                && study.divergence() == io.github.natgrad.bench.reproduce.Grid.DIVERGENCE_FACTOR
                && KINDS.contains(s.kind()) && s.batchSize() == 0
                && (s.gradientDescent() || (s.dampingPolicy().equals("fixed") && s.solver().equals("cholesky")
                        && s.structure().equals("dense")));
    }

    /**
     * Runs the group: gradient descent once, the other kinds once per damping.
     *
     * @param curves whether to record the objective at every iteration
     */
    RunResult[] run(String kind, double stepSize, double[] dampings, int iterations, boolean curves) {
        Method method = switch (kind) {
            case "gd" -> Method.GD;
            case "fisher" -> Method.NGD;
            case "empirical-fisher" -> Method.EFGD;
            default -> throw new IllegalArgumentException("the grid path has no kind " + kind);
        };
        return engine.run(method, stepSize, dampings, iterations, curves);
    }
}
