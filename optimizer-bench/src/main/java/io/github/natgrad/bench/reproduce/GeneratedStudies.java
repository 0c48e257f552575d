package io.github.natgrad.bench.reproduce;

import io.github.natgrad.bench.ablate.AblationEngine;
import io.github.natgrad.bench.ablate.LocalEngine;
import io.github.natgrad.bench.ablate.ProblemSpec;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ablate.StudyPlan;
import io.github.natgrad.bench.ablate.StudyProblem;
import io.github.natgrad.bench.ablate.StudyRunner;
import io.github.natgrad.bench.ablate.StudyRuntime;
import io.github.natgrad.bench.ablate.StudyStore;
import io.github.natgrad.bench.problems.Problem;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * How {@code reproduce} runs a figure as a study: the study text is generated from the problems the
 * command built with its own options (their names, and a fingerprint of each problem's data, so that a
 * results folder of other data is never resumed), and the study engine runs it into the results folder:
 * {@link StudyStore} (resumable; a study that changed starts over, the old table kept aside),
 * {@link StudyRunner} on the {@link LocalEngine}, then the kind's report.
 */
final class GeneratedStudies {
    private GeneratedStudies() {
    }

    /**
     * The problems list of a generated study: each a paper problem under its name, or (for problems of
     * other names) a placeholder the engine never reads (the runtime holds the built problem), preceded by
     * a comment naming every problem and the sha256 of its data.
     */
    static String problems(List<Problem> problems) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < problems.size(); i++) {
            Problem p = problems.get(i);
            text.append("# problem ").append(i).append(": ").append(p.name().replaceAll("[\\r\\n]", " "))
                    .append(", data sha256 ").append(fingerprint(p)).append('\n');
        }
        text.append("problems:\n");
        for (int i = 0; i < problems.size(); i++) {
            Problem p = problems.get(i);
            if (ProblemSpec.PAPER.contains(p.name())) {
                text.append("  - {name: ").append(p.name()).append(", paper: ").append(p.name()).append("}\n");
            } else {
                text.append("  - {name: problem-").append(i).append(", file: problem-").append(i)
                        .append(", format: csv}\n");
            }
        }
        return text.toString();
    }

    /** sha256 of a problem's examples, labels and model conventions. */
    static String fingerprint(Problem p) {
        double[] x = p.batch().x();
        double[] y = p.batch().y();
        ByteBuffer b = ByteBuffer.allocate(8 * (x.length + y.length + 4));
        for (double v : x) {
            b.putDouble(v);
        }
        for (double v : y) {
            b.putDouble(v);
        }
        b.putDouble(p.batch().columns()).putDouble(p.logistic() ? 1 : 0).putDouble(p.bias() ? 1 : 0)
                .putDouble(p.priorVariance());
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b.array()))
                    .substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The study problems of built problems, in order, under their own names. */
    static List<StudyProblem> built(List<Problem> problems) {
        List<StudyProblem> out = new ArrayList<>();
        for (Problem p : problems) {
            out.add(new StudyProblem(p.name(), p.model(), p.batch(), p.prior(), p, null));
        }
        return out;
    }

    /**
     * Runs (or resumes) a generated study into {@code dir} on {@code threads} local threads and writes the
     * kind's report.
     *
     * @param fresh discard the table in {@code dir} first (e.g. to time the experiment)
     * @return the kind's rows, in table order
     */
    static List<List<String>> run(Study study, List<StudyProblem> problems, Path dir, int threads, boolean fresh,
            PrintStream log) {
        StudyRuntime runtime = StudyRuntime.of(StudyPlan.of(study), problems);
        try {
            if (fresh) {
                Files.deleteIfExists(dir.resolve(study.kind().storeFile()));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot delete the table in " + dir + ": " + e.getMessage(), e);
        }
        return run(runtime, dir, threads, log, System.err, true);
    }

    /**
     * Runs (or resumes) a study into {@code dir} and writes the kind's report: a study that changed (other
     * problems, settings or data) starts over with the old table kept aside, and a table written before the
     * experiment was a study is continued ({@link StudyStore#openAdopting}).
     *
     * @param notices where a repaired table is reported
     * @param report  whether to write the kind's report (a caller that writes it itself passes false)
     */
    static List<List<String>> run(StudyRuntime runtime, Path dir, int threads, PrintStream log, PrintStream notices,
            boolean report) {
        Study study = runtime.plan().study();
        try (StudyStore store = StudyStore.openAdopting(dir, runtime, notices)) {
            StudyRunner.run(runtime, store, new LocalEngine(), new AblationEngine.Options(threads, null, null), log, null);
            List<List<String>> rows = store.rows();
            if (report) {
                study.kind().report(study, runtime.problems(), rows, dir, log);
            }
            return rows;
        }
    }
}
