package io.github.natgrad;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.NaturalGradient;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void run() {
        Random r = new Random(1);
        int n = 569, p = 30;
        double[][] x = new double[n][p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < p; j++) { x[i][j] = r.nextGaussian(); s += x[i][j] * 0.3; }
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-s)) ? 1 : 0;
        }
        Batch b = Batch.of(x, y);
        var model = GeneralizedLinearModel.logisticRegression(p).withBias();
        for (int round = 0; round < 2; round++) for (String k : Curvatures.NAMES) {
            Optimizer opt = NaturalGradient.of(Curvatures.byName(k, 4, 1)).withDamping(Damping.fixed(1e-4)).build(model);
            double[] theta = new double[31];
            StepReport rep = null;
            for (int it = 0; it < 20; it++) rep = opt.step(theta, b);
            long t0 = System.nanoTime();
            int reps = 10000;
            for (int it = 0; it < reps; it++) { theta = new double[31]; opt.step(theta, b); }
            System.out.println(k + " " + rep + " us/step=" + (System.nanoTime() - t0) / 1e3 / reps);
        }
    }
}
