package io.github.natgrad.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.function.IntToLongFunction;

/**
 * How the labels of a data file become the labels a likelihood reads; {@link #apply} is the one mapping every
 * reader ({@link LibsvmReader}, {@link CsvReader}) uses.
 */
public enum LabelMapping {
    /**
     * Two classes for the Bernoulli and probit likelihoods: +1 (or 1) becomes 1, −1 (or 0) becomes 0, as
     * LIBLINEAR reads a two-class file; any other value is an error naming its line.
     */
    BINARY,
    /**
     * K classes for the categorical likelihood: integer labels, mapped in ascending order to 0…K−1 (a test
     * file uses its training file's mapping).
     */
    CLASSES,
    /** Real-valued targets (regression), kept as written. */
    REAL;

    /**
     * Maps the labels {@code y} of {@code file} in place and returns the class values: for {@link #CLASSES}
     * the ascending labels mapped to 0…K−1 ({@code classValues} when given, e.g. a training file's for its test
     * file; else the distinct labels of {@code y}), otherwise none (an empty array).
     *
     * @param lineOf the line of example i in the file, for the message of a label this mapping cannot use
     * @throws MalformedDataException naming the file and the line of the first such label, and what to do
     */
    public double[] apply(Path file, double[] y, double[] classValues, IntToLongFunction lineOf) {
        switch (this) {
            case BINARY:
                for (int i = 0; i < y.length; i++) {
                    if (y[i] == 1.0) {
                        y[i] = 1.0;
                    } else if (y[i] == -1.0 || y[i] == 0.0) {
                        y[i] = 0.0;
                    } else {
                        throw new MalformedDataException(file, lineOf.applyAsLong(i), "label " + y[i] + " is not usable "
                                + "for a two-class likelihood (bernoulli, probit): use +1/-1 or 1/0, or --model softmax");
                    }
                }
                return new double[0];
            case CLASSES: {
                double[] values = classValues;
                if (values == null) {
                    TreeSet<Double> seen = new TreeSet<>();
                    for (double v : y) {
                        seen.add(v);
                    }
                    values = seen.stream().mapToDouble(Double::doubleValue).toArray();
                }
                for (int i = 0; i < y.length; i++) {
                    int c = Arrays.binarySearch(values, y[i]);
                    if (y[i] != Math.rint(y[i]) || c < 0) {
                        throw new MalformedDataException(file, lineOf.applyAsLong(i), "label " + y[i] + " is not "
                                + (c < 0 ? "one of the training classes " + Arrays.toString(values)
                                        : "an integer class label"));
                    }
                    y[i] = c;
                }
                return values;
            }
            default:
                return new double[0];
        }
    }
}
