package dev.hone.notify;

import static dev.hone.run.DeliveryStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import dev.hone.store.NewRun;
import dev.hone.store.OutboxRow;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.time.Sleeper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a process wrote to the outbox and died before sending is sent by the next {@code hone serve} as it starts,
 * through the channels of the run it belongs to, without waiting for another event; each once.
 */
class ServeResumesDeliveriesTest {

    @TempDir
    Path data;

    @Test
    void notificationsLeftInTheOutboxAreDeliveredWhenHoneServeStarts() throws Exception {
        try (Receiver installation = new Receiver(); Receiver team = new Receiver()) {
            ServerSpec.Channels channels = new ServerSpec.Channels(null, null, null, null,
                    new ServerSpec.Webhook(installation.url("/hone"), "hook-secret-1"));
            String facesYaml = "notify: {on: [training_failed], slack: {url: \"" + team.url("/slack") + "\"}}\n";
            long digits;
            long faces;
            try (Store store = Stores.open(data.resolve("hone.db").toString())) {
                digits = store.createRun(new NewRun("digits", "/work/digits", Events.SHA, "main", "Ana", "more",
                        null, Instant.now()));
                faces = store.createRun(new NewRun("faces", "/work/faces", Events.SHA, "main", "Ana", "more",
                        facesYaml, Instant.now()));
                Spec.Notify facesNotify = SpecLoader.parse(facesYaml, "hone.yaml", "faces", Map.of()).notifications();
                // a process that wrote its notifications to the outbox and died before it sent them
                Courier dead = new Courier(store.outbox(), InstantSource.system(), Sleeper.system(),
                        Courier.Retry.DEFAULT);
                dead.close();
                Dispatcher dying = new Dispatcher(dead, store.outbox(), new Channels(channels, null, null),
                        InstantSource.system(), Duration.ZERO);
                dying.dispatch(digits, Events.targetReached(), null);
                dying.dispatch(faces, Events.trainingFailed(new Event.Origin("faces", Events.SHA, null, null, null)),
                        facesNotify);
                assertThat(store.outbox().unfinished()).extracting(OutboxRow::route)
                        .as("digits: the installation's webhook; faces: its own Slack and the installation's webhook")
                        .hasSize(3);
                assertThat(store.outbox().unfinished()).extracting(OutboxRow::status).containsOnly(PENDING);
            }
            assertThat(installation.requests()).isEmpty();
            assertThat(team.requests()).isEmpty();

            try (Serve serve = new Serve(data, List.of(), QueuePolicy.of(1), Serve.TOKEN, channels)) {
                Serve.await(() -> serve.store.notifications(digits).size() == 1
                        && serve.store.notifications(faces).size() == 2, 20, "the three deliveries; server output:\n"
                        + serve.output());

                assertThat(serve.store.notifications(digits)).extracting(n -> n.event() + " " + n.channel() + " "
                        + n.status()).containsExactly("target_reached webhook sent");
                assertThat(serve.store.notifications(faces)).extracting(n -> n.event() + " " + n.channel() + " "
                        + n.status()).containsExactlyInAnyOrder("training_failed slack sent",
                        "training_failed webhook sent");
                assertThat(serve.store.outbox().unfinished()).isEmpty();
            }
            assertThat(installation.requests()).extracting(Receiver.Request::rawPath).containsExactly("/hone", "/hone");
            assertThat(installation.requests()).extracting(r -> r.header("X-Hone-Event"))
                    .containsExactlyInAnyOrder("target_reached", "training_failed");
            assertThat(team.requests()).singleElement().satisfies(r -> {
                assertThat(r.rawPath()).isEqualTo("/slack");
                assertThat(r.body()).contains("faces");
            });
        }
    }
}
