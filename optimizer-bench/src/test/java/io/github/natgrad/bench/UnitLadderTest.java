package io.github.natgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A value goes to the largest unit whose threshold it reaches; below the second threshold (or NaN) as before. */
class UnitLadderTest {
    private static final UnitLadder MICROS = UnitLadder.of("%.3g µs").then(1e3, 1e3, "%.3g ms").then(1e6, 1e6, "%.3g s");
    private static final UnitLadder SECONDS = UnitLadder.of("%.0f s").then(120, 60, "%.1f min").then(7200, 3600, "%.1f h");

    @Test
    void picksTheUnitByThresholdAndDividesByItsSize() {
        assertEquals("999 µs", MICROS.format(999));
        assertEquals("1.00 ms", MICROS.format(1000));
        assertEquals("1.50 ms", MICROS.format(1500));
        assertEquals("2.50 s", MICROS.format(2.5e6));
        assertEquals("0.500 µs", MICROS.format(0.5));
        // the threshold and the unit's size differ: 2 min from 120 s on, shown in minutes
        assertEquals("119 s", SECONDS.format(119));
        assertEquals("2.0 min", SECONDS.format(120));
        assertEquals("119.0 min", SECONDS.format(7140));
        assertEquals("2.0 h", SECONDS.format(7200));
    }

    @Test
    void aValueBelowNoLaterThresholdGoesToTheLastUnit() {
        assertEquals("NaN s", MICROS.format(Double.NaN));
        assertEquals("Infinity s", MICROS.format(Double.POSITIVE_INFINITY));
        assertEquals("-5.00 µs", MICROS.format(-5));
    }

    @Test
    void refusesAUnitThatDoesNotStartAboveThePreviousOne() {
        assertThrows(IllegalArgumentException.class, () -> MICROS.then(1e6, 1e6, "%.3g ks"));
        assertThrows(IllegalArgumentException.class, () -> UnitLadder.of("%g").then(10, 0, "%g"));
    }
}
