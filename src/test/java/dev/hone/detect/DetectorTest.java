package dev.hone.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.error.HoneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DetectorTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "import torch                                     | pytorch",
            "from torch.utils.data import DataLoader          | pytorch",
            "import tensorflow as tf                          | tensorflow",
            "from keras import layers                         | tensorflow",
            "import xgboost as xgb                            | xgboost",
            "from sklearn.svm import SVC                      | sklearn",
            "import numpy as np, sklearn.datasets             | sklearn",
            "import json                                      | python",
            "# import torch (a comment)                       | python",
    })
    void theFrameworkComesFromTheImports(String line, String framework) throws IOException {
        Files.writeString(dir.resolve("main.py"), line + "\n");

        assertThat(Detector.detect(dir).framework().label()).isEqualTo(framework);
    }

    @Test
    void pytorchWinsOverScikitLearnWhenBothAreImported() throws IOException {
        Files.writeString(dir.resolve("main.py"), "import sklearn\n");
        Files.createDirectories(dir.resolve("model"));
        Files.writeString(dir.resolve("model/net.py"), "import torch.nn as nn\n");

        Detection d = Detector.detect(dir);

        assertThat(d.framework()).isEqualTo(Framework.PYTORCH);
        assertThat(d.imports()).contains("sklearn", "torch");
    }

    @Test
    void mainPyIsPreferredOverTrainPy() throws IOException {
        Files.writeString(dir.resolve("train.py"), "");
        assertThat(Detector.detect(dir).entrypoint()).isEqualTo("train.py");

        Files.writeString(dir.resolve("main.py"), "");
        assertThat(Detector.detect(dir).entrypoint()).isEqualTo("main.py");
        assertThat(Detector.detect(dir).defaultCommand()).isEqualTo("python3 main.py");
    }

    @Test
    void withoutAnEntrypointThereIsNoDefaultCommand() {
        Detection d = Detector.detect(dir);

        assertThat(d.entrypoint()).isNull();
        assertThat(d.defaultCommand()).isNull();
        assertThat(d.framework()).isEqualTo(Framework.PYTHON);
    }

    @Test
    void importsInVirtualenvsAndGitAreIgnored() throws IOException {
        Files.createDirectories(dir.resolve(".venv/lib"));
        Files.writeString(dir.resolve(".venv/lib/site.py"), "import torch\n");
        Files.writeString(dir.resolve("main.py"), "import json\n");

        assertThat(Detector.detect(dir).imports()).isEqualTo(Set.of("json"));
    }

    @Test
    void aPythonFileLinkedFromOutsideTheCheckoutIsNotRead(@TempDir Path elsewhere) throws IOException {
        Files.writeString(dir.resolve("main.py"), "import json\n");
        Files.writeString(elsewhere.resolve("host.py"), "import torch\n");
        Files.createSymbolicLink(dir.resolve("helpers.py"), elsewhere.resolve("host.py"));
        Files.writeString(dir.resolve("model.py"), "import sklearn\n");
        Files.createSymbolicLink(dir.resolve("alias.py"), dir.resolve("model.py"));

        Detection d = Detector.detect(dir);
        assertThat(d.imports()).as("the link out is not read; the link within is").containsExactly("json", "sklearn");
        assertThat(d.framework().label()).isEqualTo("sklearn");
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        assertThatThrownBy(() -> Detector.detect(dir.resolve("nope")))
                .isInstanceOf(HoneException.class)
                .hasMessage("not a directory: " + dir.resolve("nope") + ": give the directory that holds main.py");
    }

    @Test
    void theMetricIsGuessedFromWhatTheScriptPrints() throws IOException {
        Path main = dir.resolve("main.py");
        Files.writeString(main, "print('Test accuracy:', acc)\n");
        assertThat(MetricGuess.guess(main)).contains(new MetricGuess.Guess("accuracy", true));

        Files.writeString(main, "print(f\"epoch={e} val_loss={l}\")\n");
        assertThat(MetricGuess.guess(main)).contains(new MetricGuess.Guess("val_loss", false));

        Files.writeString(main, "print('hello')\n");
        assertThat(MetricGuess.guess(main)).isEmpty();
    }
}
