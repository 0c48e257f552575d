package io.github.natgrad.bench.ablate;

import io.github.natgrad.Curvature;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.L2Prior;
import io.github.natgrad.Model;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerFactory;
import io.github.natgrad.Solver;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.layerwise.LayerwiseNaturalGradient;
import io.github.natgrad.layerwise.Structure;
import io.github.natgrad.optim.Adam;
import io.github.natgrad.optim.MomentumSgd;
import io.github.natgrad.optim.NaturalGradient;
import io.github.natgrad.solve.ConjugateGradient;
import io.github.natgrad.solve.Solvers;
import java.util.Locale;
import java.util.Set;

/**
 * Everything one run of a study is configured with, filled in from the run's axis values over the
 * defaults, and turned into the library's optimizer by {@link #optimizer}: the single place where a study
 * setting becomes builder calls. Mutable while the axes apply their values, then only read.
 *
 * <p>Which builder: the first-order kinds {@code adam} and {@code sgd} are {@link Adam} and {@link MomentumSgd}
 * (momentum 0.9) with the step size; {@code gd} and the curvature kinds with the dense structure are
 * {@link NaturalGradient} (with the solver and damping policy); the curvature kinds with a layer-wise structure
 * (kronecker, diagonal, block-diagonal) are {@link LayerwiseNaturalGradient}, whose factor source follows the
 * kind (fisher and mc-fisher: sampled labels seeded by the run's seed; empirical-fisher: observed labels;
 * gauss-newton: the exact output factor) and whose damping is fixed or Levenberg-Marquardt-adapted.
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
    /** Whether the budget counts epochs (passes over the data) rather than steps. */
    boolean epochs;
    /** Iteration cap of the CG solver; 0 for its default. */
    int cgMaxIterations;

    /** The kinds that are first-order optimizers rather than a curvature. */
    static final Set<String> FIRST_ORDER = Set.of("gd", "adam", "sgd");

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

    /** Whether the budget counts epochs rather than steps. */
    public boolean countsEpochs() {
        return epochs;
    }

    /** Whether the structure is one of the layer-wise ones (built through {@link LayerwiseNaturalGradient}). */
    public boolean layerwise() {
        return !FIRST_ORDER.contains(kind) && !structure.equals("dense");
    }

    /** The library configuration of this setting: the one place a setting becomes builder calls. */
    public OptimizerFactory configuration(L2Prior prior) {
        switch (kind) {
            case "adam":
                return Adam.defaults().withStepSize(stepSize).withPrior(prior);
            case "sgd":
                return MomentumSgd.defaults().withStepSize(stepSize).withPrior(prior);
            case "gd":
                return NaturalGradient.gradientDescent(stepSize).withPrior(prior);
            default:
                break;
        }
        if (layerwise()) {
            return layerwiseConfiguration(prior);
        }
        return NaturalGradient.of(Curvatures.byName(kind, mcSamples, seed)).withStepSize(stepSize)
                .withDamping(policy()).withSolver(solverStrategy()).withPrior(prior);
    }

    private LayerwiseNaturalGradient layerwiseConfiguration(L2Prior prior) {
        // a layer-wise "fisher" is K-FAC's sampled Fisher (one label per example), as it always was in studies
        Curvature source = switch (kind) {
            case "fisher", "mc-fisher" -> Curvatures.monteCarloFisher(1, seed);
            case "empirical-fisher" -> Curvatures.empiricalFisher();
            case "gauss-newton" -> Curvatures.gaussNewton();
            default -> throw new IllegalArgumentException("the layer-wise structure " + structure + " has no kind " + kind
                    + "; use fisher, mc-fisher, empirical-fisher or gauss-newton");
        };
        Structure st = switch (structure) {
            case "kronecker" -> Structure.KRONECKER;
            case "diagonal" -> Structure.DIAGONAL;
            case "block-diagonal" -> Structure.BLOCK_DIAGONAL;
            default -> throw new IllegalStateException("structure " + structure + " has no builder call");
        };
        LayerwiseNaturalGradient c = LayerwiseNaturalGradient.kfac().withStructure(st).withCurvature(source)
                .withStepSize(stepSize).withSeed(seed).withPrior(prior);
        return switch (dampingPolicy) {
            case "fixed" -> c.withDamping(Damping.fixed(damping));
            case "levenberg-marquardt" -> c.withDamping(Damping.kfac(damping));
            default -> throw new IllegalArgumentException("the layer-wise structure " + structure
                    + " takes the damping policy fixed or levenberg-marquardt, not " + dampingPolicy);
        };
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
            case "cg" -> cgMaxIterations > 0 ? ConjugateGradient.defaults().withMaxIterations(cgMaxIterations)
                    : Solvers.conjugateGradient();
            case "woodbury" -> Solvers.woodbury();
            case "auto" -> Solvers.auto();
            default -> throw new IllegalStateException("solver " + solver + " has no builder call");
        };
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s/%s/%s/%s eta=%g lambda=%g", kind, structure, solver, dampingPolicy, stepSize,
                damping);
    }
}
