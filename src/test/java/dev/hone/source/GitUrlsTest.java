package dev.hone.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitUrlsTest {

    @Test
    void everySpellingOfOneRepositoryHasOneKey() {
        assertThat(GitUrls.key("https://github.com/Acme/Digits.git")).isEqualTo("github.com/acme/digits");
        assertThat(GitUrls.key("git@github.com:acme/digits.git")).isEqualTo("github.com/acme/digits");
        assertThat(GitUrls.key("ssh://git@github.com:22/acme/digits")).isEqualTo("github.com/acme/digits");
        assertThat(GitUrls.key("https://bot:tok@github.com/acme/digits/")).isEqualTo("github.com/acme/digits");
        assertThat(GitUrls.key("http://github.com/acme/digits")).isEqualTo("github.com/acme/digits");
        assertThat(GitUrls.key("/srv/git/digits.git")).isEqualTo("/srv/git/digits");
        assertThat(GitUrls.key("file:///srv/git/digits.git")).isEqualTo("/srv/git/digits");
        assertThat(GitUrls.key("git@127.0.0.1:/srv/git/digits.git"))
                .isEqualTo(GitUrls.key("https://127.0.0.1:8443/srv/git/digits.git")).isEqualTo("127.0.0.1/srv/git/digits");
    }

    @Test
    void tellsTransportsAndHostsApart() {
        assertThat(GitUrls.ssh("git@github.com:acme/digits.git")).isTrue();
        assertThat(GitUrls.ssh("ssh://git@gitlab.example.com:2222/acme/digits.git")).isTrue();
        assertThat(GitUrls.ssh("https://github.com/acme/digits.git")).isFalse();
        assertThat(GitUrls.ssh("/srv/git/digits.git")).isFalse();
        assertThat(GitUrls.http("HTTPS://github.com/acme/digits.git")).isTrue();
        assertThat(GitUrls.host("git@github.com:acme/digits.git")).contains("github.com");
        assertThat(GitUrls.host("/srv/git/digits.git")).isEmpty();
        assertThat(GitUrls.port("ssh://git@gitlab.example.com:2222/acme/digits.git")).isEqualTo(2222);
        assertThat(GitUrls.port("git@github.com:acme/digits.git")).isEqualTo(-1);
    }

    @Test
    void resolvesRelativeSubmoduleUrlsAgainstTheSuperprojectAsGitDoes() {
        assertThat(GitUrls.resolve("git@github.com:acme/app.git", "../lib.git")).isEqualTo("git@github.com:acme/lib.git");
        assertThat(GitUrls.resolve("git@github.com:app.git", "../lib.git")).isEqualTo("git@github.com:lib.git");
        assertThat(GitUrls.resolve("https://github.com/acme/app.git/", "../../other/lib.git"))
                .isEqualTo("https://github.com/other/lib.git");
        assertThat(GitUrls.resolve("ssh://git@h:2222/srv/app.git", "./lib.git"))
                .isEqualTo("ssh://git@h:2222/srv/app.git/lib.git");
        assertThat(GitUrls.resolve("/srv/git/app.git", "../lib.git")).isEqualTo("/srv/git/lib.git");
        assertThat(GitUrls.resolve("/srv/git/app.git", "https://github.com/acme/lib.git"))
                .isEqualTo("https://github.com/acme/lib.git");
    }

    @Test
    void namesARepositoryByItsLastSegment() {
        assertThat(GitUrls.name("https://github.com/acme/digits.git")).isEqualTo("digits");
        assertThat(GitUrls.name("git@github.com:digits.git")).isEqualTo("digits");
        assertThat(GitUrls.name("/srv/git/digits.git/")).isEqualTo("digits");
    }

    @Test
    void masksCredentialsInUrlsAndMessages() {
        assertThat(GitUrls.mask("https://bot:ghp_secret@github.com/acme/digits.git"))
                .isEqualTo("https://bot:***@github.com/acme/digits.git");
        assertThat(GitUrls.mask("https://ghp_secret@github.com/a.git")).isEqualTo("https://***@github.com/a.git");
        assertThat(GitUrls.mask("git@github.com:acme/digits.git")).isEqualTo("git@github.com:acme/digits.git");
        assertThat(GitUrls.mask("ssh://git@github.com/acme/digits.git")).as("an SSH user is no secret")
                .isEqualTo("ssh://git@github.com/acme/digits.git");
        assertThat(GitUrls.maskAll("https://u:p@h/x.git: not authorized; tried https://u:p@h/x.git"))
                .isEqualTo("https://u:***@h/x.git: not authorized; tried https://u:***@h/x.git");
    }

    @Test
    void theSecretsOfAUrlAreWhatMaskHides() {
        assertThat(GitUrls.secrets("https://bot:ghp_secret@github.com/acme/digits.git")).containsExactly("ghp_secret");
        assertThat(GitUrls.secrets("https://ghp_token@github.com/a.git")).containsExactly("ghp_token");
        assertThat(GitUrls.secrets("ssh://git@github.com/acme/digits.git")).as("an ssh user is no secret").isEmpty();
        assertThat(GitUrls.secrets("jdbc:postgresql://db/hone?user=hone&password=pg-secret")).containsExactly(
                "pg-secret");
        assertThat(GitUrls.secrets(null)).isEmpty();
    }
}
