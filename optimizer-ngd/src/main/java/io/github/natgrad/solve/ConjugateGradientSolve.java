package io.github.natgrad.solve;

import io.github.natgrad.linalg.Vectors;
import io.github.natgrad.CurvatureOperator;
import io.github.natgrad.NegativeCurvatureException;
import io.github.natgrad.SolveStats;
import java.util.Arrays;

/**
 * One configured CG solve of (C + λI) x = b; see {@link ConjugateGradient}. With a trust region (made by
 * {@link ConjugateGradient#withinRadius}) it is the Steihaug–Toint truncated CG of LIBLINEAR's TRON
 * (tron.cpp, {@code trpcg}): no warm start, and an iterate leaving the ball ‖x‖_M ≤ Δ — or a direction of
 * non-positive curvature — is replaced by the point on the boundary along the current search direction.
 * Not thread-safe.
 */
final class ConjugateGradientSolve extends TrustRegionSolve {
    private final CurvatureOperator op;
    private final double lambda;
    private final ConjugateGradient config;
    private final int d;
    private double[] inversePreconditioner;
    private SolveStats last = new SolveStats("cg", 0, 0, false, Double.NaN);
    private double lastQuadraticForm = Double.NaN;
    private final boolean region;

    ConjugateGradientSolve(CurvatureOperator op, double lambda, ConjugateGradient config) {
        this(op, lambda, config, false, Double.POSITIVE_INFINITY);
    }

    /** The Steihaug–Toint solve within {@code radius} (NaN: Δ₀ from the gradient at the first solve). */
    ConjugateGradientSolve(CurvatureOperator op, double lambda, ConjugateGradient config, double radius) {
        this(op, lambda, config, true, radius);
    }

    private ConjugateGradientSolve(CurvatureOperator op, double lambda, ConjugateGradient config, boolean region,
            double radius) {
        super("M", radius);
        this.op = op;
        this.lambda = lambda;
        this.config = config;
        this.d = op.dimension();
        this.region = region;
    }

    /**
     * TRON's initial radius Δ₀ = ‖g‖_M in LIBLINEAR's scaling. natgrad's system is LIBLINEAR's times the prior
     * precision τ = 1/(N·C) (g, C and M all scale by τ), and a radius in the M-norm scales by √τ, so LIBLINEAR's
     * Δ₀ is ‖g‖_M / τ here. Without a prior the first step is unbounded (+∞), as TRON's Δ₀ is in practice: its
     * first iteration shrinks Δ to the step's length anyway.
     */
    private double initialRadius(double[] b, double[] minv) {
        double prior = op.lowRank().map(io.github.natgrad.CurvatureOperator.LowRank::shift).orElse(0.0);
        if (!(prior > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        double bMb = 0;
        for (int j = 0; j < d; j++) {
            bMb += b[j] * b[j] / (minv == null ? 1.0 : minv[j]);
        }
        return Math.sqrt(bMb) / prior;
    }

    /** ‖x‖_M² with M = diag(1 / minv) (M = I without a preconditioner). */
    private double mNormSquared(double[] minv, double[] x) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += x[j] * x[j] / (minv == null ? 1.0 : minv[j]);
        }
        return s;
    }

    /**
     * The step τ ≥ 0 with ‖x + τp‖_M = Δ for ‖x‖_M ≤ Δ: the positive root of a quadratic, in tron.cpp's
     * cancellation-free form.
     */
    private double toBoundary(double[] minv, double[] x, double[] p) {
        double xMp = 0;
        double xMx = 0;
        double pMp = 0;
        for (int j = 0; j < d; j++) {
            double m = minv == null ? 1.0 : 1.0 / minv[j];
            xMp += x[j] * m * p[j];
            xMx += x[j] * m * x[j];
            pMp += p[j] * m * p[j];
        }
        double dsq = radius * radius;
        double rad = Math.sqrt(Math.max(0.0, xMp * xMp + pMp * (dsq - xMx)));
        return xMp >= 0 ? (dsq - xMx) / (xMp + rad) : (rad - xMp) / pMp;
    }

    /**
     * Stops the solve on the region's boundary along p: x ← x + τp, r ← r − τ Ap with τ = {@link #toBoundary};
     * returns the new ‖r‖.
     */
    private double stopOnBoundary(double[] minv, double[] sol, double[] r, double[] p, double[] ap) {
        double tau = toBoundary(minv, sol, p);
        for (int j = 0; j < d; j++) {
            sol[j] += tau * p[j];
            r[j] -= tau * ap[j];
        }
        boundary = true;
        return Math.sqrt(Vectors.dot(d, r, r));
    }

    @Override
    public SolveStats lastSolve() {
        return last;
    }

    @Override
    public double lastQuadraticForm() {
        return lastQuadraticForm;
    }

    private double[] inversePreconditioner() {
        if (inversePreconditioner != null || config.preconditioner() == ConjugateGradient.Preconditioner.NONE) {
            return inversePreconditioner;
        }
        double[] diag = op.diagonal().orElse(null);
        if (diag == null) {
            return null;
        }
        double tau = Double.NaN;
        if (config.preconditioner() == ConjugateGradient.Preconditioner.MIXED) {
            // the isotropic part τ of C: the smallest diagonal entry bounds it from above; the prior precision
            // is what LIBLINEAR's "1" is in its own scaling, and the mean keeps M positive without a prior
            double prior = op.lowRank().map(io.github.natgrad.CurvatureOperator.LowRank::shift).orElse(0.0);
            double min = Double.POSITIVE_INFINITY;
            double mean = 0;
            for (double v : diag) {
                min = Math.min(min, v);
                mean += v / d;
            }
            tau = prior > 0 ? prior : min > 0 ? min : mean;
        }
        double[] inv = new double[d];
        for (int j = 0; j < d; j++) {
            double m = diag[j] + lambda;
            if (!Double.isNaN(tau)) {
                m = 0.99 * (tau + lambda) + 0.01 * m;
            }
            inv[j] = m > 0 && Double.isFinite(m) ? 1.0 / m : 1.0;
        }
        inversePreconditioner = inv;
        return inv;
    }

    private void apply(double[] a, double[] out) {
        op.multiply(a, out);
        if (lambda != 0) {
            for (int j = 0; j < d; j++) {
                out[j] += lambda * a[j];
            }
        }
    }

    @Override
    public void solve(double[] b, double[] x) {
        long products0 = op.products();
        lastQuadraticForm = Double.NaN;
        double[] minv = inversePreconditioner();
        double[] r = new double[d];
        double[] z = new double[d];
        double[] p = new double[d];
        double[] ap = new double[d];
        double bNorm = Math.sqrt(Vectors.dot(d, b, b));
        double[] sol = new double[d];
        boolean warm = false;
        boundary = false;
        stepNorm = Double.NaN;
        if (region && Double.isNaN(radius)) {
            radius = initialRadius(b, minv);
        }
        if (!region && config.warmStart() && x != b && x.length == d) {
            boolean finite = false;
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(x[j])) {
                    finite = false;
                    break;
                }
                finite |= x[j] != 0;
            }
            if (finite) {
                for (int j = 0; j < d; j++) {
                    sol[j] = config.decay() * x[j];
                }
                apply(sol, ap);
                double q = 0;
                for (int j = 0; j < d; j++) {
                    r[j] = b[j] - ap[j];
                    q -= 0.5 * sol[j] * (b[j] + r[j]);
                }
                warm = q < 0;
            }
        }
        if (!warm) {
            Arrays.fill(sol, 0.0);
            System.arraycopy(b, 0, r, 0, d);
        }
        if (bNorm == 0) {
            Arrays.fill(x, 0, d, 0.0);
            last = new SolveStats("cg", 0, op.products() - products0, false, 0.0);
            lastQuadraticForm = 0.0;
            stepNorm = 0.0;
            return;
        }
        boolean tron = config.rule() == ConjugateGradient.StoppingRule.TRON;
        // TRON's rule measures residuals in the preconditioner's norm: ‖r‖_{M⁻¹} ≤ ξ‖g‖_{M⁻¹}
        double tronTarget = 0;
        if (tron) {
            double bMb = 0;
            for (int j = 0; j < d; j++) {
                bMb += b[j] * b[j] * (minv == null ? 1.0 : minv[j]);
            }
            tronTarget = config.epsilon() * config.epsilon() * bMb;
        }
        precondition(minv, r, z);
        System.arraycopy(z, 0, p, 0, d);
        double rz = Vectors.dot(d, r, z);
        double forcing = Math.min(config.epsilon(), Math.sqrt(Math.sqrt(rz)) * config.forcingScale());
        int cap = config.cap();
        double[] history = new double[cap + 1];
        history[0] = quadratic(sol, b, r);
        int it = 0;
        boolean stopped = false;
        double rNorm = Math.sqrt(Vectors.dot(d, r, r));
        if (rNorm <= config.tolerance() * bNorm || (tron && rz <= tronTarget)) {
            stopped = true;
        }
        while (!stopped && it < cap) {
            it++;
            apply(p, ap);
            double pap = Vectors.dot(d, p, ap);
            double pp = Vectors.dot(d, p, p);
            if (!(pap > 0) && region && Double.isFinite(radius)) {
                // Steihaug: a direction of non-positive curvature goes to the boundary
                rNorm = stopOnBoundary(minv, sol, r, p, ap);
                stopped = true;
                break;
            }
            if (!(pap > 0)) {
                last = new SolveStats("cg", it, op.products() - products0, false, rNorm / bNorm);
                throw new NegativeCurvatureException(op.kind(), pap / pp - lambda, lambda, it);
            }
            double alpha = rz / pap;
            if (region && Double.isFinite(radius)) {
                double next = 0;
                for (int j = 0; j < d; j++) {
                    double v = sol[j] + alpha * p[j];
                    next += v * v / (minv == null ? 1.0 : minv[j]);
                }
                if (Math.sqrt(next) > radius) {
                    // the iterate would leave the region: stop on its boundary along p (TRON's trpcg)
                    rNorm = stopOnBoundary(minv, sol, r, p, ap);
                    stopped = true;
                    break;
                }
            }
            for (int j = 0; j < d; j++) {
                sol[j] += alpha * p[j];
                r[j] -= alpha * ap[j];
            }
            double q = quadratic(sol, b, r);
            history[it] = q;
            rNorm = Math.sqrt(Vectors.dot(d, r, r));
            precondition(minv, r, z);
            double rzNew = Vectors.dot(d, r, z);
            if (rNorm <= config.tolerance() * bNorm || (tron ? rzNew <= tronTarget
                    : progressStop(history, it, forcing))) {
                stopped = true;
                break;
            }
            double beta = rzNew / rz;
            rz = rzNew;
            for (int j = 0; j < d; j++) {
                p[j] = z[j] + beta * p[j];
            }
        }
        System.arraycopy(sol, 0, x, 0, d);
        double bx = 0;
        double rx = 0;
        for (int j = 0; j < d; j++) {
            bx += b[j] * sol[j];
            rx += r[j] * sol[j];
        }
        lastQuadraticForm = bx - rx; // xᵀAx = xᵀ(b − r)
        if (region) {
            stepNorm = Math.sqrt(mNormSquared(minv, sol));
        }
        last = new SolveStats("cg", it, op.products() - products0, !stopped, rNorm / bNorm);
    }

    private boolean progressStop(double[] q, int i, double forcing) {
        switch (config.rule()) {
            case MARTENS: {
                int k = Math.max(10, (int) Math.ceil(0.1 * i));
                return i > k && q[i] < 0 && (q[i] - q[i - k]) / q[i] < k * config.epsilon();
            }
            case LIBLINEAR: {
                double diff = q[i] - q[i - 1];
                if (q[i] <= 0 && diff <= 0) {
                    return i * diff >= forcing * q[i];
                }
                return true; // the quadratic is not decreasing: rounding dominates
            }
            default:
                return false;
        }
    }

    /** Q(x) = ½xᵀAx − bᵀx = −½ xᵀ(b + r) with r = b − Ax. */
    private double quadratic(double[] x, double[] b, double[] r) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += x[j] * (b[j] + r[j]);
        }
        return -0.5 * s;
    }

    private void precondition(double[] minv, double[] r, double[] z) {
        if (minv == null) {
            System.arraycopy(r, 0, z, 0, d);
        } else {
            for (int j = 0; j < d; j++) {
                z[j] = minv[j] * r[j];
            }
        }
    }
}
