package io.github.natgrad.bench.train;

import io.github.natgrad.Batch;
import io.github.natgrad.Optimizer;
import io.github.natgrad.bench.jmh.JmhDefaults;
import io.github.natgrad.layerwise.LayerwiseNaturalGradient;
import io.github.natgrad.linalg.Blas;
import io.github.natgrad.linalg.Gemm;
import io.github.natgrad.models.Activation;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.optim.Adam;
import io.github.natgrad.optim.MomentumSgd;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.random.Well19937c;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one minibatch step of a 784-256-10 ReLU network costs per optimizer, and the GEMMs of the same
 * shapes alone. {@code step} runs a cycle of five steps per invocation on a fixed synthetic minibatch
 * (pixels uniform in [0, 1], labels uniform over 10 classes), so K-FAC's factor update and inverse
 * (periods 5/5, as in the network benchmark) are amortised exactly; the score is per step. {@code gemm}
 * runs only the five {@code dgemm} calls of one step's forward and backward passes (the BLAS-3 work every
 * optimizer shares): the ratio step(adam) / gemm is how close a first-order step gets to the machine's GEMM.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JmhDefaults.HEAP_4G, JmhDefaults.QUIET_ND4J, JmhDefaults.VECTOR_API})
public class NetworkStepBenchmark extends JmhDefaults {

    /** The optimizer: {@code adam}, {@code sgd} or {@code kfac}. */
    @Param({"adam", "kfac", "sgd"})
    public String optimizer;

    /** The minibatch size. */
    @Param({"1000"})
    public int batch;

    private MultilayerPerceptron net;
    private Optimizer opt;
    private Batch data;
    private double[] theta;
    private double[] x;
    private double[] w0;
    private double[] w1;
    private double[] z0;
    private double[] z1;
    private double[] dw0;
    private double[] dw1;
    private double[] dh;

    /** The network, a minibatch, the optimizer, and the GEMM operands of the same shapes. */
    @Setup
    public void setUp() {
        Blas.setThreads(1);
        net = MultilayerPerceptron.of(784, Likelihoods.categorical(10)).withHidden(256).withActivation(Activation.RELU);
        Well19937c random = new Well19937c(1);
        x = new double[batch * 784];
        double[] y = new double[batch];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble();
        }
        for (int i = 0; i < batch; i++) {
            y[i] = random.nextInt(10);
        }
        data = Batch.wrap(x, y, batch, 784);
        opt = switch (optimizer) {
            case "kfac" -> LayerwiseNaturalGradient.kfac().withCurvaturePeriod(5).withInversePeriod(5).withStepSize(0.01)
                    .build(net);
            case "sgd" -> MomentumSgd.defaults().withStepSize(1e-3).build(net);
            default -> Adam.defaults().withStepSize(1e-4).build(net);
        };
        theta = net.initialParameters(1);
        for (int i = 0; i < 5; i++) {
            opt.step(theta, data);
        }
        w0 = new double[256 * 784];
        w1 = new double[10 * 256];
        z0 = new double[batch * 256];
        z1 = new double[batch * 10];
        dw0 = new double[256 * 784];
        dw1 = new double[10 * 256];
        dh = new double[batch * 256];
    }

    /** Five optimizer steps (one K-FAC period); the score is per step. */
    @Benchmark
    @OperationsPerInvocation(5)
    public double step() {
        double s = 0;
        for (int i = 0; i < 5; i++) {
            s += opt.step(theta, data).loss();
        }
        return s;
    }

    /** The five dgemm calls of one step's forward and backward passes, nothing else. */
    @Benchmark
    public double gemm() {
        Gemm.multiply(false, true, batch, 256, 784, 1.0, x, w0, 0.0, z0);
        Gemm.multiply(false, true, batch, 10, 256, 1.0, z0, w1, 0.0, z1);
        Gemm.multiply(true, false, 10, 256, batch, 1.0, z1, z0, 0.0, dw1);
        Gemm.multiply(false, false, batch, 256, 10, 1.0, z1, w1, 0.0, dh);
        Gemm.multiply(true, false, 256, 784, batch, 1.0, dh, x, 0.0, dw0);
        return dw0[0];
    }
}
