package dev.hone.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hone.spec.Suggestions;
import io.javalin.http.BadRequestResponse;
import io.javalin.json.JsonMapper;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;

/**
 * JSON as the API speaks it: snake_case keys (as {@code hone run --json}), times as ISO-8601 text, unknown keys in
 * a request refused with their name.
 */
final class Json implements JsonMapper {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Override
    public String toJsonString(Object obj, Type type) {
        try {
            return MAPPER.writeValueAsString(obj);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + obj.getClass().getSimpleName() + " as JSON", e);
        }
    }

    @Override
    public <T> T fromJsonString(String json, Type type) {
        try {
            return MAPPER.readValue(json, MAPPER.constructType(type));
        } catch (JsonProcessingException e) {
            throw refusal(e);
        }
    }

    /** Reads a request body; a body that is not what the endpoint takes is a 400 that says why. */
    static <T> T read(byte[] body, Class<T> type) {
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new BadRequestResponse("the request body must be a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw refusal(e);
        } catch (IOException e) {
            throw new BadRequestResponse("the request body cannot be read: " + e.getMessage());
        }
    }

    /**
     * Why a body was refused, in the API's own words: the unknown field with the nearest one it takes, the field
     * whose value has the wrong type, or where the JSON breaks (never a Java class name).
     */
    static BadRequestResponse refusal(JsonProcessingException e) {
        String prefix = "the request body is not what this endpoint takes: ";
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<String> known = unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return new BadRequestResponse(prefix + "unknown field \"" + unknown.getPropertyName() + "\""
                    + Suggestions.hint(unknown.getPropertyName(), known, "it takes"));
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElseThrow();
            return new BadRequestResponse(prefix + "\"" + field + "\" must be " + kind(mismatch.getTargetType()));
        }
        if (e instanceof MismatchedInputException) {
            return new BadRequestResponse("the request body must be a JSON object");
        }
        String reason = e.getOriginalMessage().lines().findFirst().orElse("not JSON");
        return new BadRequestResponse(prefix + "not valid JSON (" + reason + ")");
    }

    private static String kind(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }
}
