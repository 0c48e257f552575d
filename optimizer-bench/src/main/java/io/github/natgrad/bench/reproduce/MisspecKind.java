package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.PerProblemKind;
import io.github.natgrad.bench.ablate.Study;
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
public final class MisspecKind extends PerProblemKind {
    /** The table's columns. */
    static final List<String> HEADER = List.of("problem", "theta1", "theta2", "fisher11", "fisher12", "fisher22",
            "ef11", "ef12", "ef22", "grad_norm");

    /** The kind {@code misspec}, its table {@code misspec.csv}. */
    public MisspecKind() {
        super("misspec", "misspec.csv", HEADER);
    }

    @Override
    public List<String> settingKeys() {
        return List.of();
    }

    @Override
    public void check(Study study) {
        StudyKind.requireGlms(study, "the misspecification figure is drawn for a generalised linear model with 2 "
                + "parameters");
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
        return p.requireGlm("the misspecification figure");
    }
}
