package io.github.natgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.NaturalGradient;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;

/** {@link Curvatures#withoutPrior}: the prior stays in the gradient and leaves the preconditioner. */
class WithoutPriorTest {
    private static final SyntheticGlm DATA = SyntheticGlm.logistic(200, 3, 5.0, 21);
    private static final GeneralizedLinearModel MODEL = GeneralizedLinearModel.logisticRegression(3).withBias();
    private static final L2Prior PRIOR = L2Prior.ofVariance(0.05);

    @Test
    void stepIsTheEmpiricalFisherOfTheDataTermAppliedToTheFullGradient() {
        double[] theta = {0.3, -0.2, 0.5, 0.1};
        double lambda = 1e-3;
        double eta = 0.7;
        RealMatrix x = Reference.design(DATA.batch(), true);
        double[] y = DATA.batch().y();
        int n = 200;
        RealMatrix ef = new Array2DRowRealMatrix(4, 4);
        RealVector g = MatrixUtils.createRealVector(new double[4]);
        for (int i = 0; i < n; i++) {
            RealVector xi = x.getRowVector(i);
            RealVector gi = xi.mapMultiply(Reference.sigmoid(xi.dotProduct(Reference.vector(theta))) - y[i]);
            ef = ef.add(gi.outerProduct(gi));
            g = g.add(gi);
        }
        ef = ef.scalarMultiply(1.0 / n);
        g = g.mapDivide(n).add(Reference.vector(theta).mapMultiply(PRIOR.precision(n)));
        RealVector d = new LUDecomposition(ef.add(MatrixUtils.createRealIdentityMatrix(4).scalarMultiply(lambda)))
                .getSolver().solve(g);

        Optimizer opt = NaturalGradient.of(Curvatures.withoutPrior(Curvatures.empiricalFisher())).withPrior(PRIOR)
                .withDamping(Damping.fixed(lambda)).withStepSize(eta).build(MODEL);
        double[] t = theta.clone();
        opt.step(t, DATA.batch());
        for (int j = 0; j < 4; j++) {
            assertEquals(theta[j] - eta * d.getEntry(j), t[j], 1e-12, "component " + j);
        }

        // with the prior in the curvature (the kind's default) the step differs by the prior's curvature
        double[] withPrior = theta.clone();
        NaturalGradient.of(Curvatures.empiricalFisher()).withPrior(PRIOR).withDamping(Damping.fixed(lambda))
                .withStepSize(eta).build(MODEL).step(withPrior, DATA.batch());
        assertFalse(Math.abs(withPrior[0] - t[0]) < 1e-6);
    }

    @Test
    void buildsTheKindsMatrixWhateverPrecisionItIsGiven() {
        double[] theta = {0.1, 0.2, -0.3, 0.4};
        Curvature kind = Curvatures.withoutPrior(Curvatures.fisher());
        assertFalse(kind.includesPrior());
        assertEquals("fisher-without-prior", kind.name());
        assertEquals(Curvatures.fisher().requires(), kind.requires());
        RealMatrix bare = Reference.curvature(Curvatures.fisher(), MODEL, theta, DATA.batch(), null);
        Linearization lin = MODEL.linearize(theta, DATA.batch());
        double[] r = new double[200];
        MODEL.likelihood().lossAndResidual(lin.outputs(), DATA.batch().y(), 200, r);
        RealMatrix without = Reference.matrix(kind.copy().build(lin, DATA.batch(), MODEL.likelihood(), r, 0.5,
                io.github.natgrad.solve.Solvers.cholesky()).toDense(), 4);
        assertArrayEquals(bare.getData()[0], without.getData()[0], 1e-15);
        assertArrayEquals(bare.getData()[3], without.getData()[3], 1e-15);
    }
}
