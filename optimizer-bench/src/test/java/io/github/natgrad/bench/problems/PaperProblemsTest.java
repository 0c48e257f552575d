package io.github.natgrad.bench.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.models.BernoulliLikelihood;
import org.apache.commons.math3.stat.correlation.Covariance;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Shapes, seeds and the generating distributions of the paper's synthetic problems. */
class PaperProblemsTest {

    @Test
    void vecfieldHasTheStatedShapeAndParameters() {
        Problem p = PaperProblems.vecfield(1);
        assertEquals(1000, p.batch().rows());
        assertEquals(2, p.parameters());
        assertFalse(p.logistic());
        assertFalse(p.bias());
        assertEquals(0.1, p.priorVariance());
        double[] x = p.batch().x();
        double[][] rows = new double[1000][1];
        double logMean = 0;
        for (int i = 0; i < 1000; i++) {
            assertEquals(1.0, x[2 * i]); // bias first
            assertTrue(x[2 * i + 1] > 0); // lognormal
            rows[i][0] = x[2 * i + 1];
            logMean += Math.log(x[2 * i + 1]) / 1000;
        }
        assertEquals(0, logMean, 4 * 0.75 / Math.sqrt(1000));
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(p.batch().y(), rows);
        double[] beta = ols.estimateRegressionParameters();
        double[] se = ols.estimateRegressionParametersStandardErrors();
        assertEquals(2, beta[0], 4 * se[0]); // θ = (2, 2) with unit noise
        assertEquals(2, beta[1], 4 * se[1]);
        assertEquals(1, ols.estimateErrorVariance(), 0.15);
    }

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        assertArrayEquals(PaperProblems.vecfield(5).batch().y(), PaperProblems.vecfield(5).batch().y());
        assertFalse(java.util.Arrays.equals(PaperProblems.vecfield(5).batch().y(), PaperProblems.vecfield(6).batch().y()));
        for (PaperProblems.Variant v : PaperProblems.Variant.values()) {
            assertArrayEquals(PaperProblems.misspecLogistic(v, 3).batch().x(), PaperProblems.misspecLogistic(v, 3).batch().x());
            assertArrayEquals(PaperProblems.misspecLinear(v, 3).batch().y(), PaperProblems.misspecLinear(v, 3).batch().y());
            assertFalse(java.util.Arrays.equals(PaperProblems.misspecLogistic(v, 3).batch().x(),
                    PaperProblems.misspecLogistic(v, 4).batch().x()));
        }
    }

    @ParameterizedTest
    @EnumSource(PaperProblems.Variant.class)
    void logisticClassesHaveTheStatedMeansAndCovariances(PaperProblems.Variant v) {
        Problem p = PaperProblems.misspecLogistic(v, 0);
        assertEquals(1000, p.batch().rows());
        assertEquals(2, p.parameters());
        assertTrue(p.logistic());
        assertNull(p.prior());
        assertEquals(1e-8, ((BernoulliLikelihood) p.model().likelihood()).clip());
        double m = v == PaperProblems.Variant.MISSPECIFIED_NOISE ? 1.5 : 1.0;
        for (int label = 0; label <= 1; label++) {
            double[][] pts = new double[500][];
            for (int k = 0; k < 500; k++) {
                int i = label * 500 + k;
                assertEquals(label, p.batch().y()[i]);
                pts[k] = new double[] {p.batch().x()[2 * i], p.batch().x()[2 * i + 1]};
            }
            double[][] a = switch (v) {
                case WELL_SPECIFIED -> new double[][] {{2, 0}, {0, 2}};
                case MISSPECIFIED_NOISE -> label == 0 ? new double[][] {{3, 0}, {0, 3}} : new double[][] {{1, 0}, {0, 1}};
                case MISSPECIFIED_MODEL -> new double[][] {{1.5, label == 0 ? -0.9 : 0.9}, {label == 0 ? -0.9 : 0.9, 1.5}};
            };
            double[][] cov = new Covariance(pts).getCovarianceMatrix().getData();
            double mean = label == 0 ? m : -m;
            for (int j = 0; j < 2; j++) {
                double mj = 0;
                for (double[] pt : pts) {
                    mj += pt[j] / 500;
                }
                double sd = Math.sqrt(a[j][0] * a[j][0] + a[j][1] * a[j][1]);
                assertEquals(mean, mj, 4 * sd / Math.sqrt(500), v + " class " + label);
                for (int k = 0; k < 2; k++) {
                    double expected = a[j][0] * a[k][0] + a[j][1] * a[k][1]; // A Aᵀ
                    double sjj = a[j][0] * a[j][0] + a[j][1] * a[j][1];
                    double skk = a[k][0] * a[k][0] + a[k][1] * a[k][1];
                    double se = Math.sqrt((sjj * skk + expected * expected) / 500); // sampling sd of a covariance
                    assertEquals(expected, cov[j][k], 5 * se, v + " cov " + j + k);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PaperProblems.Variant.class)
    void linearProblemsHaveTheStatedNoise(PaperProblems.Variant v) {
        Problem p = PaperProblems.misspecLinear(v, 0);
        assertEquals(1000, p.batch().rows());
        assertEquals(0.1, p.priorVariance());
        double mean = 0;
        double var = 0;
        for (int i = 0; i < 1000; i++) {
            double z = p.batch().x()[2 * i];
            assertEquals(1.0, p.batch().x()[2 * i + 1]);
            double e = p.batch().y()[i] - z - 1;
            if (v == PaperProblems.Variant.MISSPECIFIED_MODEL) {
                e -= 0.5 * z * z;
            }
            mean += e / 1000;
            var += e * e / 1000;
        }
        double sd = v == PaperProblems.Variant.MISSPECIFIED_NOISE ? 2 : 1;
        assertEquals(0, mean, 4 * sd / Math.sqrt(1000));
        assertEquals(sd * sd, var, 0.2 * sd * sd);
    }
}
