package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.run.RunStatus;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/projects/{name}/bisect} on a real pushed repository of seven commits whose fifth makes the model
 * worse: 202 with where to look, then the same answer as {@code hone bisect}; bad input refused at once with a 400.
 */
class BisectApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    GitFixture git;
    final List<String> commits = new ArrayList<>();

    @BeforeEach
    void sevenCommitsTheFifthWorsePushed() throws Exception {
        git = new GitFixture(tmp, "digits");
        commits.addAll(git.sevenCommitsTheFifthWorse());
        git.push("main");
    }

    private Serve serve() {
        return new Serve(tmp.resolve("data"), List.of(Serve.webhooks(git.url(), "hook-secret")), QueuePolicy.of(1));
    }

    private static void runGood(Serve serve, String sha) {
        assertThat(serve.post("/api/runs", "{\"project\": \"digits\", \"commit\": \"" + sha + "\"}").statusCode())
                .isEqualTo(202);
        assertThat(serve.awaitFinished(sha, 60).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void findsTheFirstBadCommitAndAnswersWithItsAuthorMessageAndTheValuesOnEachSide() throws Exception {
        try (Serve serve = serve()) {
            runGood(serve, commits.getFirst());

            HttpResponse<String> started = serve.post("/api/projects/digits/bisect",
                    "{\"good\": \"" + commits.getFirst() + "\", \"bad\": \"main\"}");

            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            JsonNode body = JSON.readTree(started.body());
            long id = body.get("id").asLong();
            assertThat(started.headers().firstValue("Location")).hasValue("/api/projects/digits/bisect/" + id);
            assertThat(body.get("status").asText()).isIn("running", "found");
            JsonNode[] done = new JsonNode[1];
            Serve.await(() -> {
                done[0] = read(serve.get("/api/projects/digits/bisect/" + id, "Authorization",
                        "Bearer " + Serve.TOKEN));
                return !done[0].get("status").asText().equals("running");
            }, 120, "the bisection to end");
            JsonNode result = done[0];
            assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("found");
            assertThat(result.get("first_bad").get("sha").asText()).isEqualTo(commits.get(4));
            assertThat(result.get("first_bad").get("author").asText()).isEqualTo("Ana Dev <ana@example.com>");
            assertThat(result.get("first_bad").get("message").asText()).isEqualTo("Slower learning");
            assertThat(result.get("last_good").get("sha").asText()).isEqualTo(commits.get(3));
            assertThat(result.get("good_value").asDouble()).isEqualTo(0.95);
            assertThat(result.get("bad_value").asDouble()).isEqualTo(0.91);
            assertThat(result.get("trained").asInt()).isEqualTo(2);
            assertThat(result.get("commits").asInt()).isEqualTo(6);
            assertThat(result.get("message").asText()).isEqualTo("the first bad commit is "
                    + commits.get(4).substring(0, 12) + " by Ana Dev <ana@example.com>: Slower learning\naccuracy 0.95"
                    + " at its parent " + commits.get(3).substring(0, 12) + ", 0.91 at "
                    + commits.get(4).substring(0, 12) + " (2 of 6 commits trained with the parameters of run 1)");
            assertThat(result.get("log").toString()).contains(commits.get(4).substring(0, 12)
                    + " Slower learning: 0.91");
        }
    }

    @Test
    void unknownCommitsAWrongOrderAndAGoodWithoutARunAreRefusedAtOnce() throws Exception {
        try (Serve serve = serve()) {
            HttpResponse<String> unknown = serve.post("/api/projects/digits/bisect",
                    "{\"good\": \"0000000000000000000000000000000000000bad\", \"bad\": \"main\"}");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(read(unknown).get("error").asText()).isEqualTo("0000000000000000000000000000000000000bad is not"
                    + " a commit of " + git.url() + ": give a commit id (git log --oneline lists them), a branch or a"
                    + " tag");

            HttpResponse<String> noRun = serve.post("/api/projects/digits/bisect",
                    "{\"good\": \"" + commits.getFirst() + "\", \"bad\": \"main\"}");
            assertThat(noRun.statusCode()).isEqualTo(400);
            assertThat(read(noRun).get("error").asText()).isEqualTo("no finished run of commit "
                    + commits.getFirst().substring(0, 12) + " of project digits: bisect trains every commit with the"
                    + " best parameters of GOOD's run — run GOOD first (POST /api/runs {\"project\": \"digits\","
                    + " \"commit\": \"" + commits.getFirst() + "\"})");

            runGood(serve, commits.getFirst());
            HttpResponse<String> reversed = serve.post("/api/projects/digits/bisect",
                    "{\"good\": \"main\", \"bad\": \"" + commits.getFirst() + "\"}");
            assertThat(reversed.statusCode()).isEqualTo(400);
            assertThat(read(reversed).get("error").asText()).isEqualTo("main is not on the first-parent history of "
                    + commits.getFirst() + " in " + git.url() + ": give an earlier commit of the same branch as GOOD");

            HttpResponse<String> missing = serve.post("/api/projects/digits/bisect", "{\"good\": \"main\"}");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(read(missing).get("error").asText()).startsWith("give the commits to bisect between");

            assertThat(serve.post("/api/projects/nope/bisect", "{\"good\": \"a\", \"bad\": \"b\"}").statusCode())
                    .isEqualTo(404);
            assertThat(serve.post("/api/projects/digits/bisect", "{\"good\": \"main\", \"bad\": \"main\"}",
                    "Content-Type", "application/json").statusCode()).as("no token").isEqualTo(401);
            assertThat(serve.get("/api/projects/digits/bisect/9").statusCode()).isEqualTo(404);
            assertThat(serve.store.runs(null, 10, 0)).as("nothing trained but GOOD's run").hasSize(1);
        }
    }

    private static JsonNode read(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(response.statusCode() + " " + response.body(), e);
        }
    }
}
