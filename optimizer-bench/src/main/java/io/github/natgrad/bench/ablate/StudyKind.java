package io.github.natgrad.bench.ablate;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A kind of study other than the ablation grid ({@code experiment: NAME} in a study file): an experiment
 * whose units of work are not optimizer runs scored by a metric but computations that each write rows of
 * a table of its own — the misspecification figure (a row per problem), the vector-field trajectories (a
 * trajectory per unit), the damping grid of an MLP (a run per unit). The ablate engine runs a kind's
 * units like a grid's tasks ({@link StudyRuntime#run(Task)} on the {@link LocalEngine} or the Spark
 * engine), {@link StudyStore} keeps the rows resumably in the kind's {@link #storeFile()} (the table
 * itself, so that a finished study's table is the file the experiment has always written) and
 * {@link #report} writes the figures and other files from the stored rows. The table's layout
 * ({@link #header()}, {@link #storeFile()}, {@link #rowKey}, {@link #checkRow}) is the kind's
 * {@link StudyTable}.
 *
 * <p>Kinds are found by {@link java.util.ServiceLoader} ({@link StudyKinds}), so that this package does
 * not depend on the experiments it runs. Implementations are stateless and thread-safe.
 */
public interface StudyKind extends StudyTable {

    /** The value of {@code experiment:} that selects this kind. */
    String name();

    /** The top-level {@code settings:} keys the kind reads (an empty list when it reads none). */
    List<String> settingKeys();

    /**
     * Checks the study's settings and problems before anything runs.
     *
     * @throws StudyException naming the line of what is wrong
     */
    void check(Study study);

    /**
     * The units of work, in table order, each with the keys of the rows it writes, in order.
     *
     * @param problemNames the names of the study's problems as the rows spell them (the runtime's names)
     */
    List<Unit> units(Study study, List<String> problemNames);

    /**
     * Computes unit {@code unit}: its rows, in order, as many fields as {@link #header()} each.
     * Thread-safe; called on any engine thread (or a Spark executor).
     */
    List<List<String>> run(Study study, List<StudyProblem> problems, int unit);

    /**
     * Writes what the kind draws or summarises from its finished table into {@code dir} and prints its
     * lines to {@code log}.
     *
     * @param rows every row of the table, in table order
     */
    void report(Study study, List<StudyProblem> problems, List<List<String>> rows, Path dir, PrintStream log);

    /**
     * Checks that no problem of the study is an MLP (the figures of generalised linear models).
     *
     * @param why what the kind draws or runs on, the start of the message, e.g. {@code "the
     *            misspecification figure is drawn for a generalised linear model with 2 parameters"}
     * @throws StudyException at the line of the first MLP problem: {@code why; problem NAME is an MLP}
     */
    static void requireGlms(Study study, String why) {
        for (ProblemSpec p : study.problems()) {
            if (p.model().equals("mlp")) {
                throw new StudyException(study.file(), p.line(), why + "; problem " + p.name() + " is an MLP");
            }
        }
    }

    /**
     * A unit of work.
     *
     * @param name    what it computes, for messages
     * @param rowKeys the keys of its rows, in order; the unit is done when the last is stored
     */
    record Unit(String name, List<String> rowKeys) {
        /** The key whose row marks the unit as done. */
        public String doneKey() {
            return rowKeys.get(rowKeys.size() - 1);
        }

        /** One unit per problem, named {@code "what problem"}, whose one row is keyed by the problem's name. */
        public static List<Unit> onePerProblem(String what, List<String> problemNames) {
            List<Unit> units = new java.util.ArrayList<>(problemNames.size());
            for (String name : problemNames) {
                units.add(new Unit(what + " " + name, List.of(name)));
            }
            return units;
        }
    }
}
