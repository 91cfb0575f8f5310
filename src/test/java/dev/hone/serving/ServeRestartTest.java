package dev.hone.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.restart.RestartPolicy;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code serve.restart} of hone.yaml as the policy a served model's container is supervised with. */
class ServeRestartTest {

    @Test
    void hone_yamlsRestartBlockBecomesThePolicy() {
        RestartPolicy p = Deployments.policy(restart("{policy: always, max_restarts: 7}"),
                Deployments.Options.DEFAULTS);

        assertThat(p).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ALWAYS, 7, RestartPolicy.BACKOFF,
                RestartPolicy.RESET_AFTER));
        assertThat(p.mode().word()).isEqualTo("always");
        assertThat(Deployments.policy(restart("{policy: on-failure}"), Deployments.Options.DEFAULTS).mode().word())
                .isEqualTo("on-failure");
    }

    @Test
    void maxBackoffCapsTheWaitsBetweenRestartsAsTheReadmeSays() {
        RestartPolicy p = Deployments.policy(restart("{max_backoff: 2s}"), Deployments.Options.DEFAULTS);

        assertThat(p.backoff().cap()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.delay(20)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Deployments.policy(restart("{max_backoff: 2m}"), Deployments.Options.DEFAULTS).delay(20))
                .isEqualTo(Duration.ofMinutes(2));
    }

    private static Spec.Restart restart(String block) {
        return SpecLoader.parse("serve: {command: python3 serve.py, restart: " + block + "}\n", "hone.yaml", "p",
                Map.of()).serve().restart();
    }
}
