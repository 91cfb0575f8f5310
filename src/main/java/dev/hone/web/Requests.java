package dev.hone.web;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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

    /** A positive whole number in the path (such as a trial's), named {@code what} in the error. */
    static int number(String text, String what) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new NotFoundResponse("no " + what + " " + text + ": " + what + " numbers are whole numbers from 1");
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

    /**
     * Starts a server-sent event stream as the answer: status, type and the headers that keep caches and proxies
     * from holding it back; writes and flushes {@code opening} (a comment or a first event) so the client sees it
     * open. Returns the stream to write events to.
     */
    static OutputStream eventStream(Context ctx, String opening) throws IOException {
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        out.write(opening.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return out;
    }

    /** The {@code before} cursor of a list of runs (a run's id: the runs older than it); null when not given. */
    static Long before(Context ctx) {
        String text = ctx.queryParam("before");
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long before = Long.parseLong(text.strip());
            if (before < 1) {
                throw new BadRequestResponse("before must be a run id (1 or more), got " + before);
            }
            return before;
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("before must be a run id (a whole number), got \"" + text + "\"");
        }
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
