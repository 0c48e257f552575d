package io.github.natgrad.bench.ablate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The numbers of a grid, as every study and the reproduction generate and write them: log-spaced and
 * evenly spaced lists of values (numpy's {@code logspace} and {@code linspace}), and a number as every
 * results table spells it, {@code %.17g} (17 significant digits, so that it reads back to the same
 * double). The study engine's, and {@code reproduce}'s through it.
 */
public final class GridValues {
    private GridValues() {
    }

    /**
     * {@code count} values 10^e, e evenly spaced from {@code start} to {@code stop} (numpy's
     * {@code logspace}: e_i = start + i·(stop − start)/(count − 1), the last exactly {@code stop}).
     *
     * @throws IllegalArgumentException if {@code count} is less than 1
     */
    public static double[] logspace(double start, double stop, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a logspace needs at least one value, got count " + count);
        }
        double[] out = new double[count];
        double step = count == 1 ? 0 : (stop - start) / (count - 1);
        for (int i = 0; i < count; i++) {
            double e = i == count - 1 && count > 1 ? stop : start + i * step;
            out[i] = Math.pow(10, e);
        }
        return out;
    }

    /**
     * {@code count} values evenly spaced from {@code start} to {@code stop} (numpy's {@code linspace}:
     * start + i·(stop − start)/(count − 1), the last exactly {@code stop}; one value: {@code start}).
     *
     * @throws IllegalArgumentException if {@code count} is less than 1
     */
    public static double[] linspace(double start, double stop, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a linspace needs at least one value, got count " + count);
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = count == 1 ? start : i == count - 1 ? stop : start + i * (stop - start) / (count - 1);
        }
        return out;
    }

    /** A number as written in the outputs: {@code %.17g}, so that it reads back to the same double. */
    public static String format(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }

    /** Numbers as CSV fields, each as {@link #format} writes it. */
    public static List<String> formatAll(double... values) {
        List<String> fields = new ArrayList<>(values.length);
        for (double v : values) {
            fields.add(format(v));
        }
        return fields;
    }
}
