package dev.ghost.alerting;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ghost.alerting.model.LabelMatcher;
import dev.ghost.alerting.model.Labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelMatcherTest {

    private static final Labels RUNNER = Labels.of(Map.of("alertname", "InstanceDown", "service", "runner-service",
            "instance", "h1:5051"));

    @Test
    void theFourOperatorsMatchAsAlertmanagerDoes() {
        assertThat(LabelMatcher.parse("service=runner-service").matches(RUNNER)).isTrue();
        assertThat(LabelMatcher.parse("service!=runner-service").matches(RUNNER)).isFalse();
        assertThat(LabelMatcher.parse("service=~\"runner.*\"").matches(RUNNER)).isTrue();
        assertThat(LabelMatcher.parse("service!~\"runner.*\"").matches(RUNNER)).isFalse();
    }

    @Test
    void regularExpressionsAreAnchoredAtBothEnds() {
        assertThat(LabelMatcher.parse("service=~runner").matches(RUNNER)).isFalse();
        assertThat(LabelMatcher.parse("service=~\".*service\"").matches(RUNNER)).isTrue();
        assertThat(LabelMatcher.parse("instance=~\"h1:50[0-9]+\"").matches(RUNNER)).isTrue();
    }

    @Test
    void anAbsentLabelMatchesAsTheEmptyString() {
        assertThat(LabelMatcher.parse("target=\"\"").matches(RUNNER)).isTrue();
        assertThat(LabelMatcher.parse("target!=x").matches(RUNNER)).isTrue();
        assertThat(LabelMatcher.parse("target=~\".+\"").matches(RUNNER)).isFalse();
    }

    @Test
    void quotedValuesKeepEscapes() {
        LabelMatcher matcher = LabelMatcher.parse("summary=\"say \\\"hi\\\"\"");
        assertThat(matcher.value()).isEqualTo("say \"hi\"");
        assertThat(LabelMatcher.parse(matcher.toString()).value()).isEqualTo(matcher.value());
    }

    @Test
    void invalidMatchersAreRefusedWithTheReason() {
        assertThatThrownBy(() -> LabelMatcher.parse("service=~\"(runner\"")).hasMessageContaining("invalid regular expression");
        assertThatThrownBy(() -> LabelMatcher.parse("1service=x")).hasMessageContaining("label name");
        assertThatThrownBy(() -> LabelMatcher.parse("service")).hasMessageContaining("operator");
        assertThatThrownBy(() -> LabelMatcher.Op.of("==")).hasMessageContaining("=, !=, =~, !~");
    }

    @Test
    void fingerprintsDependOnLabelsOnlyNotOnTheirOrderAndAnEmptyLabelIsNoLabel() {
        Labels a = Labels.of(Map.of("service", "x", "instance", "y"));
        Labels b = Labels.of(new java.util.LinkedHashMap<>(Map.of("instance", "y", "service", "x")));
        Labels c = Labels.of(Map.of("service", "x", "instance", "y", "target", ""));
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).isEqualTo(c.fingerprint()).hasSize(16);
        assertThat(Labels.of(Map.of("service", "x", "instance", "z")).fingerprint()).isNotEqualTo(a.fingerprint());
        // FNV-1a 64 of the empty label set is the offset basis, as in Prometheus' model.LabelSet.
        assertThat(Labels.of(Map.of()).fingerprint()).isEqualTo("cbf29ce484222325");
    }
}
