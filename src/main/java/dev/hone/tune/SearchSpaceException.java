package dev.hone.tune;

/**
 * A search space the samplers cannot search, said the way the spec loader says it ({@code tune.params…: what is
 * wrong; what to change}). The loader rejects most such spaces first; a grid too large to count shows only here.
 */
public final class SearchSpaceException extends IllegalArgumentException {

    SearchSpaceException(String message) {
        super(message);
    }
}
