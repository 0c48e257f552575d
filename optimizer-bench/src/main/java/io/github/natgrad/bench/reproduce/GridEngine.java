package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.models.BernoulliLikelihood;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fast engine of the optimisation grid: all runs of one method that share a step size advance
 * together, one iteration at a time, and give the numbers of the one-run-at-a-time definition
 * ({@link ReferenceRunner}, the library's {@code NaturalGradient}) up to floating-point rounding.
 *
 * <p>For R runs (one per damping λ_s) with parameters Θ = [θ_1 … θ_R] (D × R), an iteration is:
 * <ol>
 * <li>outputs F = X Θ (N × R), then in one fused pass per example and run the residual r = ∂ℓ/∂f and the
 * curvature weight w — σ̃(f)σ̃(−f) for the Fisher of the clipped logistic regression (σ̃ = σ clipped to
 * [ε, 1 − ε], as {@link BernoulliLikelihood}), r² for the empirical Fisher — and, when it is needed, the
 * loss (every iteration for linear regression; for the clipped logistic loss, which is at most −log ε,
 * only when 100 × the initial loss is below that bound, and at the end);</li>
 * <li>gradients G = Xᵀ Res / N (+ the prior's θ/(σ²N));</li>
 * <li>the R curvatures at once as packed upper triangles C = Pᵀ W / N, where P (N × D(D+1)/2) holds the
 * per-example outer products x_i x_iᵀ, computed once: one dgemm instead of R dsyrk calls. For sparse
 * data (a1a: about 15 of 124 entries set per row) the same sum runs over each row's non-zero pairs
 * only, grouped by pair, for blocks of 8 runs at a time (so the block's weights stay in L1 and the 8 sums
 * in registers; twice as fast as one pass over all R runs here);</li>
 * <li>per run, the Cholesky factorisation of C_s + (prior + λ_s) I and θ_s ← θ_s − η (C_s + λ_s I)⁻¹ g_s;
 * where the damping dominates (trace C_s ≤ 1e-3 λ_s) a Neumann series instead, exact to rounding.</li>
 * </ol>
 * Linear regression's Fisher XᵀX/N does not depend on θ: it is built once and factorised once per damping.
 * Design columns that are zero in every example (4 of a1a's 124) are left out: their parameters stay 0.
 * A run stops when its loss exceeds {@value Grid#DIVERGENCE_FACTOR} × its initial loss or is not finite,
 * or when C + λI is numerically not positive definite (where the library throws); it is then
 * {@linkplain RunResult#diverged() diverged}.
 *
 * <p>Immutable after construction and safe to share between threads; each thread uses its own
 * {@link Workspace}. Runs no ND4J code.
 */
public final class GridEngine {
    private static final double SPARSE_BELOW = 0.3;
    private static final int NEUMANN_TERMS = 5;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private final Problem problem;
    private final boolean logistic;
    private final double clip;
    private final int n;
    private final int d;
    private final int q;
    private final double[] x;
    private final double[] y;
    private final double priorPrecision;
    private final boolean sparse;
    // dense path
    private final DoubleBuffer xBuffer;
    private final DoubleBuffer outerProducts;
    // sparse path: CSR of X, and the non-zero pairs grouped by packed position (CSC of P)
    private final int[] rowStart;
    private final int[] columns;
    private final double[] values;
    private final int[] pairStart;
    private final int[] pairRow;
    private final double[] pairValue;
    /** Whether every non-zero input is 1 (a1a), so that products with it can be skipped exactly. */
    private final boolean binary;
    /** The constant Fisher XᵀX/N (+ prior), upper triangle of a dense d × d, for linear regression; else null. */
    private final double[] constantFisher;

    private final LongAdder curvatureFlops = new LongAdder();
    private final LongAdder curvatureNanos = new LongAdder();
    private final LongAdder factorFlops = new LongAdder();
    private final LongAdder factorNanos = new LongAdder();
    private final LongAdder neumannSolves = new LongAdder();

    /** An engine for one problem: precomputes the design matrix, its outer products and sparsity. */
    public GridEngine(Problem problem) {
        this.problem = problem;
        this.logistic = problem.logistic();
        this.clip = logistic ? ((BernoulliLikelihood) problem.model().likelihood()).clip() : 0;
        if (logistic && !(clip > 0)) {
            throw new IllegalArgumentException("the grid engine computes the clipped logistic loss; clip = " + clip);
        }
        this.n = problem.batch().rows();
        this.y = problem.batch().y();
        this.priorPrecision = problem.prior() == null ? 0.0 : problem.prior().precision(n);
        this.x = withoutZeroColumns(problem.design(), n, problem.parameters());
        this.d = x.length / n;
        this.q = d * (d + 1) / 2;
        int nonZeros = 0;
        for (double v : x) {
            if (v != 0) {
                nonZeros++;
            }
        }
        this.sparse = nonZeros < SPARSE_BELOW * x.length;
        if (sparse) {
            rowStart = new int[n + 1];
            columns = new int[nonZeros];
            values = new double[nonZeros];
            int k = 0;
            int[] count = new int[q + 1];
            for (int i = 0; i < n; i++) {
                rowStart[i] = k;
                for (int j = 0; j < d; j++) {
                    double v = x[i * d + j];
                    if (v != 0) {
                        columns[k] = j;
                        values[k++] = v;
                    }
                }
                for (int a = rowStart[i]; a < k; a++) {
                    for (int b = a; b < k; b++) {
                        count[packed(columns[a], columns[b]) + 1]++;
                    }
                }
            }
            rowStart[n] = k;
            pairStart = new int[q + 1];
            for (int p = 0; p < q; p++) {
                pairStart[p + 1] = pairStart[p] + count[p + 1];
            }
            pairRow = new int[pairStart[q]];
            pairValue = new double[pairStart[q]];
            int[] fill = Arrays.copyOf(pairStart, q);
            for (int i = 0; i < n; i++) {
                for (int a = rowStart[i]; a < rowStart[i + 1]; a++) {
                    for (int b = a; b < rowStart[i + 1]; b++) {
                        int p = fill[packed(columns[a], columns[b])]++;
                        pairRow[p] = i;
                        pairValue[p] = values[a] * values[b];
                    }
                }
            }
            boolean ones = true;
            for (double v : values) {
                ones &= v == 1.0;
            }
            binary = ones;
            xBuffer = null;
            outerProducts = null;
        } else {
            binary = false;
            rowStart = null;
            columns = null;
            values = null;
            pairStart = null;
            pairRow = null;
            pairValue = null;
            xBuffer = Blas.allocate((long) n * d);
            xBuffer.put(0, x);
            outerProducts = Blas.allocate((long) n * q);
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < d; a++) {
                    double xa = x[i * d + a];
                    int base = i * q + packed(a, a);
                    for (int b = a; b < d; b++) {
                        outerProducts.put(base + b - a, xa * x[i * d + b]);
                    }
                }
            }
        }
        if (!logistic) {
            Workspace ws = new Workspace(1);
            Arrays.fill(ws.weights, 0, n, 1.0);
            accumulateCurvatures(ws, 1);
            constantFisher = new double[d * d];
            unpack(ws.curvatures, 1, 0, constantFisher);
            addDiagonal(constantFisher, priorPrecision);
        } else {
            constantFisher = null;
        }
    }

    private static double[] withoutZeroColumns(double[] x, int n, int d) {
        boolean[] used = new boolean[d];
        int kept = 0;
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n && !used[j]; i++) {
                used[j] = x[i * d + j] != 0;
            }
            kept += used[j] ? 1 : 0;
        }
        if (kept == d || kept == 0) {
            return x;
        }
        double[] out = new double[n * kept];
        for (int i = 0; i < n; i++) {
            int k = 0;
            for (int j = 0; j < d; j++) {
                if (used[j]) {
                    out[i * kept + k++] = x[i * d + j];
                }
            }
        }
        return out;
    }

    /** The problem. */
    public Problem problem() {
        return problem;
    }

    /** Whether the sparse curvature path is used (fewer than 30% non-zero inputs). */
    public boolean sparse() {
        return sparse;
    }

    /** The number of parameters the engine iterates (D without the all-zero design columns). */
    public int dimension() {
        return d;
    }

    /** Floating-point operations spent in curvature builds so far (multiply and add counted apart). */
    public long curvatureFlops() {
        return curvatureFlops.sum();
    }

    /** CPU seconds (summed over threads) spent in curvature builds so far. */
    public double curvatureSeconds() {
        return curvatureNanos.sum() * 1e-9;
    }

    /** Floating-point operations spent in Cholesky factorisations so far (D³/3 each). */
    public long factorFlops() {
        return factorFlops.sum();
    }

    /** Solves done by the Neumann series (where the damping dominates) instead of a factorisation. */
    public long neumannSolves() {
        return neumannSolves.sum();
    }

    /** CPU seconds (summed over threads) spent unpacking, factorising and solving with built curvatures. */
    public double factorSeconds() {
        return factorNanos.sum() * 1e-9;
    }

    /** Buffers for groups of up to {@code runs} runs; one per thread. */
    public Workspace workspace(int runs) {
        return new Workspace(runs);
    }

    /** Per-thread buffers. */
    public final class Workspace {
        final int capacity;
        final double[] theta;
        final double[] outputs;
        final double[] residuals;
        final double[] weights;
        final double[] gradients;
        final double[] curvatures;
        final double[] losses;
        final double[] blockedWeights;
        final double[] blockedTheta;
        final double[] blockedGradient;
        final double[] rhs;
        final double[] term;
        final double[] next;
        final DoubleBuffer thetaBuffer;
        final DoubleBuffer outputBuffer;
        final DoubleBuffer residualBuffer;
        final DoubleBuffer weightBuffer;
        final DoubleBuffer gradientBuffer;
        final DoubleBuffer curvatureBuffer;
        final DoubleBuffer matrixBuffer;
        final DoubleBuffer rhsBuffer;

        Workspace(int runs) {
            capacity = runs;
            theta = new double[d * runs];
            outputs = new double[n * runs];
            residuals = new double[n * runs];
            weights = new double[n * runs];
            gradients = new double[d * runs];
            curvatures = new double[q * runs];
            losses = new double[runs];
            blockedWeights = sparse ? new double[n * 8 * ((runs + 7) / 8)] : null;
            blockedTheta = sparse ? new double[d * 8 * ((runs + 7) / 8)] : null;
            blockedGradient = sparse ? new double[d * 8 * ((runs + 7) / 8)] : null;
            rhs = new double[d];
            term = new double[d];
            next = new double[d];
            boolean direct = !sparse;
            thetaBuffer = direct ? Blas.allocate((long) d * runs) : null;
            outputBuffer = direct ? Blas.allocate((long) n * runs) : null;
            residualBuffer = direct ? Blas.allocate((long) n * runs) : null;
            weightBuffer = direct ? Blas.allocate((long) n * runs) : null;
            gradientBuffer = direct ? Blas.allocate((long) d * runs) : null;
            curvatureBuffer = direct ? Blas.allocate((long) q * runs) : null;
            matrixBuffer = Blas.allocate((long) d * d);
            rhsBuffer = Blas.allocate(d);
        }
    }

    /** {@link #run(Method, double, double[], int, Workspace, boolean)} without the loss curves. */
    public RunResult[] run(Method method, double stepSize, double[] dampings, int iterations, Workspace ws) {
        return run(method, stepSize, dampings, iterations, ws, false);
    }

    /**
     * Runs one method at one step size for every damping (gradient descent ignores the dampings and runs
     * once), from θ_0 = 0, for {@code iterations} iterations.
     *
     * @param curves whether to record the loss at every iteration; without, a result's curve holds the
     *               initial and the final loss only (and the logistic loss is not computed in between
     *               when it cannot reach the divergence threshold)
     * @return one result per damping, in order (one result for {@link Method#GD})
     */
    public RunResult[] run(Method method, double stepSize, double[] dampings, int iterations, Workspace ws,
            boolean curves) {
        int runs = method == Method.GD ? 1 : dampings.length;
        if (runs > ws.capacity) {
            throw new IllegalArgumentException("workspace for " + ws.capacity + " runs, asked for " + runs);
        }
        Arrays.fill(ws.theta, 0, d * runs, 0.0);
        boolean[] active = new boolean[runs];
        Arrays.fill(active, true);
        int[] stoppedAt = new int[runs];
        boolean[] diverged = new boolean[runs];
        double[][] history = new double[runs][curves ? iterations + 1 : 1];
        double[] finalLoss = new double[runs];
        double[][] constantFactors = null;
        boolean build = method == Method.EFGD || (method == Method.NGD && constantFisher == null);
        if (method == Method.NGD && constantFisher != null) {
            constantFactors = new double[runs][];
            for (int s = 0; s < runs; s++) {
                double[] u = constantFisher.clone();
                addDiagonal(u, dampings[s]);
                factorFlops.add((long) d * d * d / 3);
                constantFactors[s] = Blas.choleskyUpper(d, u) == 0 ? u : null;
            }
        }
        double initial = Double.NaN;
        int alive = runs;
        for (int t = 0; t <= iterations && alive > 0; t++) {
            forward(ws, runs);
            // the clipped logistic loss is at most −log ε: below 100 × the initial loss it cannot diverge
            boolean needLoss = curves || t == 0 || t == iterations || !logistic || priorPrecision != 0
                    || -Math.log(clip) > Grid.DIVERGENCE_FACTOR * initial;
            pointwise(ws, runs, method, needLoss);
            for (int s = 0; s < runs; s++) {
                if (!active[s] || !needLoss) {
                    continue;
                }
                double loss = ws.losses[s];
                if (t == 0) {
                    initial = loss;
                }
                if (curves) {
                    history[s][t] = loss;
                } else if (t == 0) {
                    history[s][0] = loss;
                }
                boolean blewUp = !(loss <= Grid.DIVERGENCE_FACTOR * initial);
                if (blewUp || t == iterations) {
                    stop(s, t, loss, blewUp, active, stoppedAt, diverged, finalLoss);
                    alive--;
                }
            }
            if (alive == 0) {
                break;
            }
            for (int s = 0; s < runs; s++) {
                if (!active[s]) {
                    zeroColumn(ws.residuals, s, runs);
                    zeroColumn(ws.weights, s, runs);
                }
            }
            gradients(ws, runs);
            if (build) {
                long t0 = CPU.getCurrentThreadCpuTime();
                accumulateCurvatures(ws, runs);
                curvatureNanos.add(CPU.getCurrentThreadCpuTime() - t0);
            }
            for (int s = 0; s < runs; s++) {
                if (!active[s]) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    ws.rhs[j] = ws.gradients[j * runs + s];
                }
                if (method != Method.GD) {
                    boolean ok;
                    if (build && neumann(ws, s, priorPrecision + dampings[s])) {
                        ok = true;
                    } else if (build) {
                        long f0 = CPU.getCurrentThreadCpuTime();
                        unpack(ws.curvatures, runs, s, ws.matrixBuffer, priorPrecision + dampings[s]);
                        factorFlops.add((long) d * d * d / 3);
                        ok = Blas.choleskyUpper(d, ws.matrixBuffer) == 0;
                        if (ok) {
                            ws.rhsBuffer.put(0, ws.rhs);
                            Blas.choleskySolveUpper(d, ws.matrixBuffer, ws.rhsBuffer);
                            ws.rhsBuffer.get(0, ws.rhs);
                        }
                        factorNanos.add(CPU.getCurrentThreadCpuTime() - f0);
                    } else {
                        ok = constantFactors[s] != null;
                        if (ok) {
                            Blas.choleskySolveUpper(d, constantFactors[s], ws.rhs);
                        }
                    }
                    if (!ok) {
                        double loss = curves ? history[s][t] : Double.NaN;
                        if (!curves) { // the loss at θ_t was skipped: compute it for the record
                            loss = lossOf(ws, runs, s);
                        }
                        stop(s, t, loss, true, active, stoppedAt, diverged, finalLoss);
                        alive--;
                        continue;
                    }
                }
                for (int j = 0; j < d; j++) {
                    ws.theta[j * runs + s] -= stepSize * ws.rhs[j];
                }
            }
        }
        RunResult[] out = new RunResult[runs];
        for (int s = 0; s < runs; s++) {
            double[] curve = curves ? Arrays.copyOf(history[s], stoppedAt[s] + 1)
                    : stoppedAt[s] == 0 ? new double[] {finalLoss[s]} : new double[] {history[s][0], finalLoss[s]};
            out[s] = new RunResult(stoppedAt[s], finalLoss[s], diverged[s], curve);
        }
        return out;
    }

    private static void stop(int s, int t, double loss, boolean blewUp, boolean[] active, int[] stoppedAt,
            boolean[] diverged, double[] finalLoss) {
        active[s] = false;
        diverged[s] = blewUp;
        stoppedAt[s] = t;
        finalLoss[s] = loss;
    }

    /**
     * Residuals, curvature weights and (when asked) losses of every run from the outputs, in one pass with
     * the formulas of the library's likelihoods.
     */
    private void pointwise(Workspace ws, int runs, Method method, boolean withLoss) {
        double[] f = ws.outputs;
        double[] res = ws.residuals;
        double[] w = ws.weights;
        double[] loss = ws.losses;
        Arrays.fill(loss, 0, runs, 0.0);
        boolean ef = method == Method.EFGD;
        boolean fisher = method == Method.NGD && logistic;
        double hi = 1 - clip;
        for (int i = 0; i < n; i++) {
            double yi = y[i];
            int o = i * runs;
            for (int s = 0; s < runs; s++) {
                double fi = f[o + s];
                double r;
                if (logistic) {
                    // σ(|f|) = 1/(1 + e) ≥ 1/2 ≥ σ(−|f|) = e/(1 + e), e = exp(−|f|): only the upper clip can bind
                    // on the first, only the lower on the second (the same values as clipping both ends)
                    // (one division: e/(1 + e) as e·(1/(1 + e)), which differs from the library's quotient by
                    // at most an ulp)
                    double e = Math.exp(-Math.abs(fi));
                    double inv = 1.0 / (1.0 + e);
                    double a = Math.min(hi, inv);
                    double b = Math.max(clip, e * inv);
                    double p1 = fi >= 0 ? a : b;
                    double p0 = fi >= 0 ? b : a;
                    r = p1 - yi;
                    if (fisher) {
                        w[o + s] = p1 * p0;
                    }
                    if (withLoss) {
                        loss[s] -= yi == 1.0 ? Math.log(p1) : yi == 0.0 ? Math.log(p0)
                                : yi * Math.log(p1) + (1 - yi) * Math.log(p0);
                    }
                } else {
                    r = fi - yi;
                    if (withLoss) {
                        loss[s] += r * r;
                    }
                }
                res[o + s] = r;
                if (ef) {
                    w[o + s] = r * r;
                }
            }
        }
        if (withLoss) {
            for (int s = 0; s < runs; s++) {
                loss[s] = (logistic ? loss[s] : 0.5 * loss[s]) / n + priorTerm(ws, runs, s);
            }
        }
    }

    private double priorTerm(Workspace ws, int runs, int s) {
        double sq = 0;
        boolean finite = true;
        for (int j = 0; j < d; j++) {
            double v = ws.theta[j * runs + s];
            sq += v * v;
            finite &= Double.isFinite(v);
        }
        return finite ? 0.5 * priorPrecision * sq : Double.NaN;
    }

    /** The loss of run s from its outputs (for a run stopped where the loss was not computed). */
    private double lossOf(Workspace ws, int runs, int s) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double fi = ws.outputs[i * runs + s];
            if (logistic) {
                double e = Math.exp(-Math.abs(fi));
                double a = 1.0 / (1.0 + e);
                double b = e / (1.0 + e);
                double p1 = Math.min(1 - clip, Math.max(clip, fi >= 0 ? a : b));
                double p0 = Math.min(1 - clip, Math.max(clip, fi >= 0 ? b : a));
                sum -= y[i] == 1.0 ? Math.log(p1) : y[i] == 0.0 ? Math.log(p0)
                        : y[i] * Math.log(p1) + (1 - y[i]) * Math.log(p0);
            } else {
                double r = fi - y[i];
                sum += r * r;
            }
        }
        return (logistic ? sum : 0.5 * sum) / n + priorTerm(ws, runs, s);
    }

    /** F = X Θ (N × R). */
    private void forward(Workspace ws, int runs) {
        if (sparse) {
            // blocks of 8 runs: the block's Θ (D × 8) stays in L1 and each row's 8 sums in registers; every sum
            // runs over the row's non-zeros in order
            double[] blocked = ws.blockedTheta;
            double[] out = ws.outputs;
            int blocks = (runs + 7) / 8;
            for (int b = 0; b < blocks; b++) {
                int width = Math.min(8, runs - 8 * b);
                for (int j = 0; j < d; j++) {
                    System.arraycopy(ws.theta, j * runs + 8 * b, blocked, (b * d + j) * 8, width);
                }
            }
            for (int b = 0; b < blocks; b++) {
                int base = b * d * 8;
                int width = Math.min(8, runs - 8 * b);
                for (int i = 0; i < n; i++) {
                    double a0 = 0;
                    double a1 = 0;
                    double a2 = 0;
                    double a3 = 0;
                    double a4 = 0;
                    double a5 = 0;
                    double a6 = 0;
                    double a7 = 0;
                    for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                        int o = base + columns[k] * 8;
                        if (binary) {
                            a0 += blocked[o];
                            a1 += blocked[o + 1];
                            a2 += blocked[o + 2];
                            a3 += blocked[o + 3];
                            a4 += blocked[o + 4];
                            a5 += blocked[o + 5];
                            a6 += blocked[o + 6];
                            a7 += blocked[o + 7];
                        } else {
                            double v = values[k];
                            a0 += v * blocked[o];
                            a1 += v * blocked[o + 1];
                            a2 += v * blocked[o + 2];
                            a3 += v * blocked[o + 3];
                            a4 += v * blocked[o + 4];
                            a5 += v * blocked[o + 5];
                            a6 += v * blocked[o + 6];
                            a7 += v * blocked[o + 7];
                        }
                    }
                    store(out, i * runs + 8 * b, width, a0, a1, a2, a3, a4, a5, a6, a7);
                }
            }
        } else {
            ws.thetaBuffer.put(0, ws.theta, 0, d * runs);
            Blas.gemm(false, false, n, runs, d, 1.0, xBuffer, d, ws.thetaBuffer, runs, 0.0, ws.outputBuffer, runs);
            ws.outputBuffer.get(0, ws.outputs, 0, n * runs);
        }
    }

    private static void store(double[] out, int at, int width, double a0, double a1, double a2, double a3, double a4,
            double a5, double a6, double a7) {
        if (width == 8) {
            out[at] = a0;
            out[at + 1] = a1;
            out[at + 2] = a2;
            out[at + 3] = a3;
            out[at + 4] = a4;
            out[at + 5] = a5;
            out[at + 6] = a6;
            out[at + 7] = a7;
            return;
        }
        double[] all = {a0, a1, a2, a3, a4, a5, a6, a7};
        System.arraycopy(all, 0, out, at, width);
    }

    /** G = Xᵀ Res / N + prior · Θ (D × R). */
    private void gradients(Workspace ws, int runs) {
        if (sparse) {
            // blocks of 8 runs: the block's D × 8 sums stay in L1; each sum runs over the examples in order
            double[] blocked = ws.blockedGradient;
            double[] res = ws.residuals;
            int blocks = (runs + 7) / 8;
            Arrays.fill(blocked, 0, blocks * d * 8, 0.0);
            for (int b = 0; b < blocks; b++) {
                int base = b * d * 8;
                int width = Math.min(8, runs - 8 * b);
                for (int i = 0; i < n; i++) {
                    int o = i * runs + 8 * b;
                    double r0 = res[o];
                    double r1 = width > 1 ? res[o + 1] : 0;
                    double r2 = width > 2 ? res[o + 2] : 0;
                    double r3 = width > 3 ? res[o + 3] : 0;
                    double r4 = width > 4 ? res[o + 4] : 0;
                    double r5 = width > 5 ? res[o + 5] : 0;
                    double r6 = width > 6 ? res[o + 6] : 0;
                    double r7 = width > 7 ? res[o + 7] : 0;
                    for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                        int g = base + columns[k] * 8;
                        if (binary) {
                            blocked[g] += r0;
                            blocked[g + 1] += r1;
                            blocked[g + 2] += r2;
                            blocked[g + 3] += r3;
                            blocked[g + 4] += r4;
                            blocked[g + 5] += r5;
                            blocked[g + 6] += r6;
                            blocked[g + 7] += r7;
                        } else {
                            double v = values[k];
                            blocked[g] += v * r0;
                            blocked[g + 1] += v * r1;
                            blocked[g + 2] += v * r2;
                            blocked[g + 3] += v * r3;
                            blocked[g + 4] += v * r4;
                            blocked[g + 5] += v * r5;
                            blocked[g + 6] += v * r6;
                            blocked[g + 7] += v * r7;
                        }
                    }
                }
                for (int j = 0; j < d; j++) {
                    System.arraycopy(blocked, base + j * 8, ws.gradients, j * runs + 8 * b, width);
                }
            }
        } else {
            ws.residualBuffer.put(0, ws.residuals, 0, n * runs);
            Blas.gemm(true, false, d, runs, n, 1.0, xBuffer, d, ws.residualBuffer, runs, 0.0, ws.gradientBuffer, runs);
            ws.gradientBuffer.get(0, ws.gradients, 0, d * runs);
        }
        for (int k = 0; k < d * runs; k++) {
            ws.gradients[k] = ws.gradients[k] / n + priorPrecision * ws.theta[k];
        }
    }

    /** The packed upper triangles Cᵀ = Wᵀ P (R × Q, one run per row), not yet divided by N. */
    private void accumulateCurvatures(Workspace ws, int runs) {
        if (sparse) {
            // weights regrouped in blocks of 8 runs, so that one block of all N examples stays in L1 and each
            // pair's 8 sums stay in registers; the sum over a pair's rows runs in row order, as in Pᵀ W
            double[] c = ws.curvatures;
            double[] w = ws.weights;
            double[] blocked = ws.blockedWeights;
            int blocks = (runs + 7) / 8;
            for (int b = 0; b < blocks; b++) {
                int width = Math.min(8, runs - 8 * b);
                for (int i = 0; i < n; i++) {
                    System.arraycopy(w, i * runs + 8 * b, blocked, (b * n + i) * 8, width);
                }
            }
            for (int b = 0; b < blocks; b++) {
                int base = b * n * 8;
                int width = Math.min(8, runs - 8 * b);
                for (int p = 0; p < q; p++) {
                    double a0 = 0;
                    double a1 = 0;
                    double a2 = 0;
                    double a3 = 0;
                    double a4 = 0;
                    double a5 = 0;
                    double a6 = 0;
                    double a7 = 0;
                    if (binary) { // all products x_ij x_ik are 1: the same sums without multiplying by 1
                        for (int k = pairStart[p]; k < pairStart[p + 1]; k++) {
                            int o = base + pairRow[k] * 8;
                            a0 += blocked[o];
                            a1 += blocked[o + 1];
                            a2 += blocked[o + 2];
                            a3 += blocked[o + 3];
                            a4 += blocked[o + 4];
                            a5 += blocked[o + 5];
                            a6 += blocked[o + 6];
                            a7 += blocked[o + 7];
                        }
                    } else {
                        for (int k = pairStart[p]; k < pairStart[p + 1]; k++) {
                            double v = pairValue[k];
                            int o = base + pairRow[k] * 8;
                            a0 += v * blocked[o];
                            a1 += v * blocked[o + 1];
                            a2 += v * blocked[o + 2];
                            a3 += v * blocked[o + 3];
                            a4 += v * blocked[o + 4];
                            a5 += v * blocked[o + 5];
                            a6 += v * blocked[o + 6];
                            a7 += v * blocked[o + 7];
                        }
                    }
                    int cb = 8 * b * q + p;
                    c[cb] = a0;
                    if (width == 8) {
                        c[cb + q] = a1;
                        c[cb + 2 * q] = a2;
                        c[cb + 3 * q] = a3;
                        c[cb + 4 * q] = a4;
                        c[cb + 5 * q] = a5;
                        c[cb + 6 * q] = a6;
                        c[cb + 7 * q] = a7;
                    } else {
                        double[] rest = {a1, a2, a3, a4, a5, a6, a7};
                        for (int j = 1; j < width; j++) {
                            c[cb + j * q] = rest[j - 1];
                        }
                    }
                }
            }
            curvatureFlops.add(2L * pairRow.length * runs);
        } else {
            ws.weightBuffer.put(0, ws.weights, 0, n * runs);
            Blas.gemm(true, false, runs, q, n, 1.0, ws.weightBuffer, runs, outerProducts, q, 0.0, ws.curvatureBuffer, q);
            ws.curvatureBuffer.get(0, ws.curvatures, 0, q * runs);
            curvatureFlops.add(2L * q * n * runs);
        }
    }

    /**
     * Solves (C_s + shift·I) x = rhs in place by the Neumann series x = Σ_k (−C_s/shift)^k rhs / shift when
     * the damping dominates: ‖C_s‖₂ ≤ trace(C_s) = ρ·shift with ρ ≤ 1e-3, summing the terms k = 0…5 so that
     * the remainder, at most ρ⁶/(1 − ρ) ≈ 1e-18 relative, is below double rounding. Costs 5 products with
     * the packed C_s (2·D² flops each) instead of a Cholesky factorisation (D³/3). Returns false (and
     * leaves rhs unchanged) when the damping does not dominate.
     */
    private boolean neumann(Workspace ws, int s, double shift) {
        double[] c = ws.curvatures;
        int base = s * q;
        double trace = 0;
        int p = base;
        for (int a = 0; a < d; a++) {
            trace += c[p];
            p += d - a;
        }
        trace /= n;
        if (!(trace <= 1e-3 * shift)) {
            return false;
        }
        double[] term = ws.term;
        double[] next = ws.next;
        double[] x = ws.rhs;
        double scale = 1.0 / shift;
        for (int j = 0; j < d; j++) {
            term[j] = x[j] * scale;
            x[j] = term[j];
        }
        double factor = -1.0 / (n * shift);
        for (int k = 1; k <= NEUMANN_TERMS; k++) {
            java.util.Arrays.fill(next, 0, d, 0.0);
            p = base;
            for (int a = 0; a < d; a++) {
                double ta = term[a];
                double sum = c[p++] * ta;
                for (int b = a + 1; b < d; b++) {
                    double v = c[p++];
                    sum += v * term[b];
                    next[b] += v * ta;
                }
                next[a] += sum;
            }
            for (int j = 0; j < d; j++) {
                term[j] = next[j] * factor;
                x[j] += term[j];
            }
        }
        neumannSolves.increment();
        return true;
    }

    /** Writes the upper triangle of run s's curvature / N into the dense row-major {@code out}. */
    private void unpack(double[] packed, int runs, int s, double[] out) {
        int p = s * q;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                out[a * d + b] = packed[p++] / n;
            }
        }
    }

    /** Writes the upper triangle of run s's curvature / N plus {@code shift}·I into the row-major buffer. */
    private void unpack(double[] packed, int runs, int s, DoubleBuffer out, double shift) {
        int p = s * q;
        for (int a = 0; a < d; a++) {
            out.put(a * d + a, packed[p++] / n + shift);
            for (int b = a + 1; b < d; b++) {
                out.put(a * d + b, packed[p++] / n);
            }
        }
    }

    private void addDiagonal(double[] m, double v) {
        if (v == 0) {
            return;
        }
        for (int a = 0; a < d; a++) {
            m[a * d + a] += v;
        }
    }

    private int packed(int a, int b) {
        return a * d - a * (a - 1) / 2 + (b - a);
    }

    private void zeroColumn(double[] m, int s, int runs) {
        for (int k = s; k < n * runs; k += runs) {
            m[k] = 0.0;
        }
    }
}
