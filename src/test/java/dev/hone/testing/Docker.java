package dev.hone.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code docker} command line, for tests that look at or break containers from outside Hone. */
public final class Docker {

    private Docker() {}

    public static String run(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Ids of the running containers with every one of {@code labels} ("key=value"), newest first. */
    public static List<String> running(String... labels) {
        return ps("-q", labels);
    }

    /** Ids of the containers, of any state, with every one of {@code labels}. */
    public static List<String> all(String... labels) {
        return ps("-aq", labels);
    }

    private static List<String> ps(String which, String... labels) {
        List<String> args = new ArrayList<>(List.of("ps", which, "--no-trunc"));
        for (String label : labels) {
            args.add("--filter");
            args.add("label=" + label);
        }
        String out = run(args.toArray(String[]::new));
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    public static JsonNode inspect(String id) {
        try {
            return new ObjectMapper().readTree(run("inspect", id)).get(0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static void removeAll(String label) {
        for (String id : all(label)) {
            run("rm", "-f", id);
        }
    }
}
