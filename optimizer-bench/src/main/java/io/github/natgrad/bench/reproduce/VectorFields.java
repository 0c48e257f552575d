package io.github.natgrad.bench.reproduce;

import io.github.natgrad.Batch;
import io.github.natgrad.Optimizer;
import io.github.natgrad.bench.problems.Problem;
import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.optim.NaturalGradient;
import java.util.EnumMap;
import java.util.Map;

/**
 * The three vector fields of Kunstner, Balles and Hennig (2019, Fig. 1), as their code defines them, each
 * evaluated by the library: the field v(θ) = −γ (C + λI)⁻¹ g(θ) is the change one step of the library
 * optimizer {@code NaturalGradient.of(C).withStepSize(γ).withDamping(Damping.fixed(λ)).withPrior(prior)}
 * makes at θ. The prior (variance 0.1) is in the loss and the gradient of all three.
 * <ul>
 *   <li>{@link Kind#GD}: −g/3 ({@code NaturalGradient.gradientDescent(1/3)});</li>
 *   <li>{@link Kind#NGD}: −(H + 10⁻⁸ I)⁻¹ g with H the Hessian including the prior's curvature
 *       ({@code Curvatures.hessian()}, which for linear regression is the Fisher plus the prior);</li>
 *   <li>{@link Kind#EF}: −3 (EF + 10⁻⁸ I)⁻¹ g with the empirical Fisher of the data term, without the prior
 *       ({@code Curvatures.withoutPrior(Curvatures.empiricalFisher())}).</li>
 * </ul>
 * Not thread-safe (one optimizer per field).
 */
final class VectorFields {
    /** The damping the authors add before solving. */
    static final double DAMPING = 1e-8;

    /** The fields, with the scale γ the authors give each. */
    enum Kind {
        GD("gd", 1.0 / 3),
        NGD("ngd", 1),
        EF("ef", 3);

        final String label;
        final double scale;

        Kind(String label, double scale) {
            this.label = label;
            this.scale = scale;
        }

        /** The field labelled {@code label} (gd, ngd or ef). */
        static Kind byLabel(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no vector field '" + label + "'; fields: gd, ngd, ef");
        }
    }

    private final Batch batch;
    private final Map<Kind, Optimizer> steps = new EnumMap<>(Kind.class);

    VectorFields(Problem problem) {
        this.batch = problem.batch();
        steps.put(Kind.GD, NaturalGradient.gradientDescent(Kind.GD.scale).withPrior(problem.prior()).build(problem.model()));
        steps.put(Kind.NGD, NaturalGradient.of(Curvatures.hessian()).withStepSize(Kind.NGD.scale)
                .withDamping(Damping.fixed(DAMPING)).withPrior(problem.prior()).build(problem.model()));
        steps.put(Kind.EF, NaturalGradient.of(Curvatures.withoutPrior(Curvatures.empiricalFisher()))
                .withStepSize(Kind.EF.scale).withDamping(Damping.fixed(DAMPING)).withPrior(problem.prior())
                .build(problem.model()));
    }

    /** v(θ) of the field {@code kind}: the library step from θ minus θ. */
    double[] at(Kind kind, double[] theta) {
        double[] moved = theta.clone();
        steps.get(kind).step(moved, batch);
        double[] v = new double[theta.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = moved[i] - theta[i];
        }
        return v;
    }
}
