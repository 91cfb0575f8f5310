package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.hone.error.HoneException;
import dev.hone.detect.Framework;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hone's training images and how to get them. {@code image: auto} takes the image of the detected framework:
 *
 * <table>
 *   <tr><th>framework</th><th>image</th><th>libraries</th></tr>
 *   <tr><td>python</td><td>hone/python</td><td>numpy, pandas</td></tr>
 *   <tr><td>sklearn, xgboost</td><td>hone/sklearn</td><td>+ scikit-learn, XGBoost</td></tr>
 *   <tr><td>pytorch</td><td>hone/pytorch</td><td>+ torch, torchvision</td></tr>
 *   <tr><td>tensorflow</td><td>hone/tensorflow</td><td>+ TensorFlow, Keras (registry Dockerfile only)</td></tr>
 * </table>
 *
 * Hone never pulls: an image must be in the daemon, built by {@code images/build-offline.sh} (Debian packages, no
 * registry) or from {@code images/<name>/Dockerfile} (where a registry is reachable).
 */
public final class Images {

    /** The image names {@code image: auto} chooses from, with the offline builder's argument for each. */
    static final Map<String, String> OWN = Map.of("hone/python", "python", "hone/sklearn", "sklearn",
            "hone/pytorch", "pytorch", "hone/tensorflow", "tensorflow");

    private Images() {}

    /** The image {@code image: auto} runs a project of {@code framework} in: "hone/sklearn". */
    public static String forFramework(Framework framework) {
        return switch (framework) {
            case PYTHON -> "hone/python";
            case SKLEARN, XGBOOST -> "hone/sklearn";
            case PYTORCH -> "hone/pytorch";
            case TENSORFLOW -> "hone/tensorflow";
        };
    }

    /**
     * The message for an image the daemon does not have, naming both ways to get it:
     * <pre>
     * image hone/sklearn is not in the Docker daemon at unix:///var/run/docker.sock (Hone does not pull images).
     * Get it either way:
     *   - without a registry, from Debian packages: images/build-offline.sh sklearn
     *   - with a registry: docker build -t hone/sklearn images/sklearn
     * </pre>
     */
    static String missingMessage(String image, String host) {
        String name = withoutLatest(image);
        String head = "image " + image + " is not in the Docker daemon at " + host
                + " (Hone does not pull images). Get it either way:\n";
        String own = OWN.get(name);
        if (own == null) {
            return head + "  - with a registry: docker pull " + image + "\n"
                    + "  - or build it here: docker build -t " + image + " DIR, or set environment.dockerfile in"
                    + " hone.yaml";
        }
        String offline = own.equals("tensorflow")
                ? "  - without a registry: not possible, Debian has no TensorFlow package (build it where a registry"
                  + " is reachable and `docker save | docker load` it here)\n"
                : "  - without a registry, from Debian packages: images/build-offline.sh " + own + "\n";
        return head + offline + "  - with a registry: docker build -t " + name + " images/" + own;
    }

    /** The image's user and environment; throws the {@link #missingMessage} when the daemon lacks it. */
    static ImageInfo require(DockerClient client, String image, String host) {
        try {
            InspectImageResponse inspect = client.inspectImageCmd(image).exec();
            var config = inspect.getConfig();
            List<String> env = config == null || config.getEnv() == null ? List.of() : List.of(config.getEnv());
            String user = config == null ? null : config.getUser();
            return new ImageInfo(image, user == null ? "" : user, env);
        } catch (NotFoundException e) {
            throw new HoneException(missingMessage(image, host));
        }
    }

    /** The image's id, then its registry digests, space-separated; empty when the daemon lacks it. */
    static Optional<String> digest(DockerClient client, String image) {
        try {
            InspectImageResponse inspect = client.inspectImageCmd(image).exec();
            List<String> parts = new ArrayList<>();
            parts.add(inspect.getId());
            if (inspect.getRepoDigests() != null) {
                parts.addAll(inspect.getRepoDigests());
            }
            return Optional.of(String.join(" ", parts));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** What the session needs to know of an image: its configured user and environment ("K=V"). */
    record ImageInfo(String name, String user, List<String> env) {

        /** The value of {@code variable} in the image's environment, or null. */
        String env(String variable) {
            for (String entry : env) {
                if (entry.startsWith(variable + "=")) {
                    return entry.substring(variable.length() + 1);
                }
            }
            return null;
        }
    }

    private static String withoutLatest(String image) {
        return image.endsWith(":latest") ? image.substring(0, image.length() - ":latest".length()) : image;
    }
}
