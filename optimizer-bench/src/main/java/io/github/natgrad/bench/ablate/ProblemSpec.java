package io.github.natgrad.bench.ablate;

import io.github.natgrad.Batch;
import io.github.natgrad.L2Prior;
import io.github.natgrad.bench.problems.MlpRegression;
import io.github.natgrad.bench.problems.PaperProblems;
import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.data.CsvReader;
import io.github.natgrad.data.LabelMapping;
import io.github.natgrad.data.LabeledData;
import io.github.natgrad.data.LibsvmReader;
import io.github.natgrad.datasets.Dataset;
import io.github.natgrad.datasets.Datasets;
import io.github.natgrad.datasets.NamedDataset;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A problem as a study file declares it: where the data come from (a {@link Source}: a dataset of the
 * library's registry, a file, a seeded synthetic generator, or one of the paper's synthetic problems), the
 * model fitted to them, the prior and the held-out examples. {@link #build(Path, Path)} reads or generates
 * the data, every file through the library's readers ({@link LibsvmReader}, {@link CsvReader}) and every
 * named dataset through the one registry ({@link Datasets}).
 *
 * @param name          the name in the outputs
 * @param source        where the examples come from
 * @param model         paper-glm, logistic-regression, linear-regression or mlp
 * @param hidden        hidden widths of an MLP
 * @param bias          whether a GLM appends a bias
 * @param priorVariance σ² of the L2 prior, 0 for none
 * @param heldOut       the examples held out for the test-accuracy metric
 * @param line          the line the problem starts on
 */
public record ProblemSpec(String name, Source source, String model, int[] hidden, boolean bias, double priorVariance,
        HeldOut heldOut, int line) {

    /** Where a problem's examples come from. */
    public sealed interface Source permits Registered, FromFile, Synthetic, Paper {
        /** The study-file key: dataset, file, synthetic or paper. */
        String kind();

        /** The dataset name, file, generator or paper problem. */
        String what();
    }

    /**
     * A dataset of the library's registry ({@link Datasets#named}), e.g. {@code a1a}; a generator of the
     * registry is drawn with seed 0.
     */
    public record Registered(String dataset) implements Source {
        @Override
        public String kind() {
            return "dataset";
        }

        @Override
        public String what() {
            return dataset;
        }
    }

    /** The layouts of a data file. */
    public enum Format {
        /** LIBSVM / svmlight ({@link LibsvmReader}), labels as written, spread out dense to {@code columns}. */
        LIBSVM,
        /** scikit-learn's CSV with its {@code n_samples,n_features,names} header ({@link CsvReader#withCountHeader()}). */
        CSV,
        /** whitespace-separated numbers, target last ({@link CsvReader#whitespace}). */
        WHITESPACE;

        /** The study-file name: libsvm, csv or whitespace. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A data file (relative to the study file), labels kept as written.
     *
     * @param file    the path as written in the study file
     * @param format  its layout
     * @param columns the feature columns of a LIBSVM file (0 for the other layouts)
     */
    public record FromFile(String file, Format format, int columns) implements Source {
        @Override
        public String kind() {
            return "file";
        }

        @Override
        public String what() {
            return file;
        }

        /** Reads {@code path} in this layout into a dense batch. */
        Batch read(Path path) {
            LabeledData d = switch (format) {
                case LIBSVM -> LibsvmReader.of(LabelMapping.REAL).withColumns(columns).read(path);
                case CSV -> CsvReader.of(LabelMapping.REAL).withCountHeader().read(path);
                case WHITESPACE -> CsvReader.whitespace(LabelMapping.REAL).read(path);
            };
            return Batch.wrap(d.denseInputs(), d.y(), d.rows(), d.columns());
        }
    }

    /** The seeded synthetic generators. */
    public enum Generator {
        /** {@link SyntheticGlm#logistic}. */
        LOGISTIC("logistic"),
        /** {@link SyntheticGlm#linear}. */
        LINEAR("linear"),
        /** the damping grid's MLP regression ({@link MlpRegression}; 4 inputs whatever p says). */
        MLP_REGRESSION("mlp-regression");

        private final String label;

        Generator(String label) {
            this.label = label;
        }

        /** The study-file name. */
        public String label() {
            return label;
        }
    }

    /**
     * Seeded synthetic data.
     *
     * @param generator    the generator
     * @param n            examples
     * @param p            inputs
     * @param conditioning conditioning of a GLM generator
     * @param seed         the seed
     */
    public record Synthetic(Generator generator, int n, int p, double conditioning, long seed) implements Source {
        @Override
        public String kind() {
            return "synthetic";
        }

        @Override
        public String what() {
            return generator.label();
        }

        Batch generate() {
            return switch (generator) {
                case LOGISTIC -> SyntheticGlm.logistic(n, p, conditioning, seed).batch();
                case LINEAR -> SyntheticGlm.linear(n, p, conditioning, seed).batch();
                case MLP_REGRESSION -> MlpRegression.batch(n, seed);
            };
        }
    }

    /** One of the paper's synthetic problems ({@link PaperProblems}, the authors' stream, seed 0). */
    public record Paper(String problem) implements Source {
        @Override
        public String kind() {
            return "paper";
        }

        @Override
        public String what() {
            return problem;
        }

        Problem problem(long seed) {
            if (problem.equals("vecfield")) {
                return PaperProblems.vecfield(seed);
            }
            for (Problem p : PaperProblems.misspecLogistic(seed)) {
                if (p.name().equals(problem)) {
                    return p;
                }
            }
            for (Problem p : PaperProblems.misspecLinear(seed)) {
                if (p.name().equals(problem)) {
                    return p;
                }
            }
            throw new IllegalStateException("no paper problem " + problem);
        }
    }

    /** The examples held out for the test-accuracy metric. */
    public sealed interface HeldOut permits NoTest, TestFraction, TestFile {
    }

    /** No held-out examples. */
    public record NoTest() implements HeldOut {
    }

    /**
     * A seeded held-out split: the examples shuffled by {@code seed}, the first ⌈fraction · N⌉ held out.
     *
     * @param fraction in (0, 1)
     * @param seed     the study's seed
     */
    public record TestFraction(double fraction, long seed) implements HeldOut {
    }

    /** Held-out examples read from a file in the problem's format (relative to the study file). */
    public record TestFile(String file) implements HeldOut {
    }

    /** The keys of a problem entry. */
    public static final List<String> KEYS = List.of("name", "dataset", "file", "format", "columns", "synthetic", "paper",
            "model", "hidden", "bias", "prior-variance", "test-fraction", "test-file");
    /** The models. */
    public static final List<String> MODELS = List.of("paper-glm", "logistic-regression", "linear-regression", "mlp");
    /** The synthetic generators. */
    public static final List<String> GENERATORS = Arrays.stream(Generator.values()).map(Generator::label).toList();
    /** The paper's synthetic problems. */
    public static final List<String> PAPER = List.of("logistic-well-specified", "logistic-misspecified-noise",
            "logistic-misspecified-model", "linear-well-specified", "linear-misspecified-noise",
            "linear-misspecified-model", "vecfield");
    /** File layouts. */
    public static final List<String> FORMATS = Arrays.stream(Format.values()).map(Format::label).toList();
    /** The seed of the paper's synthetic problems in a study (the paper's samples). */
    static final long PAPER_SEED = 0;

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
        Source source = switch (sources.get(0)) {
            case "dataset" -> {
                StudyNode d = node.get("dataset");
                String what = d.string("dataset");
                try {
                    yield new Registered(Datasets.named(what).name());
                } catch (IllegalArgumentException e) {
                    throw d.error(e.getMessage());
                }
            }
            case "file" -> {
                String what = node.get("file").string("file");
                StudyNode f = node.get("format");
                if (f == null) {
                    throw node.error("a problem read from a file needs format: one of " + FORMATS);
                }
                String label = f.string("format");
                if (!FORMATS.contains(label)) {
                    throw f.error("unknown value '" + label + "' for format; known: " + FORMATS);
                }
                Format format = Format.valueOf(label.toUpperCase(Locale.ROOT));
                int columns = 0;
                if (format == Format.LIBSVM) {
                    StudyNode c = node.get("columns");
                    if (c == null) {
                        throw node.error("a LIBSVM file needs columns: the number of features");
                    }
                    columns = c.integer("columns");
                    if (columns < 1) {
                        throw c.error("columns must be at least 1, got " + columns);
                    }
                }
                yield new FromFile(what, format, columns);
            }
            case "synthetic" -> {
                StudyNode s = node.get("synthetic").requireMap("synthetic", List.of("generator", "n", "p", "conditioning", "seed"));
                StudyNode g = s.get("generator");
                if (g == null) {
                    throw s.error("synthetic needs generator: one of " + GENERATORS);
                }
                String what = g.string("generator");
                if (!GENERATORS.contains(what)) {
                    throw g.error("unknown value '" + what + "' for generator; known: " + GENERATORS);
                }
                int n = s.get("n") == null ? 400 : s.get("n").integer("n");
                int p = s.get("p") == null ? 4 : s.get("p").integer("p");
                if (n < 1 || p < 1) {
                    throw s.error("n and p must be at least 1");
                }
                double conditioning = s.get("conditioning") == null ? 10 : s.get("conditioning").number("conditioning");
                long dataSeed = s.get("seed") == null ? 0 : s.get("seed").integer("seed");
                yield new Synthetic(Generator.values()[GENERATORS.indexOf(what)], n, p, conditioning, dataSeed);
            }
            default -> {
                StudyNode d = node.get("paper");
                String what = d.string("paper");
                if (!PAPER.contains(what)) {
                    throw d.error("unknown value '" + what + "' for paper; known: " + PAPER);
                }
                yield new Paper(what);
            }
        };
        String model = node.get("model") == null
                ? (source instanceof Synthetic s && s.generator() == Generator.MLP_REGRESSION ? "mlp" : "paper-glm")
                : node.get("model").string("model");
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
                : source instanceof FromFile f ? Path.of(f.file()).getFileName().toString() : source.what();
        if (!name.matches("[A-Za-z0-9._+-]+")) {
            throw node.error("problem name '" + name + "' may hold only letters, digits and . _ + -");
        }
        HeldOut heldOut = new NoTest();
        if (node.get("test-fraction") != null && node.get("test-file") != null) {
            throw node.error("give test-fraction or test-file, not both");
        }
        if (node.get("test-fraction") != null) {
            double testFraction = node.get("test-fraction").number("test-fraction");
            if (!(testFraction > 0 && testFraction < 1)) {
                throw node.get("test-fraction").error("test-fraction must be in (0, 1), got " + testFraction);
            }
            heldOut = new TestFraction(testFraction, splitSeed);
        }
        if (node.get("test-file") != null) {
            String testFile = node.get("test-file").string("test-file");
            if (!(source instanceof FromFile)) {
                throw node.get("test-file").error("test-file is read in the problem's format: give it with file: and format:");
            }
            heldOut = new TestFile(testFile);
        }
        return new ProblemSpec(name, source, model, hidden, bias, prior, heldOut, node.line());
    }

    /** Whether the problem holds examples out for the test-accuracy metric. */
    public boolean hasTestSplit() {
        return !(heldOut instanceof NoTest);
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
     * The files {@link #build} would read, resolved as it resolves them (the paper's named datasets in
     * {@code dataDir}, files relative to {@code studyDir}); none for generators and paper problems. Reads nothing.
     */
    public List<DataFile> dataFiles(Path dataDir, Path studyDir) {
        List<DataFile> files = new ArrayList<>();
        if (source instanceof Registered r && isPaperFile(r.dataset())) {
            String file = NamedDataset.byId(r.dataset()).fileName();
            files.add(new DataFile(name, "dataset " + r.dataset(),
                    dataDir == null ? null : dataDir.resolve(file).toAbsolutePath().normalize()));
        } else if (source instanceof FromFile f) {
            files.add(new DataFile(name, "file", resolve(f.file(), studyDir)));
        }
        if (heldOut instanceof TestFile t) {
            files.add(new DataFile(name, "test-file", resolve(t.file(), studyDir)));
        }
        return files;
    }

    private static boolean isPaperFile(String dataset) {
        return Arrays.stream(NamedDataset.values()).anyMatch(d -> d.id().equals(dataset));
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
        if (heldOut instanceof TestFile t) {
            train = all.batch();
            test = ((FromFile) source).read(studyDir == null ? Path.of(t.file()) : studyDir.resolve(t.file()));
            if (test.columns() != train.columns()) {
                throw new StudyException("problem " + name, line, "test-file " + t.file() + " has " + test.columns()
                        + " feature columns, the training data " + train.columns());
            }
        } else {
            TestFraction f = (TestFraction) heldOut;
            int rows = all.batch().rows();
            int held = (int) Math.ceil(f.fraction() * rows);
            if (held < 1 || held >= rows) {
                throw new StudyException("problem " + name, line, "test-fraction " + f.fraction() + " of " + rows
                        + " examples leaves no test or no training example");
            }
            int[] order = new int[rows];
            for (int i = 0; i < rows; i++) {
                order[i] = i;
            }
            java.util.Random random = new java.util.Random(f.seed());
            for (int i = rows - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            int[] testRows = Arrays.copyOfRange(order, 0, held);
            int[] trainRows = Arrays.copyOfRange(order, held, rows);
            Arrays.sort(testRows);
            Arrays.sort(trainRows);
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

    private StudyProblem buildAll(Path dataDir, Path studyDir) {
        Batch batch;
        boolean binary;
        Problem paper = null;
        if (source instanceof Registered r) {
            Dataset d = Datasets.named(r.dataset()).load(dataDir, 0);
            batch = d.batch();
            binary = d.classes() == 2;
        } else if (source instanceof FromFile f) {
            batch = f.read(studyDir == null ? Path.of(f.file()) : studyDir.resolve(f.file()));
            binary = isBinary(batch.y());
        } else if (source instanceof Synthetic s) {
            batch = s.generate();
            binary = s.generator() == Generator.LOGISTIC;
        } else {
            paper = ((Paper) source).problem(PAPER_SEED);
            batch = paper.batch();
            binary = paper.logistic();
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
        return name + "[" + source.kind() + ":" + source.what() + "," + model + "]";
    }
}
