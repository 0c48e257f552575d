package io.github.natgrad.bench.jmh;

import io.github.natgrad.Factorization;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.SmallCholesky;
import io.github.natgrad.solve.Solvers;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * What the residual check of a dense solve costs: the Cholesky solve of (C + λI)x = g as natgrad's
 * {@code Solvers.cholesky()} makes it (factor, solve, residual ‖(C + λI)x − g‖ by one product with the
 * untouched triangle) against the same factor-and-solve without the check (the code path before the check:
 * {@link SmallCholesky} for D ≤ 128, LAPACK {@code dpotrf}/{@code dpotrs} above), side by side in one fork.
 * Sample-time mode: on a shared machine compare the minima (p0.00) and medians, not the means.
 */
@BenchmarkMode(Mode.SampleTime)
@Fork(value = 1, jvmArgsAppend = {JmhDefaults.QUIET_ND4J})
public class SolveCheckBenchmark extends JmhDefaults {

    /** The dimension D: the SmallCholesky path (31) and the LAPACK path (124, 500). */
    @Param({"31", "124", "500"})
    public int d;

    private double[] c;
    private double[] g;
    private double[] x;

    /** A random SPD C = GᵀG/2D (seeded, {@link Workload#gaussianGram}; the solves add λ = 1e-4) and a right-hand side. */
    @Setup
    public void setUp() {
        Random r = new Random(17);
        c = Workload.gaussianGram(d, r);
        g = new double[d];
        for (int i = 0; i < d; i++) {
            g[i] = r.nextGaussian();
        }
        x = new double[d];
    }

    /** Factor and solve with the residual check (natgrad's Cholesky solver). */
    @Benchmark
    public double[] checked() {
        Factorization f = Solvers.cholesky().factor(c, d, 1e-4).orElseThrow();
        f.solve(g, x);
        return x;
    }

    /** The same factor and solve without the check. */
    @Benchmark
    public double[] unchecked() {
        double[] u = c.clone();
        for (int i = 0; i < d; i++) {
            u[i * d + i] += 1e-4;
        }
        System.arraycopy(g, 0, x, 0, d);
        if (d <= SmallCholesky.MAX_DIMENSION) {
            SmallCholesky.factorUpper(d, u);
            SmallCholesky.solveUpper(d, u, x);
        } else {
            Blas.choleskyUpper(d, u);
            Blas.choleskySolveUpper(d, u, x);
        }
        return x;
    }
}
