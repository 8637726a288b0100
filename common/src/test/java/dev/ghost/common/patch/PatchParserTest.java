package dev.ghost.common.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PatchParserTest {

    private final PatchParser parser = new PatchParser();

    private static final String FULL = """
            {
              "id": "patch-v1.4.40(P1.00.25)_topbar-zone",
              "description": "Move the top bar into its own zone",
              "target": "mobile-app",
              "mutations": [
                { "path": "src/TopBar.tsx", "contents": "export const TopBar = () => null;\\n" },
                { "path": "src/App.tsx", "pattern": "<OldBar ?/>", "replacement": "<TopBar />" },
                { "path": "src/OldBar.tsx", "delete": true },
                { "diff": "--- a/README.md\\n+++ b/README.md\\n@@ -1 +1 @@\\n-old\\n+new\\n" }
              ],
              "preCommit":         { "shell": ["git diff --quiet"] },
              "postMutationBuild": { "shell": ["npm run build"] },
              "validate":          { "shell": ["npm test"] },
              "timeoutSeconds": 600,
              "rollbackOnFailure": true
            }
            """;

    @Test
    void acceptsTheArchitectureExample() {
        ParsedPatch parsed = parser.parse(FULL);
        Patch patch = parsed.patch();

        assertThat(patch.id()).isEqualTo("patch-v1.4.40(P1.00.25)_topbar-zone");
        assertThat(patch.target()).isEqualTo("mobile-app");
        assertThat(patch.mutations()).hasExactlyElementsOfTypes(Mutation.WriteFile.class, Mutation.RegexReplace.class,
                Mutation.DeleteFile.class, Mutation.UnifiedDiff.class);
        assertThat(patch.touchedPaths()).containsExactly("src/TopBar.tsx", "src/App.tsx", "src/OldBar.tsx", "README.md");
        assertThat(patch.preCommit().shell()).containsExactly("git diff --quiet");
        assertThat(patch.validate().shell()).containsExactly("npm test");
        assertThat(patch.rollbackOnFailure()).isTrue();
        assertThat(parsed.warnings()).isEmpty();
        assertThat(parsed.hash()).hasSize(64);
    }

    @Test
    void fillsDefaults() {
        Patch patch = parser.parse("{\"id\":\"p1\"}").patch();
        assertThat(patch.target()).isEqualTo("default");
        assertThat(patch.timeoutSeconds()).isEqualTo(600);
        assertThat(patch.rollbackOnFailure()).isTrue();
        assertThat(patch.mutations()).isEmpty();
    }

    @Test
    void unknownTopLevelFieldIsAWarningNotAnError() {
        ParsedPatch parsed = parser.parse("{\"id\":\"p1\",\"author\":\"gpt\",\"mutations\":[]}");
        assertThat(parsed.warnings()).containsExactly("unknown field 'author' ignored");
    }

    @Test
    void hashIgnoresKeyOrderWhitespaceAndUnknownFields() {
        String a = parser.parse("{\"id\":\"p1\",\"validate\":{\"shell\":[\"true\"]},\"target\":\"t\"}").hash();
        String b = parser.parse("{ \"target\" : \"t\",\n \"id\":\"p1\", \"note\": 1, \"validate\": {\"shell\": [\"true\"]} }").hash();
        String c = parser.parse("{\"id\":\"p1\",\"validate\":{\"shell\":[\"false\"]},\"target\":\"t\"}").hash();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void canonicalJsonSortsKeysAtEveryDepth() {
        ParsedPatch parsed = parser.parse("{\"mutations\":[{\"path\":\"a\",\"contents\":\"x\"}],\"id\":\"p\"}");
        assertThat(parsed.canonicalJson()).isEqualTo("{\"id\":\"p\",\"mutations\":[{\"contents\":\"x\",\"path\":\"a\"}]}");
    }

    static Stream<Arguments> badPatches() {
        return Stream.of(
                Arguments.of("missing id", "{\"mutations\":[]}",
                        List.of(tuple("/id", "is required"))),
                Arguments.of("bad id characters", "{\"id\":\"bad id/with*chars\"}",
                        List.of(tuple("/id", "must be 1-128 characters of A-Z a-z 0-9 . _ ( ) -"))),
                Arguments.of("id too long", "{\"id\":\"" + "x".repeat(129) + "\"}",
                        List.of(tuple("/id", "must be 1-128 characters of A-Z a-z 0-9 . _ ( ) -"))),
                Arguments.of("absolute path", "{\"id\":\"p\",\"mutations\":[{\"path\":\"/etc/passwd\",\"contents\":\"x\"}]}",
                        List.of(tuple("/mutations/0/path", "must be relative to the workspace root, not absolute: '/etc/passwd'"))),
                Arguments.of("dot-dot escape", "{\"id\":\"p\",\"mutations\":[{\"path\":\"src/../../x\",\"delete\":true}]}",
                        List.of(tuple("/mutations/0/path", "escapes the workspace: 'src/../../x'"))),
                Arguments.of("diff escaping", "{\"id\":\"p\",\"mutations\":[{\"diff\":\"--- a/../x\\n+++ b/../x\\n@@ -1 +1 @@\\n-a\\n+b\\n\"}]}",
                        List.of(tuple("/mutations/0/diff", "escapes the workspace: '../x'"))),
                Arguments.of("empty shell entry", "{\"id\":\"p\",\"validate\":{\"shell\":[\"npm test\",\"  \"]}}",
                        List.of(tuple("/validate/shell/1", "must not be blank"))),
                Arguments.of("mutation mixing kinds", "{\"id\":\"p\",\"mutations\":[{\"path\":\"a\",\"contents\":\"x\",\"delete\":true}]}",
                        List.of(tuple("/mutations/0", "mixes contents and delete; a mutation does one thing"))),
                Arguments.of("bad regex", "{\"id\":\"p\",\"mutations\":[{\"path\":\"a\",\"pattern\":\"(\",\"replacement\":\"\"}]}",
                        List.of(tuple("/mutations/0/pattern", "is not a valid RE2 regex (no backreferences or lookaround): missing closing ) at '('"))),
                Arguments.of("backreference", "{\"id\":\"p\",\"mutations\":[{\"path\":\"a\",\"pattern\":\"(a)\\\\1\",\"replacement\":\"\"}]}",
                        List.of(tuple("/mutations/0/pattern", "is not a valid RE2 regex (no backreferences or lookaround): invalid escape sequence at '\\1'"))),
                Arguments.of("name too long", "{\"id\":\"p\",\"mutations\":[{\"path\":\"d/" + "n".repeat(256) + "\",\"delete\":true}]}",
                        List.of(tuple("/mutations/0/path", "has a name longer than 255 bytes: '" + "n".repeat(256) + "'"))),
                Arguments.of("path too long", "{\"id\":\"p\",\"mutations\":[{\"path\":\"" + "d/".repeat(1600) + "f\",\"delete\":true}]}",
                        List.of(tuple("/mutations/0/path", "is longer than 3072 bytes"))),
                Arguments.of("several at once", "{\"target\":\"../etc\",\"timeoutSeconds\":0,\"rollbackOnFailure\":\"yes\","
                                + "\"mutations\":[{\"contents\":\"x\"}],\"preCommit\":{\"shell\":[3]}}",
                        List.of(tuple("/id", "is required"),
                                tuple("/target", "must be a workspace name: 1-64 characters of A-Z a-z 0-9 . _ -"),
                                tuple("/mutations/0/path", "is required"),
                                tuple("/preCommit/shell/0", "must be a string"),
                                tuple("/timeoutSeconds", "must be a whole number of seconds from 1 to 86400"),
                                tuple("/rollbackOnFailure", "must be true or false"))),
                Arguments.of("not an object", "[1,2]", List.of(tuple("", "a patch must be a JSON object"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPatches")
    void reportsEveryViolationWithItsPointer(String name, String json, List<org.assertj.core.groups.Tuple> expected) {
        assertThatThrownBy(() -> parser.parse(json))
                .isInstanceOfSatisfying(InvalidPatchException.class, e -> assertThat(e.violations())
                        .extracting(Violation::pointer, Violation::message)
                        .containsExactlyElementsOf(expected));
    }

    @Test
    void invalidJsonIsOneViolationAtTheRoot() {
        assertThatThrownBy(() -> parser.parse("{\"id\": "))
                .isInstanceOfSatisfying(InvalidPatchException.class, e -> {
                    assertThat(e.violations()).hasSize(1);
                    assertThat(e.violations().get(0).pointer()).isEmpty();
                    assertThat(e.violations().get(0).message()).startsWith("body is not valid JSON");
                });
    }

    @Test
    void parsesMultiFileDiffsIncludingCreatedAndDeletedFiles() {
        String diff = "--- /dev/null\\n+++ b/new.txt\\n@@ -0,0 +1 @@\\n+hello\\n"
                + "--- a/old.txt\\n+++ /dev/null\\n@@ -1 +0,0 @@\\n-bye\\n";
        Mutation.UnifiedDiff mutation = (Mutation.UnifiedDiff) parser.parse(
                "{\"id\":\"p\",\"mutations\":[{\"diff\":\"" + diff + "\"}]}").patch().mutations().get(0);
        assertThat(mutation.files()).extracting(Mutation.FileDiff::oldPath, Mutation.FileDiff::newPath)
                .containsExactly(tuple(null, "new.txt"), tuple("old.txt", null));
        assertThat(mutation.paths()).containsExactly("new.txt", "old.txt");
    }
}
