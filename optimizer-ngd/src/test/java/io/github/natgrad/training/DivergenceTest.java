package io.github.natgrad.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Divergence}: L(θ_t) &gt; f · L(θ_0) or not finite, with the paper's f = 100. */
class DivergenceTest {

    @Test
    void aRunDivergesAboveTheFactorTimesTheInitialObjectiveOrWhenNotFinite() {
        assertEquals(100.0, Divergence.PAPER_FACTOR);
        assertFalse(Divergence.diverged(0.69, 0.69, 100));
        assertFalse(Divergence.diverged(69.0, 0.69, 100)); // exactly f · L₀: not yet
        assertTrue(Divergence.diverged(Math.nextUp(69.0), 0.69, 100));
        assertTrue(Divergence.diverged(Double.NaN, 0.69, 100));
        assertTrue(Divergence.diverged(Double.POSITIVE_INFINITY, 0.69, 100));
        assertTrue(Divergence.diverged(0.5, Double.NaN, 100), "a NaN initial objective counts as diverged");
        assertFalse(Divergence.diverged(Double.NEGATIVE_INFINITY, 0.69, 100), "a falling objective is not divergence");
    }
}
