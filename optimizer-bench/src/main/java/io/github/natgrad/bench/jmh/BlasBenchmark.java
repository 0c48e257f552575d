package io.github.natgrad.bench.jmh;

import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.GramBuilder;
import java.nio.DoubleBuffer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Question (c): what does the hardware reach on the same products? The Gram matrix XᵀX of an N × D
 * matrix, as the curvature build computes it, with nothing else around it:
 * <ul>
 *   <li>{@link #dsyrk}: the OpenBLAS {@code dsyrk} natgrad calls ({@link Blas#gramUpper}, direct
 *       buffers, upper triangle only; N·D(D + 1) flops) — the rate the build is compared with;</li>
 *   <li>{@link #natgradGram}: the Gram product natgrad's curvature build uses at this shape
 *       ({@link GramBuilder}: the SIMD kernel for D ≤ 512, otherwise the same {@code dsyrk}; single
 *       thread whatever the threads parameter; N·D(D + 1) flops);</li>
 *   <li>{@link #dgemm}: OpenBLAS {@code dgemm} of XᵀX, the full matrix (2ND² flops);</li>
 *   <li>{@link #nd4jGemm}: ND4J's {@code Nd4j.gemm} of the same product, for reference;</li>
 *   <li>{@link #dpotrf}: LAPACK Cholesky of a D × D SPD matrix (D³/3 flops, plus a D² copy to restore
 *       the input), the limit of the factorisation part.</li>
 * </ul>
 * All through the one OpenBLAS that ND4J's native backend loads ({@code org.bytedeco.openblas}).
 */
public class BlasBenchmark extends JmhDefaults {

    /** The shape {@code NxD} of X. */
    @Param({"178x14", "569x31", "1605x124", "10000x100", "20000x500", "2000x2000", "500x5000"})
    public String shape;

    /** OpenBLAS threads. */
    @Param({"1", "2"})
    public int threads;

    private int n;
    private int d;
    private DoubleBuffer x;
    private DoubleBuffer gram;
    private DoubleBuffer spd;
    private DoubleBuffer factor;
    private final GramBuilder builder = new GramBuilder();
    private INDArray xNd;
    private INDArray gramNd;

    /** Fills X with the benchmark problem's inputs and an SPD matrix XᵀX/N + I for the Cholesky. */
    @Setup
    public void setUp() {
        int[] nd = Workload.parseShape(shape);
        n = nd[0];
        d = nd[1];
        double[] values = Workload.of(shape, "logistic", 1).batch().x();
        x = Blas.allocate((long) n * d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x.put(i * d + j, j < d - 1 ? values[i * (d - 1) + j] : 1.0);
            }
        }
        gram = Blas.allocate((long) d * d);
        spd = Blas.allocate((long) d * d);
        factor = Blas.allocate((long) d * d);
        Blas.gramUpper(n, d, 1.0 / n, x, 0.0, spd);
        for (int i = 0; i < d; i++) {
            spd.put(i * d + i, spd.get(i * d + i) + 1.0);
        }
        xNd = Nd4j.create(DataType.DOUBLE, n, d);
        double[] dense = new double[n * d];
        x.get(0, dense, 0, n * d);
        xNd.assign(Nd4j.create(dense, new long[] {n, d}, DataType.DOUBLE));
        gramNd = Nd4j.create(DataType.DOUBLE, d, d);
        DoubleBuffer rows = builder.begin(n, d, 1.0);
        rows.put(0, dense, 0, n * d);
        Blas.setThreads(threads); // after ND4J's start-up, which sets the OpenBLAS threads from OMP_NUM_THREADS
    }

    /** The upper triangle of XᵀX by {@code dsyrk}. */
    @Benchmark
    public DoubleBuffer dsyrk(FlopCounter counter) {
        counter.flop += Workload.syrkFlops(n, d);
        Blas.gramUpper(n, d, 1.0, x, 0.0, gram);
        return gram;
    }

    /** The upper triangle of XᵀX by natgrad's Gram build (accumulating: the cost of one more block). */
    @Benchmark
    public GramBuilder natgradGram(FlopCounter counter) {
        counter.flop += Workload.syrkFlops(n, d);
        builder.accumulate(n);
        return builder;
    }

    /** The full XᵀX by {@code dgemm}. */
    @Benchmark
    public DoubleBuffer dgemm(FlopCounter counter) {
        counter.flop += Workload.gemmFlops(n, d);
        openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasTrans, openblas.CblasNoTrans, d, d, n, 1.0, x,
                d, x, d, 0.0, gram, d);
        return gram;
    }

    /** The full XᵀX by ND4J's {@code gemm}. */
    @Benchmark
    public INDArray nd4jGemm(FlopCounter counter) {
        counter.flop += Workload.gemmFlops(n, d);
        return Nd4j.gemm(xNd, xNd, gramNd, true, false, 1.0, 0.0);
    }

    /** Cholesky of the D × D SPD matrix (after copying it into the work buffer). */
    @Benchmark
    public DoubleBuffer dpotrf(FlopCounter counter) {
        counter.flop += (double) d * d * d / 3.0;
        factor.put(0, spd, 0, d * d);
        int info = openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, (byte) 'L', d, factor, d);
        if (info != 0) {
            throw new IllegalStateException("dpotrf failed with info " + info);
        }
        return factor;
    }
}
