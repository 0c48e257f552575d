package io.github.natgrad.bench.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.natgrad.training.AtomicFiles;
import io.github.natgrad.bench.ablate.ProblemSpec;
import io.github.natgrad.bench.ablate.Study;
import io.github.natgrad.bench.ablate.StudyException;
import io.github.natgrad.bench.ablate.PerProblemKind;
import io.github.natgrad.bench.ablate.StudyNode;
import io.github.natgrad.bench.ablate.StudyProblem;
import io.github.natgrad.datasets.Dataset;
import io.github.natgrad.datasets.Datasets;
import io.github.natgrad.datasets.FashionMnist;
import io.github.natgrad.datasets.NamedDataset;
import io.github.natgrad.models.Activation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The study kind {@code inspect}: the curvature inspection of the {@code inspect} command
 * ({@link Inspection}) on each of the study's problems, each a registered dataset ({@code dataset:
 * NAME}; a generator is drawn from the setting {@code seed}, as {@code inspect --seed} draws it). A unit
 * per problem; the table {@code inspect.csv} ({@code problem,report}: the report as one line of the JSON
 * that {@code inspect --json} prints); the report writes {@code inspect-PROBLEM.json} (that JSON as the
 * command prints it) and, with {@code figures: true}, the command's figures into {@code PROBLEM/}.
 * Settings, the command's options: {@code model} (required), {@code at} (zero), {@code lambda} (1e-8),
 * {@code mc-samples} (1), {@code seed} (0), {@code hidden} ([8]), {@code activation} (tanh),
 * {@code likelihood} (auto), {@code train-steps} (200), {@code figure-steps} (30), {@code max-dimension}
 * (1000), {@code figures} (false).
 */
public final class InspectKind extends PerProblemKind {
    /** The table's columns. */
    static final List<String> HEADER = List.of("problem", "report");

    private static final PrintStream DISCARD = new PrintStream(java.io.OutputStream.nullOutputStream(), true,
            StandardCharsets.UTF_8);

    /** The kind {@code inspect}, its table {@code inspect.csv}. */
    public InspectKind() {
        super("inspect", "inspect.csv", HEADER);
    }

    @Override
    public List<String> settingKeys() {
        return List.of("model", "at", "lambda", "mc-samples", "seed", "hidden", "activation", "likelihood",
                "train-steps", "figure-steps", "max-dimension", "figures");
    }

    @Override
    public void check(Study study) {
        for (ProblemSpec p : study.problems()) {
            if (!(p.source() instanceof ProblemSpec.Registered)) {
                throw new StudyException(study.file(), p.line(), "the inspection reads a registered dataset "
                        + "(dataset: NAME, one of " + Datasets.names() + "); problem " + p.name() + " is not one");
            }
        }
        settings(study);
        figures(study);
    }

    /** The inspection's settings, checked; an error names the line of the wrong setting. */
    public static Inspection.Settings settings(Study study) {
        StudyNode m = study.setting("model");
        if (m == null) {
            throw new StudyException(study.file(), 1, "settings: model is required (one of "
                    + List.of(ModelKind.values()) + ")");
        }
        ModelKind model = choice(m, "model", ModelKind.class);
        StudyNode at = study.setting("at");
        double lambda = number(study, "lambda", 1e-8);
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw study.setting("lambda").error("lambda must be a finite number >= 0, got " + lambda);
        }
        int mc = integer(study, "mc-samples", 1);
        if (mc < 1) {
            throw study.setting("mc-samples").error("mc-samples must be at least 1, got " + mc);
        }
        int[] hidden = {8};
        StudyNode h = study.setting("hidden");
        if (h != null) {
            List<StudyNode> items = h.items();
            hidden = new int[items.size()];
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = items.get(i).integer("hidden width");
            }
        }
        StudyNode act = study.setting("activation");
        StudyNode lik = study.setting("likelihood");
        return new Inspection.Settings(model, at == null ? "zero" : at.string("at"), lambda, mc,
                integer(study, "seed", 0), hidden, act == null ? Activation.TANH : choice(act, "activation",
                        Activation.class), lik == null ? MlpLikelihood.AUTO : choice(lik, "likelihood",
                        MlpLikelihood.class), integer(study, "train-steps", 200), integer(study, "figure-steps", 30),
                integer(study, "max-dimension", 1000));
    }

    private static <E extends Enum<E>> E choice(StudyNode node, String what, Class<E> type) {
        String text = node.string(what);
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw node.error(what + " '" + text + "' is not one of " + names);
        }
    }

    private static double number(Study study, String key, double fallback) {
        StudyNode n = study.setting(key);
        return n == null ? fallback : n.number(key);
    }

    private static int integer(Study study, String key, int fallback) {
        StudyNode n = study.setting(key);
        return n == null ? fallback : n.integer(key);
    }

    private static boolean figures(Study study) {
        StudyNode n = study.setting("figures");
        return n != null && n.bool("figures");
    }

    @Override
    public List<List<String>> run(Study study, List<StudyProblem> problems, int unit) {
        Inspection.Settings s = settings(study);
        StudyProblem p = problems.get(unit);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Inspection.run(s, dataset(study.problems().get(unit), p, s.seed()), true, null,
                new PrintStream(out, true, StandardCharsets.UTF_8), DISCARD);
        return List.of(List.of(p.name(), compact(out.toString(StandardCharsets.UTF_8))));
    }

    /**
     * The dataset of a problem as {@code inspect} loads it: a generator drawn again from {@code seed}; a
     * file dataset as the study engine read it, with its registry name and classes.
     */
    static Dataset dataset(ProblemSpec spec, StudyProblem built, long seed) {
        String name = ((ProblemSpec.Registered) spec.source()).dataset();
        Datasets.Entry entry = Datasets.named(name);
        if (!entry.readsFiles()) {
            return entry.load(null, seed);
        }
        int classes = entry.name().equals(Datasets.FASHION_MNIST) ? FashionMnist.CLASSES
                : NamedDataset.byId(entry.name()).classes();
        return new Dataset(entry.name(), built.batch(), classes);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON text on one line (the table's field). */
    static String compact(String json) {
        try {
            return JSON.writeValueAsString(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the inspection's JSON does not parse: " + e.getMessage(), e);
        }
    }

    /** The JSON of a row as {@code inspect --json} prints it (indented, one line end). */
    static String indented(String json) {
        try {
            return JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(JSON.readTree(json))
                    + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the report of inspect.csv does not parse as JSON: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public void checkRow(List<String> row) {
        indented(row.get(1));
    }

    @Override
    public void report(Study study, List<StudyProblem> problems, List<List<String>> rows, Path dir, PrintStream log) {
        for (List<String> row : rows) {
            Path file = dir.resolve("inspect-" + row.get(0) + ".json");
            AtomicFiles.write(file, indented(row.get(1)));
            log.println("wrote " + file);
        }
        if (figures(study)) {
            Inspection.Settings s = settings(study);
            for (int i = 0; i < problems.size(); i++) {
                StudyProblem p = problems.get(i);
                Path folder = dir.resolve(p.name());
                try {
                    java.nio.file.Files.createDirectories(folder);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot create " + folder + ": " + e.getMessage(), e);
                }
                Inspection.run(s, dataset(study.problems().get(i), p, s.seed()), false, folder, DISCARD, DISCARD);
                log.println("wrote " + folder.resolve("spectra.png") + " and " + folder.resolve("training.png"));
            }
        }
    }
}
