package dev.hone.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The words of DESIGN §1 that the store's columns, the summary, the API and {@code notify.on} hold: written out
 * here once, so that a renamed constant cannot change what was stored or served.
 */
class RunVocabularyTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Nested
    class ARunsStatus {
        @Test
        void isLabelledWithDesignsWordsLiveWhileQueuedOrRunningAndGivesHoneRunsExitCode() {
            assertThat(Arrays.stream(RunStatus.values()).map(RunStatus::label)).containsExactly("queued", "running",
                    "succeeded", "target_reached", "target_missed", "failed", "invalid_config", "cancelled",
                    "superseded", "interrupted");
            assertThat(Arrays.stream(RunStatus.values()).filter(RunStatus::live))
                    .containsExactly(RunStatus.QUEUED, RunStatus.RUNNING);
            assertThat(Map.of(RunStatus.SUCCEEDED, RunStatus.SUCCEEDED.exitCode(),
                    RunStatus.TARGET_REACHED, RunStatus.TARGET_REACHED.exitCode(),
                    RunStatus.TARGET_MISSED, RunStatus.TARGET_MISSED.exitCode(),
                    RunStatus.INVALID_CONFIG, RunStatus.INVALID_CONFIG.exitCode(),
                    RunStatus.FAILED, RunStatus.FAILED.exitCode(),
                    RunStatus.CANCELLED, RunStatus.CANCELLED.exitCode()))
                    .isEqualTo(Map.of(RunStatus.SUCCEEDED, 0, RunStatus.TARGET_REACHED, 0, RunStatus.TARGET_MISSED, 1,
                            RunStatus.INVALID_CONFIG, 2, RunStatus.FAILED, 3, RunStatus.CANCELLED, 130));
        }

        @Test
        void thatIsLiveHasNoExitCode() {
            assertThatThrownBy(RunStatus.RUNNING::exitCode).isInstanceOf(IllegalStateException.class)
                    .hasMessage("a running run has not ended, so it has no exit code");
        }

        @Test
        void isReadFromItsLabelAndAnUnknownOneSaysWhichThereAre() {
            assertThat(RunStatus.of("target_missed")).isEqualTo(RunStatus.TARGET_MISSED);
            assertThatThrownBy(() -> RunStatus.of("TARGET_MISSED")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown run status \"TARGET_MISSED\": one of queued, running, succeeded,"
                            + " target_reached, target_missed, failed, invalid_config, cancelled, superseded,"
                            + " interrupted");
        }

        @Test
        void isItsLabelInJsonAndInText() throws Exception {
            assertThat(JSON.writeValueAsString(Map.of("status", RunStatus.INVALID_CONFIG)))
                    .isEqualTo("{\"status\":\"invalid_config\"}");
            assertThat(JSON.readValue("\"superseded\"", RunStatus.class)).isEqualTo(RunStatus.SUPERSEDED);
            assertThat("ended (" + RunStatus.CANCELLED + ")").isEqualTo("ended (cancelled)");
        }
    }

    @Nested
    class ADeliverysStatus {
        @Test
        void isLabelledWithTheOutboxsWordsAndFinishedOnceSentOrFailed() throws Exception {
            assertThat(Arrays.stream(DeliveryStatus.values()).map(DeliveryStatus::label))
                    .containsExactly("pending", "sending", "sent", "failed", "skipped");
            assertThat(Arrays.stream(DeliveryStatus.values()).filter(DeliveryStatus::finished))
                    .containsExactly(DeliveryStatus.SENT, DeliveryStatus.FAILED);
            assertThat(JSON.writeValueAsString(List.of(DeliveryStatus.SENT))).isEqualTo("[\"sent\"]");
            assertThat(DeliveryStatus.of("pending")).isEqualTo(DeliveryStatus.PENDING);
        }
    }

    @Nested
    class TheEventsOfARunsLog {
        @Test
        void eachHasItsTypeAndBuildsItsMessage() {
            assertThat(List.<RunEvent>of(
                    new RunEvent.FetchFailed("cannot reach git.example.com", "40s"),
                    new RunEvent.CommitNotFound("a1b2c3d", "main", "https://git.example.com/digits.git"),
                    new RunEvent.CommitNotFound(null, "main", "https://git.example.com/digits.git"),
                    new RunEvent.RepositoryRemoved("https://git.example.com/digits.git"),
                    new RunEvent.StoppedOnError("disk full"),
                    new RunEvent.Cancelled("api_token", false),
                    new RunEvent.Cancelled("ci-bot", true),
                    new RunEvent.Superseded("main", 7, "f00ba47"),
                    new RunEvent.Superseded("main", 7, null),
                    new RunEvent.Interrupted(RunEvent.Interrupted.Cause.SERVE_STOPPED),
                    new RunEvent.Interrupted(RunEvent.Interrupted.Cause.RUN_GONE),
                    new RunEvent.Resumed(1),
                    new RunEvent.Resumed(3),
                    new RunEvent.PodRescheduled("4", "hone-run-7-t4-1x2y-abcde", "Evicted: The node was low on"
                            + " resource: memory."),
                    new RunEvent.InvalidConfig("hone.yaml:2:3: metric.target: must be a number, got \"high\"")))
                    .extracting(RunEvent::type, RunEvent::message).containsExactly(
                            tuple("fetch_failed", "cannot reach git.example.com; the run waits in the queue and is"
                                    + " tried again in 40s"),
                            tuple("commit_not_found", "commit a1b2c3d is not in https://git.example.com/digits.git"
                                    + " (force-pushed away or deleted?)"),
                            tuple("commit_not_found", "branch main is not in https://git.example.com/digits.git"
                                    + " (force-pushed away or deleted?)"),
                            tuple("repository_removed", "no watched repository has the URL"
                                    + " https://git.example.com/digits.git any more: add it again (hone repo add)"
                                    + " and trigger a run"),
                            tuple("error", "the run stopped on an error: disk full"),
                            tuple("cancelled", "cancelled through the API by api_token before it started"),
                            tuple("cancelled", "cancelled through the API by ci-bot while it ran; its trials were"
                                    + " stopped"),
                            tuple("superseded", "a newer push to main replaced it: run 7 runs commit f00ba47"),
                            tuple("superseded", "a newer push to main replaced it: run 7 runs its head"),
                            tuple("interrupted", "hone serve stopped while the run was running; its trials were"
                                    + " stopped"),
                            tuple("interrupted", "the hone run that ran it stopped without ending it (killed, or"
                                    + " the machine went down); its trials were stopped"),
                            tuple("resumed", "hone serve started again: the run continues from its 1 recorded"
                                    + " trial"),
                            tuple("resumed", "hone serve started again: the run continues from its 3 recorded"
                                    + " trials"),
                            tuple("pod_rescheduled", "trial 4's pod hone-run-7-t4-1x2y-abcde was taken off its node"
                                    + " (Evicted: The node was low on resource: memory.); the trial runs again"),
                            tuple("invalid_config", "hone.yaml:2:3: metric.target: must be a number, got"
                                    + " \"high\""));
        }

        @Test
        void thatTheChannelsCanBeToldOfAreNotifyOnsWordsInDesignsOrder() {
            assertThat(Notifiable.types()).containsExactly("training_failed", "target_reached", "target_missed",
                    "rebuild_failed", "container_restarted", "container_gave_up", "job_requeued", "regression", "model_kept", "rolled_back");
            assertThat(Arrays.stream(Notifiable.values()).filter(Notifiable::supervision))
                    .containsExactly(Notifiable.CONTAINER_RESTARTED, Notifiable.CONTAINER_GAVE_UP,
                            Notifiable.JOB_REQUEUED);
            assertThat(Notifiable.of("target_missed")).contains(Notifiable.TARGET_MISSED);
            assertThat(Notifiable.of("resumed")).isEmpty();
        }
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
