package dev.ghost.ml.templates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TemplateMinerTest {

    @Test
    void learnsVariablesOnlineAndKeepsTemplateIdsStable() {
        TemplateMiner miner = new TemplateMiner();
        TemplateMiner.Match first = miner.add("Invalid user admin from 1.2.3.4", 1);
        TemplateMiner.Match second = miner.add("Invalid user oracle from 5.6.7.8", 2);
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.changed()).isTrue();
        assertThat(second.cluster().id()).isEqualTo(first.cluster().id());
        assertThat(second.cluster().template()).isEqualTo("Invalid user <*> from <*>");
        assertThat(second.cluster().count()).isEqualTo(2);
        assertThat(second.cluster().firstSeen()).isEqualTo(1);
        assertThat(second.cluster().lastSeen()).isEqualTo(2);
    }

    @Test
    void keepsDifferentEventsApartEvenWhenTheyShareMostWords() {
        TemplateMiner miner = new TemplateMiner();
        int failed = miner.add("Failed password for root from 1.2.3.4 port 22 ssh2", 0).cluster().id();
        int accepted = miner.add("Accepted password for root from 1.2.3.4 port 22 ssh2", 0).cluster().id();
        int failedAgain = miner.add("Failed password for bob from 9.9.9.9 port 2222 ssh2", 0).cluster().id();
        assertThat(failed).isNotEqualTo(accepted).isEqualTo(failedAgain);
    }

    @Test
    void aHeadWordSeenWithManyValuesBecomesAVariable() {
        TemplateMiner miner = new TemplateMiner();
        for (String app : new String[] {"chrome.exe", "Dropbox.exe", "Skype.exe", "putty.exe"}) {
            miner.add(app + " - www.example.com:443 open through proxy proxy.example.com:5070 HTTPS", 0);
        }
        assertThat(miner.clusters()).singleElement()
                .satisfies(c -> assertThat(c.template()).isEqualTo("<*> - <*> open through proxy <*> HTTPS"))
                .satisfies(c -> assertThat(c.count()).isEqualTo(4));
        assertThat(miner.match("firefox.exe - a.example.org:80 open through proxy proxy.example.com:5070 HTTPS")).isNotNull();
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentlyUsedTemplates() {
        TemplateMiner miner = new TemplateMiner(MinerSettings.DEFAULT.withMaxClusters(10));
        int keep = miner.add("heartbeat ok", 0).cluster().id();
        for (int i = 0; i < 100; i++) {
            String word = "w" + (char) ('a' + i % 26) + (char) ('a' + i / 26);
            miner.add("unique " + word + " " + word + "x " + word + "y", i);
            miner.add("heartbeat ok", i);
        }
        assertThat(miner.size()).isEqualTo(10);
        assertThat(miner.cluster(keep)).isNotNull();
    }

    @Test
    void restoredTemplatesKeepTheirIds() {
        TemplateMiner miner = new TemplateMiner();
        miner.restore(41, "Connection closed by <*> [preauth]", 7, 100, 200);
        TemplateMiner.Match match = miner.add("Connection closed by 10.0.0.1 [preauth]", 300);
        assertThat(match.cluster().id()).isEqualTo(41);
        assertThat(match.cluster().count()).isEqualTo(8);
        assertThat(miner.add("Something new entirely", 301).cluster().id()).isEqualTo(42);
    }

    @Test
    void perSourceOverridesChangeOnlyThatSource() {
        TemplateService.Overrides overrides = new TemplateService.Overrides(
                java.util.Map.of("mainframe", new TemplateService.Override(0.8, 3, null)));
        assertThat(overrides.settingsFor("mainframe").similarity()).isEqualTo(0.8);
        assertThat(overrides.settingsFor("mainframe").prefixDepth()).isEqualTo(3);
        assertThat(overrides.settingsFor("mainframe").maxClusters()).isEqualTo(MinerSettings.DEFAULT.maxClusters());
        assertThat(overrides.settingsFor("anything-else")).isEqualTo(MinerSettings.DEFAULT);
    }
}
