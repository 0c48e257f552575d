package io.github.natgrad.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Likelihood;
import org.junit.jupiter.api.Test;

class CategoricalLikelihoodTest extends LikelihoodContract {

    @Override
    Likelihood likelihood() {
        return Likelihoods.categorical(4);
    }

    @Override
    double[] support() {
        return new double[] {0, 1, 2, 3};
    }

    @Test
    void fisherIsDiagPMinusPPTransposed() {
        double[] f = {0.3, -1.2, 2.0, 0.1};
        double z = 0;
        double[] p = new double[4];
        for (int k = 0; k < 4; k++) {
            p[k] = Math.exp(f[k]);
            z += p[k];
        }
        double[] b = new double[16];
        likelihood().fisherFactor(f, 1, b);
        for (int a = 0; a < 4; a++) {
            for (int c = 0; c < 4; c++) {
                double s = 0;
                for (int m = 0; m < 4; m++) {
                    s += b[a * 4 + m] * b[c * 4 + m];
                }
                double expected = (a == c ? p[a] / z : 0) - p[a] * p[c] / (z * z);
                assertEquals(expected, s, 1e-15);
            }
        }
    }

    @Test
    void rejectsLabelsOutsideTheClasses() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> likelihood().checkLabels(new double[] {0, 4}, 2));
        assertTrue(e.getMessage().contains("y[1]") && e.getMessage().contains("0..3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> likelihood().checkLabels(new double[] {0.5}, 1));
        assertThrows(IllegalArgumentException.class, () -> Likelihoods.categorical(1));
    }
}
