package dev.hone.web;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** What handlers read from a request: a body within the size limit, ids, paging. */
final class Requests {

    /** The largest body accepted (webhook payloads included): 1 MiB. */
    static final int MAX_BODY = 1 << 20;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private Requests() {}

    /** The body, refused with 413 past {@link #MAX_BODY} whether or not the sender gave its length. */
    static byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY) {
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw tooLarge(-1);
            }
            return bytes;
        } catch (IOException e) {
            throw new BadRequestResponse("the request body cannot be read: " + e.getMessage());
        }
    }

    static long id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new NotFoundResponse("no run " + text + ": run ids are numbers");
        }
    }

    static int limit(Context ctx) {
        int limit = number(ctx, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestResponse("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }

    static int offset(Context ctx) {
        int offset = number(ctx, "offset", 0);
        if (offset < 0) {
            throw new BadRequestResponse("offset must not be negative, got " + offset);
        }
        return offset;
    }

    static int number(Context ctx, String name, int fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestResponse(name + " must be a whole number, got \"" + text + "\"");
        }
    }

    private static ContentTooLargeResponse tooLarge(long declared) {
        return new ContentTooLargeResponse("the request body is larger than " + MAX_BODY / 1024 + " KiB"
                + (declared > 0 ? " (" + declared + " bytes)" : "") + ": send a smaller payload",
                Map.of());
    }
}
