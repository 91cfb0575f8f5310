package dev.hone.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellErrorsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "sh: 1: pythn3: not found",
            "sh: line 1: pythn3: command not found",
            "bash: pythn3: command not found",
            "sh: pythn3: not found",
            "./train.sh: 12: pythn3: not found",
    })
    void recognisesEveryShellsCommandNotFoundLine(String line) {
        assertThat(ShellErrors.detail(127, List.of("Starting", line)))
                .isEqualTo("command not found: pythn3 (exit 127)");
    }

    @Test
    void namesTheLastCommandNotFound() {
        assertThat(ShellErrors.detail(127, List.of("sh: 1: first: not found", "sh: 2: second: not found")))
                .isEqualTo("command not found: second (exit 127)");
    }

    @Test
    void saysNothingOfAnExit127ItCannotExplain() {
        assertThat(ShellErrors.detail(127, List.of("the program chose 127"))).isNull();
    }

    @Test
    void saysNothingOfAnOrdinaryFailure() {
        assertThat(ShellErrors.detail(1, List.of("ZeroDivisionError: division by zero"))).isNull();
    }

    @Test
    void namesTheSignalThatKilledTheCommand() {
        assertThat(ShellErrors.detail(137, List.of())).isEqualTo("killed by signal 9 (exit 137)");
    }
}
