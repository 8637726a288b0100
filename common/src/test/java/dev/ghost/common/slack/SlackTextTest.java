package dev.ghost.common.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What alert text can do in Slack: nothing but be read. */
class SlackTextTest {

    @Test
    void mentionsAndLinksBecomeLiteralText() {
        assertThat(SlackText.escape("<!channel> <!here> <@U012> <https://x|y> & co"))
                .isEqualTo("&lt;!channel&gt; &lt;!here&gt; &lt;@U012&gt; &lt;https://x|y&gt; &amp; co");
    }

    @Test
    void aCodeSpanCannotBeClosedEarlyNorSpanLines() {
        assertThat(SlackText.code("a` <!here> *b*\nc")).isEqualTo("`aˋ &lt;!here&gt; *b* c`");
    }

    @Test
    void linksGoOnlyToWebAddressesAndCannotBreakOut() {
        assertThat(SlackText.link("https://ghost.example/a?b=c|d>e", "Run <it>|now"))
                .isEqualTo("<https://ghost.example/a?b=c%7Cd%3Ee|Run &lt;it&gt;¦now>");
        assertThat(SlackText.link("javascript:alert(1)", "click")).isEqualTo("click");
        assertThat(SlackText.link("slack://channel?team=T1", "open")).isEqualTo("open");
        assertThat(SlackText.link(null, "<!channel>")).isEqualTo("&lt;!channel&gt;");
    }
}
