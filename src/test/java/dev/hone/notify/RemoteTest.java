package dev.hone.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteTest {

    @ParameterizedTest
    @CsvSource({
            "https://github.com/acme/digits.git, github.com, acme/digits",
            "https://github.com/acme/digits, github.com, acme/digits",
            "https://github.com/acme/digits/, github.com, acme/digits",
            "https://ana:ghp_s3cret@github.com/acme/digits.git, github.com, acme/digits",
            "git@github.com:acme/digits.git, github.com, acme/digits",
            "github.com:acme/digits, github.com, acme/digits",
            "ssh://git@gitlab.example.com:2222/ml/vision/digits.git, gitlab.example.com, ml/vision/digits",
            "https://GitLab.Example.com/ml/digits.git, gitlab.example.com, ml/digits",
    })
    void aRemoteUrlNamesItsHostAndRepository(String url, String host, String path) {
        assertThat(Remote.parse(url)).contains(new Remote(host, path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/srv/git/digits", "file:///srv/git/digits.git", "digits", "https://github.com/",
            "https://github.com/acme", "  "})
    void localPathsAndUrlsWithoutARepositoryNameNone(String url) {
        assertThat(Remote.parse(url)).isEmpty();
    }

    @Test
    void noUrlNamesNone() {
        assertThat(Remote.parse(null)).isEmpty();
    }
}
