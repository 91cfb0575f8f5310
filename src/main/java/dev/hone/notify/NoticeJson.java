package dev.hone.notify;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hone.run.Notifiable;
import dev.hone.tune.Direction;

/**
 * A notice as the outbox keeps it: {@code {"run": 7, "link": "…", "event": {"type": "…", …}}},
 * enough to send it again after a restart. Events are written field for field, durations as ISO-8601, a metric's
 * direction as its word ({@code maximize}).
 */
final class NoticeJson {

    private final ObjectMapper mapper = newMapper();
    private final ObjectMapper snake = newMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** The payload of {@code notice}, its strings masked by {@code redaction}. */
    String write(Notice notice, Redaction redaction) {
        ObjectNode root = mapper.createObjectNode();
        if (notice.runId() != null) {
            root.put("run", notice.runId());
        }
        if (notice.link() != null) {
            root.put("link", notice.link());
        }
        ObjectNode event = root.putObject("event");
        event.put("type", notice.event().type());
        event.setAll((ObjectNode) mapper.valueToTree(notice.event()));
        redaction.scrub(root);
        return root.toString();
    }

    Notice read(String payload, String key) {
        try {
            JsonNode root = mapper.readTree(payload);
            JsonNode event = root.path("event");
            Long run = root.hasNonNull("run") ? root.get("run").longValue() : null;
            String link = root.hasNonNull("link") ? root.get("link").textValue() : null;
            return new Notice(run, mapper.treeToValue(event, kind(event.path("type").asText())), link, key);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw DeliveryException.permanent("notification " + key + " cannot be read back from the outbox: "
                    + e.getMessage(), e);
        }
    }

    /** The event's own fields in snake_case, without its origin: the {@code details} of a webhook. */
    ObjectNode details(Event event) {
        ObjectNode details = snake.valueToTree(event);
        details.remove("origin");
        return details;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    private static ObjectMapper newMapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule()).addMixIn(Direction.class, DirectionWord.class)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private static Class<? extends Event> kind(String type) {
        if (type.equals(Event.TestMessage.TYPE)) {
            return Event.TestMessage.class;
        }
        return switch (Notifiable.of(type).orElseThrow(() ->
                new IllegalArgumentException("unknown event type \"" + type + "\""))) {
            case TRAINING_FAILED -> Event.TrainingFailed.class;
            case TARGET_REACHED -> Event.TargetReached.class;
            case TARGET_MISSED -> Event.TargetMissed.class;
            case REBUILD_FAILED -> Event.RebuildFailed.class;
            case CONTAINER_RESTARTED -> Event.ContainerRestarted.class;
            case CONTAINER_GAVE_UP -> Event.ContainerGaveUp.class;
            case JOB_REQUEUED -> Event.JobRequeued.class;
            case REGRESSION -> Event.Regression.class;
            case MODEL_KEPT -> Event.ModelKept.class;
            case ROLLED_BACK -> Event.RolledBack.class;
        };
    }

    /** {@link Direction} in JSON: {@code "maximize"} and {@code "minimize"}, both ways. */
    private abstract static class DirectionWord {
        @JsonValue
        abstract String label();
    }
}
