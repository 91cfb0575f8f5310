package dev.hone.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MasksTest {

    @Test
    void replacesEveryOccurrenceOfEverySecret() {
        Masks masks = Masks.of(List.of("tok-7f3a9c", "hunter22"));

        assertThat(masks.apply("token tok-7f3a9c, again tok-7f3a9c; password hunter22"))
                .isEqualTo("token ***, again ***; password ***");
    }

    @Test
    void replacesTheLongestSecretFirstSoOneContainingAnotherIsHiddenWhole() {
        Masks masks = Masks.of(List.of("pw-123", "postgres://u:pw-123@db/x"));

        assertThat(masks.apply("connecting to postgres://u:pw-123@db/x with pw-123"))
                .isEqualTo("connecting to *** with ***");
    }

    @Test
    void takesSecretsLiterallyNotAsPatterns() {
        assertThat(Masks.of(Set.of("a.b$1\\")).apply("a.b$1\\ axb$1\\")).isEqualTo("*** axb$1\\");
    }

    @Test
    void leavesALineWithoutSecretsAlone() {
        assertThat(Masks.of(Set.of("tok-7f3a9c")).apply("epoch=3 accuracy=0.91")).isEqualTo("epoch=3 accuracy=0.91");
    }

    @Test
    void noneAndNullOrEmptySecretsHideNothing() {
        assertThat(Masks.NONE.apply("tok-7f3a9c")).isEqualTo("tok-7f3a9c");
        assertThat(Masks.NONE.isEmpty()).isTrue();
        assertThat(Masks.of(null)).isSameAs(Masks.NONE);
        Masks blanks = Masks.of(Arrays.asList("", null));
        assertThat(blanks.isEmpty()).isTrue();
        assertThat(blanks.apply("line")).isEqualTo("line");
    }

    @Test
    void toStringCountsTheSecretsWithoutShowingThem() {
        assertThat(Masks.of(List.of("tok-7f3a9c", "hunter22"))).hasToString("Masks[2 secrets]");
    }

    @Test
    void aSessionConfigShowsNoSecretInToString() {
        SessionConfig config = new SessionConfig("7", "digits", null, null, null, false,
                Map.of("API_TOKEN", "tok-7f3a9c"), Set.of("tok-7f3a9c"));

        assertThat(config).hasToString("SessionConfig[runId=7, project=digits, image=null, cpus=null, "
                + "memoryBytes=null, network=false, env={API_TOKEN=***}, secrets=[***], gpus=[]]");
        assertThat(config.masks().apply("tok-7f3a9c")).isEqualTo("***");
    }

    @Test
    void aSafeCutMovesPastASecretThatSpansIt() {
        Masks masks = Masks.of(List.of("tok-7f3a9c", "pw-4242"));
        String text = "0123tok-7f3a9c89";

        assertThat(masks.longest()).isEqualTo(10);
        assertThat(masks.safeCut(text, 6)).as("inside the token").isEqualTo(14);
        assertThat(masks.safeCut(text, 4)).as("at its start").isEqualTo(4);
        assertThat(masks.safeCut(text, 14)).as("at its end").isEqualTo(14);
        assertThat(masks.safeCut("ab", 1)).isEqualTo(1);
        assertThat(Masks.NONE.safeCut(text, 6)).isEqualTo(6);
        assertThat(Masks.NONE.longest()).isZero();
    }
}
