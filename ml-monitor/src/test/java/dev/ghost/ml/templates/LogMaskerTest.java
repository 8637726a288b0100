package dev.ghost.ml.templates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogMaskerTest {

    private final LogMasker masker = new LogMasker(96);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            numbers and units            | took 1532 ms, retried 3 times      | took <*> ms, retried <*> times
            negative and decimal         | delta -0.25 at 1e-3                | delta <*> at <*>
            hex                          | flags 0x1f and 7fffabcd00         | flags <*> and <*>
            ip with port                 | from /10.251.42.84:50010 ok        | from <*> ok
            plain ip                     | synchronized to 10.100.18.250, stratum 3 | synchronized to <*>, stratum <*>
            uuid                         | [instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] Claim | [instance: <*>] Claim
            unix path                    | Deleting /var/lib/nova/instances/_base now | Deleting <*> now
            windows path                 | with Core: C:\\Windows\\winsxs\\cbscore.dll | with Core: <*>
            url                          | GET https://example.com/api/v2?x=y done | GET <*> done
            date and time                | at 2015-10-18 18:01:47,978 done    | at <*> done
            textual date                 | at Sat Jun 18 02:08:10 2005        | at <*>
            block id                     | Received block blk_-1608999687919862906 of size 67108864 | Received block <*> of size <*>
            key=value keeps key          | ruser= rhost=host.example.com user=1001 | ruser= rhost=<*> user=<*>
            key=word is left to the miner | tty=NODEVssh user=root            | tty=NODEVssh user=root
            quantities keep their unit   | lifetime <1 sec, (1.16 KB) sent    | lifetime <<*> sec, (<*> KB) sent
            dot leaders                  | illegal instruction......0x0a2f    | illegal instruction......<*>
            key:value with digits        | sessionid:0x14ed93 type:create     | sessionid:<*> type:create
            quoted value with spaces     | tag="View Lock", name=launcher3    | tag=<*>", name=<*>
            dotted class names           | Registering class org.apache.hadoop.Foo for x.y | Registering class <*> for x.y
            numbered name in brackets    | sshd[4242]: Accepted                | sshd[<*>]: Accepted
            mac address                  | DHCPACK to 00:11:43:e3:ba:c3 via eth1 | DHCPACK to <*> via <*>
            lists collapse               | Fan speeds ( 3552 3534 3375 4245 ) | Fan speeds ( <*> )
            words stay                   | Connection reset by peer [preauth] | Connection reset by peer [preauth]
            contractions stay            | Don't have map outputs for shuffle | Don't have map outputs for shuffle
            """)
    void masksCommonVariables(String name, String message, String expected) {
        assertThat(String.join(" ", masker.tokens(message))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            extra spaces                 | a   b \t c        | 3
            empty                        | '   '             | 0
            """)
    void splitsOnAnyWhitespace(String name, String message, int count) {
        assertThat(masker.tokens(message)).hasSize(count);
    }
}
