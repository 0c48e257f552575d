package io.github.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.Batch;
import io.github.natgrad.Optimizer;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.StepEvent;
import io.github.natgrad.StepReport;
import io.github.natgrad.StepSizeSchedule;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.models.Likelihoods;
import io.github.natgrad.models.MultilayerPerceptron;
import io.github.natgrad.training.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State as a value, resume, typed events, schedules and step rejection of the dense natural gradient. */
class OptimizerStateTest {
    private static final SyntheticGlm DATA = SyntheticGlm.logistic(640, 6, 8.0, 11);
    private static final MultilayerPerceptron MLP = MultilayerPerceptron.of(6, Likelihoods.bernoulli()).withHidden(5);

    private static Batch minibatch(int t) {
        int from = (t * 64) % 640;
        return DATA.batch().slice(from, from + 64);
    }

    private static NaturalGradient config() {
        return NaturalGradient.of(Curvatures.monteCarloFisher(1, 5)).withStepSize(0.5)
                .withDamping(Damping.levenbergMarquardt(1e-2, 1e-6, 1e6));
    }

    @Test
    void interruptedAndResumedRunContinuesBitIdentically(@TempDir Path dir) throws IOException {
        double[] straight = MLP.initialParameters(3);
        Optimizer a = config().build(MLP);
        List<StepReport> straightReports = new ArrayList<>();
        for (int t = 0; t < 24; t++) {
            straightReports.add(a.step(straight, minibatch(t)));
        }

        double[] resumed = MLP.initialParameters(3);
        Optimizer first = config().build(MLP);
        for (int t = 0; t < 12; t++) {
            first.step(resumed, minibatch(t));
        }
        Path file = dir.resolve("opt.state");
        StateFiles.save(first.state(), file);
        Optimizer second = config().build(MLP); // a fresh process would build it like this
        second.restore(StateFiles.load(file));
        for (int t = 12; t < 24; t++) {
            StepReport r = second.step(resumed, minibatch(t));
            assertEquals(straightReports.get(t).damping(), r.damping(), "lambda at step " + t);
            assertEquals(straightReports.get(t).step(), r.step());
        }
        assertArrayEquals(straight, resumed, 0.0);
        assertEquals(a.state(), second.state());
        // the state did evolve: a fresh optimizer would not give the same continuation
        assertNotEquals(config().build(MLP).state(), a.state());
    }

    @Test
    void stateOfAnotherModelOrOptimizerIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
        Optimizer opt = config().build(MLP);
        opt.step(MLP.initialParameters(1), minibatch(0));
        OptimizerState state = opt.state();
        Optimizer otherModel = config().build(MLP.withHidden(7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> otherModel.restore(state));
        assertTrue(e.getMessage().contains("another model"), e.getMessage());
        Optimizer otherKind = config().withStepSize(0.25).build(MLP);
        e = assertThrows(IllegalArgumentException.class, () -> otherKind.restore(state));
        assertTrue(e.getMessage().contains("another optimizer"), e.getMessage());

        Path file = dir.resolve("s.state");
        StateFiles.save(state, file);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.state");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 20));
        IOException io = assertThrows(IOException.class, () -> StateFiles.load(cut));
        assertTrue(io.getMessage().contains("cut.state"), io.getMessage());
        Path junk = dir.resolve("junk.state");
        Files.writeString(junk, "hello world, not a state");
        io = assertThrows(IOException.class, () -> StateFiles.load(junk));
        assertTrue(io.getMessage().contains("junk.state") && io.getMessage().contains("not a natgrad"),
                io.getMessage());
        byte[] flipped = bytes.clone();
        flipped[flipped.length / 2] ^= 1;
        Path bad = dir.resolve("flipped.state");
        Files.write(bad, flipped);
        assertThrows(IOException.class, () -> StateFiles.load(bad));
    }

    @Test
    void scheduleChangesEtaAndKeepsLambda() {
        double[] ta = MLP.initialParameters(4);
        double[] tb = ta.clone();
        Optimizer a = config().build(MLP);
        Optimizer b = config().build(MLP);
        for (int t = 0; t < 6; t++) {
            a.step(ta, minibatch(t));
            b.step(tb, minibatch(t));
        }
        b.setSchedule(StepSizeSchedule.constant(0.25));
        double[] before = ta.clone();
        StepReport ra = a.step(ta, minibatch(6));
        StepReport rb = b.step(tb, minibatch(6));
        assertEquals(ra.damping(), rb.damping(), 0.0, "lambda survives the schedule change");
        assertTrue(ra.damping() != 1e-2, "lambda had adapted before the change");
        for (int i = 0; i < ta.length; i++) {
            assertEquals(0.5 * (ta[i] - before[i]), tb[i] - before[i], 1e-15);
        }
    }

    @Test
    void schedulesGiveTheDocumentedStepSizesAndBadOnesAreRefused() {
        StepSizeSchedule exp = StepSizeSchedule.exponential(0.8, 0.5, 3);
        assertEquals(0.8, exp.stepSize(2), 0.0);
        assertEquals(0.4, exp.stepSize(3), 0.0);
        assertEquals(0.2, exp.stepSize(7), 0.0);
        StepSizeSchedule warm = StepSizeSchedule.linearWarmup(1.0, 4);
        assertEquals(0.25, warm.stepSize(0), 0.0);
        assertEquals(1.0, warm.stepSize(3), 0.0);
        assertEquals(1.0, warm.stepSize(100), 0.0);
        assertThrows(IllegalArgumentException.class, () -> StepSizeSchedule.exponential(1, 1.5, 1));
        Optimizer opt = config().build(MLP);
        opt.setSchedule(t -> t < 1 ? 0.5 : -1.0);
        double[] theta = MLP.initialParameters(1);
        opt.step(theta, minibatch(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.step(theta, minibatch(1)));
        assertTrue(e.getMessage().contains("eta = -1.0 at step 1"), e.getMessage());
    }

    @Test
    void levenbergMarquardtEmitsTypedDampingEvents() {
        Optimizer opt = config().build(MLP);
        List<StepEvent> events = new ArrayList<>();
        opt.addListener(events::add);
        double[] theta = MLP.initialParameters(2);
        double previous = Double.NaN;
        int changes = 0;
        for (int t = 0; t < 10; t++) {
            StepReport r = opt.step(theta, minibatch(t));
            if (!Double.isNaN(previous) && previous != r.damping()) {
                changes++;
            }
            previous = r.damping();
        }
        long dampingEvents = events.stream().filter(e -> e instanceof StepEvent.DampingChanged).count();
        long refreshes = events.stream().filter(e -> e instanceof StepEvent.CurvatureRefreshed).count();
        assertEquals(changes, dampingEvents);
        assertTrue(changes > 0);
        assertEquals(10, refreshes);
    }

    /**
     * The failure: an overlong Fisher step (η = 3, small λ) on minibatches of 64 of a well-separated
     * problem raises the batch loss; with rejection no accepted step raises it, and the run ends lower.
     */
    @Test
    void stepRejectionKeepsOnlyStepsThatDecreaseTheBatchLoss() {
        SyntheticGlm data = SyntheticGlm.logistic(1024, 10, 30.0, 5);
        GeneralizedLinearModel model = GeneralizedLinearModel.logisticRegression(10).withBias();
        NaturalGradient plain = NaturalGradient.of(Curvatures.fisher()).withStepSize(3.0)
                .withDamping(Damping.fixed(1e-3));
        int increasesWithout = 0;
        double[] theta = new double[11];
        Optimizer opt = plain.build(model);
        for (int t = 0; t < 32; t++) {
            Batch b = data.batch().slice((t % 16) * 64, (t % 16) * 64 + 64);
            double before = opt.loss(theta, b);
            opt.step(theta, b);
            if (opt.loss(theta, b) > before) {
                increasesWithout++;
            }
        }
        assertTrue(increasesWithout > 0, "the unguarded run must show the problem");

        for (NaturalGradient guarded : List.of(plain.withStepRejection(8),
                plain.withDamping(Damping.levenbergMarquardt(1e-3, 1e-8, 1e8)).withStepRejection(8))) {
            double[] th = new double[11];
            Optimizer g = guarded.build(model);
            List<StepEvent> events = new ArrayList<>();
            g.addListener(events::add);
            int rejectedReports = 0;
            for (int t = 0; t < 32; t++) {
                Batch b = data.batch().slice((t % 16) * 64, (t % 16) * 64 + 64);
                double before = g.loss(th, b);
                double[] copy = th.clone();
                StepReport r = g.step(th, b);
                if (r.rejected()) {
                    rejectedReports++;
                    assertFalse(r.diverged());
                    assertArrayEquals(copy, th, 0.0);
                }
                assertTrue(g.loss(th, b) <= before, "step " + t + " raised the batch loss: " + r);
            }
            long rejections = events.stream().filter(e -> e instanceof StepEvent.StepRejected).count();
            assertTrue(rejections > 0, guarded + " never rejected a step");
            long caps = events.stream().filter(e -> e instanceof StepEvent.SolverCapReached).count();
            assertEquals(rejectedReports, caps);
            assertTrue(g.loss(th, data.batch()) < opt.loss(theta, data.batch()),
                    "guarded run ends lower than the unguarded one");
        }
    }
}
