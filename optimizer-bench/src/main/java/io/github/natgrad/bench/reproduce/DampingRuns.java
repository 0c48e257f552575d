package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ResumableCsv;
import io.github.natgrad.bench.ablate.StudyTable;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVRecord;

/**
 * The damping grid's {@code runs.csv} ({@code policy,lr,damping,iterations,final_loss,status,repairs},
 * numbers as {@code %.17g}), kept in a {@link ResumableCsv}: a row per finished run, read back strictly.
 */
final class DampingRuns {
    /** The header of runs.csv. */
    static final String HEADER = "policy,lr,damping,iterations,final_loss,status,repairs";
    /** The statuses a run ends with. */
    static final List<String> STATUSES = List.of("ok", "diverged", "not-positive-definite");

    private DampingRuns() {
    }

    /** A number as written in the files: 17 significant digits, so that it reads back exactly. */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }

    /** The key of the run of {@code policy} at (η, λ). */
    static String key(String policy, double eta, double lambda) {
        return policy + "|" + num(eta) + "|" + num(lambda);
    }

    /** A row read back strictly (the curve is not stored: it comes back empty). */
    static MlpDampingExperiment.Run parse(List<String> r) {
        String policy = r.get(0);
        if (!DampingPolicies.NAMES.contains(policy)) {
            throw new IllegalArgumentException("policy '" + policy + "' is not one of " + DampingPolicies.NAMES);
        }
        String status = r.get(5);
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status '" + status + "' is not one of " + STATUSES);
        }
        return new MlpDampingExperiment.Run(policy, Double.parseDouble(StudyTable.number(r.get(1), "lr")),
                Double.parseDouble(StudyTable.number(r.get(2), "damping")), StudyTable.integer(r.get(3), "iterations"),
                Double.parseDouble(StudyTable.number(r.get(4), "final_loss")), status,
                StudyTable.integer(r.get(6), "repairs"), new double[0]);
    }

    /** The columns and the strict reading of a row (the curve is not stored: it comes back empty). */
    static final ResumableCsv.Schema<MlpDampingExperiment.Run> SCHEMA = new ResumableCsv.Schema<>() {
        @Override
        public List<String> header() {
            return List.of(HEADER.split(","));
        }

        @Override
        public List<String> fields(MlpDampingExperiment.Run r) {
            return List.of(r.policy(), num(r.stepSize()), num(r.damping()), Integer.toString(r.iterations()),
                    num(r.finalLoss()), r.status(), Integer.toString(r.repairs()));
        }

        @Override
        public MlpDampingExperiment.Run parse(CSVRecord r) {
            return DampingRuns.parse(r.toList());
        }

        @Override
        public String key(MlpDampingExperiment.Run r) {
            return DampingRuns.key(r.policy(), r.stepSize(), r.damping());
        }
    };
}
