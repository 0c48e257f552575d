package io.github.natgrad.solve;

import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Factorization;
import io.github.natgrad.MatrixFreeSolver;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.CholeskyFailure;
import io.github.natgrad.linalg.SolveCheck;
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
 *
 * <p>Never silently wrong: each solve checks the residual of its r × r system (μI + sUUᵀ)t = Ub by one
 * product with the triangle the factorisation left untouched, refines once if needed and otherwise throws
 * ({@link SolveCheck}); a LAPACK failure is confirmed independently before the system is called not positive
 * definite ({@link CholeskyFailure}).
 */
public final class Woodbury extends NamedSolver implements MatrixFreeSolver {
    static final Woodbury INSTANCE = new Woodbury();

    private Woodbury() {
        super("woodbury");
    }

    @Override
    public CurvatureSystem system(CurvatureOperator operator) {
        CurvatureOperator.LowRank form = operator.lowRank().orElseThrow(() -> new IllegalArgumentException(
                "the Woodbury solve needs a curvature of the form tau I + U'U, but the " + operator.kind()
                        + " curvature of this model has a second-order term, or the prior has a per-parameter scale; use "
                        + "the cg or cholesky solver"));
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

    /** The step's system: U and G = UUᵀ built on the first factorisation, reused for every λ. */
    private static final class System extends OperatorSystem {
        private final CurvatureOperator.LowRank form;
        private final int d;
        private final int r;
        private double[] gram;

        System(CurvatureOperator op, CurvatureOperator.LowRank form) {
            super(op);
            this.form = form;
            this.d = op.dimension();
            this.r = form.rank();
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
            double[] diagonal = new double[r];
            double trace = 0;
            for (int i = 0; i < r; i++) {
                chol[i * r + i] += mu;
                diagonal[i] = chol[i * r + i];
                trace += diagonal[i];
            }
            int info = Blas.choleskyUpper(r, chol);
            if (info != 0) {
                double[] scaled = new double[r * r];
                for (int i = 0; i < r * r; i++) {
                    scaled[i] = s * gram[i];
                }
                if (CholeskyFailure.nonFiniteEntry(r, scaled) == null) {
                    CholeskyFailure.confirm(r, scaled, mu, info, String.format(
                            "the Woodbury sample-space matrix %.3g I + s U U'", mu));
                }
                return Optional.empty();
            }
            // dpotrf wrote the upper triangle; the strict lower one still holds μI + sUUᵀ
            SolveCheck.Product product = (x, out) -> SolveCheck.multiplyStrictLower(r, chol, diagonal, x, out);
            SolveCheck.Solve raw = (b, x) -> {
                if (x != b) {
                    java.lang.System.arraycopy(b, 0, x, 0, r);
                }
                Blas.choleskySolveUpper(r, chol, x);
            };
            double norm = trace;
            return Optional.of(new Factorization() {
                @Override
                public void solve(double[] b, double[] x) {
                    double[] ub = new double[r];
                    form.multiply(b, ub);
                    double[] t = new double[r];
                    raw.solve(ub, t);
                    SolveCheck.refine("Woodbury solve (LAPACK dpotrf/dpotrs)", r, norm, product, raw, ub, t);
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
    }
}
