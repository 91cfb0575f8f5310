package dev.hone.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and commit of this Hone, as the build wrote them into {@value #RESOURCE} (see pom.xml); the commit
 * is {@value #UNKNOWN} when the build had no git, the version null when Hone was built without Maven.
 */
public record Build(String version, String commit) {

    public static final String RESOURCE = "/dev/hone/build.properties";
    public static final String UNKNOWN = "unknown";

    /** What {@value #RESOURCE} says. */
    public static Build current() {
        Properties build = new Properties();
        try (InputStream in = Build.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from Hone's jar: " + e.getMessage(), e);
        }
        String commit = build.getProperty("commit", "");
        return new Build(build.getProperty("version"), commit.isBlank() ? UNKNOWN : commit);
    }
}
