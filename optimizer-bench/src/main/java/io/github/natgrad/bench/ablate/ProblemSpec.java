package io.github.natgrad.bench.ablate;

import io.github.natgrad.Batch;
import io.github.natgrad.L2Prior;
import io.github.natgrad.bench.datasets.DataReaders;
import io.github.natgrad.bench.datasets.NamedDataset;
import io.github.natgrad.bench.datasets.Table;
import io.github.natgrad.bench.problems.PaperProblems;
import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.bench.reproduce.MlpDampingExperiment;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A problem as a study file declares it: where the data come from (a named dataset, a file, a seeded
 * synthetic generator, or one of the paper's synthetic problems), the model fitted to them, and the
 * prior. {@link #build(Path, Path)} reads or generates the data.
 *
 * @param name          the name in the outputs
 * @param source        dataset, file, synthetic or paper
 * @param what          the dataset name, file path, generator or paper problem
 * @param format        the file layout (libsvm, csv, whitespace) for a file
 * @param columns       feature columns of a LIBSVM file
 * @param n             examples of a synthetic generator
 * @param p             inputs of a synthetic generator
 * @param conditioning  conditioning of a synthetic GLM generator
 * @param dataSeed      seed of a synthetic generator
 * @param model         paper-glm, logistic-regression, linear-regression or mlp
 * @param hidden        hidden widths of an MLP
 * @param bias          whether a GLM appends a bias
 * @param priorVariance σ² of the L2 prior, 0 for none
 * @param line          the line the problem starts on
 * @param testFraction  the fraction of the examples held out for the test-accuracy metric (0: none)
 * @param testFile      a file of held-out examples in the problem's {@code format} ("" for none)
 * @param splitSeed     the seed of the held-out split (the study's {@code seed})
 */
public record ProblemSpec(String name, String source, String what, String format, int columns, int n, int p,
        double conditioning, long dataSeed, String model, int[] hidden, boolean bias, double priorVariance, int line,
        double testFraction, String testFile, long splitSeed) {

    /** The keys of a problem entry. */
    public static final List<String> KEYS = List.of("name", "dataset", "file", "format", "columns", "synthetic", "paper",
            "model", "hidden", "bias", "prior-variance", "test-fraction", "test-file");
    /** The models. */
    public static final List<String> MODELS = List.of("paper-glm", "logistic-regression", "linear-regression", "mlp");
    /** The synthetic generators. */
    public static final List<String> GENERATORS = List.of("logistic", "linear", "mlp-regression");
    /** The paper's synthetic problems. */
    public static final List<String> PAPER = List.of("logistic-well-specified", "logistic-misspecified-noise",
            "logistic-misspecified-model", "linear-well-specified", "linear-misspecified-noise",
            "linear-misspecified-model", "vecfield");
    /** File layouts. */
    public static final List<String> FORMATS = List.of("libsvm", "csv", "whitespace");

    /** Reads one problem entry of the study file; {@code splitSeed} shuffles a held-out split. */
    static ProblemSpec parse(StudyNode node, long splitSeed) {
        node.requireMap("a problem", KEYS);
        List<String> sources = new ArrayList<>();
        for (String k : List.of("dataset", "file", "synthetic", "paper")) {
            if (node.get(k) != null) {
                sources.add(k);
            }
        }
        if (sources.size() != 1) {
            throw node.error("a problem needs exactly one of dataset, file, synthetic, paper; got " + sources);
        }
        String source = sources.get(0);
        String what;
        String format = "";
        int columns = 0;
        int n = 0;
        int p = 0;
        double conditioning = 10;
        long dataSeed = 0;
        switch (source) {
            case "dataset" -> {
                StudyNode d = node.get("dataset");
                what = d.string("dataset");
                try {
                    NamedDataset.byId(what);
                } catch (IllegalArgumentException e) {
                    throw d.error(e.getMessage());
                }
            }
            case "file" -> {
                what = node.get("file").string("file");
                StudyNode f = node.get("format");
                if (f == null) {
                    throw node.error("a problem read from a file needs format: one of " + FORMATS);
                }
                format = f.string("format");
                if (!FORMATS.contains(format)) {
                    throw f.error("unknown value '" + format + "' for format; known: " + FORMATS);
                }
                if (format.equals("libsvm")) {
                    StudyNode c = node.get("columns");
                    if (c == null) {
                        throw node.error("a LIBSVM file needs columns: the number of features");
                    }
                    columns = c.integer("columns");
                }
            }
            case "synthetic" -> {
                StudyNode s = node.get("synthetic").requireMap("synthetic", List.of("generator", "n", "p", "conditioning", "seed"));
                StudyNode g = s.get("generator");
                if (g == null) {
                    throw s.error("synthetic needs generator: one of " + GENERATORS);
                }
                what = g.string("generator");
                if (!GENERATORS.contains(what)) {
                    throw g.error("unknown value '" + what + "' for generator; known: " + GENERATORS);
                }
                n = s.get("n") == null ? 400 : s.get("n").integer("n");
                p = s.get("p") == null ? 4 : s.get("p").integer("p");
                if (n < 1 || p < 1) {
                    throw s.error("n and p must be at least 1");
                }
                conditioning = s.get("conditioning") == null ? 10 : s.get("conditioning").number("conditioning");
                dataSeed = s.get("seed") == null ? 0 : s.get("seed").integer("seed");
            }
            default -> {
                StudyNode d = node.get("paper");
                what = d.string("paper");
                if (!PAPER.contains(what)) {
                    throw d.error("unknown value '" + what + "' for paper; known: " + PAPER);
                }
            }
        }
        String model = node.get("model") == null ? (source.equals("synthetic") && what.equals("mlp-regression") ? "mlp"
                : "paper-glm") : node.get("model").string("model");
        if (!MODELS.contains(model)) {
            throw node.get("model").error("unknown value '" + model + "' for model; known: " + MODELS);
        }
        int[] hidden = {8};
        if (node.get("hidden") != null) {
            List<StudyNode> items = node.get("hidden").items();
            hidden = new int[items.size()];
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = items.get(i).integer("hidden width");
                if (hidden[i] < 1) {
                    throw items.get(i).error("hidden widths must be at least 1");
                }
            }
        }
        boolean bias = node.get("bias") == null || node.get("bias").bool("bias");
        double prior = node.get("prior-variance") == null ? 0 : node.get("prior-variance").number("prior-variance");
        if (prior < 0) {
            throw node.get("prior-variance").error("prior-variance must be ≥ 0 (0: no prior)");
        }
        String name = node.get("name") != null ? node.get("name").string("name")
                : source.equals("file") ? Path.of(what).getFileName().toString() : what;
        if (!name.matches("[A-Za-z0-9._+-]+")) {
            throw node.error("problem name '" + name + "' may hold only letters, digits and . _ + -");
        }
        double testFraction = 0;
        String testFile = "";
        if (node.get("test-fraction") != null && node.get("test-file") != null) {
            throw node.error("give test-fraction or test-file, not both");
        }
        if (node.get("test-fraction") != null) {
            testFraction = node.get("test-fraction").number("test-fraction");
            if (!(testFraction > 0 && testFraction < 1)) {
                throw node.get("test-fraction").error("test-fraction must be in (0, 1), got " + testFraction);
            }
        }
        if (node.get("test-file") != null) {
            testFile = node.get("test-file").string("test-file");
            if (!source.equals("file")) {
                throw node.get("test-file").error("test-file is read in the problem's format: give it with file: and format:");
            }
        }
        return new ProblemSpec(name, source, what, format, columns, n, p, conditioning, dataSeed, model, hidden, bias,
                prior, node.line(), testFraction, testFile, splitSeed);
    }

    /** Whether the problem holds examples out for the test-accuracy metric. */
    public boolean hasTestSplit() {
        return testFraction > 0 || !testFile.isEmpty();
    }

    /**
     * A data file a problem reads.
     *
     * @param problem the problem's name
     * @param role    what the file is: "dataset NAME", "file" or "test-file"
     * @param path    the resolved absolute path, or null when it cannot be resolved (a named dataset without a
     *                data folder)
     */
    public record DataFile(String problem, String role, Path path) {
        /** Whether the file is there (false when the path is unresolved). */
        public boolean exists() {
            return path != null && java.nio.file.Files.isRegularFile(path);
        }
    }

    /**
     * The files {@link #build} would read, resolved as it resolves them (named datasets in {@code dataDir},
     * files relative to {@code studyDir}); none for synthetic and paper problems. Reads nothing.
     */
    public List<DataFile> dataFiles(Path dataDir, Path studyDir) {
        List<DataFile> files = new java.util.ArrayList<>();
        switch (source) {
            case "dataset" -> {
                String file = NamedDataset.byId(what).fileName();
                files.add(new DataFile(name, "dataset " + what,
                        dataDir == null ? null : dataDir.resolve(file).toAbsolutePath().normalize()));
            }
            case "file" -> files.add(new DataFile(name, "file", resolve(what, studyDir)));
            default -> {
            }
        }
        if (!testFile.isEmpty()) {
            files.add(new DataFile(name, "test-file", resolve(testFile, studyDir)));
        }
        return files;
    }

    private static Path resolve(String file, Path studyDir) {
        return (studyDir == null ? Path.of(file) : studyDir.resolve(file)).toAbsolutePath().normalize();
    }

    /**
     * Reads or generates the data and builds the model; with {@code test-fraction}, the examples are shuffled
     * by the split seed and the first ⌈fraction · N⌉ held out; with {@code test-file}, that file is read.
     */
    public StudyProblem build(Path dataDir, Path studyDir) {
        StudyProblem all = buildAll(dataDir, studyDir);
        if (!hasTestSplit()) {
            return all;
        }
        Batch test;
        Batch train;
        if (!testFile.isEmpty()) {
            train = all.batch();
            test = read(studyDir == null ? Path.of(testFile) : studyDir.resolve(testFile));
            if (test.columns() != train.columns()) {
                throw new StudyException("problem " + name, line, "test-file " + testFile + " has " + test.columns()
                        + " feature columns, the training data " + train.columns());
            }
        } else {
            int rows = all.batch().rows();
            int held = (int) Math.ceil(testFraction * rows);
            if (held < 1 || held >= rows) {
                throw new StudyException("problem " + name, line, "test-fraction " + testFraction + " of " + rows
                        + " examples leaves no test or no training example");
            }
            int[] order = new int[rows];
            for (int i = 0; i < rows; i++) {
                order[i] = i;
            }
            java.util.Random random = new java.util.Random(splitSeed);
            for (int i = rows - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            int[] testRows = java.util.Arrays.copyOfRange(order, 0, held);
            int[] trainRows = java.util.Arrays.copyOfRange(order, held, rows);
            java.util.Arrays.sort(testRows);
            java.util.Arrays.sort(trainRows);
            test = all.batch().select(testRows);
            train = all.batch().select(trainRows);
        }
        String likelihood = all.model().likelihood().name();
        if (likelihood.equals("gaussian")) {
            throw new StudyException("problem " + name, line, "a held-out split is for the test-accuracy of a "
                    + "classification problem; " + name + " is a regression (" + likelihood + " likelihood)");
        }
        if (all.glm() != null) {
            Problem g = all.glm();
            Problem trained = new Problem(name, train, g.logistic(), g.bias(), g.priorVariance());
            return new StudyProblem(name, trained.model(), train, trained.prior(), trained, test);
        }
        return new StudyProblem(name, all.model(), train, all.prior(), null, test);
    }

    private Batch read(Path f) {
        Table t = switch (format) {
            case "libsvm" -> DataReaders.libsvm(f, columns);
            case "csv" -> DataReaders.countedCsv(f);
            default -> DataReaders.whitespaceText(f);
        };
        return t.batch();
    }

    private StudyProblem buildAll(Path dataDir, Path studyDir) {
        Batch batch;
        boolean binary;
        Problem paper = null;
        switch (source) {
            case "dataset" -> {
                NamedDataset d = NamedDataset.byId(what);
                Table t = d.load(dataDir);
                batch = t.batch();
                binary = d.binary();
            }
            case "file" -> {
                Path f = studyDir == null ? Path.of(what) : studyDir.resolve(what);
                batch = read(f);
                binary = isBinary(batch.y());
            }
            case "synthetic" -> {
                batch = switch (what) {
                    case "logistic" -> SyntheticGlm.logistic(n, p, conditioning, dataSeed).batch();
                    case "linear" -> SyntheticGlm.linear(n, p, conditioning, dataSeed).batch();
                    default -> MlpDampingExperiment.defaults().withExamples(n).problem(dataSeed).batch();
                };
                binary = what.equals("logistic");
            }
            default -> {
                paper = paperProblem();
                batch = paper.batch();
                binary = paper.logistic();
            }
        }
        if (model.equals("mlp")) {
            MultilayerPerceptron mlp = MultilayerPerceptron.of(batch.columns(),
                    binary ? Likelihoods.bernoulli() : Likelihoods.gaussian()).withHidden(hidden);
            return new StudyProblem(name, mlp, batch, priorVariance > 0 ? L2Prior.ofVariance(priorVariance) : null, null,
                    null);
        }
        boolean logistic = switch (model) {
            case "logistic-regression" -> true;
            case "linear-regression" -> false;
            default -> binary;
        };
        if (logistic && !isBinary(batch.y())) {
            throw new StudyException("problem " + name, line, "logistic regression needs 0/1 labels");
        }
        Problem glm = paper != null && model.equals("paper-glm") ? rename(paper)
                : new Problem(name, batch, logistic, paper != null ? paper.bias() : bias, priorVariance);
        return new StudyProblem(name, glm.model(), batch, glm.prior(), glm, null);
    }

    private Problem rename(Problem p) {
        return new Problem(name, p.batch(), p.logistic(), p.bias(), p.priorVariance());
    }

    private Problem paperProblem() {
        if (what.equals("vecfield")) {
            return PaperProblems.vecfield(dataSeed);
        }
        for (Problem p : PaperProblems.misspecLogistic(dataSeed)) {
            if (p.name().equals(what)) {
                return p;
            }
        }
        for (Problem p : PaperProblems.misspecLinear(dataSeed)) {
            if (p.name().equals(what)) {
                return p;
            }
        }
        throw new IllegalStateException("no paper problem " + what);
    }

    private static boolean isBinary(double[] y) {
        for (double v : y) {
            if (v != 0 && v != 1) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProblemSpec s && s.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return name + "[" + source + ":" + what + "," + model + "]";
    }
}
