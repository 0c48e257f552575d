package io.github.natgrad.bench.jmh;

import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Factorization;
import io.github.natgrad.Solver;
import io.github.natgrad.curvature.DenseCurvatureSystem;
import io.github.natgrad.solve.Solvers;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The eigen solver with several dampings on one curvature (what an adaptive damping does within a step,
 * and what a damping sweep does with a constant curvature): {@link #everyLambdaDecomposes} factorises each
 * C + λI by the stateless {@link Solver#factor(double[], int, double)}, which decomposes C each time (the
 * behaviour of natgrad 0.1.0); {@link #oneDecomposition} asks one {@link CurvatureSystem} for every λ, which
 * decomposes C once and reuses the spectrum. Each λ is followed by one solve. Not part of the
 * {@code jmh-suite} (its name does not end in {@code Benchmark}): run it with {@code jmh EigenDampingBench}.
 */
@Fork(value = 1, jvmArgsAppend = {JmhDefaults.HEAP_2G, JmhDefaults.VECTOR_API})
public class EigenDampingBench extends JmhDefaults {

    /** The dimension D. */
    @Param({"31", "124"})
    public int d;

    /** How many dampings are tried on the one curvature. */
    @Param({"1", "5"})
    public int lambdas;

    private double[] c;
    private double[] b;
    private double[] x;
    private final Solver eigen = Solvers.eigen();

    /** A random symmetric positive semi-definite C (a Gram matrix of 2D Gaussian rows, {@link Workload#gaussianGram}). */
    @Setup
    public void setUp() {
        c = Workload.gaussianGram(d, new Random(1));
        b = new double[d];
        x = new double[d];
        for (int i = 0; i < d; i++) {
            b[i] = Math.sin(i + 1.0);
        }
    }

    /** One decomposition per λ (the stateless solver on a bare matrix). */
    @Benchmark
    public double everyLambdaDecomposes() {
        double sum = 0;
        for (int k = 0; k < lambdas; k++) {
            Factorization f = eigen.factor(c, d, Math.pow(10, -k)).orElseThrow();
            f.solve(b, x);
            sum += x[0];
        }
        return sum;
    }

    /** One decomposition for every λ (a curvature system, as the optimizer uses it). */
    @Benchmark
    public double oneDecomposition() {
        CurvatureSystem system = new DenseCurvatureSystem("bench", c, d, eigen);
        double sum = 0;
        for (int k = 0; k < lambdas; k++) {
            Factorization f = system.factor(Math.pow(10, -k)).orElseThrow();
            f.solve(b, x);
            sum += x[0];
        }
        return sum;
    }
}
