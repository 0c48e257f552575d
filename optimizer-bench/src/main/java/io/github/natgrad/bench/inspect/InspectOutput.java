package io.github.natgrad.bench.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.natgrad.Model;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How {@code inspect} prints a {@link CurvatureInspection.Report}: as tables, or as JSON with stable keys. */
public final class InspectOutput {
    private InspectOutput() {
    }

    /** The report as indented JSON with the stable keys of {@link CurvatureInspection.Report#toJson()}. */
    public static String json(CurvatureInspection.Report report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the report as JSON", e);
        }
    }

    /** The report as tables: one row per matrix, the distances, the cosines. */
    public static void table(PrintStream stdout, CurvatureInspection.Report r, Model m) {
        stdout.printf(Locale.ROOT, "%s%ndataset %s: N = %d, D = %d; point %s; loss %.10g; |g| %.4g; damping %.3g%n%n",
                m.describe(), r.dataset(), r.n(), r.d(), r.point(), r.loss(), r.gradientNorm(), r.damping());
        stdout.printf(Locale.ROOT, "%-17s %12s %12s %12s %9s %12s%n", "matrix", "trace", "lambda_max", "lambda_min",
                "negative", "condition");
        for (var e : r.matrices().entrySet()) {
            var s = e.getValue();
            stdout.printf(Locale.ROOT, "%-17s %12.5g %12.5g %12.5g %9d %12s%n", e.getKey(), s.trace(), s.lambdaMax(),
                    s.lambdaMin(), s.negativeEigenvalues(), s.conditionNumber() == null ? "-"
                            : String.format(Locale.ROOT, "%.4g", s.conditionNumber()));
        }
        stdout.printf("%nrelative Frobenius distance ||row - column|| / ||column||%n%-17s", "");
        for (String b : CurvatureInspection.MATRICES) {
            stdout.printf("%17s", b);
        }
        stdout.println();
        for (String a : CurvatureInspection.MATRICES) {
            stdout.printf("%-17s", a);
            for (String b : CurvatureInspection.MATRICES) {
                stdout.printf(Locale.ROOT, "%17s", a.equals(b) ? "0"
                        : String.format(Locale.ROOT, "%.4g", r.distances().get(a + "_vs_" + b)));
            }
            stdout.println();
        }
        stdout.printf(Locale.ROOT, "%ncosines between the damped directions (C + %.3g I)^-1 g (and the gradient)%n%-17s",
                r.damping(), "");
        List<String> names = new ArrayList<>(List.of("gradient"));
        names.addAll(CurvatureInspection.MATRICES);
        for (String b : names) {
            stdout.printf("%17s", b);
        }
        stdout.println();
        for (String a : names) {
            stdout.printf("%-17s", a);
            for (String b : names) {
                Double c = a.equals(b) ? Double.valueOf(1.0) : r.cosines().get(a + "_vs_" + b);
                if (c == null) {
                    c = r.cosines().get(b + "_vs_" + a);
                }
                stdout.printf(Locale.ROOT, "%17s", String.format(Locale.ROOT, "%.4f", c));
            }
            stdout.println();
        }
    }
}
