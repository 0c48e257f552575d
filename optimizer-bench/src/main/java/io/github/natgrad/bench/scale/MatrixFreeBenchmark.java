package io.github.natgrad.bench.scale;

import io.github.natgrad.Batch;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.bench.jmh.JmhDefaults;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.datasets.SyntheticSparse;
import io.github.natgrad.models.GeneralizedLinearModel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The matrix-free Fisher-vector product C v of L2 logistic regression on sparse power-law data (the
 * product CG calls), at (N, D, nnz) = a1a's shape, (1e4, 1e5, 1e6) and (1e5, 1e6, 1e7): one J v and one
 * Jᵀu over the CSR data. Its memory-bandwidth floor: each product streams the CSR arrays twice
 * (12·nnz + 4·N bytes per pass), 2·(12·nnz + 4·N) bytes per op, and gathers/scatters v and the result;
 * {@link #streamRead} measures the machine's sequential read rate in the same run (256 MiB per op), so the
 * product's rate can be set against it.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {JmhDefaults.HEAP_6G, JmhDefaults.VECTOR_API})
public class MatrixFreeBenchmark extends JmhDefaults {

    /** N,D,nnz. */
    @Param({"1605,120,22249", "10000,100000,1000000", "100000,1000000,10000000"})
    public String size;

    private CurvatureOperator operator;
    private double[] v;
    private double[] out;

    /** Builds the data, the linearization at a random θ and the Fisher operator. */
    @Setup
    public void setUp() {
        String[] p = size.split(",");
        int n = Integer.parseInt(p[0]);
        int d = Integer.parseInt(p[1]);
        long nnz = Long.parseLong(p[2]);
        Batch batch = SyntheticSparse.logistic(n, d, nnz, 1.0, 1).batch();
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(d).withBias();
        SplittableRandom r = new SplittableRandom(2);
        double[] theta = new double[model.parameterCount()];
        v = new double[theta.length];
        for (int j = 0; j < theta.length; j++) {
            theta[j] = 0.1 * (r.nextDouble() - 0.5);
            v[j] = r.nextDouble() - 0.5;
        }
        out = new double[theta.length];
        Linearization lin = model.linearize(theta, batch);
        Likelihood lik = model.likelihood();
        double[] residual = new double[n];
        lik.lossAndResidual(lin.outputs(), batch.y(), n, residual);
        operator = Curvatures.fisher().copy().operator(lin, batch, lik, residual, 1.0 / n);
    }

    /** One product C v. */
    @Benchmark
    public double[] fisherVectorProduct() {
        operator.multiply(v, out);
        return out;
    }

    /** The sequential read rate of this machine: the sum of a 256 MiB array. */
    @State(Scope.Benchmark)
    public static class Stream {
        final double[] data = new double[32 << 20];
    }

    /** One pass over 256 MiB (reported per op; 268 435 456 bytes). */
    @Benchmark
    public double streamRead(Stream s) {
        double a = 0;
        double b = 0;
        double[] d = s.data;
        for (int i = 0; i < d.length; i += 2) {
            a += d[i];
            b += d[i + 1];
        }
        return a + b;
    }
}
