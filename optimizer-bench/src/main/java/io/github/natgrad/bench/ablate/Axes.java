package io.github.natgrad.bench.ablate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The registry of study axes: the name of each axis and how its values map to the optimizer builder
 * ({@link RunSetting}). Adding an axis (or a value) the library gains is one entry here.
 *
 * <table>
 *   <caption>Axes</caption>
 *   <tr><th>axis</th><th>values</th><th>applies to</th></tr>
 *   <tr><td>kind</td><td>gd, fisher, mc-fisher, empirical-fisher, gauss-newton, hessian; the first-order
 *       optimizers adam and sgd (momentum 0.9)</td><td>all</td></tr>
 *   <tr><td>structure</td><td>dense; kronecker, diagonal, block-diagonal (layer-wise, MLP problems only)</td>
 *       <td>curvature kinds</td></tr>
 *   <tr><td>solver</td><td>cholesky, eigen, cg, woodbury, auto</td><td>curvature kinds, dense structure</td></tr>
 *   <tr><td>cg-max-iterations</td><td>whole numbers ≥ 1</td><td>solver cg</td></tr>
 *   <tr><td>damping-policy</td><td>fixed, none, levenberg-marquardt, shift-to-pd, saddle-free (layer-wise
 *       structures: fixed, levenberg-marquardt)</td><td>curvature kinds</td></tr>
 *   <tr><td>step-size</td><td>positive numbers</td><td>all</td></tr>
 *   <tr><td>damping</td><td>positive numbers</td><td>curvature kinds but the policy none</td></tr>
 *   <tr><td>mc-samples</td><td>whole numbers ≥ 1</td><td>mc-fisher</td></tr>
 *   <tr><td>seed</td><td>whole numbers</td><td>all</td></tr>
 *   <tr><td>iterations</td><td>whole numbers ≥ 1: steps</td><td>all</td></tr>
 *   <tr><td>epochs</td><td>whole numbers ≥ 1: passes over the data, ⌈N / batch⌉ steps each</td><td>all</td></tr>
 *   <tr><td>batch-size</td><td>full, or a whole number ≥ 1 (minibatches of a seeded shuffle per epoch)</td><td>all</td></tr>
 * </table>
 */
public final class Axes {
    /** Kinds by the names the study accepts, mapped to their canonical name. */
    private static final Map<String, String> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("gd", "gd");
        KINDS.put("identity", "gd");
        KINDS.put("fisher", "fisher");
        KINDS.put("ngd", "fisher");
        KINDS.put("mc-fisher", "mc-fisher");
        KINDS.put("empirical-fisher", "empirical-fisher");
        KINDS.put("ef", "empirical-fisher");
        KINDS.put("gauss-newton", "gauss-newton");
        KINDS.put("ggn", "gauss-newton");
        KINDS.put("hessian", "hessian");
        KINDS.put("adam", "adam");
        KINDS.put("sgd", "sgd");
    }

    private static final Map<String, Axis> REGISTRY = new LinkedHashMap<>();

    /** Runs of a curvature kind (not gd, adam or sgd). */
    private static final Predicate<Map<String, String>> NOT_GD =
            run -> !RunSetting.FIRST_ORDER.contains(run.getOrDefault("kind", "fisher"));
    /** Runs of a curvature kind with the dense structure. */
    private static final Predicate<Map<String, String>> DENSE =
            run -> NOT_GD.test(run) && "dense".equals(run.getOrDefault("structure", "dense"));

    static {
        register(new SymbolAxis("kind", "curvature kind C of the step (C + λI)⁻¹ g", KINDS, run -> true,
                (v, s) -> s.kind = v));
        register(new SymbolAxis("structure", "how C is stored: dense, or layer-wise (kronecker, diagonal, block-diagonal;"
                + " networks of dense layers only)", names("dense", "kronecker", "diagonal", "block-diagonal"), NOT_GD,
                (v, s) -> s.structure = v));
        register(new SymbolAxis("solver", "the linear solve of the dense structure: cholesky, eigen, cg (matrix-free),"
                + " woodbury (n < p), auto", names("cholesky", "eigen", "cg", "woodbury", "auto"), DENSE,
                (v, s) -> s.solver = v));
        register(new NumberAxis("cg-max-iterations", "iteration cap of the cg solver", true, 1,
                run -> DENSE.test(run) && "cg".equals(run.get("solver")), (v, s) -> s.cgMaxIterations = Integer.parseInt(v)));
        register(new SymbolAxis("damping-policy", "how λ is chosen; the damping axis is its (initial) λ",
                names("fixed", "none", "levenberg-marquardt", "shift-to-pd", "saddle-free"), NOT_GD,
                (v, s) -> s.dampingPolicy = v));
        register(new NumberAxis("step-size", "step size η", false, 0, run -> true, (v, s) -> s.stepSize = Double.parseDouble(v)));
        register(new NumberAxis("damping", "damping λ (the initial λ of an adaptive policy)", false, 0,
                run -> NOT_GD.test(run) && !"none".equals(run.getOrDefault("damping-policy", "fixed")),
                (v, s) -> s.damping = Double.parseDouble(v)));
        register(new NumberAxis("mc-samples", "Monte-Carlo labels drawn per example (mc-fisher)", true, 1,
                run -> "mc-fisher".equals(run.getOrDefault("kind", "fisher")), (v, s) -> s.mcSamples = Integer.parseInt(v)));
        register(new NumberAxis("seed", "seed of the run: Monte-Carlo stream and the MLP's initial weights", true,
                Long.MIN_VALUE, run -> true, (v, s) -> s.seed = Long.parseLong(v)));
        register(new NumberAxis("iterations", "budget in steps", true, 1, run -> true,
                (v, s) -> s.iterations = Integer.parseInt(v)));
        register(new NumberAxis("epochs", "budget in passes over the data, ⌈N / batch⌉ steps each (one with the full batch)",
                true, 1, run -> true, (v, s) -> {
                    s.iterations = Integer.parseInt(v);
                    s.epochs = true;
                }));
        register(new BatchSizeAxis());
    }

    private Axes() {
    }

    private static void register(Axis axis) {
        REGISTRY.put(axis.name(), axis);
    }

    private static Map<String, String> names(String... values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : values) {
            m.put(v, v);
        }
        return m;
    }

    /** The names of every axis. */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** Every axis, in registry order. */
    public static List<Axis> all() {
        return List.copyOf(REGISTRY.values());
    }

    /** The axis called {@code name}, or an error at {@code line} naming the known axes. */
    public static Axis byName(String name, String file, int line) {
        Axis a = REGISTRY.get(name);
        if (a == null) {
            throw new StudyException(file, line, "unknown axis '" + name + "'; known: " + names());
        }
        return a;
    }

    /** The axis called {@code name} (which must exist). */
    public static Axis get(String name) {
        return REGISTRY.get(name);
    }

    /** The batch size: {@code full} or a whole number of examples per step. */
    private record BatchSizeAxis() implements Axis {
        @Override
        public String name() {
            return "batch-size";
        }

        @Override
        public String description() {
            return "examples per step: full, or N (minibatches of a shuffle seeded by the run's seed, new each epoch)";
        }

        @Override
        public List<String> known() {
            return List.of("full", "a whole number ≥ 1");
        }

        @Override
        public List<String> parse(StudyNode node) {
            List<String> out = new ArrayList<>();
            for (StudyNode item : node.items()) {
                String v = item.string("a value of axis batch-size").toLowerCase(Locale.ROOT);
                if (v.equals("full")) {
                    out.add(v);
                    continue;
                }
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    n = 0;
                }
                if (n < 1 || n > Integer.MAX_VALUE) {
                    throw item.error("unknown value '" + item.text() + "' for axis batch-size; known: " + known());
                }
                out.add(Long.toString(n));
            }
            return out;
        }

        @Override
        public boolean appliesTo(Map<String, String> run) {
            return true;
        }

        @Override
        public void apply(String value, RunSetting setting) {
            setting.batchSize = value.equals("full") ? 0 : Integer.parseInt(value);
        }
    }

    /**
     * An axis declared in the registry with a rule of when it applies ({@code applies}) and the setting a value
     * becomes ({@code setter}): {@link Axis#appliesTo} and {@link Axis#apply} are those two.
     */
    private interface Declared extends Axis {
        Predicate<Map<String, String>> applies();

        BiConsumer<String, RunSetting> setter();

        @Override
        default boolean appliesTo(Map<String, String> run) {
            return applies().test(run);
        }

        @Override
        default void apply(String value, RunSetting setting) {
            setter().accept(value, setting);
        }
    }

    /** An axis with symbolic values (and aliases mapped to a canonical value). */
    private record SymbolAxis(String name, String description, Map<String, String> aliases,
            Predicate<Map<String, String>> applies, BiConsumer<String, RunSetting> setter) implements Declared {

        @Override
        public List<String> known() {
            return aliases.entrySet().stream().filter(e -> e.getKey().equals(e.getValue())).map(Map.Entry::getKey).toList();
        }

        @Override
        public List<String> parse(StudyNode node) {
            List<String> out = new ArrayList<>();
            for (StudyNode item : node.items()) {
                String v = item.string("a value of axis " + name).toLowerCase(Locale.ROOT);
                String canonical = aliases.get(v);
                if (canonical == null) {
                    throw item.error("unknown value '" + item.text() + "' for axis " + name + "; known: " + known()
                            + (name.equals("kind") ? " (aliases: ngd, ef, ggn, identity)" : ""));
                }
                out.add(canonical);
            }
            return out;
        }
    }

    /**
     * A numeric axis: a number, a list of numbers, or a generator {@code {logspace: [start, stop, count]}}
     * (10^e, e evenly spaced, numpy's logspace) or {@code {linspace: [start, stop, count]}}.
     */
    private record NumberAxis(String name, String description, boolean integral, double minimum,
            Predicate<Map<String, String>> applies, BiConsumer<String, RunSetting> setter) implements Declared {

        @Override
        public List<String> known() {
            return List.of();
        }

        @Override
        public List<String> parse(StudyNode node) {
            List<String> out = new ArrayList<>();
            if (node.shape() == StudyNode.Shape.MAP) {
                node.requireMap("the values of axis " + name, List.of("logspace", "linspace"));
                if (integral) {
                    throw node.error("axis " + name + " takes whole numbers: write them as a list");
                }
                if (node.keys().size() != 1) {
                    throw node.error("write one generator: logspace or linspace");
                }
                String gen = node.keys().get(0);
                StudyNode args = node.get(gen);
                if (args.shape() != StudyNode.Shape.LIST || args.items().size() != 3) {
                    throw args.error(gen + " takes [start, stop, count], got " + args.describe());
                }
                double a = args.items().get(0).number(gen + " start");
                double b = args.items().get(1).number(gen + " stop");
                int count = args.items().get(2).integer(gen + " count");
                if (count < 1) {
                    throw args.error(gen + " count must be at least 1, got " + count);
                }
                double[] values = gen.equals("logspace") ? GridValues.logspace(a, b, count) : GridValues.linspace(a, b, count);
                for (double v : values) {
                    out.add(check(v, args));
                }
                return out;
            }
            for (StudyNode item : node.items()) {
                if (integral) {
                    long v;
                    try {
                        v = Long.parseLong(item.string("a value of axis " + name));
                    } catch (NumberFormatException e) {
                        throw item.error("axis " + name + " takes whole numbers, got '" + item.text() + "'");
                    }
                    if (v < minimum) {
                        throw item.error("axis " + name + " takes values of at least " + (long) minimum + ", got " + v);
                    }
                    out.add(Long.toString(v));
                } else {
                    out.add(check(item.number("a value of axis " + name), item));
                }
            }
            return out;
        }

        private String check(double v, StudyNode at) {
            if (!(v > minimum) || !Double.isFinite(v)) {
                throw at.error("axis " + name + " takes positive finite values, got " + v);
            }
            return GridValues.format(v);
        }
    }
}
