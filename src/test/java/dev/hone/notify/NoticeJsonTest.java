package dev.hone.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.tune.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the outbox keeps of a notice reads back as the same notice, after a restart too. */
class NoticeJsonTest {

    final NoticeJson json = new NoticeJson();

    @Test
    void everyKindOfEventReadsBackEqual() {
        for (Event event : EventTest.everyKind()) {
            Notice notice = Events.notice(event);

            assertThat(json.read(json.write(notice, Redaction.NONE), notice.key())).isEqualTo(notice);
        }
    }

    @Test
    void theDirectionIsStoredAsItsWordSoEarlierPayloadsReadBack() {
        String payload = json.write(new Notice(null, Events.targetMissed(), null, "k"), Redaction.NONE);

        assertThat(payload).contains("\"direction\":\"maximize\"");
        String minimizing = payload.replace("\"maximize\"", "\"minimize\"");
        assertThat(json.read(minimizing, "k").event()).isInstanceOfSatisfying(Event.TargetMissed.class,
                e -> assertThat(e.direction()).isEqualTo(Direction.MINIMIZE));
    }

    @Test
    void aNoticeOutsideARunHasNoRunAndNoLink() {
        Notice notice = new Notice(null, Events.targetMissed(), null, "k");

        String payload = json.write(notice, Redaction.NONE);

        assertThat(payload).doesNotContain("\"run\"", "\"link\"");
        assertThat(json.read(payload, "k")).isEqualTo(notice);
    }

    @Test
    void secretsAreMaskedBeforeTheyAreStored() {
        Event event = new Event.TrainingFailed(Events.ORIGIN, 1, "cannot post to https://hooks.slack.com/x/y", 1,
                List.of("SMTP_PASSWORD=pa55word-1", "fetching https://ana:tok3n@git.example.com/x.git"));

        String payload = json.write(Events.notice(event),
                new Redaction(List.of("pa55word-1", "https://hooks.slack.com/x/y")));

        assertThat(payload).doesNotContain("pa55word-1", "hooks.slack.com", "tok3n")
                .contains("SMTP_PASSWORD=***", "https://***@git.example.com/x.git", "https://hone.example.com/runs/7");
    }

    @Test
    void aPayloadThatCannotBeReadFailsForGood() {
        assertThatThrownBy(() -> json.read("{\"event\": {\"type\": \"nope\"}}", "k"))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("notification k cannot be read back from the outbox: unknown event type \"nope\"");
    }
}
