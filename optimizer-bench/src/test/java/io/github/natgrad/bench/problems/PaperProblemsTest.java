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

/** Shapes, seeds and the generating distributions of the paper's synthetic problems, on both streams. */
class PaperProblemsTest {

    /**
     * The vector-field data of seed 0 are the authors': the sums are numpy's (pairwise summation, hence the
     * tolerance for Java's sequential sum), the rows are numpy's bit for bit. Expected values printed by
     * {@code np.random.seed(0); X, y = toydata.gradient_field_problem(1000)} under numpy 2.4.6.
     */
    @Test
    void vecfieldIsTheAuthorsSample() {
        Problem p = PaperProblems.vecfield(0);
        double sx = 0;
        double sxx = 0;
        double sy = 0;
        for (int i = 0; i < 1000; i++) {
            double x = p.batch().x()[2 * i + 1];
            sx += x;
            sxx += x * x;
            sy += p.batch().y()[i];
        }
        assertEquals(1272.5330704899216, sx, 1e-11);
        assertEquals(2751.4594307877046, sxx, 1e-11);
        assertEquals(4558.683081296007, sy, 1e-11);
        assertRow(p, 0, 1.0, 3.7548159128575267, 10.065594505424853);
        assertRow(p, 500, 1.0, 1.3324899336019322, 4.6782196348713985);
        assertRow(p, 999, 1.0, 0.7644600154045571, 2.2179496603679016);
    }

    /**
     * The misspecification problems of seed 0 are the authors': rows as {@code np.random.seed(0)} then the
     * {@code toydata} function of each problem (1000) gives them under numpy 2.4.6 (its OpenBLAS forms
     * randn · cov with a fused multiply-add). Σx per column likewise, within summation-order rounding.
     */
    @Test
    void misspecificationProblemsAreTheAuthorsSamples() {
        Problem well = PaperProblems.misspecLogistic(PaperProblems.Variant.WELL_SPECIFIED, 0);
        assertRow(well, 0, 4.528104691935328, 1.8003144167344467, 0);
        assertRow(well, 500, 0.11192535941959592, 0.7849477746630606, 1);
        assertRow(well, 999, -3.283802838407693, -3.6219407408824247, 1);
        assertSums(well, -43.47296877032716, -19.80656557773642);
        Problem noise = PaperProblems.misspecLogistic(PaperProblems.Variant.MISSPECIFIED_NOISE, 0);
        assertRow(noise, 0, 6.792157037902992, 2.70047162510167, 0);
        assertRow(noise, 500, -0.944037320290202, -0.6075261126684697, 1);
        assertRow(noise, 999, -2.6419014192038466, -2.810970370441212, 1);
        assertSums(noise, -87.10217249300092, -35.05100966142152);
        Problem model = PaperProblems.misspecLogistic(PaperProblems.Variant.MISSPECIFIED_MODEL, 0);
        assertRow(model, 0, 3.2859370314209952, 0.01258870117993749, 0);
        assertRow(model, 500, 0.6371705181630742, 0.8390772427361135, 1);
        assertRow(model, 999, -3.892725462202861, -3.99416683294528, 1);
        assertSums(model, -18.88472690242878, 24.411359167104138);
        Problem linear = PaperProblems.misspecLinear(PaperProblems.Variant.WELL_SPECIFIED, 0);
        assertRow(linear, 0, 1.764052345967664, 1.0, 3.3200150256774617);
        assertRow(linear, 500, 0.38273243001226814, 1.0, 1.3959721976798016);
        assertRow(linear, 999, -0.35811407547985674, 1.0, -0.6690844459210691);
        assertSums(linear, -45.25670749019538, 1000.0);
        Problem linearNoise = PaperProblems.misspecLinear(PaperProblems.Variant.MISSPECIFIED_NOISE, 0);
        assertRow(linearNoise, 0, 1.764052345967664, 1.0, 3.8759777053872595);
        assertRow(linearNoise, 999, -0.35811407547985674, 1.0, -1.9800548163622813);
        Problem linearModel = PaperProblems.misspecLinear(PaperProblems.Variant.MISSPECIFIED_MODEL, 0);
        assertRow(linearModel, 0, 1.764052345967664, 1.0, 4.875955365334471);
        assertRow(linearModel, 500, 0.38273243001226814, 1.0, 1.4692142541713495);
        assertRow(linearModel, 999, -0.35811407547985674, 1.0, -0.6049616003926728);
    }

    @Test
    void theStreamsDifferAndAreNamed() {
        assertFalse(java.util.Arrays.equals(PaperProblems.vecfield(PaperProblems.Stream.NUMPY, 0).batch().y(),
                PaperProblems.vecfield(PaperProblems.Stream.NATGRAD, 0).batch().y()));
        assertArrayEquals(PaperProblems.vecfield(0).batch().y(), PaperProblems.vecfield(PaperProblems.Stream.NUMPY, 0).batch().y());
        assertEquals(PaperProblems.Stream.NUMPY, PaperProblems.Stream.byName("NumPy"));
        assertEquals(PaperProblems.Stream.NATGRAD, PaperProblems.Stream.byName("natgrad"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PaperProblems.Stream.byName("mt"));
        assertTrue(e.getMessage().contains("numpy"), e.getMessage());
    }

    private static void assertRow(Problem p, int i, double x0, double x1, double y) {
        assertEquals(x0, p.batch().x()[2 * i], p.name() + " row " + i);
        assertEquals(x1, p.batch().x()[2 * i + 1], p.name() + " row " + i);
        assertEquals(y, p.batch().y()[i], p.name() + " row " + i);
    }

    private static void assertSums(Problem p, double s0, double s1) {
        double a = 0;
        double b = 0;
        for (int i = 0; i < p.batch().rows(); i++) {
            a += p.batch().x()[2 * i];
            b += p.batch().x()[2 * i + 1];
        }
        assertEquals(s0, a, 1e-12 * 1000, p.name());
        assertEquals(s1, b, 1e-12 * 1000, p.name());
    }

    @ParameterizedTest
    @EnumSource(PaperProblems.Stream.class)
    void vecfieldHasTheStatedShapeAndParameters(PaperProblems.Stream stream) {
        Problem p = PaperProblems.vecfield(stream, 1);
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
    @org.junit.jupiter.params.provider.MethodSource("variantsAndStreams")
    void logisticClassesHaveTheStatedMeansAndCovariances(PaperProblems.Variant v, PaperProblems.Stream stream) {
        Problem p = PaperProblems.misspecLogistic(v, stream, 0);
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

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> variantsAndStreams() {
        return java.util.Arrays.stream(PaperProblems.Variant.values()).flatMap(v -> java.util.Arrays
                .stream(PaperProblems.Stream.values()).map(s -> org.junit.jupiter.params.provider.Arguments.of(v, s)));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("variantsAndStreams")
    void linearProblemsHaveTheStatedNoise(PaperProblems.Variant v, PaperProblems.Stream stream) {
        Problem p = PaperProblems.misspecLinear(v, stream, 0);
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
