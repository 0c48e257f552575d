package io.github.natgrad;

/**
 * What a {@link DampingPolicy} decided for one step.
 *
 * @param lambda        the damping λ added to the curvature
 * @param factorization the factorised damped curvature the step solves with
 * @param action        what the policy did, for the step report (e.g. {@code "fixed"},
 *                      {@code "shifted: lambda_min = -0.3"})
 */
public record Damped(double lambda, Factorization factorization, String action) {
}
