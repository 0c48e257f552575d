package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.ProblemSpec;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ablate.StudyException;
import io.github.natgrad.bench.ablate.StudyKind;
import io.github.natgrad.bench.ablate.StudyProblem;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The study kind {@code misspec}: Fig. 2 of Kunstner, Balles and Hennig (2019) ({@link MisspecExperiment})
 * on the study's problems, each a generalised linear model with 2 parameters. A unit per problem; the
 * table {@code misspec.csv} ({@code problem,theta1,theta2,fisher11,fisher12,fisher22,ef11,ef12,ef22,grad_norm});
 * the report draws {@code misspec-PROBLEM.png/.svg}. No settings.
 */
public final class MisspecKind implements StudyKind {
    /** The table's columns. */
    static final List<String> HEADER = List.of("problem", "theta1", "theta2", "fisher11", "fisher12", "fisher22",
            "ef11", "ef12", "ef22", "grad_norm");

    @Override
    public String name() {
        return "misspec";
    }

    @Override
    public List<String> settingKeys() {
        return List.of();
    }

    @Override
    public void check(Study study) {
        for (ProblemSpec p : study.problems()) {
            if (p.model().equals("mlp")) {
                throw new StudyException(study.file(), p.line(), "the misspecification figure is drawn for a "
                        + "generalised linear model with 2 parameters; problem " + p.name() + " is an MLP");
            }
        }
    }

    @Override
    public List<String> header() {
        return HEADER;
    }

    @Override
    public String storeFile() {
        return "misspec.csv";
    }

    @Override
    public List<Unit> units(Study study, List<String> problemNames) {
        return Unit.onePerProblem("misspec", problemNames);
    }

    @Override
    public String rowKey(List<String> row) {
        return row.get(0);
    }

    @Override
    public List<List<String>> run(Study study, List<StudyProblem> problems, int unit) {
        return List.of(MisspecExperiment.row(glm(problems.get(unit))));
    }

    @Override
    public void report(Study study, List<StudyProblem> problems, List<List<String>> rows, Path dir, PrintStream log) {
        for (StudyProblem p : problems) {
            MisspecExperiment.figure(glm(p), dir, log);
        }
    }

    private static io.github.natgrad.bench.problems.Problem glm(StudyProblem p) {
        if (p.glm() == null) {
            throw new IllegalArgumentException("the misspecification figure needs a generalised linear model; "
                    + p.name() + " is not one");
        }
        return p.glm();
    }
}
