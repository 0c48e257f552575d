package io.github.natgrad.bench.reproduce;

import io.github.natgrad.Likelihood;
import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.linalg.Blas;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fast engine of the optimisation grid: all runs of one method that share a step size advance
 * together, one iteration at a time, and give the numbers of the one-run-at-a-time definition
 * ({@link ReferenceRunner}, the library's {@code NaturalGradient}) up to floating-point rounding.
 *
 * <p>For R runs (one per damping λ_r) with parameters Θ = [θ_1 … θ_R] (D × R), an iteration is:
 * <ol>
 * <li>outputs F = X Θ (N × R) and, per run, the loss, the residuals r = ∂ℓ/∂f and the curvature weights
 * w (the Fisher's σ(f)σ(−f), 1 for linear regression, or r² for the empirical Fisher), with the
 * likelihood's own code;</li>
 * <li>gradients G = Xᵀ Res / N (+ the prior's θ/(σ²N));</li>
 * <li>the R curvatures at once, packed upper triangles C = Pᵀ W / N with P the N × D(D+1)/2 matrix of
 * per-example outer products x_i x_iᵀ, precomputed once: one dgemm instead of R dsyrk calls; for sparse
 * data (a1a: ~15 of 124 entries set per row) the same sum over each row's non-zero pairs only;</li>
 * <li>per run, Cholesky of C_r + (prior + λ_r) I and the step θ_r ← θ_r − η (C_r + λ_r I)⁻¹ g_r.</li>
 * </ol>
 * Linear regression's Fisher XᵀX/N does not depend on θ: it is built and factorised once per damping.
 * A run stops when its loss exceeds {@value Grid#DIVERGENCE_FACTOR} × its initial loss or is not finite,
 * or when C + λI is numerically not positive definite (where the library throws); it is then
 * {@linkplain RunResult#diverged() diverged}.
 *
 * <p>Immutable after construction and safe to share between threads; each thread uses its own
 * {@link Workspace}. Runs no ND4J code.
 */
public final class GridEngine {
    private static final double SPARSE_BELOW = 0.3;

    private final Problem problem;
    private final Likelihood likelihood;
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
    // sparse path: CSR of X and, per row, the packed positions and values of its non-zero pairs
    private final int[] rowStart;
    private final int[] columns;
    private final double[] values;
    private final int[] pairStart;
    private final int[] pairPosition;
    private final double[] pairValue;
    /** The constant Fisher XᵀX/N (+ prior), dense d × d, for linear regression; null otherwise. */
    private final double[] constantFisher;

    private final LongAdder curvatureFlops = new LongAdder();
    private final LongAdder curvatureNanos = new LongAdder();
    private final LongAdder factorFlops = new LongAdder();

    /** An engine for one problem: precomputes the design matrix, its outer products and sparsity. */
    public GridEngine(Problem problem) {
        this.problem = problem;
        this.likelihood = problem.model().likelihood();
        this.n = problem.batch().rows();
        this.d = problem.parameters();
        this.q = d * (d + 1) / 2;
        this.x = problem.design();
        this.y = problem.batch().y();
        this.priorPrecision = problem.prior() == null ? 0.0 : problem.prior().precision(n);
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
            pairStart = new int[n + 1];
            int k = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                rowStart[i] = k;
                int before = k;
                for (int j = 0; j < d; j++) {
                    double v = x[i * d + j];
                    if (v != 0) {
                        columns[k] = j;
                        values[k++] = v;
                    }
                }
                int m = k - before;
                pairs += (long) m * (m + 1) / 2;
            }
            rowStart[n] = k;
            pairPosition = new int[Math.toIntExact(pairs)];
            pairValue = new double[pairPosition.length];
            int p = 0;
            for (int i = 0; i < n; i++) {
                pairStart[i] = p;
                for (int a = rowStart[i]; a < rowStart[i + 1]; a++) {
                    for (int b = a; b < rowStart[i + 1]; b++) {
                        pairPosition[p] = packed(columns[a], columns[b]);
                        pairValue[p++] = values[a] * values[b];
                    }
                }
            }
            pairStart[n] = p;
            xBuffer = null;
            outerProducts = null;
        } else {
            rowStart = null;
            columns = null;
            values = null;
            pairStart = null;
            pairPosition = null;
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
        if (!problem.logistic()) {
            double[] c = new double[q];
            double[] ones = new double[n];
            Arrays.fill(ones, 1.0);
            Workspace ws = new Workspace(1);
            System.arraycopy(ones, 0, ws.weights, 0, n);
            accumulateCurvatures(ws, 1);
            System.arraycopy(ws.curvatures, 0, c, 0, q);
            constantFisher = new double[d * d];
            unpack(c, 1, 0, constantFisher);
            addDiagonal(constantFisher, priorPrecision);
        } else {
            constantFisher = null;
        }
    }

    /** The problem. */
    public Problem problem() {
        return problem;
    }

    /** Whether the sparse curvature path is used (fewer than 30% non-zero inputs). */
    public boolean sparse() {
        return sparse;
    }

    /** Floating-point operations spent in curvature builds so far (multiply and add counted apart). */
    public long curvatureFlops() {
        return curvatureFlops.sum();
    }

    /** Thread-seconds spent in curvature builds so far. */
    public double curvatureSeconds() {
        return curvatureNanos.sum() * 1e-9;
    }

    /** Floating-point operations spent in Cholesky factorisations so far (D³/3 each). */
    public long factorFlops() {
        return factorFlops.sum();
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
        final double[] f;
        final double[] r;
        final double[] factor;
        final double[] dense;
        final double[] rhs;
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
            f = new double[n];
            r = new double[n];
            factor = new double[n];
            dense = new double[d * d];
            rhs = new double[d];
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

    /**
     * Runs one method at one step size for every damping (gradient descent ignores the dampings and runs
     * once), from θ_0 = 0, for {@code iterations} iterations.
     *
     * @return one result per damping, in order (one result for {@link Method#GD})
     */
    public RunResult[] run(Method method, double stepSize, double[] dampings, int iterations, Workspace ws) {
        int runs = method == Method.GD ? 1 : dampings.length;
        if (runs > ws.capacity) {
            throw new IllegalArgumentException("workspace for " + ws.capacity + " runs, asked for " + runs);
        }
        Arrays.fill(ws.theta, 0, d * runs, 0.0);
        boolean[] active = new boolean[runs];
        Arrays.fill(active, true);
        int[] stoppedAt = new int[runs];
        boolean[] diverged = new boolean[runs];
        double[][] curves = new double[runs][iterations + 1];
        double[][] constantFactors = null;
        if (method == Method.NGD && constantFisher != null) {
            constantFactors = new double[runs][];
            for (int s = 0; s < runs; s++) {
                double[] u = constantFisher.clone();
                for (int i = 0; i < d; i++) {
                    u[i * d + i] += dampings[s];
                }
                factorFlops.add((long) d * d * d / 3);
                constantFactors[s] = Blas.choleskyUpper(d, u) == 0 ? u : null;
            }
        }
        int alive = runs;
        for (int t = 0; t <= iterations && alive > 0; t++) {
            forward(ws, runs);
            for (int s = 0; s < runs; s++) {
                if (!active[s]) {
                    zeroColumn(ws.residuals, s, runs);
                    zeroColumn(ws.weights, s, runs);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    ws.f[i] = ws.outputs[i * runs + s];
                }
                double loss = likelihood.lossAndResidual(ws.f, y, n, ws.r) / n;
                if (priorPrecision != 0) {
                    double sq = 0;
                    for (int j = 0; j < d; j++) {
                        double v = ws.theta[j * runs + s];
                        sq += v * v;
                    }
                    loss += 0.5 * priorPrecision * sq;
                }
                if (!finite(ws.theta, s, runs)) {
                    loss = Double.NaN;
                }
                curves[s][t] = loss;
                boolean blewUp = !(loss <= Grid.DIVERGENCE_FACTOR * curves[s][0]);
                if (blewUp || t == iterations) {
                    active[s] = false;
                    diverged[s] = blewUp;
                    stoppedAt[s] = t;
                    alive--;
                    zeroColumn(ws.residuals, s, runs);
                    zeroColumn(ws.weights, s, runs);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    ws.residuals[i * runs + s] = ws.r[i];
                }
                if (method == Method.EFGD) {
                    for (int i = 0; i < n; i++) {
                        ws.weights[i * runs + s] = ws.r[i] * ws.r[i];
                    }
                } else if (method == Method.NGD && constantFisher == null) {
                    likelihood.fisherFactor(ws.f, n, ws.factor);
                    for (int i = 0; i < n; i++) {
                        ws.weights[i * runs + s] = ws.factor[i] * ws.factor[i];
                    }
                }
            }
            if (alive == 0) {
                break;
            }
            gradients(ws, runs);
            boolean build = method == Method.EFGD || (method == Method.NGD && constantFisher == null);
            if (build) {
                long t0 = System.nanoTime();
                accumulateCurvatures(ws, runs);
                curvatureNanos.add(System.nanoTime() - t0);
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
                    if (build) {
                        unpack(ws.curvatures, runs, s, ws.dense);
                        if (priorPrecision != 0) {
                            addDiagonal(ws.dense, priorPrecision);
                        }
                        addDiagonal(ws.dense, dampings[s]);
                        ws.matrixBuffer.put(0, ws.dense);
                        factorFlops.add((long) d * d * d / 3);
                        ok = Blas.choleskyUpper(d, ws.matrixBuffer) == 0;
                        if (ok) {
                            ws.rhsBuffer.put(0, ws.rhs);
                            Blas.choleskySolveUpper(d, ws.matrixBuffer, ws.rhsBuffer);
                            ws.rhsBuffer.get(0, ws.rhs);
                        }
                    } else {
                        ok = constantFactors[s] != null;
                        if (ok) {
                            Blas.choleskySolveUpper(d, constantFactors[s], ws.rhs);
                        }
                    }
                    if (!ok) {
                        active[s] = false;
                        diverged[s] = true;
                        stoppedAt[s] = t;
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
            double[] curve = Arrays.copyOf(curves[s], stoppedAt[s] + 1);
            out[s] = new RunResult(stoppedAt[s], curve[stoppedAt[s]], diverged[s], curve);
        }
        return out;
    }

    /** F = X Θ (N × R). */
    private void forward(Workspace ws, int runs) {
        if (sparse) {
            Arrays.fill(ws.outputs, 0, n * runs, 0.0);
            for (int i = 0; i < n; i++) {
                int o = i * runs;
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                    double v = values[k];
                    int tb = columns[k] * runs;
                    for (int s = 0; s < runs; s++) {
                        ws.outputs[o + s] += v * ws.theta[tb + s];
                    }
                }
            }
        } else {
            ws.thetaBuffer.put(0, ws.theta, 0, d * runs);
            Blas.gemm(false, false, n, runs, d, 1.0, xBuffer, d, ws.thetaBuffer, runs, 0.0, ws.outputBuffer, runs);
            ws.outputBuffer.get(0, ws.outputs, 0, n * runs);
        }
    }

    /** G = Xᵀ Res / N + prior · Θ (D × R). */
    private void gradients(Workspace ws, int runs) {
        if (sparse) {
            Arrays.fill(ws.gradients, 0, d * runs, 0.0);
            for (int i = 0; i < n; i++) {
                int o = i * runs;
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                    double v = values[k];
                    int gb = columns[k] * runs;
                    for (int s = 0; s < runs; s++) {
                        ws.gradients[gb + s] += v * ws.residuals[o + s];
                    }
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

    /** The packed upper triangles C = Pᵀ W (Q × R), unnormalised. */
    private void accumulateCurvatures(Workspace ws, int runs) {
        if (sparse) {
            Arrays.fill(ws.curvatures, 0, q * runs, 0.0);
            double[] c = ws.curvatures;
            double[] w = ws.weights;
            for (int i = 0; i < n; i++) {
                int wb = i * runs;
                for (int p = pairStart[i]; p < pairStart[i + 1]; p++) {
                    double v = pairValue[p];
                    int cb = pairPosition[p] * runs;
                    for (int s = 0; s < runs; s++) {
                        c[cb + s] += v * w[wb + s];
                    }
                }
            }
            curvatureFlops.add(2L * pairPosition.length * runs);
        } else {
            ws.weightBuffer.put(0, ws.weights, 0, n * runs);
            Blas.gemm(true, false, q, runs, n, 1.0, outerProducts, q, ws.weightBuffer, runs, 0.0, ws.curvatureBuffer,
                    runs);
            ws.curvatureBuffer.get(0, ws.curvatures, 0, q * runs);
            curvatureFlops.add(2L * q * n * runs);
        }
    }

    /** Writes the full upper triangle of run s's curvature / N into the dense row-major {@code out}. */
    private void unpack(double[] packedColumns, int runs, int s, double[] out) {
        int p = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                out[a * d + b] = packedColumns[(p++) * runs + s] / n;
            }
        }
    }

    private void addDiagonal(double[] m, double v) {
        for (int a = 0; a < d; a++) {
            m[a * d + a] += v;
        }
    }

    private int packed(int a, int b) {
        return a * d - a * (a - 1) / 2 + (b - a);
    }

    private boolean finite(double[] theta, int s, int runs) {
        for (int j = 0; j < d; j++) {
            if (!Double.isFinite(theta[j * runs + s])) {
                return false;
            }
        }
        return true;
    }

    private void zeroColumn(double[] m, int s, int runs) {
        for (int k = s; k < n * runs; k += runs) {
            m[k] = 0.0;
        }
    }
}
