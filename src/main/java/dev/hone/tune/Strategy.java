package dev.hone.tune;

/**
 * How parameter sets are chosen ({@code tune.strategy}): a sampler of {@link Samplers}, {@code AUTO} to let
 * {@link Samplers#forStrategy} pick one, or {@code SCRIPT}: the team's rebuild program (a {@link Rebuilder}).
 */
public enum Strategy { AUTO, GRID, RANDOM, TPE, BAYES, SCRIPT }
