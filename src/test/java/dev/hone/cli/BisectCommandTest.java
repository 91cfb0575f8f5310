package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.server.GitFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hone bisect GOOD BAD} on a real git repository of seven commits whose fifth makes the model worse: found by
 * training two commits with the best parameters of GOOD's run.
 */
class BisectCommandTest {

    @TempDir
    Path tmp;
    Cli cli;
    GitFixture git;
    final List<String> commits = new ArrayList<>();

    @BeforeEach
    void sevenCommitsTheFifthWorse() throws Exception {
        cli = new Cli(tmp.resolve("home"));
        git = new GitFixture(tmp, "digits");
        commits.addAll(git.sevenCommitsTheFifthWorse());
    }

    @Test
    void findsTheFirstCommitThatMadeTheModelWorseWithItsAuthorMessageAndTheValuesOnEachSide() {
        git.git(git.work, "checkout", "--quiet", commits.getFirst());
        assertThat(cli.run("run", git.work.toString(), "--executor", "local")).as(cli.err()).isZero();
        git.git(git.work, "checkout", "--quiet", "main");

        int code = cli.run("bisect", commits.getFirst(), commits.getLast(), git.work.toString(), "--executor", "local");

        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.out()).isEqualTo("the first bad commit is " + commits.get(4).substring(0, 12)
                + " by Ana Dev <ana@example.com>: Slower learning\naccuracy 0.95 at its parent "
                + commits.get(3).substring(0, 12) + ", 0.91 at " + commits.get(4).substring(0, 12)
                + " (2 of 6 commits trained with the parameters of run 1)\n");
        assertThat(cli.err()).contains("each trained once with the parameters of run 1 (lr=0.2), accuracy 0.95 there",
                commits.get(3).substring(0, 12) + " Change 4: 0.95 (run 2)",
                commits.get(4).substring(0, 12) + " Slower learning: 0.91 (run 3)");
    }

    @Test
    void aGoodCommitWithoutARunSaysToRunItFirst() {
        int code = cli.run("bisect", commits.getFirst(), commits.getLast(), git.work.toString(), "--executor", "local");

        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).startsWith("hone: no finished run of commit " + commits.getFirst().substring(0, 12))
                .contains("run GOOD first (git checkout " + commits.getFirst().substring(0, 12) + " && hone run)");
    }

    @Test
    void aGoodThatIsNotAnAncestorOfBadIsRefused() {
        int code = cli.run("bisect", commits.getLast(), commits.getFirst(), git.work.toString());

        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains(commits.getLast() + " is not on the first-parent history of "
                + commits.getFirst());
    }
}
