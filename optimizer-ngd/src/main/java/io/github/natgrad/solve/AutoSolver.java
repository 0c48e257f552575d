package io.github.natgrad.solve;

import io.github.natgrad.Checks;
import io.github.natgrad.Curvature;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Factorization;
import io.github.natgrad.MatrixFreeSolver;
import io.github.natgrad.ModelCapability;
import io.github.natgrad.ProblemShape;
import io.github.natgrad.Solver;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the solver per step from the problem's shape and a memory budget:
 * <ol>
 *   <li>dense Cholesky when D ≤ {@code denseLimit} (1024) and the D × D matrix (8·D² bytes) fits the
 *       budget: the build costs N·m·D² and the solve D³/3, cheaper than many CG products at small D;</li>
 *   <li>Woodbury when the kind is a low-rank update (no second-order term), r = N·m &lt; D/2, r ≤ 4096 and
 *       U (8·r·D bytes) fits the budget;</li>
 *   <li>otherwise conjugate gradients (memory O(nnz + N·K + D)).</li>
 * </ol>
 * A model without matrix-free products falls back to dense. Stateless.
 */
public final class AutoSolver extends NamedSolver implements MatrixFreeSolver {
    private final long memoryBudget;
    private final int denseLimit;
    private final ConjugateGradient cg;

    /**
     * The automatic choice with a budget of a quarter of the maximum heap and the conjugate-gradient defaults,
     * to configure with {@link #withMemoryBudget} and {@link #withConjugateGradient} ({@code Solvers.auto()} gives
     * the same choice as a {@link io.github.natgrad.MatrixFreeSolver}).
     */
    public static AutoSolver defaults() {
        return new AutoSolver(Runtime.getRuntime().maxMemory() / 4, 1024, ConjugateGradient.DEFAULT);
    }

    AutoSolver(long memoryBudget, int denseLimit, ConjugateGradient cg) {
        super("auto");
        this.memoryBudget = memoryBudget;
        this.denseLimit = denseLimit;
        this.cg = cg;
    }

    /** A copy with the memory (bytes) the curvature may use. */
    public AutoSolver withMemoryBudget(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory budget must be > 0 bytes, got " + bytes);
        }
        return new AutoSolver(bytes, denseLimit, cg);
    }

    /** A copy using this CG configuration when CG is picked. */
    public AutoSolver withConjugateGradient(ConjugateGradient config) {
        return new AutoSolver(memoryBudget, denseLimit, Checks.notNull(config, "cg"));
    }

    @Override
    public Solver choose(ProblemShape s) {
        long d = s.parameters();
        if (!s.matrixFree() || (d <= denseLimit && 8 * d * d <= memoryBudget)) {
            return Solvers.cholesky();
        }
        long r = (long) s.rows() * s.factorRank();
        if (s.lowRank() && 2 * r < d && r <= 4096 && 8 * r * d <= memoryBudget) {
            return Woodbury.INSTANCE;
        }
        return cg;
    }

    @Override
    public CurvatureSystem system(CurvatureOperator operator) {
        return cg.system(operator);
    }

    @Override
    public Set<ModelCapability> requires(Curvature curvature) {
        return curvature.requires();
    }

    @Override
    public Optional<Factorization> factor(double[] c, int d, double lambda) {
        return Solvers.cholesky().factor(c, d, lambda);
    }

    @Override
    public String toString() {
        return "auto(memory=" + memoryBudget + " bytes)";
    }
}
