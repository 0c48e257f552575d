package io.github.natgrad.optim;

import io.github.natgrad.Batch;
import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Factorization;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.curvature.DenseCurvatureSystem;
import io.github.natgrad.curvature.FactoredCurvature;
import io.github.natgrad.linalg.BatchedCholesky;
import io.github.natgrad.linalg.DenseDesign;
import io.github.natgrad.linalg.SmallCholesky;
import io.github.natgrad.linalg.SparseDesign;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.LikelihoodShortcuts;
import io.github.natgrad.solve.NeumannSeries;
import io.github.natgrad.solve.Solvers;
import io.github.natgrad.training.Divergence;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Many runs of one {@link NaturalGradient} configuration on one generalised linear model and batch that
 * differ only in their fixed damping λ_s and step size η_s, advanced together, one iteration at a time: a
 * damping sweep (the optimisation grid of Kunstner, Balles and Hennig 2019 runs 41 dampings for each of its
 * step sizes). Each run is θ ← θ − η_s (C(θ) + λ_s I)⁻¹ g(θ) from θ₀ = 0, exactly the step of
 * {@code config.withStepSize(η_s).withDamping(Damping.fixed(λ_s)).build(model)}, with the library's own
 * likelihood, curvature kind (its per-example factors) and solver. The products with the design matrix are
 * batched over the runs (below), so they sum in another order than the optimizer's one-run kernels: every
 * run agrees with that optimizer up to rounding (the reproduction checks 1e-9 relative on its losses), and
 * a run alone agrees with the same run in a larger sweep up to rounding. The same sweep (same step sizes,
 * dampings and configuration) gives the same bits every time.
 *
 * <p>What advancing the runs together buys:
 * <ul>
 *   <li>one curvature object (its Gram buffers) serves every run (a sampling kind keeps one random stream
 *       per run), and nothing per step is checked again; the products run over the runs still active;</li>
 *   <li>a constant curvature ({@link Curvature#constantForLinearModel}: the Fisher of linear regression)
 *       is built once per sweep and factorised once per damping for all iterations (with
 *       {@code Solvers.eigen()}, decomposed once for every damping);</li>
 *   <li>the loss is computed only where it is needed: at θ₀, at the end, on a recorded curve, or when a
 *       run could exceed the divergence threshold (a clipped likelihood's loss is at most
 *       {@link LikelihoodShortcuts#maxLoss}; otherwise the residual alone, with the kind's weights from
 *       {@link FactoredCurvature#writeResidualAndWeights}: one pass for the true Fisher);</li>
 *   <li>on a dense design the outputs F = Θ Xᵀ and the gradients Xᵀ r_s of all R runs are each one
 *       matrix product ({@link DenseDesign}, natgrad's batched product kernel), and the R curvatures of a factored
 *       kind (Fisher, empirical Fisher, Gauss-Newton: C_s = Σ_i w_si x_i x_iᵀ / N with the weight
 *       w_si = ‖B_i‖² of the kind's own factors, {@link FactoredCurvature#writeFactors}) are one product
 *       W (R × N) · P (N × D(D+1)/2) with the packed outer products P of the rows, computed once per
 *       design ({@link DenseDesign.Workspace#gram}); on a sparse design (fewer than 30% non-zero entries,
 *       e.g. a1a) the R curvatures are summed over each row's non-zero pairs only
 *       ({@link SparseDesign#gram}). Any other kind is the kind's own build ({@link Curvature#build}).</li>
 *   <li>(off in the public {@link #run}: on the full Fig. 3 grid it was not measured faster; the
 *       package-private path turns it on for its tests) with the Cholesky solver and a factored kind, a run
 *       whose damping dominates its curvature
 *       (λ_s ≥ trace C_s / {@link NeumannSeries#MAX_RATIO}) and whose series is shorter than its Gram row
 *       costs takes the Neumann series of {@link NeumannSeries} (K − 1 products X v and Xᵀ u, batched over
 *       the runs) instead of its Gram row and factorisation: the Cholesky solve's answer to rounding (the
 *       truncation is below 2⁻⁵⁴ relative), decided by the run's own weights and damping alone.</li>
 * </ul>
 * A run stops when its loss exceeds the divergence factor × its initial loss or is not finite, or when
 * C + λI is numerically not positive definite (where the optimizer would throw); it is then
 * {@linkplain Run#diverged() diverged}.
 *
 * <p>Call order: {@link #of} once per model and batch (it prepares the design matrix), then {@link #run}
 * once per configuration (curvature kind, solver, prior) and set of step sizes and dampings. Immutable: {@link #run} may be
 * called from several threads at once (each call has its own buffers).
 */
public final class DampingSweep {
    /** Designs with fewer non-zero entries than this share take the sparse curvature path. */
    public static final double SPARSE_BELOW = 0.3;

    private final GeneralizedLinearModel model;
    private final Batch batch;
    private final int n;
    private final int d;
    private final SparseDesign sparse;
    private final DenseDesign dense;
    /** ‖x_i‖² of each design row (bias included): C_s's trace is Σ_i w_si ‖x_i‖² / N. */
    private final double[] rowNormSquared;
    /** The non-zero entries of the design. */
    private final long nonZeros;

    /**
     * The outcome of one run.
     *
     * @param stepSize   its η
     * @param damping    its λ
     * @param iterations the steps taken: the full budget, or the iteration t at which the run stopped
     * @param finalLoss  the objective (mean negative log-likelihood plus prior) at θ_t for that t
     * @param diverged   true when the run stopped early
     * @param curve      the objective at θ_0 … θ_t when curves are recorded, else at θ_0 and θ_t only
     *                   (one value when t = 0)
     * @param theta      θ_t
     */
    public record Run(double stepSize, double damping, int iterations, double finalLoss, boolean diverged, double[] curve,
            double[] theta) {
    }

    private DampingSweep(GeneralizedLinearModel model, Batch batch) {
        this.model = model;
        this.batch = batch;
        this.n = batch.rows();
        this.d = model.parameterCount();
        double[] x = designMatrix(model, batch);
        rowNormSquared = new double[n];
        long nz = 0;
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                sq += v * v;
                nz += v != 0 ? 1 : 0;
            }
            rowNormSquared[i] = sq;
        }
        nonZeros = nz;
        sparse = SparseDesign.density(x, n, d) < SPARSE_BELOW ? SparseDesign.of(x, n, d) : null;
        dense = sparse == null ? DenseDesign.of(x, n, d, true) : null;
    }

    /**
     * A sweep over {@code batch} for {@code model}: checks the batch against the model and prepares the
     * design matrix (with the bias column, if any).
     *
     * @throws IllegalArgumentException if the batch does not fit the model
     */
    public static DampingSweep of(GeneralizedLinearModel model, Batch batch) {
        Checks.notNull(model, "model");
        Checks.notNull(batch, "batch");
        Checks.columns(model, batch);
        model.likelihood().checkLabels(batch.y(), batch.rows());
        return new DampingSweep(model, batch);
    }

    private static double[] designMatrix(GeneralizedLinearModel model, Batch batch) {
        int n = batch.rows();
        int p = batch.columns();
        int d = model.parameterCount();
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(batch.x(), i * p, out, i * d, p);
            if (model.hasBias()) {
                out[i * d + p] = 1.0;
            }
        }
        return out;
    }

    /** Whether the sparse curvature path is used (fewer than {@link #SPARSE_BELOW} non-zero inputs). */
    public boolean sparse() {
        return sparse != null;
    }

    /** The number of parameters D. */
    public int dimension() {
        return d;
    }

    /**
     * Runs {@code config} (its curvature kind, step size, solver and prior; its damping policy is replaced by
     * the fixed λ_s) once per damping, from θ₀ = 0, for at most {@code iterations} iterations. A configuration
     * with a line search or step rejection is refused (a sweep's runs take fixed steps).
     *
     * @param config           the optimizer configuration
     * @param dampings         one fixed λ per run (0 for none, e.g. for gradient descent)
     * @param iterations       the iteration budget (at least 1)
     * @param divergenceFactor a run stops, diverged, once its loss exceeds this factor × its initial loss
     *                         ({@code Double.POSITIVE_INFINITY}: only a non-finite loss stops it)
     * @param curves           whether to record the loss at every iteration
     * @return one run per damping, in order
     * @throws IllegalArgumentException for an invalid budget, damping or factor, or a configuration with a
     *                                  line search or step rejection
     */
    public Run[] run(NaturalGradient config, double[] dampings, int iterations, double divergenceFactor,
            boolean curves) {
        Checks.notNull(config, "config");
        Checks.notNull(dampings, "dampings");
        double[] stepSizes = new double[dampings.length];
        Arrays.fill(stepSizes, config.stepSize());
        return run(config, stepSizes, dampings, iterations, divergenceFactor, curves);
    }

    /**
     * Runs {@code config} once per pair (η_s, λ_s): its step size is replaced by η_s and its damping policy
     * by the fixed λ_s; everything else (curvature kind, solver, prior) is the configuration's. Runs that
     * differ in step size advance together too, so the batched products grow with the runs (a grid's
     * 9 step sizes × 41 dampings: 369 rows per product instead of 41, where OpenBLAS runs faster).
     *
     * @param stepSizes one η_s &gt; 0 per run
     * @param dampings  one fixed λ_s ≥ 0 per run, as many as step sizes
     * @return one run per pair, in order
     * @throws IllegalArgumentException for an invalid budget, step size, damping or factor, arrays of
     *                                  different lengths, or a configuration with a line search or step
     *                                  rejection (named in the message)
     * @see #run(NaturalGradient, double[], int, double, boolean)
     */
    public Run[] run(NaturalGradient config, double[] stepSizes, double[] dampings, int iterations,
            double divergenceFactor, boolean curves) {
        Checks.notNull(config, "config");
        Checks.notNull(stepSizes, "stepSizes");
        Checks.notNull(dampings, "dampings");
        Checks.atLeastOne(iterations, "iterations");
        checkRuns(stepSizes, dampings, divergenceFactor);
        checkHonoured(config);
        return run(config, stepSizes, dampings, iterations, divergenceFactor, curves, true, false);
    }

    /**
     * Refuses, by name, an option of {@code config} that a sweep cannot honour. A sweep replaces the step
     * size and the damping policy by each run's η_s and fixed λ_s (its arguments) and honours the curvature
     * kind, the solver and the prior; a line search and step rejection change a run's step by evaluating the
     * loss at trial points, which the sweep's fixed-step runs do not do, so a configuration with either is
     * refused rather than run without it.
     *
     * @throws IllegalArgumentException naming the option and how to run such a configuration instead
     */
    static void checkHonoured(NaturalGradient config) {
        if (config.lineSearch().isPresent()) {
            throw new IllegalArgumentException("a damping sweep cannot honour the configuration's line search ("
                    + config.lineSearch().get() + "): its runs take fixed steps; remove it (withLineSearch(null))"
                    + " or run each configuration with NaturalGradient.build(model)");
        }
        if (config.stepRejectionRetries() > 0) {
            throw new IllegalArgumentException("a damping sweep cannot honour the configuration's step rejection ("
                    + config.stepRejectionRetries() + " retries): its runs take every step; remove it"
                    + " (withStepRejection(0)) or run each configuration with NaturalGradient.build(model)");
        }
    }

    private static void checkRuns(double[] stepSizes, double[] dampings, double divergenceFactor) {
        if (dampings.length == 0) {
            throw new IllegalArgumentException("a sweep needs at least one damping");
        }
        if (stepSizes.length != dampings.length) {
            throw new IllegalArgumentException("a sweep needs one step size per damping, got " + stepSizes.length
                    + " step sizes for " + dampings.length + " dampings");
        }
        for (double lambda : dampings) {
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("dampings must be finite and non-negative, got " + lambda);
            }
        }
        for (double eta : stepSizes) {
            if (!(eta > 0) || Double.isInfinite(eta)) {
                throw new IllegalArgumentException("step sizes must be finite and positive, got " + eta);
            }
        }
        if (!(divergenceFactor > 0)) {
            throw new IllegalArgumentException("the divergence factor must be positive, got " + divergenceFactor);
        }
    }

    /**
     * {@link #run(NaturalGradient, double[], double[], int, double, boolean)} with the sharing of curvatures
     * between runs on ({@code share}, the default) or off, and the series for dominant dampings on
     * ({@code series}) or off (the default): the tests check that sharing changes no bit and that the series
     * agrees with the Cholesky solve to rounding.
     */
    Run[] run(NaturalGradient config, double[] stepSizes, double[] dampings, int iterations,
            double divergenceFactor, boolean curves, boolean share, boolean series) {
        return run(config, stepSizes, dampings, iterations, divergenceFactor, curves, share, series, true);
    }

    /**
     * {@link #run(NaturalGradient, double[], double[], int, double, boolean, boolean, boolean)} with the runs
     * in lanes on a small dense design ({@link DenseDesign.RunLanes}) on ({@code lanes}, the default) or off:
     * the tests check that the lanes change no bit.
     */
    Run[] run(NaturalGradient config, double[] stepSizes, double[] dampings, int iterations,
            double divergenceFactor, boolean curves, boolean share, boolean series, boolean lanes) {
        return new Sweep(config, stepSizes, dampings, iterations, divergenceFactor, curves, share, series, lanes)
                .run();
    }

    /**
     * One call of {@link #run}: its buffers and state. The products run over the active runs only, packed
     * into the first rows of the work buffers (position k holds run {@code act[k]}), so a run that stopped
     * costs nothing afterwards.
     */
    private final class Sweep {
        private final Likelihood likelihood = model.likelihood();
        private final double[] y = batch.y();
        private final int runs;
        private final double[] stepSizes;
        private final double[] dampings;
        private final int iterations;
        private final double factor;
        private final boolean curves;
        private final double priorPrecision;
        private final double curvaturePrior;
        private final io.github.natgrad.Solver solver;
        private final Curvature[] kinds;
        private final FactoredCurvature factored;
        private final DenseDesign.Workspace ws;
        private final Factorization[] constant;
        private final BatchedCholesky batchedCholesky;

        private final double[] theta;
        private final double[] outputs;
        private final double[] residuals;
        private final double[] gradients;
        private final double[] weights;
        private final double[] losses;
        private final double[] direction;
        private final double[] f;
        private final double[] r;
        private final double[] w;
        private final double[] factors;
        private final double[] c;
        private final double[] packed;
        private final double[] scratch;
        /** The sparse path's buffer for the products X θ and Xᵀ r of 8 runs at a time. */
        private final double[] productScratch;

        private final int[] act;
        private int m;
        private final boolean[] active;
        private final int[] stoppedAt;
        private final boolean[] diverged;
        private final double[][] history;
        private final double[] initial;
        private final double[] finalLoss;
        private int alive;

        /** Remembered curvatures (null when sharing is off or has no path for this configuration). */
        private final CurvatureMemo memo;
        /** Per position k: the row of this iteration's Gram product holding its curvature, or -1. */
        private final int[] gramRow;
        /** Per position k: whether this iteration's step came from a factor its remembered curvature kept. */
        private final boolean[] solvedByKeptFactor;
        /** Per position k: the remembered curvature it shares, or null. */
        private final CurvatureMemo.Entry[] remembered;
        /** Per position k: the hash of its weights this iteration. */
        private final int[] hashes;
        /** Per run: the hash of its weights at the previous iteration. */
        private final int[] previousHash;
        /** Per Gram row: the position whose weights it holds, and whether other positions share it. */
        private final int[] rowOwner;
        private final boolean[] rowShared;
        /** The sparse path's Gram input: the weights of the positions that need a new curvature, by row. */
        private final double[] gramWeights;
        private final java.util.HashMap<Integer, Integer> firstWithHash = new java.util.HashMap<>();
        /** LAPACK's factorisation on direct buffers (D above SmallCholesky's range, the Cholesky solver), else null. */
        private final DoubleBuffer factorBuffer;
        private final DoubleBuffer rhsBuffer;
        /** The integer arguments of the Fortran-level LAPACK calls (the curvatures are finite: no NaN scans). */
        private final java.nio.IntBuffer lapackArguments;
        /**
         * The most terms for which the series of {@link NeumannSeries} costs less than the run's Gram row and
         * factorisation (0: the series is off: another solver than Cholesky, or no batched curvature).
         */
        private final int maxSeriesTerms;
        /** Per position k: the terms of its series this iteration, or 0 when its step is the Cholesky solve. */
        private final int[] seriesTerms;
        /** Per position: the series' sum (the direction), its last term, C times that term. */
        private final double[] seriesSum;
        private final double[] seriesTerm;
        private final double[] seriesProduct;
        /** The positions that need another product, and the dense path's J v of those. */
        private final int[] seriesNext;
        private final double[] seriesOutputs;
        /** Per run: the hash of its weights at the previous iteration, for the series' rule (see {@link #series}). */
        private final int[] seriesPreviousHash;
        /** The runs in lanes on a small dense design ({@link #iterateInLanes}), or null. */
        private final DenseDesign.RunLanes runLanes;
        /** The smallest initial loss of the runs (after iteration 0). */
        private double smallestInitial = Double.NaN;

        Sweep(NaturalGradient config, double[] stepSizes, double[] dampings, int iterations, double factor,
                boolean curves, boolean share, boolean allowSeries, boolean allowLanes) {
            this.runs = dampings.length;
            this.stepSizes = stepSizes.clone();
            this.dampings = dampings.clone();
            this.iterations = iterations;
            this.factor = factor;
            this.curves = curves;
            if (config.prior().isPresent() && !config.prior().get().isotropic()) {
                throw new IllegalArgumentException("the damping sweep takes an isotropic prior only, this one has a "
                        + "per-parameter scale: run the configurations one by one (NaturalGradient.build), or use "
                        + "an L2Prior without a scale");
            }
            this.priorPrecision = config.prior().map(p -> p.precision(n)).orElse(0.0);
            Curvature kind = config.curvature();
            this.curvaturePrior = kind.includesPrior() ? priorPrecision : 0.0;
            this.solver = config.solver();
            // a kind that samples keeps one random stream per run; any other is shared (its buffers only)
            this.kinds = new Curvature[runs];
            Curvature shared = kind.copy();
            for (int s = 0; s < runs; s++) {
                kinds[s] = kind.requiresSampling() ? kind.copy() : shared;
            }
            boolean isConstant = kind.constantForLinearModel(likelihood);
            this.constant = isConstant ? new Factorization[runs] : null;
            boolean batched = !isConstant && (sparse != null || dense.hasGram());
            this.factored = batched && shared instanceof FactoredCurvature fc ? fc : null;
            this.ws = dense == null ? null : dense.workspace(runs);
            this.batchedCholesky = factored != null && solver == Solvers.cholesky()
                    && d <= SmallCholesky.MAX_DIMENSION ? new BatchedCholesky(d) : null;
            theta = new double[runs * d];
            outputs = new double[runs * n];
            residuals = new double[runs * n];
            gradients = new double[runs * d];
            losses = new double[runs];
            direction = new double[d];
            f = new double[n];
            r = new double[n];
            w = new double[n];
            c = new double[d * d];
            int cols = factored == null ? 0 : factored.columns(1);
            weights = factored == null ? null : new double[runs * n];
            factors = factored == null ? null : new double[n * cols];
            packed = factored == null || sparse == null ? null : new double[runs * sparse.packedSize()];
            scratch = factored == null || sparse == null ? null : new double[(runs + 7) / 8 * 8 * n];
            productScratch = sparse == null ? null : new double[sparse.runsScratchSize()];
            boolean lapack = factored != null && solver == Solvers.cholesky() && d > SmallCholesky.MAX_DIMENSION;
            factorBuffer = lapack ? io.github.natgrad.linalg.Blas.allocate((long) d * d) : null;
            rhsBuffer = lapack ? io.github.natgrad.linalg.Blas.allocate(d) : null;
            lapackArguments = lapack ? io.github.natgrad.linalg.Blas.allocateLapackArguments() : null;
            // a curvature is remembered where it can be read back from an array: the sparse path, or the
            // batched Cholesky on a dense design
            boolean memoPath = factored != null && (sparse != null || batchedCholesky != null);
            memo = share && memoPath ? new CurvatureMemo(n, d * (d + 1) / 2, lapack ? d * d : d * (d + 1) / 2) : null;
            // the series (K - 1 products J v and Jᵀu) replaces a run's Gram row (N·D(D+1)/2 multiply-adds on a
            // dense design; on a sparse one the non-zero pairs, and the D³/3 flops of the factorisation that follows
            // counted too) when it costs less: on a dense design 2(K - 1)·N·D < N·D(D+1)/2
            int q = d * (d + 1) / 2;
            if (!allowSeries || factored == null || solver != Solvers.cholesky()) {
                maxSeriesTerms = 0;
            } else if (sparse == null) {
                maxSeriesTerms = (q + 2 * d - 1) / (2 * d);
            } else {
                double saved = sparse.pairs() + d * (double) d * d / 3;
                maxSeriesTerms = (int) Math.min(64, Math.ceil(saved / (2.0 * Math.max(1, nonZeros))));
            }
            boolean series = maxSeriesTerms > 0;
            // a small dense design with a kind whose weights are elementwise: the runs in lanes
            this.runLanes = allowLanes && dense != null && batchedCholesky != null && !series
                    && factored.elementwiseWeights(likelihood) ? dense.runLanes(runs, y).orElse(null) : null;
            seriesTerms = new int[runs];
            seriesSum = series ? new double[runs * d] : null;
            seriesTerm = series ? new double[runs * d] : null;
            seriesProduct = series ? new double[runs * d] : null;
            seriesNext = series ? new int[runs] : null;
            seriesOutputs = series && sparse == null ? new double[runs * n] : null;
            seriesPreviousHash = new int[runs];
            gramRow = new int[runs];
            remembered = new CurvatureMemo.Entry[runs];
            solvedByKeptFactor = new boolean[runs];
            hashes = new int[runs];
            previousHash = new int[runs];
            rowOwner = new int[runs];
            rowShared = new boolean[runs];
            gramWeights = memo != null && sparse != null ? new double[runs * n] : null;
            act = new int[runs];
            active = new boolean[runs];
            Arrays.fill(active, true);
            alive = runs;
            stoppedAt = new int[runs];
            diverged = new boolean[runs];
            history = new double[runs][curves ? iterations + 1 : 1];
            initial = new double[runs];
            finalLoss = new double[runs];
        }

        Run[] run() {
            for (int t = 0; t <= iterations && alive > 0; t++) {
                m = 0;
                for (int s = 0; s < runs; s++) {
                    if (active[s]) {
                        act[m++] = s;
                    }
                }
                if (runLanes != null) {
                    iterateInLanes(t);
                    continue;
                }
                forward();
                boolean needLoss = needLoss(t);
                for (int k = 0; k < m; k++) {
                    int s = act[k];
                    System.arraycopy(outputs, k * n, f, 0, n);
                    double loss = needLoss ? likelihood.lossAndResidual(f, y, n, r) / n + priorTerm(s) : 0;
                    if (factored != null) {
                        // the residual again (the same values) with the weights: a run's numbers do not depend
                        // on the iterations at which its loss was needed (curves or not)
                        kindFor(s).writeResidualAndWeights(model.linearization(batch, f), batch, likelihood, r,
                                factors, w);
                        System.arraycopy(w, 0, weights, k * n, n);
                    } else if (!needLoss) {
                        LikelihoodShortcuts.residual(likelihood, f, y, n, r);
                    }
                    System.arraycopy(r, 0, residuals, k * n, n);
                    if (needLoss) {
                        record(s, t, loss);
                    }
                }
                if (t == 0) {
                    smallestInitial = Arrays.stream(initial).min().orElse(Double.NaN);
                }
                if (alive == 0) {
                    break;
                }
                gradients();
                series(t);
                if (factored != null) {
                    curvatures(t);
                }
                if (batchedCholesky != null) {
                    stepBatched(t, needLoss);
                    continue;
                }
                for (int k = 0; k < m; k++) {
                    int s = act[k];
                    if (!active[s]) {
                        continue; // stopped at this iteration's loss
                    }
                    if (seriesTerms[k] > 0) {
                        System.arraycopy(seriesSum, k * d, direction, 0, d);
                        step(s);
                        continue;
                    }
                    if (factorBuffer != null) {
                        if (solveWithLapack(s, k)) {
                            step(s);
                        } else {
                            stopNotPositiveDefinite(s, k, t, needLoss);
                        }
                        continue;
                    }
                    Optional<Factorization> solve = factorization(s, k);
                    if (solve.isEmpty()) {
                        stopNotPositiveDefinite(s, k, t, needLoss);
                        continue;
                    }
                    System.arraycopy(gradients, k * d, direction, 0, d);
                    solve.get().solve(direction, direction);
                    step(s);
                }
            }
            Run[] out = new Run[runs];
            for (int s = 0; s < runs; s++) {
                double[] curve = curves ? Arrays.copyOf(history[s], stoppedAt[s] + 1)
                        : stoppedAt[s] == 0 ? new double[] {finalLoss[s]} : new double[] {initial[s], finalLoss[s]};
                out[s] = new Run(stepSizes[s], dampings[s], stoppedAt[s], finalLoss[s], diverged[s], curve,
                        Arrays.copyOfRange(theta, s * d, (s + 1) * d));
            }
            return out;
        }

        /**
         * Whether iteration t needs the runs' losses: a likelihood's loss is at most maxLoss (with no prior),
         * so below factor × the initial loss a run cannot diverge, and the loss is needed only at the ends and
         * on recorded curves.
         */
        private boolean needLoss(int t) {
            return curves || t == 0 || t == iterations || priorPrecision != 0
                    || Divergence.diverged(LikelihoodShortcuts.maxLoss(likelihood), smallestInitial, factor);
        }

        /**
         * One iteration of the active runs in lanes ({@link DenseDesign.RunLanes}, a small dense design, a
         * kind with elementwise weights, the batched Cholesky): the losses where needed (each run's outputs
         * by {@link DenseDesign.RunLanes#outputsOf}, the likelihood's own loss), then per chunk of examples the
         * outputs of all runs, their residuals and weights by the kind
         * ({@link FactoredCurvature#writeResidualAndWeights(Likelihood, double[], double[], int, double[],
         * double[])}, over the chunk's runs × examples at once) and the chunk's terms of the gradients and
         * curvatures; then the steps. The same arithmetic, sum for sum, as the path with the runs in rows
         * ({@link #forward}, {@link #gradients}, {@link #curvatures}): the same bits.
         */
        private void iterateInLanes(int t) {
            boolean needLoss = needLoss(t);
            if (needLoss) {
                for (int k = 0; k < m; k++) {
                    int s = act[k];
                    runLanes.outputsOf(theta, s * d, f);
                    record(s, t, likelihood.lossAndResidual(f, y, n, r) / n + priorTerm(s));
                }
            }
            if (t == 0) {
                smallestInitial = Arrays.stream(initial).min().orElse(Double.NaN);
            }
            if (alive == 0) {
                return;
            }
            int stride = runLanes.begin(m);
            double[] thetaT = runLanes.thetaTransposed();
            for (int k = 0; k < m; k++) {
                int s = act[k];
                for (int j = 0; j < d; j++) {
                    thetaT[j * stride + k] = theta[s * d + j];
                }
            }
            int chunks = (n + runLanes.chunkRows() - 1) / runLanes.chunkRows();
            for (int c = 0; c < chunks; c++) {
                int rows = Math.min(runLanes.chunkRows(), n - c * runLanes.chunkRows());
                runLanes.forward(c, m);
                factored.writeResidualAndWeights(likelihood, runLanes.outputs(), runLanes.labels(c), rows * stride,
                        runLanes.residuals(), runLanes.weights());
                runLanes.accumulate(c, m, true);
            }
            double[] g = runLanes.gradients();
            for (int k = 0; k < m; k++) {
                int s = act[k];
                for (int j = 0; j < d; j++) {
                    gradients[k * d + j] = g[j * stride + k] / n + priorPrecision * theta[s * d + j];
                }
            }
            stepBatched(t, needLoss);
        }

        /**
         * The steps of the active runs with the Cholesky solver at D ≤ {@link SmallCholesky#MAX_DIMENSION},
         * several runs per factorisation ({@link BatchedCholesky}: each run gets the bits the solver's own
         * factorisation gives it), straight from the packed curvatures.
         */
        private void stepBatched(int t, boolean needLoss) {
            int lanes = batchedCholesky.lanes();
            int q = d * (d + 1) / 2;
            int[] group = new int[lanes];
            // first the runs whose remembered curvature keeps the factor for their damping: no factorisation
            Arrays.fill(solvedByKeptFactor, 0, m, false);
            if (runLanes == null && memo != null) {
                int k = 0;
                while (k < m) {
                    int count = 0;
                    for (; k < m && count < lanes; k++) {
                        int s = act[k];
                        if (!active[s] || seriesTerms[k] > 0 || remembered[k] == null) {
                            continue;
                        }
                        double[] kept = remembered[k].factor(dampings[s]);
                        if (kept == null) {
                            continue;
                        }
                        solvedByKeptFactor[k] = true;
                        if (kept == CurvatureMemo.NOT_POSITIVE_DEFINITE) {
                            stopNotPositiveDefinite(s, k, t, needLoss);
                            continue;
                        }
                        batchedCholesky.loadFactor(count, kept);
                        batchedCholesky.setRightHandSide(count, gradients, k * d);
                        group[count++] = k;
                    }
                    if (count == 0) {
                        break;
                    }
                    batchedCholesky.solve(count);
                    for (int lane = 0; lane < count; lane++) {
                        batchedCholesky.solution(lane, direction, 0);
                        step(act[group[lane]]);
                    }
                }
            }
            int k = 0;
            while (k < m) {
                int count = 0;
                for (; k < m && count < lanes; k++) {
                    if (!active[act[k]] || solvedByKeptFactor[k]) {
                        continue; // stopped at this iteration's loss, or solved above
                    }
                    int s = act[k];
                    if (seriesTerms[k] > 0) {
                        System.arraycopy(seriesSum, k * d, direction, 0, d);
                        step(s);
                        continue;
                    }
                    if (runLanes != null) {
                        batchedCholesky.load(count, runLanes.gram(), k, runLanes.stride(), 1.0 / n, curvaturePrior,
                                dampings[s]);
                    } else if (remembered[k] != null) {
                        batchedCholesky.load(count, remembered[k].packed, 0, 1.0 / n, curvaturePrior, dampings[s]);
                    } else if (sparse != null) {
                        batchedCholesky.load(count, packed, gramRow[k] * q, 1.0 / n, curvaturePrior, dampings[s]);
                    } else {
                        batchedCholesky.load(count, ws.result(), gramRow[k] * q, 1.0 / n, curvaturePrior, dampings[s]);
                    }
                    batchedCholesky.setRightHandSide(count, gradients, k * d);
                    group[count++] = k;
                }
                if (count == 0) {
                    break;
                }
                batchedCholesky.factor(count);
                batchedCholesky.solve(count);
                for (int lane = 0; lane < count; lane++) {
                    int kk = group[lane];
                    int s = act[kk];
                    CurvatureMemo.Entry e = runLanes == null ? remembered[kk] : null;
                    if (batchedCholesky.info(lane) != 0) {
                        if (e != null) {
                            e.keepNotPositiveDefinite(dampings[s]);
                        }
                        stopNotPositiveDefinite(s, kk, t, needLoss);
                        continue;
                    }
                    if (e != null) {
                        double[] kept = e.keepFactor(dampings[s]);
                        if (kept != null) {
                            batchedCholesky.factorOf(lane, kept);
                        }
                    }
                    batchedCholesky.solution(lane, direction, 0);
                    step(s);
                }
            }
        }

        /** C + λI of run s (position k) is not positive definite: it stops as diverged, with its loss at θ_t. */
        private void stopNotPositiveDefinite(int s, int k, int t, boolean needLoss) {
            if (runLanes != null) {
                runLanes.outputsOf(theta, s * d, f);
            } else {
                System.arraycopy(outputs, k * n, f, 0, n);
            }
            double loss = needLoss ? losses[s] : likelihood.lossAndResidual(f, y, n, null) / n + priorTerm(s);
            stop(s, t, loss, true);
        }

        /** θ_s ← θ_s − η_s · direction. */
        private void step(int s) {
            double eta = stepSizes[s];
            for (int j = 0; j < d; j++) {
                theta[s * d + j] -= eta * direction[j];
            }
        }

        private void record(int s, int t, double loss) {
            losses[s] = loss;
            if (t == 0) {
                initial[s] = loss;
            }
            if (curves) {
                history[s][t] = loss;
            }
            boolean blewUp = Divergence.diverged(loss, initial[s], factor);
            if (blewUp || t == iterations) {
                stop(s, t, loss, blewUp);
            }
        }

        private void stop(int s, int t, double loss, boolean blewUp) {
            active[s] = false;
            alive--;
            diverged[s] = blewUp;
            stoppedAt[s] = t;
            finalLoss[s] = loss;
        }

        private double priorTerm(int s) {
            if (priorPrecision == 0) {
                return 0.0;
            }
            double sq = 0;
            for (int j = 0; j < d; j++) {
                double v = theta[s * d + j];
                sq += v * v;
            }
            return 0.5 * priorPrecision * sq;
        }

        /**
         * The outputs of the active runs (position k: run act[k]): one product F = Θ Xᵀ, or the sparse products
         * of 8 runs at a time (each run's own bits, {@link SparseDesign#multiplyRuns}).
         */
        private void forward() {
            if (sparse != null) {
                sparse.multiplyRuns(theta, act, m, outputs, productScratch);
                return;
            }
            DoubleBuffer packedTheta = ws.theta();
            for (int k = 0; k < m; k++) {
                packedTheta.put(k * d, theta, act[k] * d, d);
            }
            ws.multiply(m);
            ws.outputs().get(0, outputs, 0, m * n);
        }

        /** The gradients Jᵀr / N + prior · θ of the active runs (position k), by one product Xᵀ r (sparse: 8 runs at a time). */
        private void gradients() {
            if (sparse != null) {
                sparse.multiplyTransposedRuns(residuals, m, gradients, productScratch);
            } else {
                ws.weights().put(0, residuals, 0, m * n);
                ws.multiplyTransposed(m);
                ws.result().get(0, gradients, 0, m * d);
            }
            for (int k = 0; k < m; k++) {
                int s = act[k];
                for (int j = 0; j < d; j++) {
                    gradients[k * d + j] = gradients[k * d + j] / n + priorPrecision * theta[s * d + j];
                }
            }
        }

        private FactoredCurvature kindFor(int s) {
            return kinds[s] instanceof FactoredCurvature fc ? fc : factored;
        }

        /** (C_s + λ_s I)⁻¹ for run s (position k) at its θ_t, or empty if C_s + λ_s I is not positive definite. */
        private Optional<Factorization> factorization(int s, int k) {
            if (constant != null) {
                if (constant[s] == null) {
                    Optional<Factorization> once = constantSystem().factor(dampings[s]);
                    if (once.isEmpty()) {
                        return once;
                    }
                    constant[s] = once.get();
                }
                return Optional.of(constant[s]);
            }
            if (factored != null) {
                // the solver copies c before factorising it: one buffer serves every run
                unpack(k);
                return new DenseCurvatureSystem(factored.name(), c, d, solver).factor(dampings[s]);
            }
            System.arraycopy(outputs, k * n, f, 0, n);
            System.arraycopy(residuals, k * n, r, 0, n);
            Linearization lin = model.linearization(batch, f.clone());
            CurvatureSystem system = kinds[s].build(lin, batch, likelihood, r.clone(), curvaturePrior, solver);
            return system.factor(dampings[s]);
        }

        /** The curvature of position k as scale · C + prior · I, full, into {@code c}. */
        private void unpack(int k) {
            if (remembered[k] != null) {
                sparse.unpack(remembered[k].packed, 0, 1.0 / n, curvaturePrior, c);
            } else if (sparse != null) {
                sparse.unpack(packed, gramRow[k], 1.0 / n, curvaturePrior, c);
            } else {
                ws.unpack(gramRow[k], 1.0 / n, curvaturePrior, c);
            }
        }

        /**
         * The directions of the active runs whose damping is dominant: (C_s + λ_s I)⁻¹ g_s by the series of
         * {@link NeumannSeries}, with its bound ‖C_s‖ ≤ trace C_s = Σ_i w_si ‖x_i‖² / N (the weights of a
         * factored kind are non-negative; their absolute values are summed all the same) and its number of terms,
         * where that costs less than the run's Gram row ({@link #maxSeriesTerms}). The products
         * C_s v = Xᵀ (w_s ∘ X v) / N run batched over the positions still summing (dense) or per run (sparse).
         * Whether a run takes the series depends on its own weights and damping alone, and a position's
         * products on its own row alone, so a run's bits do not depend on the runs it is computed with. The
         * series agrees with the Cholesky solve to rounding (see {@link NeumannSeries}). Not at θ₀ nor for a
         * run whose weights hash as at its previous iteration: their curvature is one Gram row for all runs
         * at θ₀, or remembered ({@link CurvatureMemo}), so the Cholesky solve costs less there (the rule reads
         * the run's own weights only, whether or not curvatures are shared).
         */
        private void series(int t) {
            Arrays.fill(seriesTerms, 0, m, 0);
            if (maxSeriesTerms == 0) {
                return;
            }
            int pending = 0;
            for (int k = 0; k < m; k++) {
                int s = act[k];
                if (!active[s]) {
                    continue;
                }
                int hash = CurvatureMemo.hash(weights, k * n, n);
                boolean moved = t > 0 && hash != seriesPreviousHash[s];
                seriesPreviousHash[s] = hash;
                if (!moved) {
                    continue;
                }
                double lambda = dampings[s] + curvaturePrior;
                double trace = 0;
                for (int i = 0; i < n; i++) {
                    trace += Math.abs(weights[k * n + i]) * rowNormSquared[i];
                }
                int terms = NeumannSeries.terms(trace / n, lambda);
                if (terms == 0 || terms > maxSeriesTerms) {
                    continue;
                }
                seriesTerms[k] = terms;
                NeumannSeries.start(gradients, k * d, lambda, seriesTerm, k * d, seriesSum, k * d, d);
                pending++;
            }
            for (int term = 1; pending > 0; term++) {
                int count = 0;
                for (int k = 0; k < m; k++) {
                    if (seriesTerms[k] > term) {
                        seriesNext[count++] = k;
                    }
                }
                if (count == 0) {
                    break;
                }
                if (sparse != null) {
                    for (int j = 0; j < count; j++) {
                        int k = seriesNext[j];
                        sparse.multiply(seriesTerm, k * d, f);
                        for (int i = 0; i < n; i++) {
                            f[i] *= weights[k * n + i];
                        }
                        sparse.multiplyTransposed(f, seriesProduct, k * d);
                    }
                } else {
                    DoubleBuffer v = ws.theta();
                    for (int j = 0; j < count; j++) {
                        v.put(j * d, seriesTerm, seriesNext[j] * d, d);
                    }
                    ws.multiply(count);
                    ws.outputs().get(0, seriesOutputs, 0, count * n);
                    for (int j = 0; j < count; j++) {
                        int k = seriesNext[j];
                        for (int i = 0; i < n; i++) {
                            seriesOutputs[j * n + i] *= weights[k * n + i];
                        }
                    }
                    ws.weights().put(0, seriesOutputs, 0, count * n);
                    ws.multiplyTransposed(count);
                    for (int j = 0; j < count; j++) {
                        ws.result().get(j * d, seriesProduct, seriesNext[j] * d, d);
                    }
                }
                for (int j = 0; j < count; j++) {
                    int k = seriesNext[j];
                    for (int i = 0; i < d; i++) {
                        seriesProduct[k * d + i] /= n;
                    }
                    NeumannSeries.accumulate(seriesProduct, k * d, dampings[act[k]] + curvaturePrior, seriesTerm,
                            k * d, seriesSum, k * d, d);
                }
            }
        }

        /**
         * The curvatures of this iteration's active runs. Runs whose weights (and so whose curvature) equal,
         * bit for bit, a remembered curvature's read it back; runs with equal weights at one iteration (all
         * runs at θ₀, saturated runs) share one row of the Gram product; the others get a row each. A
         * curvature shared at this iteration, or whose run's weights did not change since the last one, is
         * remembered. Every run gets the bits its own Gram row would give it (the Gram products treat rows
         * independently), so sharing changes no result, only the work done.
         */
        private void curvatures(int t) {
            int g = 0;
            firstWithHash.clear();
            for (int k = 0; k < m; k++) {
                remembered[k] = null;
                int s = act[k];
                if (memo == null) {
                    gramRow[k] = k;
                    continue;
                }
                if (!active[s] || seriesTerms[k] > 0) {
                    gramRow[k] = -1; // stopped at this iteration's loss, or solved by the series: needs no curvature
                    hashes[k] = 0;
                    continue;
                }
                int h = CurvatureMemo.hash(weights, k * n, n);
                hashes[k] = h;
                CurvatureMemo.Entry e = memo.find(h, weights, k * n);
                if (e != null) {
                    remembered[k] = e;
                    gramRow[k] = -1;
                    continue;
                }
                Integer first = firstWithHash.putIfAbsent(h, k);
                if (first != null && Arrays.equals(weights, first * n, first * n + n, weights, k * n, k * n + n)) {
                    gramRow[k] = gramRow[first];
                    rowShared[gramRow[first]] = true;
                    continue;
                }
                gramRow[k] = g;
                rowOwner[g] = k;
                rowShared[g] = false;
                if (sparse != null) {
                    System.arraycopy(weights, k * n, gramWeights, g * n, n);
                } else {
                    ws.weights().put(g * n, weights, k * n, n);
                }
                g++;
            }
            if (memo == null) {
                if (sparse != null) {
                    sparse.gram(weights, m, packed, scratch);
                } else {
                    ws.weights().put(0, weights, 0, m * n);
                    ws.gram(m);
                }
                return;
            }
            if (g > 0) {
                if (sparse != null) {
                    sparse.gram(gramWeights, g, packed, scratch);
                } else {
                    ws.gram(g);
                }
            }
            for (int row = 0; row < g; row++) {
                int k = rowOwner[row];
                int s = act[k];
                if (rowShared[row] || (t > 0 && hashes[k] == previousHash[s])) {
                    CurvatureMemo.Entry e = memo.add(hashes[k], weights, k * n);
                    if (sparse != null) {
                        System.arraycopy(packed, row * e.packed.length, e.packed, 0, e.packed.length);
                    } else {
                        ws.result().get(row * e.packed.length, e.packed, 0, e.packed.length);
                    }
                }
            }
            for (int k = 0; k < m; k++) {
                previousHash[act[k]] = hashes[k];
            }
        }

        /**
         * (C + λ_s I) x = g_s for position k by LAPACK on direct buffers: the Cholesky solver's arithmetic
         * (the same {@code dpotrf} and {@code dpotrs} on the same matrix, so the same bits) without copying
         * the D × D arrays through JNI, called at LAPACK's Fortran level without LAPACKE's NaN scans (a Gram
         * matrix of finite weights is finite); a remembered curvature keeps its factors, one per damping. Returns
         * false if C + λ_s I is not positive definite; else the solution is in {@link #direction}.
         */
        private boolean solveWithLapack(int s, int k) {
            double lambda = dampings[s];
            CurvatureMemo.Entry e = remembered[k];
            double[] factor = e == null ? null : e.factor(lambda);
            if (factor == CurvatureMemo.NOT_POSITIVE_DEFINITE) {
                return false;
            }
            if (factor != null) {
                factorBuffer.put(0, factor);
            } else {
                unpack(k);
                if (lambda != 0) {
                    for (int i = 0; i < d; i++) {
                        c[i * d + i] += lambda;
                    }
                }
                factorBuffer.put(0, c);
                int info = io.github.natgrad.linalg.Blas.choleskyUpperUnchecked(d, factorBuffer, lapackArguments);
                if (e != null && info != 0) {
                    e.keepNotPositiveDefinite(lambda);
                } else if (e != null) {
                    double[] kept = e.keepFactor(lambda);
                    if (kept != null) {
                        factorBuffer.get(0, kept);
                    }
                }
                if (info != 0) {
                    return false;
                }
            }
            rhsBuffer.put(0, gradients, k * d, d);
            io.github.natgrad.linalg.Blas.choleskySolveUpperUnchecked(d, factorBuffer, rhsBuffer, lapackArguments);
            rhsBuffer.get(0, direction, 0, d);
            return true;
        }

        private CurvatureSystem constantSystem;

        /** The constant curvature, built once at θ = 0 (any θ gives the same matrix). */
        private CurvatureSystem constantSystem() {
            if (constantSystem == null) {
                double[] zero = new double[d];
                Linearization lin = model.linearize(zero, batch);
                double[] r0 = new double[n];
                likelihood.lossAndResidual(lin.outputs(), batch.y(), n, r0);
                CurvatureSystem built = kinds[0].build(lin, batch, likelihood, r0, curvaturePrior, solver);
                constantSystem = new DenseCurvatureSystem(built.kind(), built.toDense(), d, solver);
            }
            return constantSystem;
        }
    }
}
