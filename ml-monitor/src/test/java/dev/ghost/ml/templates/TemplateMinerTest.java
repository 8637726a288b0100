package dev.ghost.ml.templates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TemplateMinerTest {

    @Test
    void learnsVariablesOnlineAndKeepsTemplateIdsStable() {
        TemplateMiner miner = new TemplateMiner();
        TemplateMiner.Match first = miner.add("Invalid user admin from 1.2.3.4", 1);
        TemplateMiner.Match second = miner.add("Invalid user admin from 5.6.7.8", 2);
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.changed()).as("both addresses were masked already").isFalse();
        assertThat(second.cluster().id()).isEqualTo(first.cluster().id());
        assertThat(second.cluster().template()).isEqualTo("Invalid user admin from <*>");
        // A word is a constant until enough different words at one position prove it a variable.
        miner.add("Invalid user oracle from 9.9.9.9", 3);
        miner.add("Invalid user pi from 9.9.9.8", 4);
        TemplateMiner.Match proven = miner.add("Invalid user test from 9.9.9.7", 5);
        assertThat(proven.changed()).isTrue();
        assertThat(proven.cluster().id()).isEqualTo(first.cluster().id());
        assertThat(proven.cluster().template()).isEqualTo("Invalid user <*> from <*>");
        assertThat(proven.cluster().count()).isEqualTo(5);
        assertThat(proven.cluster().firstSeen()).isEqualTo(1);
        assertThat(proven.cluster().lastSeen()).isEqualTo(5);
        assertThat(miner.size()).isOne();
    }

    @Test
    void keepsDifferentEventsApartEvenWhenTheyShareMostWords() {
        TemplateMiner miner = new TemplateMiner();
        int failed = miner.add("Failed password for root from 1.2.3.4 port 22 ssh2", 0).cluster().id();
        int accepted = miner.add("Accepted password for root from 1.2.3.4 port 22 ssh2", 0).cluster().id();
        int failedAgain = miner.add("Failed password for root from 9.9.9.9 port 2222 ssh2", 0).cluster().id();
        assertThat(failed).isNotEqualTo(accepted).isEqualTo(failedAgain);
    }

    @Test
    void aWordDifferenceInALongMessageIsAnotherEventUntilItProvesVariable() {
        TemplateMiner miner = new TemplateMiner();
        int bytes = miner.add("Block rdd_1 stored as bytes in memory (estimated size 1.2 KB, free 3.0 MB)", 0).cluster().id();
        int values = miner.add("Block rdd_2 stored as values in memory (estimated size 8.8 KB, free 2.9 MB)", 0).cluster().id();
        int bytesAgain = miner.add("Block rdd_3 stored as bytes in memory (estimated size 93.0 B, free 2.8 MB)", 0).cluster().id();
        assertThat(bytes).isNotEqualTo(values).isEqualTo(bytesAgain);
        assertThat(miner.cluster(bytes).template()).isEqualTo("Block <*> stored as bytes in memory (estimated size <*> free <*> MB)");
    }

    @Test
    void quantitiesWithDifferentUnitsOrShapesAreOneVariable() {
        TemplateMiner miner = new TemplateMiner();
        int a = miner.add("app - host:443 close, 1190 bytes (1.16 KB) sent, 534 bytes received, lifetime 00:01", 0).cluster().id();
        int b = miner.add("app - host:443 close, 2048 bytes (2 MB) sent, 12 bytes received, lifetime <1 sec", 0).cluster().id();
        assertThat(a).isEqualTo(b);
        assertThat(miner.cluster(a).template()).isEqualTo("app - <*> close, <*> bytes <*> sent, <*> bytes received, lifetime <*>");
    }

    @Test
    void theFewerConstantsNameAnEventTheMoreValuesAWordNeedsToBeAVariable() {
        TemplateMiner miner = new TemplateMiner();
        for (String daemon : new String[] {"cupsd", "sshd", "syslogd", "klogd", "irqbalance"}) {
            miner.add(daemon + " startup succeeded", 0);
        }
        assertThat(miner.size()).as("five daemons with two constants: five events").isEqualTo(5);
        for (String user : new String[] {"cyrus", "news", "test"}) {
            miner.add("session opened for user " + user + " by (uid=0)", 0);
        }
        assertThat(miner.clusters()).filteredOn(c -> c.template().startsWith("session")).singleElement()
                .satisfies(c -> assertThat(c.template()).isEqualTo("session opened for user <*> by (uid=<*>)"));
    }

    @Test
    void linesWithSeveralWordVariablesEndUpInOneTemplateOnceTheirLeafIsCrowded() {
        TemplateMiner miner = new TemplateMiner();
        String[] users = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
        String[] hosts = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot"};
        java.util.Random random = new java.util.Random(2);
        int[] ids = new int[400];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = miner.add("Accepted password for " + users[random.nextInt(users.length)] + " from "
                    + hosts[random.nextInt(hosts.length)] + " port " + random.nextInt(60_000), i).cluster().id();
        }
        assertThat(java.util.Arrays.stream(ids).mapToObj(id -> miner.cluster(id).template()).distinct())
                .containsExactly("Accepted password for <*> from <*> port <*>");
    }

    @Test
    void olderTemplatesCoveredByAWiderOneAreFoldedIntoIt() {
        TemplateMiner miner = new TemplateMiner();
        int word = miner.add("android is deprecated. Instead, use mapreduce.task.partition", 0).cluster().id();
        int masked = miner.add("com.android.systemui is deprecated. Instead, use mapreduce.task.id", 0).cluster().id();
        assertThat(miner.cluster(word)).isSameAs(miner.cluster(masked));
        assertThat(miner.cluster(word).template()).isEqualTo("<*> is deprecated. Instead, use <*>");
        assertThat(miner.cluster(word).count()).isEqualTo(2);
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
