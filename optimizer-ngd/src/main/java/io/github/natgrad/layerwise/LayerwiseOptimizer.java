package io.github.natgrad.layerwise;

import io.github.natgrad.Batch;
import io.github.natgrad.LayeredLinearization;
import io.github.natgrad.Likelihood;
import io.github.natgrad.Linearization;
import io.github.natgrad.Model;
import io.github.natgrad.OptimizerState;
import io.github.natgrad.StepEvent;
import io.github.natgrad.StepReport;
import io.github.natgrad.linalg.Vectors;
import io.github.natgrad.optim.MinibatchObjective;
import io.github.natgrad.optim.OptimizerRun;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * One training run of a {@link LayerwiseNaturalGradient} (K-FAC by default): the per-layer curvature
 * blocks with their moving averages and cached inverses, λ (the damping policy's running value), momentum,
 * the label-sampling stream and the step count, all of which {@link #state()} exports. Not thread-safe.
 */
final class LayerwiseOptimizer extends io.github.natgrad.optim.AbstractOptimizer {
    private final LayerwiseNaturalGradient config;
    private final io.github.natgrad.damping.ScalarDamping damping;
    private final Model model;
    private final MinibatchObjective objective;
    private final int d;
    private final double[] gradient;
    private final double[] direction;
    private final double[] work;

    private CurvatureBlock[] blocks;
    private LayerShape[] shapes;
    private int[] offsets;
    private double lambda;
    private double[] velocity;
    private RandomGenerator random;

    LayerwiseOptimizer(LayerwiseNaturalGradient config, Model model) {
        super(new OptimizerRun(model, config.toString(), config.stepSize()));
        this.config = config;
        this.damping = config.scalarDamping();
        this.model = model;
        this.objective = new MinibatchObjective(model, config.prior().orElse(null));
        this.d = model.parameterCount();
        this.gradient = new double[d];
        this.direction = new double[d];
        this.work = new double[d];
        reset();
    }

    @Override
    public void reset() {
        run.reset();
        lambda = damping.initialLambda();
        velocity = new double[d];
        random = new Well19937c(config.seed());
        blocks = null;
        shapes = null;
        offsets = null;
    }

    /** The damping λ the next step uses. */
    double damping() {
        return lambda;
    }

    /**
     * {@code out} = F̂ v, the current (undamped) curvature estimate times v, block by block; zero outside
     * the layers. For inspection and tests.
     *
     * @throws IllegalStateException before the first step
     */
    void curvatureProduct(double[] v, double[] out) {
        if (blocks == null) {
            throw new IllegalStateException("no curvature estimate yet: call step first");
        }
        java.util.Arrays.fill(out, 0.0);
        for (int l = 0; l < blocks.length; l++) {
            blocks[l].multiply(v, offsets[l], out, offsets[l]);
        }
    }

    private void layout(LayeredLinearization lin) {
        int layers = lin.layerCount();
        shapes = new LayerShape[layers];
        offsets = new int[layers];
        blocks = new CurvatureBlock[layers];
        for (int l = 0; l < layers; l++) {
            shapes[l] = new LayerShape(lin.layerOutputs(l), lin.layerInputs(l));
            offsets[l] = lin.layerOffset(l);
            blocks[l] = newBlock(shapes[l]);
        }
    }

    private CurvatureBlock newBlock(LayerShape shape) {
        return switch (config.structure()) {
            case KRONECKER -> new KroneckerBlock(shape);
            case DIAGONAL -> new DiagonalBlock(shape);
            case BLOCK_DIAGONAL -> new DenseBlock(shape);
        };
    }

    @Override
    public StepReport step(double[] theta, Batch batch) {
        objective.check(theta, batch);
        int curvatureRows = config.curvatureBatchSize();
        if (curvatureRows > batch.rows()) {
            throw new IllegalArgumentException("the curvature batch of " + curvatureRows + " examples is larger than "
                    + "the minibatch of " + batch.rows() + "; use a smaller withCurvatureBatchSize or larger minibatches");
        }
        Linearization lin = model.linearize(theta, batch);
        if (!(lin instanceof LayeredLinearization layered)) {
            throw new IllegalStateException(model.describe() + " declares DENSE_LAYERS but its linearization is not a "
                    + "LayeredLinearization");
        }
        double loss = objective.lossAndGradient(theta, lin, batch, gradient);
        double gradientNorm = Vectors.norm(gradient);
        long t = run.steps();
        if (!Double.isFinite(loss) || !Double.isFinite(gradientNorm)) {
            run.advance();
            return OptimizerRun.notFinite(t, loss, gradientNorm, lambda);
        }
        double eta = run.stepSize(t);
        if (blocks == null) {
            layout(layered);
        }
        boolean warm = t < config.warmup();
        if (warm || t % config.curvaturePeriod() == 0) {
            LayeredLinearization curvatureLin = layered;
            Batch curvatureBatch = batch;
            if (curvatureRows > 0 && curvatureRows < batch.rows()) {
                curvatureBatch = batch.slice(0, curvatureRows);
                curvatureLin = (LayeredLinearization) model.linearize(theta, curvatureBatch);
            }
            accumulate(curvatureLin, curvatureBatch, t);
        }
        double priorPrecision = objective.priorPrecision(batch.rows());
        double[] priorDiagonal = objective.priorDiagonal(batch.rows());
        if (warm || t % config.inversePeriod() == 0) {
            for (int l = 0; l < blocks.length; l++) {
                double[] layerPrior = priorDiagonal == null ? null : shapes[l].toMatrix(priorDiagonal, offsets[l]);
                blocks[l].refresh(lambda + priorPrecision, layerPrior, config.inverse());
            }
            run.emit(new StepEvent.CurvatureRefreshed(t, "inverse"));
        }
        java.util.Arrays.fill(direction, 0.0);
        for (int l = 0; l < blocks.length; l++) {
            blocks[l].precondition(gradient, offsets[l], direction, offsets[l]);
        }
        double directionNorm = Vectors.norm(direction);
        if (!Double.isFinite(directionNorm)) {
            run.advance();
            return new StepReport(t, loss, gradientNorm, directionNorm, Double.NaN, lambda, Double.NaN,
                    "not stepped: direction not finite", false);
        }
        double cosine = gradientNorm == 0 || directionNorm == 0 ? 1.0
                : Vectors.dot(gradient, direction) / (gradientNorm * directionNorm);
        double mu = config.momentum();
        for (int i = 0; i < d; i++) {
            velocity[i] = mu * velocity[i] + direction[i];
        }
        double rho = Double.NaN;
        String action = "layer-wise";
        int k = config.dampingPeriod();
        if (damping.adapts() && (t + 1) % k == 0) {
            rho = reductionRatio(theta, batch, loss, eta, priorPrecision);
            double before = lambda;
            lambda = damping.next(lambda, rho, k);
            if (lambda != before) {
                action = "levenberg-marquardt: rho " + String.format("%.3g", rho);
                run.emit(new StepEvent.DampingChanged(t, before, lambda, action));
            }
        }
        for (int i = 0; i < d; i++) {
            theta[i] -= eta * velocity[i];
        }
        run.advance();
        return new StepReport(t, loss, gradientNorm, directionNorm, cosine, lambda, rho, action, true);
    }

    /** ρ = (L(θ + δ) − L(θ)) / q(δ) for δ = −η v, q(δ) = gᵀδ + ½ δᵀ(F̂ + λ + prior)δ (a scaled prior: diag(p)). */
    private double reductionRatio(double[] theta, Batch batch, double loss, double eta, double priorPrecision) {
        double[] delta = new double[d];
        for (int i = 0; i < d; i++) {
            delta[i] = -eta * velocity[i];
        }
        curvatureProduct(delta, work);
        double quadratic = 0;
        double linear = 0;
        for (int i = 0; i < d; i++) {
            quadratic += delta[i] * (work[i] + (lambda + priorPrecision) * delta[i]);
            linear += gradient[i] * delta[i];
        }
        quadratic += objective.priorQuadratic(delta, delta, batch.rows());
        double predicted = linear + 0.5 * quadratic;
        for (int i = 0; i < d; i++) {
            work[i] = theta[i] + delta[i];
        }
        double actual = objective.loss(work, batch) - loss;
        return predicted < 0 ? actual / predicted : Double.NaN;
    }

    private void accumulate(LayeredLinearization lin, Batch batch, long t) {
        Likelihood likelihood = model.likelihood();
        int n = batch.rows();
        int k = likelihood.outputsPerExample();
        double[] f = lin.outputs();
        double[] u;
        int m = 1;
        switch (config.source()) {
            case SAMPLED -> {
                double[] sampled = new double[n];
                likelihood.sample(f, n, random, sampled);
                u = new double[n * k];
                likelihood.lossAndResidual(f, sampled, n, u);
            }
            case OBSERVED -> {
                u = new double[n * k];
                likelihood.lossAndResidual(f, batch.y(), n, u);
            }
            default -> {
                double[] factor = new double[n * k * k];
                likelihood.fisherFactor(f, n, factor);
                u = new double[n * k * k];
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < k; c++) {
                        for (int a = 0; a < k; a++) {
                            u[(i * k + c) * k + a] = factor[i * k * k + a * k + c];
                        }
                    }
                }
                m = k;
            }
        }
        double[][] deltas = new double[blocks.length][];
        lin.preActivationGradients(u, m, deltas);
        double decay = config.decay();
        for (int l = 0; l < blocks.length; l++) {
            blocks[l].accumulate(lin.layerInput(l), deltas[l], n, m, decay);
        }
        run.emit(new StepEvent.CurvatureRefreshed(t, "estimate"));
    }

    @Override
    public double loss(double[] theta, Batch batch) {
        return objective.checkedLoss(theta, batch);
    }

    @Override
    public OptimizerState state() {
        OptimizerState.Builder out = run.stateBuilder()
                .putDouble("lambda", lambda).putDoubles("velocity", velocity).putRandom("random", random);
        if (blocks != null) {
            out.putLong("layers", blocks.length);
            for (int l = 0; l < blocks.length; l++) {
                out.putDoubles("layer" + l + ".shape", new double[] {shapes[l].out(), shapes[l].in(), offsets[l]});
                blocks[l].write(out, "layer" + l + ".");
            }
        }
        return out.build();
    }

    @Override
    public void restore(OptimizerState state) {
        long newSteps = run.stepsOf(state);
        double newLambda = state.getDouble("lambda");
        double[] newVelocity = OptimizerRun.buffer(state, "velocity", d);
        RandomGenerator newRandom = state.getRandom("random");
        CurvatureBlock[] newBlocks = null;
        LayerShape[] newShapes = null;
        int[] newOffsets = null;
        if (state.has("layers")) {
            int layers = Math.toIntExact(state.getLong("layers"));
            newBlocks = new CurvatureBlock[layers];
            newShapes = new LayerShape[layers];
            newOffsets = new int[layers];
            for (int l = 0; l < layers; l++) {
                double[] s = state.getDoubles("layer" + l + ".shape");
                newShapes[l] = new LayerShape((int) s[0], (int) s[1]);
                newOffsets[l] = (int) s[2];
                newBlocks[l] = newBlock(newShapes[l]);
                newBlocks[l].read(state, "layer" + l + ".");
            }
        }
        run.restoreSteps(newSteps);
        lambda = newLambda;
        velocity = newVelocity;
        random = newRandom;
        blocks = newBlocks;
        shapes = newShapes;
        offsets = newOffsets;
    }
}
