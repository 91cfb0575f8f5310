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
        assertThat(GitUrls.maskAll("https://u:p@h/x.git: not authorized; tried https://u:p@h/x.git"))
                .isEqualTo("https://u:***@h/x.git: not authorized; tried https://u:***@h/x.git");
    }
}
