package dev.hone.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrialEnvironmentTest {

    static final Map<String, String> SERVER = Map.ofEntries(
            Map.entry("PATH", "/usr/local/bin:/usr/bin"), Map.entry("HOME", "/home/hone"),
            Map.entry("LANG", "C.UTF-8"), Map.entry("LC_ALL", "C.UTF-8"), Map.entry("TZ", "UTC"),
            Map.entry("TMPDIR", "/tmp"), Map.entry("HTTPS_PROXY", "http://proxy:3128"),
            Map.entry("HONE_API_TOKEN", "tok-api-0001"), Map.entry("SMTP_PASSWORD", "tok-smtp-0004"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "tok-aws-0012"), Map.entry("WANDB_API_KEY", "tok-wandb-0013"),
            Map.entry("CUDA_VISIBLE_DEVICES", "0"), Map.entry("CUDA_HOME", "/usr/local/cuda"),
            Map.entry("VIRTUAL_ENV", "/home/hone/venv"));

    @Test
    void honeServesIsBuiltFromTheAllowListAndWhatTheInstallationPasses() {
        TrialEnvironment built = TrialEnvironment.built(SERVER, List.of("WANDB_API_KEY", "CUDA_*"));

        assertThat(built.variables()).containsOnlyKeys("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR",
                "HTTPS_PROXY", "WANDB_API_KEY", "CUDA_VISIBLE_DEVICES", "CUDA_HOME");
        assertThat(built.variables()).doesNotContainKeys("HONE_API_TOKEN", "SMTP_PASSWORD", "AWS_SECRET_ACCESS_KEY",
                "VIRTUAL_ENV");
        assertThat(built.passes("WANDB_API_KEY")).isTrue();
        assertThat(built.passes("CUDA_VERSION")).as("a prefix").isTrue();
        assertThat(built.passes("SMTP_PASSWORD")).isFalse();
        assertThat(built).hasToString("TrialEnvironment[built, [CUDA_HOME, CUDA_VISIBLE_DEVICES, HOME, HTTPS_PROXY, "
                + "LANG, LC_ALL, PATH, TMPDIR, TZ, WANDB_API_KEY]]");
    }

    @Test
    void aHoneSettingVariableNeverReachesATrialUnderServeEvenWhenPassNamesIt() {
        Map<String, String> env = Map.of("PATH", "/usr/bin", "HONE_STORE",
                "jdbc:postgresql://db/hone?user=hone&password=pg-secret-7", "HONE_API_TOKEN", "tok-api-0001",
                "HONE_NOTIFY_SLACK_URL", "https://hooks.slack.com/services/T/B/secret-9", "HONEY", "ok");

        TrialEnvironment built = TrialEnvironment.built(env, List.of("HONE_*", "HONE_STORE", "HONEY"));

        assertThat(built.variables()).containsOnlyKeys("PATH", "HONEY");
        assertThat(built.passes("HONE_STORE")).as("nor through ${HONE_STORE} in a pushed hone.yaml").isFalse();
        assertThat(built.passes("HONE_API_TOKEN")).isFalse();
        assertThat(built.passes("HONEY")).isTrue();
    }

    @Test
    void honeRunsKeepsTheUsersEnvironmentLessHonesOwn() {
        TrialEnvironment inherited = TrialEnvironment.inherited(SERVER, Set.of("SMTP_PASSWORD"));

        assertThat(inherited.variables()).doesNotContainKeys("HONE_API_TOKEN", "SMTP_PASSWORD")
                .containsEntry("VIRTUAL_ENV", "/home/hone/venv").containsEntry("AWS_SECRET_ACCESS_KEY", "tok-aws-0012")
                .hasSize(SERVER.size() - 2);
        assertThat(inherited.passes("SMTP_PASSWORD")).as("a developer's hone.yaml takes what it likes").isTrue();
    }
}
