/**
 * Internal: the numerics of Bayesian optimisation (Gaussian-process regression with a Matérn-5/2 ARD kernel fitted by
 * L-BFGS, the acquisition search over the unit cube, the normal distribution). Not an API: use
 * {@link dev.hone.tune.Samplers#bayes}. It works on points and numbers only, and imports nothing of Hone.
 */
package dev.hone.tune.gp;
