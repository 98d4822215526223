package tandem.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {

    private static final Map<String, String> ENV = Map.of("HOST", "db", "PORT", "5432", "EMPTY", "");

    private final List<String> problems = new ArrayList<>();

    @Test
    void replacesAWholeValue() {
        assertThat(apply("${HOST}")).isEqualTo("db");
    }

    @Test
    void replacesInsideALongerValue() {
        assertThat(apply("jdbc:postgresql://${HOST}:${PORT}/app")).isEqualTo("jdbc:postgresql://db:5432/app");
    }

    @Test
    void usesTheDefaultWhenTheVariableIsUnsetOrEmpty() {
        assertThat(apply("${MISSING:-fallback}")).isEqualTo("fallback");
        assertThat(apply("${EMPTY:-fallback}")).isEqualTo("fallback");
        assertThat(apply("${HOST:-fallback}")).isEqualTo("db");
        assertThat(apply("${MISSING:-}")).isEmpty();
        assertThat(apply("${MISSING:-a:b/c}")).isEqualTo("a:b/c");
    }

    @Test
    void anEmptyVariableWithoutDefaultIsEmpty() {
        assertThat(apply("x${EMPTY}y")).isEqualTo("xy");
    }

    @Test
    void doubleDollarBraceIsALiteral() {
        assertThat(apply("$${HOST}")).isEqualTo("${HOST}");
        assertThat(apply("pa$$word$")).isEqualTo("pa$$word$");
        assertThat(apply("$$${HOST}")).isEqualTo("$${HOST}");
    }

    @Test
    void valuesFromTheEnvironmentAreNotSubstitutedAgain() {
        assertThat(EnvSubstitution.apply("${A}", Map.of("A", "${B}", "B", "no"), problems)).isEqualTo("${B}");
    }

    @Test
    void aMissingVariableIsNamed() {
        assertThat(apply("${PG_PASSWORD}")).isNull();
        assertThat(problems).containsExactly("environment variable PG_PASSWORD is not set");
    }

    @Test
    void everyMissingVariableInAValueIsNamed() {
        assertThat(apply("${A}:${HOST}:${B}")).isNull();
        assertThat(problems).containsExactly("environment variable A is not set", "environment variable B is not set");
    }

    @Test
    void anUnclosedReferenceIsAnError() {
        assertThat(apply("abc${HOST")).isNull();
        assertThat(problems).containsExactly("has a '${' without a closing '}' (write $${ for a literal ${)");
    }

    @Test
    void anInvalidNameIsAnErrorThatDoesNotShowTheDefault() {
        assertThat(apply("${1X:-secret}")).isNull();
        assertThat(problems).containsExactly("'${1X:-...}' is not an environment variable reference; names are"
                + " letters, digits and _ (write $${ for a literal ${)");
    }

    @Test
    void textWithoutReferencesIsUnchanged() {
        assertThat(apply("plain $ text {}")).isEqualTo("plain $ text {}");
        assertThat(problems).isEmpty();
    }

    private String apply(String text) {
        return EnvSubstitution.apply(text, ENV, problems);
    }
}
