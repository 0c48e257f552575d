package io.github.natgrad.curvature;

import io.github.natgrad.CurvatureOperator;
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
final class FactoredOperator implements CurvatureOperator {
    private final String kind;
    private final Linearization lin;
    private final double[] b;
    private final int n;
    private final int k;
    private final int m;
    private final int d;
    private final double prior;
    private final double[] residual;
    private final double[] u;
    private final double[] t;
    private final double[] w;
    private long products;

    /**
     * @param residual r = ∂ℓ/∂f when the second-order term is to be added (exact Hessian of a non-linear
     *                 model), else null
     */
    FactoredOperator(String kind, Linearization lin, double[] b, int m, double prior, double[] residual) {
        this.kind = kind;
        this.lin = lin;
        this.b = b;
        this.n = lin.rows();
        this.k = lin.outputsPerExample();
        this.m = m;
        this.d = lin.parameterCount();
        this.prior = prior;
        this.residual = residual;
        this.u = new double[n * k];
        this.t = new double[n * k];
        this.w = new double[m];
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public long products() {
        return products;
    }

    @Override
    public boolean positiveSemidefinite() {
        return residual == null;
    }

    @Override
    public void multiply(double[] v, double[] out) {
        if (v.length < d || out.length < d) {
            throw new IllegalArgumentException("dimension mismatch: a product with the " + kind + " curvature needs "
                    + "vectors of length " + d + ", got " + v.length + " and " + out.length);
        }
        if (products == 0) {
            Arrays.fill(u, Double.NaN);
        }
        lin.jacobianVectorProduct(v, u);
        if (products == 0) {
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
        if (residual != null) {
            lin.secondOrderTermProduct(residual, inv, v, out);
        }
        products++;
    }

    @Override
    public Optional<double[]> diagonal() {
        if (residual != null) {
            return Optional.empty();
        }
        double[] diag = new double[d];
        lin.addJacobianRowSquares(b, m, 1.0 / n, diag);
        for (int j = 0; j < d; j++) {
            diag[j] += prior;
        }
        return Optional.of(diag);
    }

    @Override
    public Optional<LowRank> lowRank() {
        if (residual != null) {
            return Optional.empty();
        }
        return Optional.of(new LowRank() {
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
        });
    }
}
