package io.github.natgrad.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The default stop: LIBLINEAR 2.3's rule (linear.cpp, train_one), written out by hand for each model. */
class StopRuleTest {
    @Test
    void twoClassModelsUseEpsilonTimesTheRarerClassOverN() {
        // LIBLINEAR -s 0, -e 0.01: eps * max(min(pos, neg), 1) / l
        assertEquals(0.01 * 300 / 1000, StopRule.liblinearTolerance("logistic", Double.NaN, new long[] {700, 300}, 1000),
                1e-18);
        assertEquals(0.01 * 300 / 1000, StopRule.liblinearTolerance("probit", Double.NaN, new long[] {300, 700}, 1000),
                1e-18);
        assertEquals(1e-4 * 300 / 1000, StopRule.liblinearTolerance("logistic", 1e-4, new long[] {700, 300}, 1000),
                1e-18);
        // one class only: max(1, 0) = 1
        assertEquals(0.01 / 50, StopRule.liblinearTolerance("logistic", Double.NaN, new long[] {50, 0}, 50), 1e-18);
    }

    @Test
    void softmaxUsesItsSmallestOneVersusRestProblem() {
        // classes of 10, 60, 30 of 100: min_k min(n_k, N - n_k) = 10
        assertEquals(0.01 * 10 / 100, StopRule.liblinearTolerance("softmax", Double.NaN, new long[] {10, 60, 30}, 100),
                1e-18);
        // a majority class of 90 (min(90, 10) = 10) and two of 5 (min(5, 95) = 5): 5
        assertEquals(0.01 * 5 / 100, StopRule.liblinearTolerance("softmax", Double.NaN, new long[] {90, 5, 5}, 100),
                1e-18);
    }

    @Test
    void theLinearModelUsesLiblinearsRegressionEpsilon() {
        assertEquals(1e-3, StopRule.liblinearTolerance("linear", Double.NaN, null, 10), 0.0);
        assertEquals(1e-5, StopRule.liblinearTolerance("linear", 1e-5, null, 10), 0.0);
    }

    @Test
    void badInputIsRefusedWithTheOptionToFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StopRule.liblinearTolerance("logistic", -1, new long[] {1, 1}, 2));
        assertTrue(e.getMessage().contains("--epsilon"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StopRule.liblinearTolerance("logistic", Double.NaN, null, 2));
        assertTrue(e.getMessage().contains("give a number"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StopRule.classCounts(new double[] {0, 0.5}));
    }

    @Test
    void classCountsCountEachLabelAndAddAcrossShards() {
        assertArrayEquals(new long[] {2, 1}, StopRule.classCounts(new double[] {0, 1, 0}));
        assertArrayEquals(new long[] {3, 0}, StopRule.classCounts(new double[] {0, 0, 0}));
        assertArrayEquals(new long[] {1, 0, 2}, StopRule.classCounts(new double[] {2, 0, 2}));
        assertArrayEquals(new long[] {3, 1, 2}, StopRule.addCounts(new long[] {2, 1}, new long[] {1, 0, 2}));
    }
}
