package tandem.core.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class CursorsTest {

    @Test
    void partsWithCommasAndBackslashesComeBackAsTheyWere() {
        for (List<String> parts : List.of(List.of("t:a,b", "i:42"), List.of("t:\\", "t:,"), List.of(""),
                List.of("t:", "t:"), List.of("b:00ff", "r:4607182418800017408", "t:x\\,y"))) {
            String joined = Cursors.join(parts);
            assertThat(joined).doesNotContain("\u0000");
            assertThat(Cursors.split(joined)).isEqualTo(parts);
        }
    }
}
