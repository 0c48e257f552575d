package io.github.natgrad.bench.ablate;

import io.github.natgrad.DampingPolicy;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.Solver;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.Solvers;
import java.util.Locale;

/**
 * Everything one run of a study is configured with, filled in from the run's axis values over the
 * defaults, and turned into the library's optimizer by {@link #optimizer}: the single place where a study
 * setting becomes builder calls. Mutable while the axes apply their values, then only read.
 */
public final class RunSetting {
    /** Curvature kind, a name {@link Curvatures#byName} accepts, or {@code gd}. */
    String kind = "fisher";
    /** Curvature structure. */
    String structure = "dense";
    /** Linear solver. */
    String solver = "cholesky";
    /** Damping policy. */
    String dampingPolicy = "fixed";
    /** Step size η. */
    double stepSize = 1.0;
    /** The damping policy's λ (its initial value for the adaptive policies). */
    double damping = 1e-8;
    /** Monte-Carlo samples per example. */
    int mcSamples = 1;
    /** The run's seed: Monte-Carlo stream and model initialisation. */
    long seed;
    /** Iteration budget. */
    int iterations = 100;
    /** Batch size; 0 for the full batch. */
    int batchSize;

    /** The curvature kind. */
    public String kind() {
        return kind;
    }

    /** Whether the kind is plain gradient descent. */
    public boolean gradientDescent() {
        return kind.equals("gd") || kind.equals("identity");
    }

    /** The damping policy's name. */
    public String dampingPolicy() {
        return dampingPolicy;
    }

    /** The solver's name. */
    public String solver() {
        return solver;
    }

    /** The structure's name. */
    public String structure() {
        return structure;
    }

    /** The step size. */
    public double stepSize() {
        return stepSize;
    }

    /** The damping λ. */
    public double damping() {
        return damping;
    }

    /** The iteration budget. */
    public int iterations() {
        return iterations;
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** The batch size (0: full batch). */
    public int batchSize() {
        return batchSize;
    }

    /** The library configuration of this setting. */
    public NaturalGradient configuration(L2Prior prior) {
        if (gradientDescent()) {
            return NaturalGradient.gradientDescent(stepSize).withPrior(prior);
        }
        return NaturalGradient.of(Curvatures.byName(kind, mcSamples, seed)).withStepSize(stepSize)
                .withDamping(policy()).withSolver(solverStrategy()).withPrior(prior);
    }

    /** The library optimizer for {@code model}, checked by the builder. */
    public Optimizer optimizer(Model model, L2Prior prior) {
        return configuration(prior).build(model);
    }

    private DampingPolicy policy() {
        return switch (dampingPolicy) {
            case "none" -> Damping.none();
            case "fixed" -> Damping.fixed(damping);
            case "levenberg-marquardt" -> Damping.levenbergMarquardt(damping, Math.min(1e-8, damping), Math.max(1e8, damping));
            case "shift-to-pd" -> Damping.shiftToPositiveDefinite(damping, 1e-8);
            case "saddle-free" -> Damping.saddleFree(damping);
            default -> throw new IllegalStateException("damping policy " + dampingPolicy + " has no builder call");
        };
    }

    private Solver solverStrategy() {
        return switch (solver) {
            case "cholesky" -> Solvers.cholesky();
            case "eigen" -> Solvers.eigen();
            default -> throw new IllegalStateException("solver " + solver + " has no builder call");
        };
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s/%s/%s/%s eta=%g lambda=%g", kind, structure, solver, dampingPolicy, stepSize,
                damping);
    }
}
