package dev.hone.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.BadRequestResponse;
import io.javalin.json.JsonMapper;
import java.io.IOException;
import java.lang.reflect.Type;

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
            throw new BadRequestResponse("the request body is not what this endpoint takes: " + e.getOriginalMessage());
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
            throw new BadRequestResponse("the request body is not what this endpoint takes: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestResponse("the request body cannot be read: " + e.getMessage());
        }
    }
}
