package io.chimera.perf.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class CommandLineToolsTest {

  @Test
  void findsACommandOnThePathAndNothingForAMissingOne() {
    assertThat(CommandLineTools.find("sh")).hasValueSatisfying(p -> assertThat(p).isExecutable());
    assertThat(CommandLineTools.find("chimera-no-such-tool")).isEmpty();
  }

  @Test
  void aMissingToolSkipsTheTestWithTheInstallCommandAndFailsItUnderCi() {
    Throwable t = catchThrowable(() -> CommandLineTools.require("chimera-no-such-tool", "pkg"));
    // a skip elsewhere, a failure where .ci/run should have installed the tool
    assertThat(t)
        .isInstanceOf(
            "true".equals(System.getenv("CI"))
                ? AssertionFailedError.class
                : TestAbortedException.class)
        .hasMessageContaining("apt-get install pkg");
    assertThat(CommandLineTools.require("sh", "dash")).isExecutable();
  }
}
