package dev.hone.run;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Finding a constant of the run vocabulary by its word. */
final class Words {

    private Words() {}

    /** The constant whose word is {@code text}; empty when none is. */
    static <E extends Enum<E>> Optional<E> find(E[] constants, Function<E, String> word, String text) {
        return Arrays.stream(constants).filter(c -> word.apply(c).equals(text)).findFirst();
    }

    /** The constant whose word is {@code text}; {@code what} names the vocabulary when there is none. */
    static <E extends Enum<E>> E of(E[] constants, Function<E, String> word, String what, String text) {
        return find(constants, word, text).orElseThrow(() -> new IllegalArgumentException("unknown " + what + " \""
                + text + "\": one of " + Arrays.stream(constants).map(word).collect(Collectors.joining(", "))));
    }
}
