package io.github.natgrad.curvature;

import io.github.natgrad.Batch;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.Linearization;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The matrix-free form of a {@link FactoredCurvature}: C v = (1/N) Jᵀ (B Bᵀ (J v)) + τ v, with the
 * per-example K × m factors B_i, τ the prior precision, and, for the exact Hessian of a model that is not
 * linear in θ, + (1/N) Σ_i Σ_k r_ik ∇²f_ik v. One product costs one J v, one Jᵀu and O(N·K·m): O(nnz)
 * for a generalised linear model, with O(N·K) scratch memory and nothing D × D or N × D.
 *
 * <p>The diagonal (for a Jacobi preconditioner) comes from {@link Linearization#addJacobianRowSquares}, and
 * without a second-order term C = τI + (1/N) UᵀU with U the rows B_iᵀ J_i, the form the Woodbury solve uses.
 */
final class FactoredOperator extends CountingOperator {
    private final Linearization lin;
    private final double[] b;
    private final int n;
    private final int k;
    private final int m;
    private final int d;
    private final double prior;
    private final double[] priorDiagonal;
    private final double[] residual;
    private final double[] u;
    private final double[] t;
    private final double[] w;

    /**
     * @param residual r = ∂ℓ/∂f when the second-order term is to be added (exact Hessian of a non-linear
     *                 model), else null
     */
    private final Batch batch;
    private final JacobianCache cache;

    FactoredOperator(String kind, Linearization lin, Batch batch, double[] b, int m, double prior, double[] priorDiagonal,
            double[] residual,
            JacobianCache cache) {
        super(kind, lin.parameterCount());
        this.batch = batch;
        this.cache = cache;
        this.lin = lin;
        this.b = b;
        this.n = lin.rows();
        this.k = lin.outputsPerExample();
        this.m = m;
        this.d = lin.parameterCount();
        this.prior = prior;
        this.priorDiagonal = priorDiagonal;
        this.residual = residual;
        this.u = new double[n * k];
        this.t = new double[n * k];
        this.w = new double[m];
    }

    @Override
    public boolean positiveSemidefinite() {
        return residual == null;
    }

    @Override
    protected void apply(double[] v, double[] out) {
        boolean first = products() == 0;
        if (first) {
            Arrays.fill(u, Double.NaN);
        }
        lin.jacobianVectorProduct(v, u);
        if (first) {
            for (int i = 0; i < u.length; i++) {
                if (Double.isNaN(u[i])) {
                    throw new IllegalStateException("the model's jacobianVectorProduct left out[" + i + "] unwritten "
                            + "or NaN (of N*K = " + u.length + "): it must overwrite all N*K entries of J v; run "
                            + "OracleChecker on the model");
                }
            }
        }
        double inv = 1.0 / n;
        if (k == 1 && m == 1) {
            for (int i = 0; i < n; i++) {
                t[i] = inv * b[i] * b[i] * u[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                Arrays.fill(w, 0.0);
                for (int c = 0; c < k; c++) {
                    double uc = u[i * k + c];
                    int row = (i * k + c) * m;
                    for (int a = 0; a < m; a++) {
                        w[a] += b[row + a] * uc;
                    }
                }
                for (int c = 0; c < k; c++) {
                    int row = (i * k + c) * m;
                    double s = 0;
                    for (int a = 0; a < m; a++) {
                        s += b[row + a] * w[a];
                    }
                    t[i * k + c] = inv * s;
                }
            }
        }
        lin.vectorJacobianProduct(t, out);
        if (prior != 0) {
            for (int j = 0; j < d; j++) {
                out[j] += prior * v[j];
            }
        }
        if (priorDiagonal != null) {
            for (int j = 0; j < d; j++) {
                out[j] += priorDiagonal[j] * v[j];
            }
        }
        if (residual != null) {
            lin.secondOrderTermProduct(residual, inv, v, out);
        }
    }

    @Override
    public Optional<double[]> diagonal() {
        if (residual != null) {
            return Optional.empty();
        }
        double[] diag = new double[d];
        lin.addJacobianRowSquares(b, m, 1.0 / n, diag);
        for (int j = 0; j < d; j++) {
            diag[j] += priorDiagonal == null ? prior : priorDiagonal[j];
        }
        return Optional.of(diag);
    }

    @Override
    public Optional<LowRank> lowRank() {
        if (residual != null || priorDiagonal != null) {
            return Optional.empty();
        }
        return Optional.of(new FactorForm());
    }

    /**
     * U = B̃ᵀJ (rows B_iᵀ J_i). For a model linear in θ with a cache, the Gram matrix and the products go
     * through the cached J and J Jᵀ; otherwise U is formed once per operator.
     */
    private final class FactorForm implements LowRank {
        private double[] u;

        private boolean cached() {
            if (cache != null && lin.linearInParameters()) {
                cache.ensure(batch, lin);
                return true;
            }
            return false;
        }

        @Override
        public int rank() {
            return n * m;
        }

        @Override
        public double shift() {
            return prior;
        }

        @Override
        public double scale() {
            return 1.0 / n;
        }

        @Override
        public void rows(DoubleBuffer out) {
            lin.jacobianRows(0, n, b, m, out);
        }

        @Override
        public double[] materialised() {
            if (u == null) {
                u = new double[n * m * d];
                rows(DoubleBuffer.wrap(u));
            }
            return u;
        }

        @Override
        public double[] gram() {
            int r = n * m;
            if (cached()) {
                double[] g = cache.gram();
                int nk = n * k;
                double[] out = new double[r * r];
                if (k == 1 && m == 1) {
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            out[i * n + j] = b[i] * g[i * n + j] * b[j];
                        }
                    }
                    return out;
                }
                // H = G B̃ (N·K × N·m), then B̃ᵀ H
                double[] h = new double[nk * r];
                for (int row = 0; row < nk; row++) {
                    for (int j = 0; j < n; j++) {
                        for (int c = 0; c < m; c++) {
                            double s = 0;
                            for (int l = 0; l < k; l++) {
                                s += g[row * nk + j * k + l] * b[(j * k + l) * m + c];
                            }
                            h[row * r + j * m + c] = s;
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int a = 0; a < m; a++) {
                        for (int col = 0; col < r; col++) {
                            double s = 0;
                            for (int o = 0; o < k; o++) {
                                s += b[(i * k + o) * m + a] * h[(i * k + o) * r + col];
                            }
                            out[(i * m + a) * r + col] = s;
                        }
                    }
                }
                return out;
            }
            double[] rowsU = materialised();
            DoubleBuffer du = Blas.allocate((long) r * d);
            du.put(0, rowsU, 0, rowsU.length);
            DoubleBuffer g = Blas.allocate((long) r * r);
            Blas.gemm(false, true, r, r, d, 1.0, du, d, du, d, 0.0, g, r);
            double[] out = new double[r * r];
            g.get(0, out, 0, out.length);
            return out;
        }

        @Override
        public void multiply(double[] x, double[] out) {
            if (cached()) {
                double[] jx = new double[n * k];
                Blas.gemv(n * k, d, 1.0, cache.jacobian(), x, 0.0, jx);
                for (int i = 0; i < n; i++) {
                    for (int a = 0; a < m; a++) {
                        double s = 0;
                        for (int o = 0; o < k; o++) {
                            s += b[(i * k + o) * m + a] * jx[i * k + o];
                        }
                        out[i * m + a] = s;
                    }
                }
                return;
            }
            Blas.gemv(n * m, d, 1.0, materialised(), x, 0.0, out);
        }

        @Override
        public void multiplyTransposed(double[] t, double[] out) {
            if (cached()) {
                double[] s = new double[n * k];
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < k; o++) {
                        double v = 0;
                        for (int a = 0; a < m; a++) {
                            v += b[(i * k + o) * m + a] * t[i * m + a];
                        }
                        s[i * k + o] = v;
                    }
                }
                Blas.gemvTransposed(n * k, d, 1.0, cache.jacobian(), s, 0.0, out);
                return;
            }
            Blas.gemvTransposed(n * m, d, 1.0, materialised(), t, 0.0, out);
        }
    }
}
