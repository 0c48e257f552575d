package io.github.natgrad.models;

import io.github.natgrad.Checks;
import java.util.Arrays;

/**
 * The one builder of the models' per-parameter prior scales ({@link io.github.natgrad.L2Prior#withScale}):
 * {@code weights} on every parameter, {@code biases} on the bias entries.
 */
final class PriorScales {
    private PriorScales() {
    }

    /**
     * A scale of {@code parameters} entries: {@code biases} at each of {@code count} runs of {@code length} bias
     * entries starting at {@code first} + r·{@code stride}, {@code weights} elsewhere.
     *
     * @throws IllegalArgumentException if a value is negative or not finite
     */
    static double[] of(int parameters, double weights, double biases, int first, int stride, int count, int length) {
        Checks.nonNegative(weights, "weights' prior scale");
        Checks.nonNegative(biases, "biases' prior scale");
        double[] s = new double[parameters];
        Arrays.fill(s, weights);
        for (int r = 0; r < count; r++) {
            int from = first + r * stride;
            Arrays.fill(s, from, from + length, biases);
        }
        return s;
    }
}
