/**
 * Internal: the numerics of the tree-structured Parzen estimator (the Parzen density of one side, over numeric and
 * categorical axes). Not an API: use {@link dev.hone.tune.Samplers#tpe}. It works on points and numbers only; its
 * one import from Hone is {@link dev.hone.tune.gp.Normal}.
 */
package dev.hone.tune.tpe;
