package io.github.natgrad.bench.ablate;

import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.optim.DampingSweep;
import io.github.natgrad.optim.NaturalGradient;
import java.util.Set;

/**
 * The ONE adapter between studies and the library's many-runs call, {@link DampingSweep}: the runs of a
 * grid task (one problem and kind, a block of up to {@value #STEP_SIZES_PER_SWEEP} step sizes × every
 * damping) advance together, with one curvature build per iteration serving every run. It answers for a
 * generalised linear model from θ₀ = 0 with the full batch, the kinds gd, fisher and empirical-fisher, a
 * fixed damping, the Cholesky solve and a dense structure, the final-objective metric and the divergence
 * rule "objective above {@value #DIVERGENCE_FACTOR} × the initial one" (Kunstner, Balles and Hennig 2019,
 * Fig. 3). Both {@code ablate} and {@code reproduce optim} reach the library through here. Thread-safe:
 * immutable after construction.
 */
public final class GridPath {
    /** A run whose objective exceeds this factor times the initial one (or is not finite) has diverged. */
    public static final double DIVERGENCE_FACTOR = io.github.natgrad.training.Divergence.PAPER_FACTOR;

    /**
     * The most step sizes one sweep advances together on a dense design: 12 × 41 dampings = 492 runs per
     * batched product, past the size where OpenBLAS's dgemm reaches its large-matrix rate, while a task
     * still ends (and is saved) every few seconds. The blocks are fixed by the step-size axis alone (not by
     * the thread count or by what a resumed study still has to do): a batched product's rounding depends on
     * the rows it holds, so a run's bits are fixed only together with its sweep's runs. On a sparse design
     * (no batched dgemm to feed) each step size of a block is its own sweep.
     */
    public static final int STEP_SIZES_PER_SWEEP = 12;

    private static final Set<String> KINDS = Set.of("gd", "fisher", "empirical-fisher");

    private final Problem problem;
    private final DampingSweep sweep;

    /** The grid path of one problem: prepares the design matrix once (and its sparsity, if sparse). */
    public GridPath(Problem problem) {
        this.problem = problem;
        this.sweep = DampingSweep.of(problem.model(), problem.batch());
    }

    /** Whether runs with this setting, on a GLM problem ({@code glm}) or not, can go through the grid path. */
    static boolean supports(boolean glm, RunSetting s, Study study) {
        return study.fastPath() && glm && study.metric() == Metric.FINAL_OBJECTIVE
                && study.divergence() == DIVERGENCE_FACTOR
                && KINDS.contains(s.kind()) && s.batchSize() == 0
                && (s.gradientDescent() || (s.dampingPolicy().equals("fixed") && s.solver().equals("cholesky")
                        && s.structure().equals("dense")));
    }

    /**
     * The library configuration of one run of kind gd, fisher or empirical-fisher with the problem's prior:
     * {@code NaturalGradient.gradientDescent(η)} or {@code NaturalGradient.of(Curvatures.fisher() |
     * empiricalFisher()).withStepSize(η).withDamping(Damping.fixed(λ))}.
     */
    public static NaturalGradient configuration(Problem problem, String kind, double stepSize, double damping) {
        NaturalGradient config = switch (kind) {
            case "gd" -> NaturalGradient.gradientDescent(stepSize);
            case "fisher" -> NaturalGradient.of(Curvatures.fisher()).withStepSize(stepSize)
                    .withDamping(Damping.fixed(damping));
            case "empirical-fisher" -> NaturalGradient.of(Curvatures.empiricalFisher()).withStepSize(stepSize)
                    .withDamping(Damping.fixed(damping));
            default -> throw new IllegalArgumentException("the grid path has no kind " + kind
                    + "; it runs gd, fisher and empirical-fisher");
        };
        return config.withPrior(problem.prior());
    }

    /** Whether the sparse curvature path is used. */
    public boolean sparse() {
        return sweep.sparse();
    }

    /**
     * Runs one kind for the given (step size, damping) pairs, from θ₀ = 0, {@code iterations} iterations:
     * on a dense design as one sweep; on a sparse one, each run of consecutive equal step sizes as one sweep.
     * Gradient descent ignores the dampings (pass 0).
     *
     * @param curves whether to record the objective at every iteration; without, a run's curve holds the
     *               initial and the final objective only
     * @return one run per pair, in order
     */
    public DampingSweep.Run[] run(String kind, double[] stepSizes, double[] dampings, int iterations, boolean curves) {
        NaturalGradient config = configuration(problem, kind, stepSizes[0], 0.0);
        if (!sweep.sparse()) {
            return sweep.run(config, stepSizes, dampings, iterations, DIVERGENCE_FACTOR, curves);
        }
        DampingSweep.Run[] out = new DampingSweep.Run[stepSizes.length];
        for (int start = 0; start < stepSizes.length;) {
            int end = start + 1;
            while (end < stepSizes.length && stepSizes[end] == stepSizes[start]) {
                end++;
            }
            DampingSweep.Run[] part = sweep.run(config, java.util.Arrays.copyOfRange(stepSizes, start, end),
                    java.util.Arrays.copyOfRange(dampings, start, end), iterations, DIVERGENCE_FACTOR, curves);
            System.arraycopy(part, 0, out, start, part.length);
            start = end;
        }
        return out;
    }
}
