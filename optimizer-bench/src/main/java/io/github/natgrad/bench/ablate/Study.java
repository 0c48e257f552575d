package io.github.natgrad.bench.ablate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A study file, read and checked: its name, problems, axes (in file order, each with its values in
 * canonical text), the metric, the divergence rule and which axes the best run is chosen over. Immutable.
 * The schema is in the README ("Ablation studies") and in {@link #read}.
 *
 * @param name        the study's name
 * @param file        the file it was read from (as given)
 * @param text        the file's content
 * @param hash        sha256 of the content
 * @param problems    the problems
 * @param axes        the axes and their values, in file order
 * @param metric      the metric the best run minimises
 * @param target      the target objective of the *-to-target metrics (NaN otherwise)
 * @param divergence  a run whose objective exceeds this factor × its initial objective (or is not finite) diverged
 * @param tune        the axes the best run of a group is chosen over (the rest, but seed, define the groups)
 * @param fastPath    whether runs that share everything but the damping may use the reproduction's grid engine
 * @param kind        the experiment when it is not the ablation grid ({@code experiment:}, a {@link StudyKind}),
 *                    or null for the grid
 * @param settings    the {@code settings:} mapping a kind reads, or null
 */
public record Study(String name, String file, String text, String hash, List<ProblemSpec> problems,
        List<AxisValues> axes, Metric metric, double target, double divergence, List<String> tune, boolean fastPath,
        StudyKind kind, StudyNode settings) {

    /** The top-level keys of a study file. */
    public static final List<String> KEYS = List.of("name", "description", "problems", "axes", "metric", "target",
            "divergence", "tune", "fast-path", "seed", "experiment", "settings");
    /** The top-level keys a study of a {@link StudyKind} (not the grid) may give. */
    public static final List<String> KIND_KEYS = List.of("name", "description", "problems", "seed", "experiment",
            "settings");

    /**
     * An axis of the study with its values.
     *
     * @param axis   the axis
     * @param values canonical values, in file order
     * @param line   the line of the axis in the file
     */
    public record AxisValues(Axis axis, List<String> values, int line) {
    }

    /** Reads and checks a study file. */
    public static Study read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new StudyException(file.toString(), 0, "cannot read the study file: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /**
     * Parses and checks the content of a study file; {@code file} names it in messages and decides YAML
     * (default) or JSON ({@code .json}).
     */
    public static Study parse(String file, String text) {
        StudyNode root = StudyNode.parse(file, text).requireMap("the study", KEYS);
        StudyNode nameNode = root.get("name");
        if (nameNode == null) {
            throw root.error("the study needs a name");
        }
        String name = nameNode.string("name");
        if (!name.matches("[A-Za-z0-9._+-]+")) {
            throw nameNode.error("the study name '" + name + "' may hold only letters, digits and . _ + -");
        }
        StudyNode problemsNode = root.get("problems");
        if (problemsNode == null || problemsNode.shape() != StudyNode.Shape.LIST || problemsNode.items().isEmpty()) {
            throw (problemsNode == null ? root : problemsNode).error("the study needs problems: a non-empty list");
        }
        long seed = root.get("seed") == null ? 0 : root.get("seed").integer("seed");
        List<ProblemSpec> problems = new ArrayList<>();
        for (StudyNode p : problemsNode.items()) {
            ProblemSpec spec = ProblemSpec.parse(p, seed);
            for (ProblemSpec other : problems) {
                if (other.name().equals(spec.name())) {
                    throw p.error("two problems are named '" + spec.name() + "'; give one a name:");
                }
            }
            problems.add(spec);
        }
        StudyNode experiment = root.get("experiment");
        String experimentName = experiment == null ? StudyKinds.GRID : experiment.string("experiment");
        if (!experimentName.equals(StudyKinds.GRID)) {
            return parseKind(name, file, text, root, experiment, experimentName, problems);
        }
        if (root.get("settings") != null) {
            throw new StudyException(file, root.keyLine("settings"), "settings are read by the experiments "
                    + StudyKinds.names().subList(1, StudyKinds.names().size()) + ", not by the ablation grid");
        }
        StudyNode axesNode = root.get("axes");
        if (axesNode == null) {
            throw root.error("the study needs axes: a mapping of axis name to values; axes: " + Axes.names());
        }
        if (axesNode.shape() != StudyNode.Shape.MAP) {
            throw axesNode.error("axes must be a mapping of axis name to values, got " + axesNode.describe());
        }
        List<AxisValues> axes = new ArrayList<>();
        boolean iterations = false;
        for (String key : axesNode.keys()) {
            Axis axis = Axes.byName(key, file, axesNode.keyLine(key));
            StudyNode values = axesNode.get(key);
            List<String> parsed = axis.parse(values);
            if (parsed.isEmpty()) {
                throw new StudyException(file, axesNode.keyLine(key), "axis " + key + " has no values: the grid is empty");
            }
            if (parsed.stream().distinct().count() != parsed.size()) {
                throw values.error("axis " + key + " lists a value twice");
            }
            if (key.equals("iterations") || key.equals("epochs")) {
                if (iterations) {
                    throw new StudyException(file, axesNode.keyLine(key), "give iterations or epochs, not both");
                }
                iterations = true;
            }
            axes.add(new AxisValues(axis, List.copyOf(parsed), axesNode.keyLine(key)));
        }
        Metric metric = Metric.FINAL_OBJECTIVE;
        StudyNode m = root.get("metric");
        if (m != null) {
            metric = Metric.byName(m.string("metric"), m);
        }
        double target = Double.NaN;
        if (metric.needsTarget()) {
            StudyNode t = root.get("target");
            if (t == null) {
                throw (m == null ? root : m).error("metric " + metric.label() + " needs target: the objective to reach");
            }
            target = t.number("target");
        } else if (root.get("target") != null) {
            throw new StudyException(file, root.keyLine("target"), "target is only read by the metrics "
                    + Metric.targetMetrics() + ", not " + metric.label());
        }
        double divergence = io.github.natgrad.training.Divergence.PAPER_FACTOR;
        StudyNode d = root.get("divergence");
        if (d != null) {
            d.requireMap("divergence", List.of("factor"));
            if (d.get("factor") == null) {
                throw d.error("divergence needs factor: a run diverged when its objective exceeds factor × the initial one");
            }
            divergence = d.get("factor").number("divergence factor");
            if (!(divergence > 1)) {
                throw d.get("factor").error("the divergence factor must exceed 1, got " + divergence);
            }
        }
        List<String> tune = new ArrayList<>();
        StudyNode tuneNode = root.get("tune");
        if (tuneNode == null) {
            for (AxisValues a : axes) {
                if (a.axis().name().equals("step-size") || a.axis().name().equals("damping")) {
                    tune.add(a.axis().name());
                }
            }
        } else {
            for (StudyNode t : tuneNode.items()) {
                String axis = t.string("a tuned axis");
                if (axes.stream().noneMatch(a -> a.axis().name().equals(axis))) {
                    throw t.error("tune names '" + axis + "', which is not an axis of this study; axes: "
                            + axes.stream().map(a -> a.axis().name()).toList());
                }
                if (axis.equals("seed")) {
                    throw t.error("seed is not tuned: the best run is chosen by the median over seeds");
                }
                tune.add(axis);
            }
        }
        if (metric == Metric.TEST_ACCURACY) {
            for (int i = 0; i < problems.size(); i++) {
                if (!problems.get(i).hasTestSplit()) {
                    throw problemsNode.items().get(i).error("metric test-accuracy needs a held-out split on problem "
                            + problems.get(i).name() + ": add test-fraction: 0.2 (split by the study's seed) or test-file:");
                }
            }
        }
        boolean fast = root.get("fast-path") == null || root.get("fast-path").bool("fast-path");
        return new Study(name, file, text, sha256(text), List.copyOf(problems), List.copyOf(axes), metric, target,
                divergence, List.copyOf(tune), fast, null, null);
    }

    /** A study of a {@link StudyKind}: problems and the kind's settings, no axes. */
    private static Study parseKind(String name, String file, String text, StudyNode root, StudyNode experiment,
            String experimentName, List<ProblemSpec> problems) {
        StudyKind kind = StudyKinds.find(experimentName);
        if (kind == null) {
            throw experiment.error("unknown value '" + experimentName + "' for experiment; known: " + StudyKinds.names());
        }
        for (String key : root.keys()) {
            if (!KIND_KEYS.contains(key)) {
                throw new StudyException(file, root.keyLine(key), key + " does not apply to experiment "
                        + experimentName + " (it has no axes and no metric); its keys: " + KIND_KEYS);
            }
        }
        StudyNode settings = root.get("settings");
        if (settings != null) {
            settings.requireMap("settings", kind.settingKeys());
        }
        Study study = new Study(name, file, text, sha256(text), List.copyOf(problems), List.of(), Metric.FINAL_OBJECTIVE,
                Double.NaN, GridPath.DIVERGENCE_FACTOR, List.of(), false, kind, settings);
        kind.check(study);
        return study;
    }

    /** The setting {@code key} of a kind's study, or null when the file does not give it. */
    public StudyNode setting(String key) {
        return settings == null ? null : settings.get(key);
    }

    /** The axis values entry of {@code axis}, or null. */
    public AxisValues axis(String axis) {
        for (AxisValues a : axes) {
            if (a.axis().name().equals(axis)) {
                return a;
            }
        }
        return null;
    }

    /** The lowercase hex sha256 of a text (UTF-8). */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
