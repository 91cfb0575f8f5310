package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.source.Signatures;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {

    @TempDir
    Path tmp;

    @Test
    void withoutAConfiguredTokenOneIsGeneratedPrintedOnceAndStoredHashed() {
        String token;
        try (Serve first = new Serve(tmp, List.of(), QueuePolicy.of(1), null)) {
            Matcher m = Pattern.compile("\n  (hone_[A-Za-z0-9_-]{43})\n").matcher(first.output());
            assertThat(m.find()).as(first.output()).isTrue();
            token = m.group(1);
            assertThat(first.store.installation().apiTokenHash()).hasValue(Signatures.sha256Hex(token));
            assertThat(first.post("/api/runs", "{\"project\": \"x\"}", "Authorization", "Bearer " + token)
                    .statusCode()).as("accepted (no such project)").isEqualTo(404);
        }
        try (Serve second = new Serve(tmp, List.of(), QueuePolicy.of(1), null)) {
            assertThat(second.output()).doesNotContain(token).doesNotContain("generated");
            assertThat(second.post("/api/runs", "{\"project\": \"x\"}", "Authorization", "Bearer " + token)
                    .statusCode()).isEqualTo(404);
            assertThat(second.post("/api/runs", "{\"project\": \"x\"}", "Authorization", "Bearer " + Serve.TOKEN)
                    .statusCode()).isEqualTo(401);
        }
    }
}
