package io.github.natgrad.solve;

import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Factorization;
import io.github.natgrad.MatrixFreeSolver;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.Spectrum;
import io.github.natgrad.linalg.Blas;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The exact solve of (C + λI) d = g in sample space for a curvature C = τI + s·UᵀU with U the r = N·m
 * rows B_iᵀ J_i (every Jacobian kind without a second-order term: Fisher, Monte-Carlo and empirical
 * Fisher, Gauss-Newton, and the Hessian of a model linear in θ). With μ = τ + λ, the Woodbury identity
 * gives (μI + sUᵀU)⁻¹ = (1/μ)[I − s Uᵀ (μI_r + s UUᵀ)⁻¹ U]: one r × r Cholesky factorisation instead of a
 * D × D one, O(r²D + r³) time and O(rD + r²) memory — the choice when r &lt; D. For a model linear in θ
 * the Jacobian and its Gram matrix are kept across steps on the same batch, so a step costs O(r³ + N·K·D). It needs μ &gt; 0 (a prior
 * or a damping); otherwise the system is singular whenever r &lt; D and {@link #factor} reports it as not
 * positive definite. Stateless.
 */
public final class Woodbury implements MatrixFreeSolver {
    static final Woodbury INSTANCE = new Woodbury();

    private Woodbury() {
    }

    @Override
    public String name() {
        return "woodbury";
    }

    @Override
    public CurvatureSystem system(CurvatureOperator operator) {
        CurvatureOperator.LowRank form = operator.lowRank().orElseThrow(() -> new IllegalArgumentException(
                "the Woodbury solve needs a curvature of the form tau I + U'U, but the " + operator.kind()
                        + " curvature of this model has a second-order term; use the cg or cholesky solver"));
        return new System(operator, form);
    }

    @Override
    public Set<ModelCapability> requires(Curvature curvature) {
        EnumSet<ModelCapability> s = EnumSet.of(ModelCapability.JACOBIAN, ModelCapability.JACOBIAN_VECTOR_PRODUCT);
        return s;
    }

    @Override
    public Optional<Factorization> factor(double[] c, int d, double lambda) {
        return Solvers.cholesky().factor(c, d, lambda);
    }

    @Override
    public Spectrum decompose(double[] c, int d) {
        return DenseSpectrum.of(c, d);
    }

    @Override
    public String toString() {
        return name();
    }

    /** The step's system: U and G = UUᵀ built on the first factorisation, reused for every λ. */
    private static final class System implements CurvatureSystem {
        private final CurvatureOperator op;
        private final CurvatureOperator.LowRank form;
        private final int d;
        private final int r;
        private double[] gram;
        private Spectrum spectrum;

        System(CurvatureOperator op, CurvatureOperator.LowRank form) {
            this.op = op;
            this.form = form;
            this.d = op.dimension();
            this.r = form.rank();
        }

        @Override
        public String kind() {
            return op.kind();
        }

        @Override
        public int dimension() {
            return d;
        }

        @Override
        public void multiply(double[] v, double[] out) {
            op.multiply(v, out);
        }

        private void build() {
            if (gram == null) {
                gram = form.gram();
            }
        }

        @Override
        public Optional<Factorization> factor(double lambda) {
            double mu = form.shift() + lambda;
            if (!(mu > 0)) {
                return Optional.empty();
            }
            build();
            double s = form.scale();
            double[] chol = new double[r * r];
            for (int i = 0; i < r * r; i++) {
                chol[i] = s * gram[i];
            }
            for (int i = 0; i < r; i++) {
                chol[i * r + i] += mu;
            }
            if (Blas.choleskyUpper(r, chol) != 0) {
                return Optional.empty();
            }
            return Optional.of(new Factorization() {
                @Override
                public void solve(double[] b, double[] x) {
                    double[] t = new double[r];
                    form.multiply(b, t);
                    Blas.choleskySolveUpper(r, chol, t);
                    double[] back = new double[d];
                    form.multiplyTransposed(t, back);
                    for (int j = 0; j < d; j++) {
                        x[j] = (b[j] - s * back[j]) / mu;
                    }
                }

                @Override
                public io.github.natgrad.SolveStats lastSolve() {
                    return new io.github.natgrad.SolveStats("woodbury", 0, 0, false, Double.NaN);
                }
            });
        }

        @Override
        public Optional<double[]> diagonal() {
            return op.diagonal();
        }

        @Override
        public Spectrum spectrum() {
            if (spectrum == null) {
                spectrum = DenseSpectrum.of(toDense(), d);
            }
            return spectrum;
        }

        @Override
        public double[] toDense() {
            return MatrixFreeSystem.densify(op);
        }
    }
}
