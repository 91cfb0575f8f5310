package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conditional parameters end to end, with real trial processes: the trial fails unless it is given momentum (and
 * nesterov) exactly when the optimizer is sgd and beta exactly when it is adam — in {@code $HONE_PARAMS}, in the
 * {@code HONE_PARAM_*} variables and in {@code {args}} alike.
 */
class ConditionalRunTest {

    static final String MAIN = """
            import json, os, sys
            params = json.load(open(os.environ["HONE_PARAMS"]))
            env = {k[len("HONE_PARAM_"):].lower() for k in os.environ if k.startswith("HONE_PARAM_")}
            args = {a[2:].split("=")[0] for a in sys.argv[1:]}
            expected = {"sgd": {"optimizer", "momentum", "nesterov"}, "adam": {"optimizer", "beta"}}[params["optimizer"]]
            for name, given in (("HONE_PARAMS", set(params)), ("HONE_PARAM_*", env), ("{args}", args)):
                if given != expected:
                    sys.exit("%s gave %s with %s" % (name, sorted(given), params["optimizer"]))
            value = params["momentum"] if params["optimizer"] == "sgd" else params["beta"]
            print("accuracy=%s" % value)
            """;

    @TempDir
    Path tmp;

    @Test
    void aTrialIsGivenMomentumOnlyWithSgdAndBetaOnlyWithAdam() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        Path project = Files.createDirectories(tmp.resolve("optimizers"));
        Files.writeString(project.resolve("main.py"), MAIN);
        Files.writeString(project.resolve("hone.yaml"), """
                train:
                  command: python3 main.py {args}
                metric: {name: accuracy}
                tune:
                  strategy: grid
                  max_trials: 20
                  params:
                    optimizer: [sgd, adam]
                    momentum: {min: 0, max: 0.9, when: {optimizer: sgd}}
                    nesterov: {choices: [true], when: {optimizer: sgd}}
                    beta: {choices: [0.9, 0.99], when: {optimizer: adam}}
                """);
        Path json = tmp.resolve("summary.json");

        int code = cli.run("run", project.toString(), "--executor", "local", "--json", json.toString());

        assertThat(code).as(cli.out() + cli.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(json.toFile());
        List<String> trials = new ArrayList<>();
        for (JsonNode t : summary.get("trials")) {
            assertThat(t.get("state").asText()).as(t.toString()).isEqualTo("succeeded");
            List<String> names = new ArrayList<>();
            t.get("params").fieldNames().forEachRemaining(names::add);
            trials.add(String.join(",", names) + "=" + t.get("value").asDouble());
        }
        // the grid: 5 momenta with sgd, 2 betas with adam — only active combinations, each once
        assertThat(trials).containsExactlyInAnyOrder("optimizer,momentum,nesterov=0.0",
                "optimizer,momentum,nesterov=0.225", "optimizer,momentum,nesterov=0.45",
                "optimizer,momentum,nesterov=0.675", "optimizer,momentum,nesterov=0.9", "optimizer,beta=0.9",
                "optimizer,beta=0.99");
        assertThat(summary.at("/best/params").toString()).isEqualTo("{\"optimizer\":\"adam\",\"beta\":0.99}");
    }
}
