package io.github.natgrad;

/**
 * The argument checks of the API's own values (the library's {@code Checks} has the full set): each failure is
 * an {@link IllegalArgumentException} that names the argument and the bad value.
 */
final class Require {
    private Require() {
    }

    /** Fails unless {@code value} is non-null. */
    static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** Fails unless {@code value} is finite and &gt; 0. */
    static double positive(double value, String name) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
        return value;
    }
}
