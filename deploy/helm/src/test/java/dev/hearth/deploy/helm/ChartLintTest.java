package dev.hearth.deploy.helm;

import com.marcnuri.helm.LintResult;
import dev.hearth.deploy.helm.HearthChart.ValueSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ChartLintTest {

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void lintsCleanInStrictMode(ValueSet set, @TempDir Path work) {
        LintResult result = HearthChart.lint(set, work);

        assertThat(result.isFailed()).as("helm lint --strict (%s): %s", set, result.getMessages()).isFalse();
        assertThat(result.getMessages()).as("lint messages (%s)", set)
                .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }
}
