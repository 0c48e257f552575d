package io.github.natgrad.bench.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Optimizer;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.layerwise.LayerwiseNaturalGradient;
import io.github.natgrad.layerwise.Structure;
import io.github.natgrad.optim.Adam;
import io.github.natgrad.training.Minibatches;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The axes the library gained (layer-wise structures, the cg/woodbury/auto solvers, adam and sgd,
 * minibatches by epochs): a small study over them runs, its runs equal the library composed by hand, and
 * wrong combinations are refused before the first run with the line.
 */
class StudyAxesTest {
    private static final String MLP = """
            name: axes
            problems:
              - synthetic: {generator: mlp-regression, n: 40, seed: 3}
                model: mlp
                hidden: [4]
            axes:
              kind: [fisher, adam, sgd]
              structure: [dense, kronecker, diagonal, block-diagonal]
              solver: [cholesky, cg]
              damping: [0.1]
              step-size: [0.05]
              batch-size: [full, 10]
              epochs: 2
            """;

    private static List<RunRecord> runAll(StudyRuntime rt) {
        List<RunRecord> out = new ArrayList<>();
        for (Task t : rt.plan().tasks()) {
            out.addAll(rt.run(t));
        }
        return out;
    }

    private static int find(StudyPlan plan, String... values) {
        for (RunSpec r : plan.runs()) {
            if (r.values().equals(List.of(values))) {
                return r.index();
            }
        }
        throw new AssertionError("no run " + List.of(values) + " in " + plan.keys());
    }

    @Test
    void aStudyOverStructuresSolversOptimizersAndBatchSizesRunsAsTheLibraryComposedByHand() {
        StudyPlan plan = StudyPlan.of(Study.parse("s.yaml", MLP));
        // fisher: dense × 2 solvers + 3 layer-wise; adam, sgd: no structure, solver or damping; × 2 batch sizes
        assertEquals((2 + 3 + 1 + 1) * 2, plan.runs().size());
        StudyRuntime rt = new StudyRuntime(plan, null);
        List<RunRecord> records = runAll(rt);
        for (RunRecord r : records) {
            assertTrue(r.usable(), plan.key(r.run()) + ": " + r);
            assertEquals(2, r.iterations());
        }
        StudyProblem p = rt.problems().get(0);
        String eta = GridValues.format(0.05);
        String lambda = GridValues.format(0.1);

        // K-FAC on minibatches of 10: two epochs are 2 × 4 steps over the seeded shuffles (seed 0)
        int kfac = find(plan, "fisher", "kronecker", "", lambda, eta, "10", "2");
        Optimizer byHand = LayerwiseNaturalGradient.kfac().withStructure(Structure.KRONECKER)
                .withCurvature(Curvatures.monteCarloFisher(1, 0)).withStepSize(0.05).withSeed(0)
                .withDamping(Damping.fixed(0.1)).build(p.model());
        double[] theta = p.start(0);
        int steps = 0;
        for (int epoch = 0; epoch < 2; epoch++) {
            for (Batch b : Minibatches.epoch(p.batch(), 10, 0, epoch)) {
                byHand.step(theta, b);
                steps++;
            }
        }
        assertEquals(8, steps);
        assertEquals(byHand.loss(theta, p.batch()), records.get(kfac).finalObjective(), 0.0);

        // Adam on the full batch: two epochs are two steps
        int adam = find(plan, "adam", "", "", "", eta, "full", "2");
        Optimizer adamByHand = Adam.defaults().withStepSize(0.05).build(p.model());
        double[] t2 = p.start(0);
        adamByHand.step(t2, p.batch());
        adamByHand.step(t2, p.batch());
        assertEquals(adamByHand.loss(t2, p.batch()), records.get(adam).finalObjective(), 0.0);

        // the matrix-free CG solve reaches the Cholesky solve's iterate (same curvature, damping 0.1)
        int chol = find(plan, "fisher", "dense", "cholesky", lambda, eta, "full", "2");
        int cg = find(plan, "fisher", "dense", "cg", lambda, eta, "full", "2");
        assertEquals(records.get(chol).finalObjective(), records.get(cg).finalObjective(),
                1e-6 * Math.abs(records.get(chol).finalObjective()));
    }

    @Test
    void cgOptionsAndIterationsCountSteps() {
        String text = MLP.replace("kind: [fisher, adam, sgd]", "kind: [gauss-newton]")
                .replace("structure: [dense, kronecker, diagonal, block-diagonal]", "structure: [dense]")
                .replace("solver: [cholesky, cg]", "solver: [cg, woodbury, auto]\n  cg-max-iterations: [1, 50]")
                .replace("epochs: 2", "iterations: 3");
        StudyPlan plan = StudyPlan.of(Study.parse("s.yaml", text));
        // cg × 2 caps + woodbury + auto, × 2 batch sizes
        assertEquals(4 * 2, plan.runs().size());
        List<RunRecord> records = runAll(new StudyRuntime(plan, null));
        for (RunRecord r : records) {
            assertTrue(r.usable(), plan.key(r.run()) + ": " + r);
            assertEquals(3, r.iterations());
        }
        // one CG iteration is not the converged solve; fifty are (within the solve's tolerance)
        String eta = GridValues.format(0.05);
        String lambda = GridValues.format(0.1);
        double one = records.get(find(plan, "gauss-newton", "dense", "cg", "1", lambda, eta, "full", "3")).finalObjective();
        double fifty = records.get(find(plan, "gauss-newton", "dense", "cg", "50", lambda, eta, "full", "3")).finalObjective();
        double woodbury = records.get(find(plan, "gauss-newton", "dense", "woodbury", "", lambda, eta, "full", "3"))
                .finalObjective();
        assertEquals(woodbury, fifty, 1e-6 * Math.abs(woodbury));
        assertTrue(Math.abs(one - woodbury) > 1e-6 * Math.abs(woodbury), one + " vs " + woodbury);
    }

    @Test
    void wrongCombinationsNameTheLineAndTheChoices() {
        StudyException e = assertThrows(StudyException.class,
                () -> Study.parse("s.yaml", MLP.replace("solver: [cholesky, cg]", "solver: [cholesky, lu]")));
        assertEquals(9, e.line());
        assertTrue(e.getMessage().contains("unknown value 'lu' for axis solver; known: [cholesky, eigen, cg, woodbury, auto]"),
                e.getMessage());
        e = assertThrows(StudyException.class,
                () -> Study.parse("s.yaml", MLP.replace("batch-size: [full, 10]", "batch-size: [full, 0]")));
        assertEquals(12, e.line());
        assertTrue(e.getMessage().contains("known: [full, a whole number ≥ 1]"), e.getMessage());
        e = assertThrows(StudyException.class,
                () -> Study.parse("s.yaml", MLP.replace("structure: [dense,", "structure: [full,")));
        assertEquals(8, e.line());
        assertTrue(e.getMessage().contains("known: [dense, kronecker, diagonal, block-diagonal]"), e.getMessage());

        // a layer-wise structure on a linear model: refused before the first run, at the structure line
        String glm = MLP.replace("generator: mlp-regression", "generator: linear").replace("    model: mlp\n", "")
                .replace("    hidden: [4]\n", "");
        e = assertThrows(StudyException.class, () -> new StudyRuntime(StudyPlan.of(Study.parse("s.yaml", glm)), null));
        assertEquals(6, e.line());
        assertTrue(e.getMessage().contains("structure kronecker") && e.getMessage().contains("dense layers"), e.getMessage());
        // a kind or damping policy the layer-wise structures do not have
        e = assertThrows(StudyException.class, () -> new StudyRuntime(StudyPlan.of(Study.parse("s.yaml",
                MLP.replace("kind: [fisher, adam, sgd]", "kind: [hessian]"))), null));
        assertTrue(e.getMessage().contains("use fisher, mc-fisher, empirical-fisher or gauss-newton"), e.getMessage());
        e = assertThrows(StudyException.class, () -> new StudyRuntime(StudyPlan.of(Study.parse("s.yaml",
                MLP + "  damping-policy: [saddle-free]\n")), null));
        assertTrue(e.getMessage().contains("fixed or levenberg-marquardt"), e.getMessage());
    }
}
