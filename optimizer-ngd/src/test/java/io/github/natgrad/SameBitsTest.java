package io.github.natgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.linalg.Simd;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.optim.NaturalGradient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Same command, same bits: the same step repeated in one JVM, from its cold start (interpreter, then C1,
 * then C2 code), gives the same bits every time, with the SIMD kernels as this JVM has them (on or off);
 * and {@link Optimizer#reset()} keeps the curvature's buffers while giving the run of a fresh optimizer.
 */
class SameBitsTest {
    static final int REPEATS = 1000;

    @Test
    void theSameStepRepeatedFromAColdStartGivesTheSameBits() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        if (Simd.enabled()) {
            command.add("--add-modules=jdk.incubator.vector");
        }
        command.add("-D" + Simd.PROPERTY + "=" + System.getProperty(Simd.PROPERTY, "auto"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RepeatedStep.class.getName());
        command.add(Integer.toString(REPEATS));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the child JVM did not finish");
        System.out.print("SIMD " + Simd.describe() + "\n" + output);
        assertEquals(0, process.exitValue(), "repeats differ (SIMD " + Simd.describe() + "):\n" + output);
        assertTrue(output.contains("0 of " + REPEATS + " repeats differ"), output);
    }

    @Test
    void resetKeepsTheBuffersAndGivesTheRunOfAFreshOptimizer() {
        Curvature fisher = Curvatures.fisher().copy();
        assertSame(fisher, fisher.reset(), "reset keeps the curvature and its buffers");
        Curvature sampling = Curvatures.monteCarloFisher(1, 4).copy();
        assertSame(sampling, sampling.reset());

        SyntheticGlm data = SyntheticGlm.logistic(200, 6, 3.0, 8);
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(6).withBias()
                .withLikelihood(Likelihoods.bernoulli(1e-8));
        NaturalGradient config = NaturalGradient.of(Curvatures.monteCarloFisher(2, 17)).withDamping(Damping.fixed(1e-3));
        Optimizer used = config.build(model);
        double[] a = new double[7];
        for (int t = 0; t < 5; t++) {
            used.step(a, data.batch());
        }
        used.reset();
        double[] b = new double[7];
        double[] c = new double[7];
        Optimizer fresh = config.build(model);
        for (int t = 0; t < 5; t++) {
            used.step(b, data.batch());
            fresh.step(c, data.batch());
        }
        assertArrayEquals(c, b, 0.0, "after reset, the sampled curvature draws the stream of a fresh optimizer");
        assertArrayEquals(a, b, 0.0);
    }
}
