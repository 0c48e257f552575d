package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ablate.StudyException;
import io.github.natgrad.bench.ablate.StudyKind;
import io.github.natgrad.bench.ablate.StudyNode;
import io.github.natgrad.bench.ablate.StudyProblem;
import io.github.natgrad.bench.problems.Problem;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The study kind {@code vecfield}: Fig. 1 of Kunstner, Balles and Hennig (2019) ({@link VecfieldExperiment})
 * on the study's one problem, a generalised linear model with 2 parameters (the paper's {@code vecfield}).
 * A unit per trajectory (3 fields × 4 starts, in that order); the table {@code trajectories.csv}
 * ({@code field,start,step,theta1,theta2}, every {@value VecfieldExperiment#EVERY}th row and the last);
 * the report writes {@code optimum.csv}, {@code fields.csv} and {@code vecfield-gd|ngd|ef.png/.svg}.
 * Setting: {@code rows}, the rows of each trajectory (default {@value VecfieldExperiment#ROWS}, the authors').
 */
public final class VecfieldKind implements StudyKind {
    /** The table's columns. */
    static final List<String> HEADER = List.of("field", "start", "step", "theta1", "theta2");

    @Override
    public String name() {
        return "vecfield";
    }

    @Override
    public List<String> settingKeys() {
        return List.of("rows");
    }

    @Override
    public void check(Study study) {
        if (study.problems().size() != 1) {
            throw new StudyException(study.file(), study.problems().get(study.problems().size() > 1 ? 1 : 0).line(),
                    "the vector-field figure is drawn for one problem, got " + study.problems().size());
        }
        StudyKind.requireGlms(study, "the vector-field figure is drawn for a generalised linear model with 2 "
                + "parameters");
        rows(study);
    }

    /** The rows of each trajectory. */
    static int rows(Study study) {
        StudyNode r = study.setting("rows");
        if (r == null) {
            return VecfieldExperiment.ROWS;
        }
        int rows = r.integer("rows");
        if (rows < 1) {
            throw r.error("a trajectory needs at least one row (settings: rows), got " + rows);
        }
        return rows;
    }

    @Override
    public List<String> header() {
        return HEADER;
    }

    @Override
    public String storeFile() {
        return "trajectories.csv";
    }

    @Override
    public List<Unit> units(Study study, List<String> problemNames) {
        int[] steps = VecfieldExperiment.keptSteps(rows(study));
        List<Unit> units = new ArrayList<>();
        for (VectorFields.Kind kind : VectorFields.Kind.values()) {
            for (int s = 0; s < VecfieldExperiment.STARTS.length; s++) {
                List<String> keys = new ArrayList<>(steps.length);
                for (int t : steps) {
                    keys.add(key(kind.label, Integer.toString(s), Integer.toString(t)));
                }
                units.add(new Unit("trajectory " + kind.label + " from start " + s, keys));
            }
        }
        return units;
    }

    private static String key(String field, String start, String step) {
        return field + "," + start + "," + step;
    }

    @Override
    public String rowKey(List<String> row) {
        return key(row.get(0), row.get(1), row.get(2));
    }

    @Override
    public List<List<String>> run(Study study, List<StudyProblem> problems, int unit) {
        Problem p = glm(problems.get(0));
        VecfieldExperiment.checkTwoParameters(p);
        VectorFields.Kind kind = VectorFields.Kind.values()[unit / VecfieldExperiment.STARTS.length];
        int start = unit % VecfieldExperiment.STARTS.length;
        return VecfieldExperiment.rows(kind, start,
                VecfieldExperiment.trajectory(new VectorFields(p), kind, start, rows(study)));
    }

    @Override
    public void report(Study study, List<StudyProblem> problems, List<List<String>> rows, Path dir, PrintStream log) {
        VecfieldExperiment.report(glm(problems.get(0)), rows, rows(study), dir, log);
    }

    private static Problem glm(StudyProblem p) {
        return p.requireGlm("the vector-field figure");
    }
}
