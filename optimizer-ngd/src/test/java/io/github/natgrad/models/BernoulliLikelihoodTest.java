package io.github.natgrad.models;

import io.github.natgrad.Likelihood;

/** The Bernoulli likelihood with the logit link, unclipped, through the shared contract. */
class BernoulliLikelihoodTest extends LikelihoodContract {

    @Override
    Likelihood likelihood() {
        return Likelihoods.bernoulli();
    }

    @Override
    double[] support() {
        return new double[] {0, 1};
    }
}
