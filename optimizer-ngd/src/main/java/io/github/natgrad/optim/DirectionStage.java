package io.github.natgrad.optim;

import io.github.natgrad.CurvatureSystem;
import io.github.natgrad.Damped;
import io.github.natgrad.DampingPolicy;
import io.github.natgrad.NegativeCurvatureException;
import io.github.natgrad.SolveStats;

/**
 * The direction stage of a {@link NaturalGradientOptimizer} step: d = (C + λI)⁻¹ g with the damping's λ,
 * and its repair — when the solve meets negative curvature (a Cholesky pivot ≤ 0, CG's pᵀAp ≤ 0) the damping
 * policy raises λ ({@link DampingPolicy#repair}) and the solve runs again, at most {@value #MAX_REPAIRS}
 * times. A policy that shapes the direction differently enters through {@link DampingPolicy#damp}: the trust
 * region returns a factorization that truncates the solve at its radius (Steihaug–Toint CG, or the λ(Δ)
 * search), and, being an {@link io.github.natgrad.StepAcceptingPolicy}, judges the result in the acceptance
 * stage ({@link AcceptanceStage}).
 */
final class DirectionStage {
    /** Repairs of one solve before the negative curvature is thrown to the caller. */
    static final int MAX_REPAIRS = 60;

    private DirectionStage() {
    }

    /**
     * The solved direction: the damped system it came from (λ, the factorisation), the damping's action
     * (with "; cg cap reached (k iterations)" appended when an iterative solve hit its cap) and the solve's
     * statistics (a direct solve reported under the chosen solver's name).
     */
    record Solved(Damped damped, String action, SolveStats solve) {
        double lambda() {
            return damped.lambda();
        }
    }

    /** Damps {@code system}, solves it for {@code gradient} into {@code direction}, repairing as needed. */
    static Solved solve(DampingPolicy damping, CurvatureSystem system, String solverName, double[] gradient,
            double[] direction) {
        Damped damped = damping.damp(system);
        String action = damped.action();
        for (int repairs = 0;; repairs++) {
            try {
                damped.factorization().solve(gradient, direction);
                break;
            } catch (NegativeCurvatureException e) {
                if (repairs >= MAX_REPAIRS) {
                    throw e;
                }
                damped = damping.repair(system, e);
                action = damped.action();
            }
        }
        SolveStats solve = damped.factorization().lastSolve();
        if (solve == SolveStats.DIRECT) {
            solve = new SolveStats(solverName, 0, 0, false, Double.NaN);
        }
        if (solve.capReached()) {
            action += "; cg cap reached (" + solve.iterations() + " iterations)";
        }
        return new Solved(damped, action, solve);
    }
}
