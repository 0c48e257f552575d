package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.GridValues;
import java.util.Arrays;
import java.util.Locale;

/**
 * The hyper-parameter grid of the optimisation figure (its values generated and written by the study
 * engine's {@link GridValues}): step sizes × dampings, a budget of iterations and
 * the divergence rule. The paper's grid is {@code logspace(-20, 10, 241)} × {@code logspace(-10, 10, 41)},
 * 100 iterations; a run stops once its loss exceeds 100 × its initial loss.
 *
 * @param stepSizes  the step sizes η, in grid order
 * @param dampings   the dampings λ, in grid order
 * @param iterations the iteration budget
 */
public record Grid(double[] stepSizes, double[] dampings, int iterations) {
    /** A run whose loss exceeds this factor times the initial loss has diverged. */
    public static final double DIVERGENCE_FACTOR = io.github.natgrad.training.Divergence.PAPER_FACTOR;

    /** Validates the grid. */
    public Grid {
        if (stepSizes.length == 0 || dampings.length == 0) {
            throw new IllegalArgumentException("the grid needs at least one step size and one damping");
        }
        for (double v : stepSizes) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("step sizes must be positive and finite, got " + v);
            }
        }
        for (double v : dampings) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("dampings must be positive and finite, got " + v);
            }
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
    }

    /** The paper's grid: logspace(−20, 10, 241) × logspace(−10, 10, 41), 100 iterations. */
    public static Grid paper() {
        return new Grid(GridValues.logspace(-20, 10, 241), GridValues.logspace(-10, 10, 41), 100);
    }

    /** Parses {@code start:stop:count} (exponents of 10), e.g. {@code -20:10:241}. */
    public static double[] parseLogspace(String spec, String what) {
        String[] parts = spec.split(":");
        try {
            if (parts.length == 3) {
                return GridValues.logspace(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Integer.parseInt(parts[2]));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(what + " '" + spec + "' should be start:stop:count in log10, e.g. -20:10:241");
    }

    /** A copy with other step sizes. */
    public Grid withStepSizes(double[] values) {
        return new Grid(values, dampings, iterations);
    }

    /** A copy with other dampings. */
    public Grid withDampings(double[] values) {
        return new Grid(stepSizes, values, iterations);
    }

    /** A copy with another iteration budget. */
    public Grid withIterations(int count) {
        return new Grid(stepSizes, dampings, count);
    }

    /** The number of runs per dataset: GD per step size, NGD and EFGD per step size and damping. */
    public int runsPerDataset() {
        return stepSizes.length * (1 + 2 * dampings.length);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d step sizes [%.3g, %.3g] x %d dampings [%.3g, %.3g], %d iterations",
                stepSizes.length, stepSizes[0], stepSizes[stepSizes.length - 1], dampings.length, dampings[0],
                dampings[dampings.length - 1], iterations);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grid g && Arrays.equals(stepSizes, g.stepSizes) && Arrays.equals(dampings, g.dampings)
                && iterations == g.iterations;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(stepSizes) + Arrays.hashCode(dampings)) + iterations;
    }
}
