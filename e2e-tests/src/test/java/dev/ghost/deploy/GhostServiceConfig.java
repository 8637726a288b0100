package dev.ghost.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.util.PropertyPlaceholderHelper;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one GHOST service reads, derived from the sources rather than copied: common's
 * {@code ghost-defaults.yml}, the service's own {@code <name>.yml} and the files it imports
 * ({@code spring.config.import: classpath:…}), the configuration metadata of the GHOST modules it depends on
 * (its pom) and of the libraries on the classpath (Spring Boot, Spring Cloud Netflix, …), and the variables
 * its image's entrypoint script reads, if it has one.
 */
final class GhostServiceConfig {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-\\[\\]]+)");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([a-z0-9-]+)</artifactId>");
    private static final Pattern SHELL_VARIABLE = Pattern.compile("\\$\\{?([A-Z_][A-Z0-9_]*)");
    /** Boot maps names the way it does for the process environment only under this source name. */
    private static final String ENVIRONMENT = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static List<JsonNode> libraryMetadata;

    final String name;
    /** Flattened like Spring does (a.b[0].c), lowest precedence first: ghost-defaults, the service's file, its imports. */
    final Map<String, String> properties = new LinkedHashMap<>();
    /** Every ${NAME} in those files: a variable of that exact name is read. */
    final Set<String> placeholders = new TreeSet<>();
    /** Variables the image's entrypoint script reads ({@code <module>/docker-entrypoint.sh}). */
    final Set<String> entrypointVariables = new TreeSet<>();
    /** GHOST modules on its classpath, itself first. */
    final Set<String> modules = new LinkedHashSet<>();
    private final Set<String> exactProperties = new TreeSet<>();
    private final Set<String> propertiesWithDescendants = new TreeSet<>();

    private GhostServiceConfig(String name) {
        this.name = name;
    }

    static boolean exists(Path root, String service) {
        return Files.isRegularFile(root.resolve(service).resolve("src/main/resources").resolve(service + ".yml"));
    }

    static GhostServiceConfig load(Path root, String service) {
        GhostServiceConfig config = new GhostServiceConfig(service);
        config.collectModules(root, service);
        config.read(root.resolve("common/src/main/resources/ghost-defaults.yml"));
        config.read(root.resolve(service).resolve("src/main/resources").resolve(service + ".yml"));
        String imports = config.properties.get("spring.config.import");
        if (imports != null) {
            for (String location : imports.split(",")) {
                String file = location.trim().replaceFirst("^optional:", "").replaceFirst("^classpath:", "");
                config.read(config.modules.stream().map(module -> root.resolve(module).resolve("src/main/resources").resolve(file))
                        .filter(Files::isRegularFile).findFirst()
                        .orElseThrow(() -> new IllegalStateException(service + " imports " + location + ": not found in " + config.modules)));
            }
        }
        Path entrypoint = root.resolve(service).resolve("docker-entrypoint.sh");
        if (Files.isRegularFile(entrypoint)) {
            Matcher matcher = SHELL_VARIABLE.matcher(readString(entrypoint));
            while (matcher.find()) {
                config.entrypointVariables.add(matcher.group(1));
            }
        }
        for (String module : config.modules) {
            Path metadata = root.resolve(module).resolve("target/classes/META-INF/spring-configuration-metadata.json");
            if (!Files.isRegularFile(metadata)) {
                throw new IllegalStateException(metadata + " is missing: build the modules first (./mvnw -pl e2e-tests -am …)");
            }
            config.addMetadata(JSON.readTree(readString(metadata)));
        }
        for (JsonNode metadata : libraryMetadata(root)) {
            config.addMetadata(metadata);
        }
        return config;
    }

    /** The value of a property as the service resolves it, with {@code env} as its environment; null if unset. */
    String resolve(String property, Map<String, String> env) {
        String raw = environmentValue(property, env);
        if (raw == null) {
            raw = properties.get(property);
        }
        return raw == null ? null : resolvePlaceholders(raw, env);
    }

    String resolvePlaceholders(String value, Map<String, String> env) {
        PropertyPlaceholderHelper helper = new PropertyPlaceholderHelper("${", "}", ":", null, true);
        Function<String, String> lookup = name -> {
            if (env.containsKey(name)) {
                return env.get(name);
            }
            String fromEnvironment = environmentValue(name, env);
            return fromEnvironment != null ? fromEnvironment : properties.get(name);
        };
        return helper.replacePlaceholders(value, lookup::apply);
    }

    /** The value the environment gives a property, by Spring Boot's relaxed binding (SERVER_PORT for server.port). */
    static String environmentValue(String property, Map<String, String> env) {
        ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
        if (name == null) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        env.forEach((key, value) -> {
            if (value != null) {
                values.put(key, value);
            }
        });
        var bound = ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(ENVIRONMENT, values)).getConfigurationProperty(name);
        return bound == null ? null : String.valueOf(bound.getValue());
    }

    /** Whether a variable binds to a property or, with {@code descendants}, to one below it (a map's entries). */
    static boolean binds(String variable, String property, boolean descendants) {
        ConfigurationPropertySource source = ConfigurationPropertySource.from(
                new SystemEnvironmentPropertySource(ENVIRONMENT, Map.of(variable, "value")));
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        return source.getConfigurationProperty(name) != null
                || (descendants && source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT);
    }

    /** The placeholder a property's value reads first, e.g. EUREKA_PEERING for eureka.client.fetch-registry. */
    String placeholderOf(String property) {
        String value = properties.get(property);
        if (value == null) {
            return null;
        }
        Matcher matcher = PLACEHOLDER.matcher(value);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** Whether an environment variable binds, by Spring Boot's own relaxed rules, to a property the service has. */
    boolean bindsEnvironmentVariable(String variable) {
        ConfigurationPropertySource source = ConfigurationPropertySource.from(
                new SystemEnvironmentPropertySource(ENVIRONMENT, Map.of(variable, "value")));
        for (String property : exactProperties) {
            ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
            if (name != null && source.getConfigurationProperty(name) != null) {
                return true;
            }
        }
        for (String property : propertiesWithDescendants) {
            ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
            if (name != null && (source.getConfigurationProperty(name) != null
                    || source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a name, as a property (a configtree file name), is one the service has. */
    boolean hasProperty(String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
        if (name == null) {
            return false;
        }
        if (exactProperties.contains(name.toString())) {
            return true;
        }
        return propertiesWithDescendants.stream().map(ConfigurationPropertyName::ofIfValid)
                .anyMatch(parent -> parent != null && (parent.equals(name) || parent.isAncestorOf(name)));
    }

    /** A variable the service reads: a placeholder in its files, or a relaxed name of one of its properties. */
    boolean readsVariable(String variable) {
        return placeholders.contains(variable) || bindsEnvironmentVariable(variable);
    }

    private void collectModules(Path root, String module) {
        if (!modules.add(module)) {
            return;
        }
        String pom = readString(root.resolve(module).resolve("pom.xml"));
        Matcher matcher = DEPENDENCY.matcher(pom.substring(pom.indexOf("<dependencies>")));
        while (matcher.find()) {
            String dependency = matcher.group(1);
            Matcher artifact = ARTIFACT.matcher(dependency);
            if (dependency.contains("<groupId>dev.ghost</groupId>") && artifact.find()
                    && !dependency.contains("<scope>test</scope>") && !dependency.contains("<type>test-jar</type>")) {
                collectModules(root, artifact.group(1));
            }
        }
    }

    private void read(Path file) {
        String text = readString(file);
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            placeholders.add(matcher.group(1));
        }
        try {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file))) {
                EnumerablePropertySource<?> enumerable = (EnumerablePropertySource<?>) source;
                for (String key : enumerable.getPropertyNames()) {
                    properties.put(key, String.valueOf(enumerable.getProperty(key)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void addMetadata(JsonNode metadata) {
        for (JsonNode property : metadata.path("properties")) {
            addProperty(property.path("name").asString(), property.hasNonNull("type") ? property.get("type").asString() : null, 0);
        }
    }

    private void addProperty(String name, String type, int depth) {
        if (type == null || depth > 4) {
            exactProperties.add(name);
            return;
        }
        if (type.startsWith("java.util.Map") || type.startsWith("java.util.List") || type.startsWith("java.util.Set")
                || type.startsWith("java.util.Collection") || type.endsWith("[]")) {
            propertiesWithDescendants.add(name);
            return;
        }
        Class<?> javaType = load(type);
        if (javaType == null || javaType.isPrimitive() || javaType.isEnum() || type.startsWith("java.")
                || type.startsWith("org.springframework.util.unit.")) {
            exactProperties.add(name);
        } else if (javaType.isRecord()) {
            // nested records are bound by their components (ghost.runner.limits.memory)
            for (RecordComponent component : javaType.getRecordComponents()) {
                addProperty(name + "." + kebab(component.getName()), component.getGenericType().getTypeName(), depth + 1);
            }
        } else {
            propertiesWithDescendants.add(name);
        }
    }

    private static Class<?> load(String type) {
        try {
            return Class.forName(type.replaceAll("<.*", ""), false, GhostServiceConfig.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** Metadata of the libraries on the test classpath; GHOST's own modules are read per service instead. */
    private static synchronized List<JsonNode> libraryMetadata(Path root) {
        if (libraryMetadata == null) {
            List<JsonNode> found = new ArrayList<>();
            try {
                Enumeration<URL> urls = GhostServiceConfig.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
                for (URL url : Collections.list(urls)) {
                    String location = url.getPath().replaceFirst("^file:", "").replaceFirst("!/.*$", "");
                    if (Path.of(location).toAbsolutePath().normalize().startsWith(root)) {
                        continue;
                    }
                    try (InputStream in = url.openStream()) {
                        found.add(JSON.readTree(in));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            libraryMetadata = found;
        }
        return libraryMetadata;
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
