package io.github.natgrad.bench.inspect;

import io.github.natgrad.Batch;
import io.github.natgrad.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The point θ at which {@code inspect} looks: zero, a seeded initialisation, a trained optimum, or a file. */
public final class InspectPoints {
    /** The named points {@code --at} accepts besides a file. */
    public static final List<String> NAMED = List.of("zero", "init", "optimum");

    private InspectPoints() {
    }

    /**
     * The point named by {@code at}: {@code zero}, {@code init} (seeded), {@code optimum} (Gauss-Newton with
     * Levenberg-Marquardt damping from init, {@code trainSteps} steps; a note on {@code notes} when it did
     * not converge) or a file of D numbers.
     */
    public static double[] point(String at, Model m, Batch batch, long seed, int trainSteps, PrintStream notes) {
        int d = m.parameterCount();
        switch (at.toLowerCase(Locale.ROOT)) {
            case "zero":
                return new double[d];
            case "init":
                return InspectModels.init(m, seed);
            case "optimum":
                double[] theta = m.initialParameters(seed);
                double norm = CurvatureInspection.train(m, theta, batch, trainSteps, 1e-10);
                if (!(norm <= 1e-6)) {
                    notes.printf(Locale.ROOT, "inspect: note: training stopped after %d steps with |g| = %.3g; "
                            + "the point is not a converged optimum (the data may be separable: then no finite "
                            + "optimum exists). Raise --train-steps to train longer.%n", trainSteps, norm);
                }
                return theta;
            default:
                return read(Path.of(at), d);
        }
    }

    /** D finite numbers separated by whitespace or commas; errors name the file and line. */
    static double[] read(Path file, int d) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--at '" + file + "' is not one of " + NAMED + " nor a readable file");
        }
        List<Double> values = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (int l = 0; l < lines.size(); l++) {
                for (String token : lines.get(l).trim().split("[\\s,]+")) {
                    if (token.isEmpty()) {
                        continue;
                    }
                    try {
                        double v = Double.parseDouble(token);
                        if (!Double.isFinite(v)) {
                            throw new NumberFormatException();
                        }
                        values.add(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + ":" + (l + 1) + ": '" + token
                                + "' is not a finite number");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (values.size() != d) {
            throw new IllegalArgumentException(file + " holds " + values.size() + " numbers but the model has D = " + d
                    + " parameters");
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
