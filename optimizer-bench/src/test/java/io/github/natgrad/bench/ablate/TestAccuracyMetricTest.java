package io.github.natgrad.bench.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.datasets.SyntheticGlm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The test-accuracy metric: a seeded held-out split, the accuracy on it, the highest chosen, bad uses refused. */
class TestAccuracyMetricTest {
    private static final String STUDY = """
            name: acc
            seed: 7
            problems:
              - synthetic: {generator: logistic, n: 120, p: 3, seed: 2}
                test-fraction: 0.25
            axes:
              kind: [fisher]
              step-size: [1.0e-4, 1]
              damping: [0.001]
              iterations: 8
            metric: test-accuracy
            """;

    @Test
    void theMetricIsTheAccuracyOnTheHeldOutExamplesAndTheHighestIsBest() {
        StudyPlan plan = StudyPlan.of(Study.parse("s.yaml", STUDY));
        StudyRuntime rt = new StudyRuntime(plan, null);
        StudyProblem p = rt.problems().get(0);
        // 30 held out, 90 trained on, together every example once
        assertEquals(30, p.test().rows());
        assertEquals(90, p.batch().rows());
        Batch all = SyntheticGlm.logistic(120, 3, 10, 2).batch();
        Set<String> rows = new HashSet<>();
        for (Batch b : List.of(p.test(), p.batch())) {
            for (int i = 0; i < b.rows(); i++) {
                rows.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(b.x(), i * b.columns(), (i + 1) * b.columns())));
            }
        }
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < all.rows(); i++) {
            expected.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(all.x(), i * all.columns(), (i + 1) * all.columns())));
        }
        assertEquals(expected, rows);

        List<RunRecord> records = new ArrayList<>();
        for (Task t : plan.tasks()) {
            records.addAll(rt.run(t));
        }
        for (RunRecord r : records) {
            assertTrue(r.usable(), r.toString());
            // by hand: the sign of the linear predictor at the final iterate against the 0/1 label
            double[] theta = p.start(0);
            io.github.natgrad.Optimizer o = plan.setting(r.run()).optimizer(p.model(), p.prior());
            for (int k = 0; k < 8; k++) {
                o.step(theta, p.batch());
            }
            double[] f = p.model().linearize(theta, p.test()).outputs();
            int correct = 0;
            for (int i = 0; i < f.length; i++) {
                correct += (f[i] > 0 ? 1 : 0) == (int) p.test().y()[i] ? 1 : 0;
            }
            assertEquals(correct / 30.0, r.metric(), 0.0);
        }
    }

    @Test
    void theHighestAccuracyIsTheBestTiesToTheFirst() {
        StudyPlan plan = StudyPlan.of(Study.parse("s.yaml", STUDY));
        RunRecord[] records = {new RunRecord(0, 8, 0.6, 0.5, false, 0, ""), new RunRecord(1, 8, 0.7, 0.9, false, 0, "")};
        assertEquals(List.of(1), new StudySummary(plan, records).groups().get(0).best());
        assertEquals(0.9, new StudySummary(plan, records).groups().get(0).score(), 0.0);
        records[0] = new RunRecord(0, 8, 0.6, 0.9, false, 0, "");
        assertEquals(List.of(0), new StudySummary(plan, records).groups().get(0).best());
        // the same records under a lowest-best metric: the other run
        StudyPlan lowest = StudyPlan.of(Study.parse("s.yaml", STUDY.replace("metric: test-accuracy", "metric: best-objective")));
        records[0] = new RunRecord(0, 8, 0.6, 0.5, false, 0, "");
        assertEquals(List.of(0), new StudySummary(lowest, records).groups().get(0).best());
    }

    @Test
    void withoutASplitOrOnARegressionTheMetricIsRefused() {
        StudyException e = assertThrows(StudyException.class,
                () -> Study.parse("s.yaml", STUDY.replace("    test-fraction: 0.25\n", "")));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("needs a held-out split") && e.getMessage().contains("test-fraction"), e.getMessage());
        e = assertThrows(StudyException.class, () -> Study.parse("s.yaml", STUDY.replace("0.25", "1.5")));
        assertTrue(e.getMessage().contains("test-fraction must be in (0, 1)"), e.getMessage());
        e = assertThrows(StudyException.class, () -> new StudyRuntime(StudyPlan.of(Study.parse("s.yaml",
                STUDY.replace("generator: logistic", "generator: linear"))), null));
        assertTrue(e.getMessage().contains("classification"), e.getMessage());
    }
}
