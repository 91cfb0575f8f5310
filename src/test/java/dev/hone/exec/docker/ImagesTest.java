package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.detect.Framework;
import org.junit.jupiter.api.Test;

class ImagesTest {

    @Test
    void imageAutoChoosesByTheDetectedFramework() {
        assertThat(Images.forFramework(Framework.PYTHON)).isEqualTo("hone/python");
        assertThat(Images.forFramework(Framework.SKLEARN)).isEqualTo("hone/sklearn");
        assertThat(Images.forFramework(Framework.XGBOOST)).isEqualTo("hone/sklearn");
        assertThat(Images.forFramework(Framework.PYTORCH)).isEqualTo("hone/pytorch");
        assertThat(Images.forFramework(Framework.TENSORFLOW)).isEqualTo("hone/tensorflow");
    }

    @Test
    void aMissingOwnImageNamesTheOfflineBuilderAndTheRegistryDockerfile() {
        assertThat(Images.missingMessage("hone/sklearn", "unix:///var/run/docker.sock")).isEqualTo(
                "image hone/sklearn is not in the Docker daemon at unix:///var/run/docker.sock (Hone does not pull"
                + " images). Get it either way:\n"
                + "  - without a registry, from Debian packages: images/build-offline.sh sklearn\n"
                + "  - with a registry: docker build -t hone/sklearn images/sklearn");
    }

    @Test
    void aMissingTensorflowImageSaysDebianHasNoTensorflow() {
        assertThat(Images.missingMessage("hone/tensorflow:latest", "unix:///var/run/docker.sock")).isEqualTo(
                "image hone/tensorflow:latest is not in the Docker daemon at unix:///var/run/docker.sock (Hone does"
                + " not pull images). Get it either way:\n"
                + "  - without a registry: not possible, Debian has no TensorFlow package (build it where a registry"
                + " is reachable and `docker save | docker load` it here)\n"
                + "  - with a registry: docker build -t hone/tensorflow images/tensorflow");
    }
}
