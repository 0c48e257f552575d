package io.github.natgrad;

/**
 * Argument checks shared by natgrad's modules. Every failure is an {@link IllegalArgumentException}
 * whose message names the argument, the bad value and what is allowed.
 */
public final class Checks {
    private Checks() {
    }

    /** Fails unless {@code value} is non-null. */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** Fails unless {@code value} is finite and ≥ 0. */
    public static double nonNegative(double value, String name) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    /** Fails unless {@code value} is finite and &gt; 0. */
    public static double positive(double value, String name) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    /** Fails unless {@code value} ≥ 1. */
    public static int atLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
        return value;
    }

    /** Fails unless every entry of {@code values} is finite, naming the first that is not. */
    public static void finite(double[] values, String name) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + values[i] + "; " + name
                        + " must be finite");
            }
        }
    }

    /** Fails unless {@code values.length == expected}. */
    public static void length(double[] values, int expected, String name, String what) {
        if (values.length != expected) {
            throw new IllegalArgumentException("dimension mismatch: " + name + " has length " + values.length
                    + " but " + what + " needs " + expected);
        }
    }

    /** Fails unless θ has the model's D parameters and the batch its p input columns. */
    public static void fits(Model model, double[] theta, Batch batch) {
        length(theta, model.parameterCount(), "theta", model.describe());
        columns(model, batch);
    }

    /** Fails unless the batch has the p input columns the model reads. */
    public static void columns(Model model, Batch batch) {
        if (batch.columns() != model.inputColumns()) {
            throw new IllegalArgumentException("dimension mismatch: the batch has " + batch.columns()
                    + " input columns but " + model.describe() + " reads " + model.inputColumns());
        }
    }

    /** Fails unless every label is 0 or 1, naming the first that is not and the likelihood that needs it. */
    public static void binaryLabels(double[] y, int n, String likelihood) {
        for (int i = 0; i < n; i++) {
            if (y[i] != 0.0 && y[i] != 1.0) {
                throw new IllegalArgumentException(likelihood + " label y[" + i + "] is " + y[i]
                        + "; labels must be 0 or 1 (map -1/+1 labels with (y + 1) / 2)");
            }
        }
    }
}
