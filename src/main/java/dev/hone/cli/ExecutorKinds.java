package dev.hone.cli;

import dev.hone.spec.Spec;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** {@code --executor KIND}: every {@link Spec.Executor} by its label, in any case; the help lists them all. */
final class ExecutorKinds implements CommandLine.ITypeConverter<Spec.Executor>, Iterable<String> {

    @Override
    public Spec.Executor convert(String value) {
        String wanted = value.toLowerCase(Locale.ROOT);
        return Arrays.stream(Spec.Executor.values()).filter(kind -> kind.label().equals(wanted)).findFirst()
                .orElseThrow(() -> new CommandLine.TypeConversionException("must be one of "
                        + String.join(", ", this) + ", got \"" + value + "\""));
    }

    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(Spec.Executor.values()).map(Spec.Executor::label).collect(Collectors.toList())
                .iterator();
    }
}
