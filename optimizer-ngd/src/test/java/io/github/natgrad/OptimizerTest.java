package io.github.natgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.natgrad.curvature.Curvatures;
import io.github.natgrad.damping.Damping;
import io.github.natgrad.datasets.SyntheticGlm;
import io.github.natgrad.models.GeneralizedLinearModel;
import io.github.natgrad.optim.NaturalGradient;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The optimizer's step, its report, and its ND4J entry point. */
class OptimizerTest {
    private static final SyntheticGlm DATA = SyntheticGlm.logistic(150, 4, 3.0, 31);
    private static final GeneralizedLinearModel MODEL = GeneralizedLinearModel.logisticRegression(4).withBias();

    @Test
    void aStepIsThetaMinusEtaTimesTheDampedCurvatureInverseTimesTheGradient() {
        double[] theta = {0.1, -0.2, 0.3, 0.0, 0.05};
        double eta = 0.7;
        double lambda = 0.01;
        L2Prior prior = new L2Prior(3.0, 0);
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).withStepSize(eta).withDamping(Damping.fixed(lambda))
                .withPrior(prior).build(MODEL);
        RealMatrix c = Reference.curvature(Curvatures.fisher(), MODEL, theta, DATA.batch(), prior)
                .add(MatrixUtils.createRealIdentityMatrix(5).scalarMultiply(lambda));
        RealVector g = Reference.vector(Reference.exactGradient(MODEL, theta, DATA.batch(), prior));
        RealVector d = new LUDecomposition(c).getSolver().solve(g);
        RealVector expected = Reference.vector(theta).subtract(d.mapMultiply(eta));
        double loss = opt.loss(theta, DATA.batch());

        StepReport report = opt.step(theta, DATA.batch());
        assertArrayEquals(expected.toArray(), theta, 1e-13);
        assertEquals(0, report.step());
        assertEquals(loss, report.loss(), 0.0);
        assertEquals(g.getNorm(), report.gradientNorm(), 1e-14);
        assertEquals(d.getNorm(), report.directionNorm(), 1e-13);
        assertEquals(g.dotProduct(d) / (g.getNorm() * d.getNorm()), report.cosine(), 1e-13);
        assertEquals(lambda, report.damping());
        assertTrue(Double.isNaN(report.reductionRatio()));
        assertTrue(report.stepped());
    }

    @Test
    void gradientDescentStepsAlongTheIndependentlyComputedGradient() {
        double[] theta = {0.2, -0.1, 0.0, 0.4, -0.3};
        double eta = 0.1;
        double[] g = Reference.exactGradient(MODEL, theta, DATA.batch(), null);
        double[] expected = theta.clone();
        for (int i = 0; i < g.length; i++) {
            expected[i] -= eta * g[i];
        }
        StepReport r = NaturalGradient.gradientDescent(eta).build(MODEL).step(theta, DATA.batch());
        assertArrayEquals(expected, theta, 1e-15);
        assertEquals(Reference.vector(g).getNorm(), r.directionNorm(), 1e-15);
    }

    /** The mean logistic loss, written out: (1/N) Σ log(1 + e^{f_i}) − y_i f_i with f = Xθ (bias last). */
    private static double logisticLoss(double[] theta) {
        RealVector f = Reference.design(DATA.batch(), true).operate(Reference.vector(theta));
        double sum = 0;
        for (int i = 0; i < f.getDimension(); i++) {
            sum += Math.log1p(Math.exp(f.getEntry(i))) - DATA.batch().y()[i] * f.getEntry(i);
        }
        return sum / f.getDimension();
    }

    @Test
    void levenbergMarquardtReportsTheReductionRatioOfTheStepItTook() {
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).withDamping(Damping.levenbergMarquardt()).build(MODEL);
        double[] theta = new double[5];
        double[] start = theta.clone();
        StepReport r = opt.step(theta, DATA.batch());
        assertEquals(1.0, r.damping(), "the initial lambda");

        // ρ = actual / predicted decrease, predicted = η gᵀd − ½η² dᵀCd, d = (C + λI)⁻¹g, all computed here
        RealMatrix c = Reference.curvature(Curvatures.fisher(), MODEL, start, DATA.batch(), null);
        RealVector g = Reference.vector(Reference.exactGradient(MODEL, start, DATA.batch(), null));
        RealVector d = new LUDecomposition(c.add(MatrixUtils.createRealIdentityMatrix(5).scalarMultiply(1.0)))
                .getSolver().solve(g);
        double predicted = g.dotProduct(d) - 0.5 * d.dotProduct(c.operate(d));
        double actual = logisticLoss(start) - logisticLoss(theta);
        assertEquals(actual / predicted, r.reductionRatio(), 1e-9 * Math.abs(actual / predicted));
        assertTrue(r.reductionRatio() > 0.75, "a Newton-like step on a convex problem: rho " + r.reductionRatio());

        StepReport r2 = opt.step(theta, DATA.batch());
        assertEquals(1.0 / 1.5, r2.damping(), 1e-15, "rho > 3/4 lowered lambda");
    }

    @Test
    void aDivergedRunIsReportedAndThetaKept() {
        SyntheticGlm lin = SyntheticGlm.linear(50, 3, 1.0, 5);
        GeneralizedLinearModel m = GeneralizedLinearModel.linearRegression(3);
        Optimizer opt = NaturalGradient.gradientDescent(1e200).build(m);
        double[] theta = new double[3];
        StepReport last = null;
        for (int i = 0; i < 10 && (last == null || last.stepped()); i++) {
            last = opt.step(theta, lin.batch());
        }
        assertFalse(last.stepped());
        assertTrue(last.diverged());
        for (double t : theta) {
            assertTrue(Double.isFinite(t));
        }
    }

    @Test
    void resetRepeatsAMonteCarloRunExactly() {
        Optimizer opt = NaturalGradient.of(Curvatures.monteCarloFisher(2, 5)).withDamping(Damping.fixed(1e-3))
                .build(MODEL);
        double[] a = new double[5];
        for (int i = 0; i < 5; i++) {
            opt.step(a, DATA.batch());
        }
        opt.reset();
        double[] b = new double[5];
        for (int i = 0; i < 5; i++) {
            assertEquals(i, opt.step(b, DATA.batch()).step());
        }
        assertArrayEquals(a, b, 0.0);
    }

    @Test
    void theNd4jEntryPointUpdatesThetaInPlace() {
        DataType before = Nd4j.dataType();
        INDArray theta = Nd4j.zeros(DataType.DOUBLE, 5);
        Batch batch = Batch.of(DATA.batch().features(), DATA.batch().labels());
        Optimizer opt = NaturalGradient.of(Curvatures.fisher()).build(MODEL);
        double[] plain = new double[5];
        NaturalGradient.of(Curvatures.fisher()).build(MODEL).step(plain, DATA.batch());
        opt.step(theta, batch);
        assertArrayEquals(plain, theta.toDoubleVector(), 0.0);
        assertEquals(before, Nd4j.dataType(), "natgrad leaves ND4J's default data type alone");
    }
}
