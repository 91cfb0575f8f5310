package dev.hone.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.testing.Parts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/hone.service, checked by systemd itself: {@code systemd-analyze verify} finds nothing to say, and
 * {@code systemd-analyze security} rates its exposure "OK" or better. verify also checks that ExecStart's program
 * exists, so the copy checked runs a stand-in at another path; every other line is as shipped.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SystemdUnitTest {

    private static final Path UNIT = Path.of("deploy/hone.service");
    private static final String PROGRAM = "/opt/hone/bin/hone";

    @TempDir
    Path dir;
    private Path unit;

    @BeforeEach
    void copyTheUnitWithAStandInProgram() throws IOException {
        Parts.require(run(List.of("systemd-analyze", "--version")).exit() == 0,
                "systemd-analyze (apt-get install systemd)");
        Path program = Files.writeString(dir.resolve("hone"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        String shipped = Files.readString(UNIT);
        assertThat(shipped).contains("ExecStart=" + PROGRAM + " serve --config /etc/hone/hone-server.yaml\n");
        unit = Files.writeString(dir.resolve("hone.service"), shipped.replace(PROGRAM, program.toString()));
    }

    @Test
    void systemdFindsNothingToSayAboutIt() {
        Commands.Result verify = run(List.of("systemd-analyze", "verify", unit.toString()));

        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).isEmpty();
    }

    @Test
    void aMisspelledSettingIsWhatVerifyWouldReport() throws IOException {
        Files.writeString(unit, Files.readString(unit).replace("ProtectSystem=strict", "ProtectSytem=strict"));

        Commands.Result verify = run(List.of("systemd-analyze", "verify", unit.toString()));

        assertThat(verify.output()).contains("Unknown key 'ProtectSytem' in section [Service], ignoring.");
    }

    @Test
    void itRunsAsItsOwnUserInAReadOnlySystemWithItsExposureRatedOk() throws IOException {
        assertThat(Files.readAllLines(UNIT)).contains("User=hone", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "ReadWritePaths=/var/lib/hone", "StateDirectory=hone", "ProtectHome=yes", "PrivateTmp=yes",
                "CapabilityBoundingSet=");

        // the overall exposure level times ten: 4.5 and below is what systemd calls OK
        Commands.Result security = run(List.of("systemd-analyze", "security", "--offline=true", "--threshold=45",
                unit.toString()));

        assertThat(security.exit()).as(security.output()).isZero();
        assertThat(security.output()).containsPattern("Overall exposure level for hone.service: [0-4]\\.\\d OK");
    }

    private static Commands.Result run(List<String> command) {
        return Commands.run(command);
    }
}
