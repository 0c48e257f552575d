package io.github.natgrad.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A quantity printed in the largest unit it reaches, e.g. a time in µs, ms or s: a ladder of units, each from a
 * threshold on (in the quantity's base unit), with its size and its format. A value below the second unit's
 * threshold is printed in the first unit; a value that is not below any later threshold (NaN included) in the
 * last. Immutable; {@link #then} returns a longer ladder.
 *
 * <pre>{@code
 * UnitLadder micros = UnitLadder.of("%.3g µs").then(1e3, 1e3, "%.3g ms").then(1e6, 1e6, "%.3g s");
 * micros.format(1500); // "1.50 ms"
 * }</pre>
 */
public final class UnitLadder {
    private record Step(double from, double size, String format) {
    }

    private final List<Step> steps;

    private UnitLadder(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** A ladder of one unit, the base unit, printed with {@code format} (a {@link String#format} pattern). */
    public static UnitLadder of(String format) {
        return new UnitLadder(List.of(new Step(Double.NEGATIVE_INFINITY, 1, format)));
    }

    /**
     * This ladder and one more unit: values from {@code from} on (in the base unit, above the previous unit's
     * threshold) are divided by {@code size} and printed with {@code format}.
     */
    public UnitLadder then(double from, double size, String format) {
        if (!(from > steps.get(steps.size() - 1).from()) || !(size > 0)) {
            throw new IllegalArgumentException("a unit of a ladder starts above the previous one and has a positive "
                    + "size; got from " + from + ", size " + size);
        }
        List<Step> longer = new ArrayList<>(steps);
        longer.add(new Step(from, size, format));
        return new UnitLadder(longer);
    }

    /** The value in the first unit whose next unit's threshold it is below, else in the last unit. */
    public String format(double value) {
        Step unit = steps.get(steps.size() - 1);
        for (int i = 0; i + 1 < steps.size(); i++) {
            if (value < steps.get(i + 1).from()) {
                unit = steps.get(i);
                break;
            }
        }
        return String.format(Locale.ROOT, unit.format(), value / unit.size());
    }
}
