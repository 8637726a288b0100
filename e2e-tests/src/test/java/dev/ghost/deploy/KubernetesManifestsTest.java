package dev.ghost.deploy;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s: every overlay builds with {@code kubectl kustomize}, parses into Kubernetes' own model (fabric8),
 * and matches what the services really read, derived from their sources ({@link GhostServiceConfig}): ports,
 * probe paths, environment variables, Secret names and keys, the registry peers, identity, PodDisruptionBudgets,
 * resources and the runner's sandbox. Every problem of an overlay is listed at once.
 * {@code KUBECTL=/path/to/kubectl} picks the binary (default: kubectl on the PATH); without one the test is
 * skipped, saying so.
 */
class KubernetesManifestsTest {

    static final Path ROOT = Path.of(System.getProperty("ghost.root", "..")).toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final Pattern GHOST_IMAGE = Pattern.compile("(?:^|/)ghost/([a-z0-9-]+)(?::[^/]+)?$");
    static final Pattern DEPENDENT_VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    static final Pattern CONFIGTREE = Pattern.compile("(?:optional:)?configtree:([^,]+)");
    static final Pattern MAX_RAM_PERCENTAGE = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)");
    /** Read by the JVM itself, not by Spring. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
    /** Long enough for Spring Boot on a busy node before liveness starts counting. */
    static final int STARTUP_BUDGET_SECONDS = 120;
    static final String RUNNER = "runner-service";
    static final String REGISTRY = "registry-service";

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final Map<String, GhostServiceConfig> SERVICES = new HashMap<>();

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
            return dirs.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml")))
                    .map(dir -> dir.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void theBaseHoldsNoSecretAndNamesImagesLikeCompose() {
        List<HasMetadata> objects = build(K8S.resolve("base"));
        List<String> problems = new ArrayList<>();
        checkModel(objects, problems);
        objects.stream().filter(Secret.class::isInstance)
                .forEach(secret -> problems.add("base: Secret " + name(secret) + " is committed; generate it in an overlay"));
        for (Workload workload : workloads(objects)) {
            for (Container container : workload.containers()) {
                Matcher image = GHOST_IMAGE.matcher(container.getImage());
                if (image.find() && !container.getImage().equals("ghost/" + image.group(1) + ":latest")) {
                    problems.add("base: " + workload + " image " + container.getImage() + " is not ghost/<service>:latest (compose's name)");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void committedSecretFilesArePlaceholders() throws Exception {
        Process git = new ProcessBuilder("git", "ls-files", "deploy/k8s").directory(ROOT.toFile()).redirectErrorStream(true).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(git.waitFor() == 0, "not a git checkout: " + listing);
        List<String> problems = new ArrayList<>();
        for (String file : listing.lines().filter(line -> line.contains("/secrets/")).toList()) {
            String content = Files.readString(ROOT.resolve(file)).trim();
            if (!content.isEmpty() && !content.contains("REPLACE-ME")) {
                problems.add(file + " is committed with a value that is not a placeholder (REPLACE-ME)");
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void overlayMatchesWhatTheServicesRead(String overlay) {
        List<HasMetadata> objects = build(K8S.resolve("overlays").resolve(overlay));
        List<String> problems = new ArrayList<>();
        Manifests manifests = new Manifests(objects);
        checkModel(objects, problems);
        manifests.checkSecretsGenerated(problems);
        for (Workload workload : manifests.workloads) {
            manifests.checkPod(workload, problems);
            for (Container container : workload.containers()) {
                manifests.checkResources(workload, container, problems);
                manifests.checkSecretReferences(workload, container, problems);
                Optional<String> service = ghostService(container);
                if (service.isPresent()) {
                    GhostServiceConfig config = service(service.get(), problems, workload);
                    if (config != null) {
                        manifests.checkGhostContainer(workload, container, config, problems);
                    }
                } else {
                    manifests.checkOtherContainer(workload, container, problems);
                }
            }
        }
        manifests.checkServices(problems);
        manifests.checkDisruptionBudgets(problems);
        manifests.checkRegistryPeers(problems);
        manifests.checkCredentialsAgree(problems);
        manifests.checkRedis(problems);
        manifests.checkRunner(problems);
        assertThat(problems).as("overlays/" + overlay).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------------

    static List<HasMetadata> build(Path kustomization) {
        String kubectl = kubectl();
        Assumptions.assumeTrue(kubectl != null,
                "kubectl is not installed (or KUBECTL names no program): the manifests in deploy/k8s are not checked"
                        + " (Debian: apt-get install kubernetes-client; .ci/run installs it)");
        try {
            Process process = new ProcessBuilder(kubectl, "kustomize", kustomization.toString()).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize finished").isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize " + kustomization + ": " + err).isZero();
            Object parsed = SERIALIZATION.unmarshal(new String(out, StandardCharsets.UTF_8));
            List<Object> documents = new ArrayList<>();
            if (parsed instanceof KubernetesList list) {
                documents.addAll(list.getItems());
            } else if (parsed instanceof Collection<?> list) {
                documents.addAll(list);
            } else {
                documents.add(parsed);
            }
            // kustomize v2 leaves an empty document for each resource a patch deletes: kubectl apply refuses it
            assertThat(documents.stream().filter(document -> !(document instanceof HasMetadata)).map(String::valueOf).toList())
                    .as("documents of kubectl kustomize " + kustomization + " that are no Kubernetes object").isEmpty();
            return documents.stream().map(HasMetadata.class::cast).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String kubectl() {
        String chosen = Optional.ofNullable(System.getenv("KUBECTL")).filter(name -> !name.isBlank()).orElse("kubectl");
        if (chosen.contains("/")) {
            return Files.isExecutable(Path.of(chosen)) ? chosen : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, chosen);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** Every object is a kind the model knows, and no field is unknown to it (a typo would land in additionalProperties). */
    static void checkModel(List<HasMetadata> objects, List<String> problems) {
        for (HasMetadata object : objects) {
            if (object instanceof GenericKubernetesResource) {
                problems.add("model: " + object.getApiVersion() + " " + object.getKind() + " " + name(object) + " is not a kind Kubernetes knows");
                continue;
            }
            unknownFields(object, object.getKind() + " " + name(object), problems, new IdentityHashMap<>());
        }
    }

    static void unknownFields(Object node, String path, List<String> problems, IdentityHashMap<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "." + key, problems, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = getter.invoke(node);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        problems.add("model: " + path + " has fields Kubernetes does not know: " + extra.keySet());
                    }
                } else {
                    unknownFields(value, path + "." + getter.getName().substring(3, 4).toLowerCase() + getter.getName().substring(4), problems, seen);
                }
            } catch (ReflectiveOperationException e) {
                // not a bean property
            }
        }
    }

    static Optional<String> ghostService(Container container) {
        Matcher image = GHOST_IMAGE.matcher(Objects.toString(container.getImage(), ""));
        return image.find() ? Optional.of(image.group(1)) : Optional.empty();
    }

    static GhostServiceConfig service(String name, List<String> problems, Workload workload) {
        if (!GhostServiceConfig.exists(ROOT, name)) {
            problems.add(workload + ": image ghost/" + name + " is no GHOST service (no " + name + "/src/main/resources/" + name + ".yml)");
            return null;
        }
        synchronized (SERVICES) {
            return SERVICES.computeIfAbsent(name, service -> GhostServiceConfig.load(ROOT, service));
        }
    }

    static String name(HasMetadata object) {
        return object.getMetadata() == null ? "?" : object.getMetadata().getName();
    }

    static List<Workload> workloads(List<HasMetadata> objects) {
        List<Workload> workloads = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof Deployment deployment) {
                workloads.add(new Workload(deployment, null, deployment.getSpec().getReplicas(), deployment.getSpec().getTemplate()));
            } else if (object instanceof StatefulSet statefulSet) {
                workloads.add(new Workload(statefulSet, statefulSet, statefulSet.getSpec().getReplicas(), statefulSet.getSpec().getTemplate()));
            }
        }
        return workloads;
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    static int seconds(Integer value, int otherwise) {
        return value == null ? otherwise : value;
    }

    /** A Deployment or StatefulSet: its pods. */
    record Workload(HasMetadata object, StatefulSet statefulSet, Integer replicasOrNull, PodTemplateSpec template) {

        int replicas() {
            return replicasOrNull == null ? 1 : replicasOrNull;
        }

        PodSpec pod() {
            return template.getSpec();
        }

        Map<String, String> labels() {
            return template.getMetadata() == null ? Map.of() : template.getMetadata().getLabels();
        }

        List<Container> containers() {
            List<Container> all = new ArrayList<>(pod().getContainers());
            all.addAll(pod().getInitContainers());
            return all;
        }

        /** Volume name → the claim template (StatefulSet) of that name. */
        Optional<PersistentVolumeClaim> claimTemplate(String volume) {
            return statefulSet == null ? Optional.empty() : statefulSet.getSpec().getVolumeClaimTemplates().stream()
                    .filter(claim -> volume.equals(claim.getMetadata().getName())).findFirst();
        }

        @Override
        public String toString() {
            return object.getKind() + " " + name(object);
        }
    }

    /** One overlay's output and the checks over it. */
    static final class Manifests {

        final List<HasMetadata> objects;
        final List<Workload> workloads;
        final Map<String, Secret> secrets = new LinkedHashMap<>();
        final List<Service> services = new ArrayList<>();
        final List<PodDisruptionBudget> budgets = new ArrayList<>();

        Manifests(List<HasMetadata> objects) {
            this.objects = objects;
            this.workloads = workloads(objects);
            for (HasMetadata object : objects) {
                if (object instanceof Secret secret) {
                    secrets.put(name(secret), secret);
                } else if (object instanceof Service service) {
                    services.add(service);
                } else if (object instanceof PodDisruptionBudget budget) {
                    budgets.add(budget);
                }
            }
        }

        Optional<Workload> ghost(String service) {
            return workloads.stream().filter(workload -> workload.containers().stream()
                    .anyMatch(container -> ghostService(container).filter(service::equals).isPresent())).findFirst();
        }

        static Container container(Workload workload, String service) {
            return workload.containers().stream().filter(container -> ghostService(container).filter(service::equals).isPresent())
                    .findFirst().orElseThrow();
        }

        /** Secrets come from kustomize's secretGenerator (name-hash suffix), none written by hand. */
        void checkSecretsGenerated(List<String> problems) {
            for (Secret secret : secrets.values()) {
                if (!name(secret).matches(".*-[a-z0-9]{10}")) {
                    problems.add("secrets: Secret " + name(secret) + " has no kustomize hash suffix: generate it (secretGenerator), do not commit it");
                }
            }
        }

        /** Pod-wide: no Service environment variables, a non-root user (the runner's sandbox aside, checked on its own). */
        void checkPod(Workload workload, List<String> problems) {
            PodSpec pod = workload.pod();
            if (!Boolean.FALSE.equals(pod.getEnableServiceLinks())) {
                problems.add(workload + ": enableServiceLinks is not false: Kubernetes would set <SERVICE>_PORT=tcp://… variables in its"
                        + " environment (a Service named runner would override RUNNER_PORT, the runner's server.port)");
            }
            for (Container container : workload.containers()) {
                boolean nonRoot = Optional.ofNullable(container.getSecurityContext()).map(SecurityContext::getRunAsNonRoot)
                        .orElse(Optional.ofNullable(pod.getSecurityContext()).map(PodSecurityContext::getRunAsNonRoot).orElse(false));
                if (!nonRoot && !RUNNER.equals(ghostService(container).orElse(""))) {
                    problems.add(workload + " container " + container.getName() + ": runAsNonRoot is not true");
                }
                if (container.getSecurityContext() != null && Boolean.TRUE.equals(container.getSecurityContext().getPrivileged())) {
                    problems.add(workload + " container " + container.getName() + ": privileged");
                }
            }
        }

        void checkResources(Workload workload, Container container, List<String> problems) {
            var resources = container.getResources();
            for (String kind : List.of("cpu", "memory")) {
                Quantity request = resources == null ? null : resources.getRequests().get(kind);
                Quantity limit = resources == null ? null : resources.getLimits().get(kind);
                if (request == null || limit == null) {
                    problems.add(workload + " container " + container.getName() + ": no " + kind + " request and limit");
                } else if (Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(limit)) > 0) {
                    problems.add(workload + " container " + container.getName() + ": " + kind + " request above its limit");
                }
            }
        }

        /** Every Secret a container names exists in the build, with the keys it names. */
        void checkSecretReferences(Workload workload, Container container, List<String> problems) {
            for (EnvVar env : container.getEnv()) {
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                    var ref = env.getValueFrom().getSecretKeyRef();
                    requireKey(workload + " env " + env.getName(), ref.getName(), ref.getKey(), Boolean.TRUE.equals(ref.getOptional()), problems);
                }
            }
            container.getEnvFrom().stream().filter(from -> from.getSecretRef() != null).forEach(from ->
                    requireKey(workload + " envFrom", from.getSecretRef().getName(), null, Boolean.TRUE.equals(from.getSecretRef().getOptional()), problems));
            for (VolumeMount mount : container.getVolumeMounts()) {
                Volume volume = volume(workload, mount.getName());
                if (volume == null) {
                    if (workload.claimTemplate(mount.getName()).isEmpty()) {
                        problems.add(workload + " container " + container.getName() + ": mounts volume " + mount.getName() + ", which the pod does not have");
                    }
                    continue;
                }
                if (volume.getSecret() != null) {
                    boolean optional = Boolean.TRUE.equals(volume.getSecret().getOptional());
                    requireKey(workload + " volume " + volume.getName(), volume.getSecret().getSecretName(), null, optional, problems);
                    volume.getSecret().getItems().forEach(item ->
                            requireKey(workload + " volume " + volume.getName(), volume.getSecret().getSecretName(), item.getKey(), optional, problems));
                }
                if (volume.getProjected() != null) {
                    volume.getProjected().getSources().stream().filter(source -> source.getSecret() != null).forEach(source -> {
                        boolean optional = Boolean.TRUE.equals(source.getSecret().getOptional());
                        requireKey(workload + " volume " + volume.getName(), source.getSecret().getName(), null, optional, problems);
                        source.getSecret().getItems().forEach(item ->
                                requireKey(workload + " volume " + volume.getName(), source.getSecret().getName(), item.getKey(), optional, problems));
                    });
                }
            }
        }

        private void requireKey(String where, String secretName, String key, boolean optional, List<String> problems) {
            Secret secret = secrets.get(secretName);
            if (secret == null) {
                if (!optional) {
                    problems.add(where + ": Secret " + secretName + " is not generated by this kustomization (generated: " + secrets.keySet() + ")");
                }
            } else if (key != null && !data(secret).containsKey(key)) {
                problems.add(where + ": Secret " + secretName + " has no key " + key + " (keys: " + data(secret).keySet() + ")");
            }
        }

        static Map<String, String> data(Secret secret) {
            Map<String, String> data = new LinkedHashMap<>();
            // MIME: kustomize folds long values over several lines
            secret.getData().forEach((key, value) -> data.put(key, new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8)));
            data.putAll(secret.getStringData());
            return data;
        }

        static Volume volume(Workload workload, String name) {
            return workload.pod().getVolumes().stream().filter(volume -> volume.getName().equals(name)).findFirst().orElse(null);
        }

        /** The environment as the service sees it: literal values, Secret values and $(VAR) expanded; downward API as markers. */
        Map<String, String> environment(Workload workload, Container container, int ordinal) {
            Map<String, String> env = new LinkedHashMap<>();
            for (EnvVar variable : container.getEnv()) {
                String value;
                if (variable.getValueFrom() == null) {
                    value = expand(Objects.toString(variable.getValue(), ""), env);
                } else if (variable.getValueFrom().getFieldRef() != null) {
                    String field = variable.getValueFrom().getFieldRef().getFieldPath();
                    value = field.equals("metadata.name") ? name(workload.object) + "-" + ordinal : "<" + field + ">";
                } else if (variable.getValueFrom().getSecretKeyRef() != null) {
                    var ref = variable.getValueFrom().getSecretKeyRef();
                    value = Optional.ofNullable(secrets.get(ref.getName())).map(secret -> data(secret).get(ref.getKey())).orElse(null);
                } else {
                    value = "<" + variable.getValueFrom() + ">";
                }
                env.put(variable.getName(), value);
            }
            return env;
        }

        static String expand(String value, Map<String, String> defined) {
            Matcher matcher = DEPENDENT_VARIABLE.matcher(value);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String replacement = defined.containsKey(matcher.group(1)) ? defined.get(matcher.group(1)) : matcher.group();
                matcher.appendReplacement(out, Matcher.quoteReplacement(Objects.toString(replacement, "")));
            }
            return matcher.appendTail(out).toString();
        }

        /** Configtree directories named in SPRING_CONFIG_IMPORT. */
        static List<String> configtrees(Map<String, String> env) {
            List<String> dirs = new ArrayList<>();
            Matcher matcher = CONFIGTREE.matcher(Objects.toString(env.get("SPRING_CONFIG_IMPORT"), ""));
            while (matcher.find()) {
                dirs.add(matcher.group(1).trim().replaceAll("/+$", ""));
            }
            return dirs;
        }

        /** The Secret mounted at a configtree directory, with the keys it projects. */
        Map<String, String> configtreeValues(Workload workload, Container container, String dir) {
            for (VolumeMount mount : container.getVolumeMounts()) {
                if (mount.getMountPath().replaceAll("/+$", "").equals(dir)) {
                    Volume volume = volume(workload, mount.getName());
                    if (volume != null && volume.getSecret() != null && secrets.containsKey(volume.getSecret().getSecretName())) {
                        Map<String, String> data = data(secrets.get(volume.getSecret().getSecretName()));
                        if (!volume.getSecret().getItems().isEmpty()) {
                            Map<String, String> projected = new LinkedHashMap<>();
                            volume.getSecret().getItems().forEach(item -> projected.put(item.getPath(), data.get(item.getKey())));
                            return projected;
                        }
                        return data;
                    }
                }
            }
            return null;
        }

        /** Everything the service can read: its environment and the files of its configtrees. */
        Map<String, String> everythingRead(Workload workload, Container container, int ordinal) {
            Map<String, String> all = new LinkedHashMap<>();
            Map<String, String> env = environment(workload, container, ordinal);
            for (String dir : configtrees(env)) {
                Map<String, String> files = configtreeValues(workload, container, dir);
                if (files != null) {
                    all.putAll(files);
                }
            }
            all.putAll(env);
            return all;
        }

        void checkGhostContainer(Workload workload, Container container, GhostServiceConfig config, List<String> problems) {
            String where = workload + " container " + container.getName() + " (" + config.name + ")";
            Map<String, String> env = environment(workload, container, 0);

            // environment variables: each one read by the service (or by the JVM, its entrypoint, or another variable)
            Set<String> defined = new LinkedHashSet<>();
            for (EnvVar variable : container.getEnv()) {
                Matcher uses = DEPENDENT_VARIABLE.matcher(Objects.toString(variable.getValue(), ""));
                while (uses.find()) {
                    if (!defined.contains(uses.group(1))) {
                        problems.add(where + ": " + variable.getName() + " uses $(" + uses.group(1) + ") before it is defined: Kubernetes leaves it as is");
                    }
                }
                defined.add(variable.getName());
            }
            for (EnvVar variable : container.getEnv()) {
                String name = variable.getName();
                boolean helper = container.getEnv().stream().anyMatch(other -> Objects.toString(other.getValue(), "").contains("$(" + name + ")"));
                if (!helper && !JVM_VARIABLES.contains(name) && !config.entrypointVariables.contains(name) && !config.readsVariable(name)) {
                    problems.add(where + ": env " + name + " is read by nothing: no placeholder in " + config.name
                            + "'s configuration and no relaxed name of a property it has");
                }
            }
            if (!container.getEnvFrom().isEmpty()) {
                problems.add(where + ": envFrom sets variables no one can check; name them");
            }

            // configtrees: each directory a mounted Secret, each of its keys a name the service reads
            List<String> trees = configtrees(env);
            for (String dir : trees) {
                Map<String, String> files = configtreeValues(workload, container, dir);
                if (files == null) {
                    problems.add(where + ": SPRING_CONFIG_IMPORT names configtree " + dir + ", where no Secret of this build is mounted");
                    continue;
                }
                for (String key : files.keySet()) {
                    if (!config.placeholders.contains(key) && !config.hasProperty(key)) {
                        problems.add(where + ": configtree " + dir + " holds " + key + ", which " + config.name + " does not read");
                    }
                }
            }
            for (VolumeMount mount : container.getVolumeMounts()) {
                Volume volume = volume(workload, mount.getName());
                if (volume != null && volume.getSecret() != null && !trees.contains(mount.getMountPath().replaceAll("/+$", ""))) {
                    problems.add(where + ": Secret " + volume.getSecret().getSecretName() + " is mounted at " + mount.getMountPath()
                            + ", which SPRING_CONFIG_IMPORT does not read");
                }
            }

            // credentials: every one the service needs reaches it (environment or configtree)
            Map<String, String> read = everythingRead(workload, container, 0);
            for (String credential : requiredCredentials(config)) {
                if (read.get(credential) == null) {
                    problems.add(where + ": credential " + credential + " reaches it neither as a variable nor as a configtree file");
                }
            }

            // ports: the container port is the service's server.port; probes on the management port
            String serverPort = config.resolve("server.port", read);
            String managementPort = Optional.ofNullable(config.resolve("management.server.port", read)).orElse(serverPort);
            if (container.getPorts().stream().noneMatch(port -> String.valueOf(port.getContainerPort()).equals(serverPort))) {
                problems.add(where + ": no containerPort " + serverPort + " (its server.port); declared: "
                        + container.getPorts().stream().map(ContainerPort::getContainerPort).toList());
            }
            checkProbes(where, container, config, read, managementPort, problems);

            // heap: a share of the container's memory limit
            String javaOptions = Objects.toString(env.get("JAVA_TOOL_OPTIONS"), "");
            Matcher share = MAX_RAM_PERCENTAGE.matcher(javaOptions);
            if (!share.find() || Double.parseDouble(share.group(1)) <= 0 || Double.parseDouble(share.group(1)) > 75) {
                problems.add(where + ": JAVA_TOOL_OPTIONS does not set the heap as a share (-XX:MaxRAMPercentage, at most 75) of the memory limit");
            }
            if (javaOptions.matches(".*-Xmx\\S+.*")) {
                problems.add(where + ": -Xmx in JAVA_TOOL_OPTIONS overrides the heap share");
            }

            // identity: unique instance ids across nodes, from the downward API
            checkIdentity(where, workload, container, env, problems);

            // registries: every one listed
            if (config.placeholders.contains("EUREKA_URLS") && env.get("EUREKA_URLS") == null) {
                problems.add(where + ": EUREKA_URLS is not set: it would look for the registry on localhost");
            }
        }

        /** Credentials: placeholders with an empty default in the settings that hold them (tokens, registry passwords). */
        static Set<String> requiredCredentials(GhostServiceConfig config) {
            Set<String> required = new TreeSet<>();
            boolean apiTokens = !"false".equals(config.properties.get("ghost.security.api-tokens"));
            // a registry that does not register itself signs in to its peers as their administrator, not as a client
            boolean registers = !"false".equals(config.properties.get("eureka.client.register-with-eureka"));
            Pattern empty = Pattern.compile("\\$\\{([A-Z0-9_]+):}");
            config.properties.forEach((key, value) -> {
                boolean holdsCredential = (apiTokens && key.matches("ghost\\.security\\.(admin-token|service-token|token-keys)"))
                        || (registers && key.equals("ghost.discovery.password")) || key.equals("ghost.registry.password")
                        || key.startsWith("ghost.registry.clients.");
                Matcher matcher = empty.matcher(value);
                while (holdsCredential && matcher.find()) {
                    if (!matcher.group(1).endsWith("_PREVIOUS")) {
                        required.add(matcher.group(1));
                    }
                }
            });
            if (!"false".equals(config.properties.get("management.health.redis.enabled"))) {
                // Redis: its URL (or only its credentials, on a Cluster) is a secret of its own
                required.add(config.placeholderOf("spring.data.redis.url"));
            }
            return required;
        }

        void checkProbes(String where, Container container, GhostServiceConfig config, Map<String, String> read, String managementPort,
                List<String> problems) {
            String basePath = Optional.ofNullable(config.resolve("management.endpoints.web.base-path", read)).orElse("/actuator");
            Set<String> groups = new TreeSet<>();
            if ("true".equals(config.resolve("management.endpoint.health.probes.enabled", read))) {
                groups.addAll(List.of("liveness", "readiness"));
            }
            config.properties.keySet().stream().filter(key -> key.startsWith("management.endpoint.health.group."))
                    .forEach(key -> groups.add(key.split("\\.")[4]));
            String exposed = Objects.toString(config.resolve("management.endpoints.web.exposure.include", read), "");
            boolean healthExposed = List.of(exposed.split(",")).stream().map(String::trim).anyMatch(id -> id.equals("health") || id.equals("*"));
            Map<String, Probe> probes = new LinkedHashMap<>();
            probes.put("startup", container.getStartupProbe());
            probes.put("liveness", container.getLivenessProbe());
            probes.put("readiness", container.getReadinessProbe());
            probes.forEach((kind, probe) -> {
                if (probe == null) {
                    problems.add(where + ": no " + kind + " probe");
                    return;
                }
                if (probe.getHttpGet() == null) {
                    problems.add(where + ": " + kind + " probe is not an HTTP GET on an actuator probe group");
                    return;
                }
                String port = port(container, probe.getHttpGet().getPort());
                if (!Objects.equals(port, managementPort)) {
                    problems.add(where + ": " + kind + " probe on port " + probe.getHttpGet().getPort().getValue() + " (" + port
                            + "), not the management port " + managementPort);
                }
                String path = probe.getHttpGet().getPath();
                String group = path != null && path.startsWith(basePath + "/health/") ? path.substring((basePath + "/health/").length()) : null;
                if (!healthExposed || group == null || !groups.contains(group)) {
                    problems.add(where + ": " + kind + " probe path " + path + " is no health group it has (" + groups.stream()
                            .map(g -> basePath + "/health/" + g).toList() + (healthExposed ? "" : "; health is not even exposed") + ")");
                } else if (!kind.equals("startup") && !kind.equals(group)) {
                    problems.add(where + ": " + kind + " probe asks the " + group + " group");
                }
            });
            Probe startup = container.getStartupProbe();
            if (startup != null) {
                int budget = seconds(startup.getFailureThreshold(), 3) * seconds(startup.getPeriodSeconds(), 10);
                if (budget < STARTUP_BUDGET_SECONDS) {
                    problems.add(where + ": startup probe gives it " + budget + " s to start (Spring Boot on a busy node: at least "
                            + STARTUP_BUDGET_SECONDS + " s)");
                }
            }
        }

        static String port(Container container, IntOrString port) {
            if (port == null) {
                return null;
            }
            if (port.getIntVal() != null) {
                return String.valueOf(port.getIntVal());
            }
            return container.getPorts().stream().filter(declared -> port.getStrVal().equals(declared.getName()))
                    .map(declared -> String.valueOf(declared.getContainerPort())).findFirst().orElse(null);
        }

        void checkIdentity(String where, Workload workload, Container container, Map<String, String> env, List<String> problems) {
            EnvVar hostname = container.getEnv().stream().filter(variable -> variable.getName().equals("EUREKA_INSTANCE_HOSTNAME")).findFirst().orElse(null);
            if (hostname == null) {
                problems.add(where + ": EUREKA_INSTANCE_HOSTNAME is not set: every pod would register as localhost, and ids collide");
                return;
            }
            if (hostname.getValueFrom() != null && hostname.getValueFrom().getFieldRef() != null
                    && "status.podIP".equals(hostname.getValueFrom().getFieldRef().getFieldPath())) {
                return;
            }
            // a StatefulSet pod's DNS name: $(<variable from metadata.name>).<its headless Service>
            Matcher dns = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)\\.([a-z0-9-]+)").matcher(Objects.toString(hostname.getValue(), ""));
            boolean fromPodName = dns.matches() && container.getEnv().stream().anyMatch(variable -> variable.getName().equals(dns.group(1))
                    && variable.getValueFrom() != null && variable.getValueFrom().getFieldRef() != null
                    && "metadata.name".equals(variable.getValueFrom().getFieldRef().getFieldPath()));
            if (!fromPodName || workload.statefulSet == null) {
                problems.add(where + ": EUREKA_INSTANCE_HOSTNAME is neither the pod IP (status.podIP) nor a StatefulSet pod's DNS name"
                        + " ($(POD_NAME).<headless service>) from the downward API");
                return;
            }
            String governing = workload.statefulSet.getSpec().getServiceName();
            if (!dns.group(2).equals(governing) || headless(governing).isEmpty()) {
                problems.add(where + ": EUREKA_INSTANCE_HOSTNAME's domain " + dns.group(2) + " is not the StatefulSet's headless Service ("
                        + governing + ")");
            }
        }

        Optional<Service> headless(String name) {
            return services.stream().filter(service -> name(service).equals(name) && "None".equals(service.getSpec().getClusterIP())).findFirst();
        }

        void checkOtherContainer(Workload workload, Container container, List<String> problems) {
            if (workload.pod().getContainers().contains(container)
                    && (container.getReadinessProbe() == null || container.getLivenessProbe() == null)) {
                problems.add(workload + " container " + container.getName() + ": no readiness and liveness probes");
            }
        }

        /** Every Service selects pods, and its target ports are ports they declare (for GHOST: their server.port). */
        void checkServices(List<String> problems) {
            for (Service service : services) {
                List<Workload> selected = workloads.stream().filter(workload -> selects(service.getSpec().getSelector(), workload.labels())).toList();
                if (selected.isEmpty()) {
                    problems.add("Service " + name(service) + ": selects no pod");
                }
                for (ServicePort servicePort : service.getSpec().getPorts()) {
                    for (Workload workload : selected) {
                        IntOrString target = servicePort.getTargetPort() == null ? new IntOrString(servicePort.getPort()) : servicePort.getTargetPort();
                        boolean found = false;
                        for (Container container : workload.pod().getContainers()) {
                            String port = port(container, target);
                            if (port == null || container.getPorts().stream().noneMatch(p -> String.valueOf(p.getContainerPort()).equals(port))) {
                                continue;
                            }
                            found = true;
                            Optional<String> ghost = ghostService(container);
                            if (ghost.isPresent() && GhostServiceConfig.exists(ROOT, ghost.get())) {
                                GhostServiceConfig config = SERVICES.computeIfAbsent(ghost.get(), name -> GhostServiceConfig.load(ROOT, name));
                                String serverPort = config.resolve("server.port", everythingRead(workload, container, 0));
                                if (!port.equals(serverPort)) {
                                    problems.add("Service " + name(service) + " port " + servicePort.getPort() + ": targets " + port + " of " + workload
                                            + ", whose server.port is " + serverPort);
                                }
                            }
                        }
                        if (!found) {
                            problems.add("Service " + name(service) + " port " + servicePort.getPort() + ": target " + target.getValue()
                                    + " is no port of " + workload);
                        }
                    }
                }
            }
        }

        /** PodDisruptionBudgets: each selects one workload; minAvailable leaves one pod to evict; every pair has one. */
        void checkDisruptionBudgets(List<String> problems) {
            for (PodDisruptionBudget budget : budgets) {
                List<Workload> selected = workloads.stream()
                        .filter(workload -> selects(budget.getSpec().getSelector().getMatchLabels(), workload.labels())).toList();
                if (selected.size() != 1) {
                    problems.add("PodDisruptionBudget " + name(budget) + ": selects " + selected.size() + " workloads " + selected);
                    continue;
                }
                Workload workload = selected.get(0);
                IntOrString min = budget.getSpec().getMinAvailable();
                if (min != null) {
                    if (min.getIntVal() == null || min.getIntVal() != 1) {
                        problems.add("PodDisruptionBudget " + name(budget) + ": minAvailable " + min.getValue() + ", not 1");
                    }
                    if (workload.replicas() < 2) {
                        problems.add("PodDisruptionBudget " + name(budget) + ": minAvailable 1 of " + workload + " with "
                                + workload.replicas() + " replica blocks every drain");
                    }
                } else if (budget.getSpec().getMaxUnavailable() == null) {
                    problems.add("PodDisruptionBudget " + name(budget) + ": neither minAvailable nor maxUnavailable");
                }
            }
            for (Workload workload : workloads) {
                if (workload.replicas() >= 2 && budgets.stream().noneMatch(budget -> selects(budget.getSpec().getSelector().getMatchLabels(), workload.labels()))) {
                    problems.add(workload + ": " + workload.replicas() + " replicas and no PodDisruptionBudget");
                }
            }
        }

        /**
         * Registry peers: a StatefulSet under a headless Service; every GHOST container lists every peer's URL; each
         * peer's own URL (eureka.server.my-url, resolved with its environment) is its entry in that list, and it peers.
         */
        void checkRegistryPeers(List<String> problems) {
            Optional<Workload> found = ghost(REGISTRY);
            if (found.isEmpty()) {
                problems.add("registry: no " + REGISTRY + " workload");
                return;
            }
            Workload registry = found.get();
            GhostServiceConfig config = SERVICES.computeIfAbsent(REGISTRY, name -> GhostServiceConfig.load(ROOT, name));
            if (registry.statefulSet == null || headless(registry.statefulSet.getSpec().getServiceName()).isEmpty()) {
                problems.add("registry: " + registry + " is not a StatefulSet under a headless Service (peers need stable DNS names)");
                return;
            }
            if (registry.replicas() < 2) {
                problems.add("registry: " + registry.replicas() + " replica: no peer");
            }
            Container container = container(registry, REGISTRY);
            // every peer's URL: its own URL (eureka.server.my-url) as it is with its pod's DNS name as host name
            Set<String> expected = new TreeSet<>();
            for (int ordinal = 0; ordinal < registry.replicas(); ordinal++) {
                Map<String, String> read = new LinkedHashMap<>(everythingRead(registry, container, ordinal));
                read.put("EUREKA_INSTANCE_HOSTNAME", name(registry.object) + "-" + ordinal + "." + registry.statefulSet.getSpec().getServiceName());
                expected.add(config.resolve("eureka.server.my-url", read));
            }
            for (int ordinal = 0; ordinal < registry.replicas(); ordinal++) {
                Map<String, String> read = everythingRead(registry, container, ordinal);
                String myUrl = config.resolve("eureka.server.my-url", read);
                List<String> listed = List.of(Objects.toString(read.get("EUREKA_URLS"), "").split(","));
                if (!listed.contains(myUrl)) {
                    problems.add("registry: peer " + ordinal + "'s own URL " + myUrl + " is not in its EUREKA_URLS " + listed
                            + ": it would replicate to itself, or not know itself");
                }
                if (!expected.contains(myUrl)) {
                    problems.add("registry: peer " + ordinal + "'s own URL " + myUrl + " does not name its pod (DNS name under the headless Service)");
                }
                String peering = config.placeholderOf("eureka.client.fetch-registry");
                if (registry.replicas() > 1 && !"true".equals(config.resolve("eureka.client.fetch-registry", read))) {
                    problems.add("registry: peer " + ordinal + " does not read its peers (" + peering + " is not true)");
                }
            }
            for (Workload workload : workloads) {
                for (Container other : workload.pod().getContainers()) {
                    if (ghostService(other).isEmpty()) {
                        continue;
                    }
                    Set<String> listed = new TreeSet<>(List.of(Objects.toString(environment(workload, other, 0).get("EUREKA_URLS"), "").split(",")));
                    if (!listed.equals(expected)) {
                        problems.add(workload + ": EUREKA_URLS lists " + listed + ", not every registry peer " + expected);
                    }
                }
            }
        }

        /** A service's registry password is the registry's password for that client (ghost.registry.clients.<name>). */
        void checkCredentialsAgree(List<String> problems) {
            Optional<Workload> registry = ghost(REGISTRY);
            if (registry.isEmpty()) {
                return;
            }
            GhostServiceConfig registryConfig = SERVICES.computeIfAbsent(REGISTRY, name -> GhostServiceConfig.load(ROOT, name));
            Map<String, String> registryRead = everythingRead(registry.get(), container(registry.get(), REGISTRY), 0);
            for (Workload workload : workloads) {
                for (Container container : workload.pod().getContainers()) {
                    Optional<String> service = ghostService(container).filter(name -> !name.equals(REGISTRY) && GhostServiceConfig.exists(ROOT, name));
                    if (service.isEmpty()) {
                        continue;
                    }
                    GhostServiceConfig config = SERVICES.computeIfAbsent(service.get(), name -> GhostServiceConfig.load(ROOT, name));
                    Map<String, String> read = everythingRead(workload, container, 0);
                    String user = config.resolve("ghost.discovery.user", Map.of("spring.application.name", service.get()));
                    String password = config.resolve("ghost.discovery.password", read);
                    String expected = registryConfig.resolve("ghost.registry.clients." + user, registryRead);
                    if (expected == null || expected.isEmpty() || !expected.equals(password)) {
                        problems.add(workload + ": its registry password (ghost.discovery.password) is not the registry's for " + user
                                + " (ghost.registry.clients." + user + ")");
                    }
                }
            }
        }

        /** Redis: each GHOST service reaches this build's Redis (its Service, its ACL user and password) or a configured Cluster. */
        void checkRedis(List<String> problems) {
            Optional<Workload> redis = workloads.stream().filter(workload -> workload.pod().getContainers().stream()
                    .anyMatch(container -> container.getImage().matches("(.*/)?redis(:.*)?"))).findFirst();
            String password = null;
            String aclUser = null;
            Optional<Service> redisService = Optional.empty();
            if (redis.isPresent()) {
                Container server = redis.get().pod().getContainers().stream().filter(c -> c.getImage().matches("(.*/)?redis(:.*)?")).findFirst().orElseThrow();
                String script = String.join(" ", server.getCommand()) + " " + String.join(" ", server.getArgs());
                if (!script.contains("--appendonly yes")) {
                    problems.add("redis: not started with --appendonly yes (AOF)");
                }
                if (!script.contains("user default off")) {
                    problems.add("redis: its default user is not off");
                }
                Matcher user = Pattern.compile("user (\\w+) on >").matcher(script);
                aclUser = user.find() ? user.group(1) : null;
                Matcher secretFile = Pattern.compile("\\$\\(cat ([^)]+)\\)").matcher(script);
                if (aclUser == null || !secretFile.find()) {
                    problems.add("redis: no ACL user whose password comes from a Secret file");
                } else {
                    password = fileValue(redis.get(), server, secretFile.group(1).trim());
                    if (password == null) {
                        problems.add("redis: " + secretFile.group(1) + " is no key of a Secret mounted in it");
                    }
                }
                if (server.getVolumeMounts().stream().noneMatch(mount -> mount.getMountPath().equals("/data") && redis.get().claimTemplate(mount.getName()).isPresent())) {
                    problems.add("redis: /data is not on a volume claim");
                }
                redisService = services.stream().filter(service -> selects(service.getSpec().getSelector(), redis.get().labels())).findFirst();
            }
            for (Workload workload : workloads) {
                for (Container container : workload.pod().getContainers()) {
                    Optional<String> service = ghostService(container).filter(name -> GhostServiceConfig.exists(ROOT, name));
                    if (service.isEmpty()) {
                        continue;
                    }
                    GhostServiceConfig config = SERVICES.computeIfAbsent(service.get(), name -> GhostServiceConfig.load(ROOT, name));
                    if ("false".equals(config.properties.get("management.health.redis.enabled"))) {
                        continue;
                    }
                    Map<String, String> read = everythingRead(workload, container, 0);
                    String url = config.resolve("spring.data.redis.url", read);
                    boolean cluster = read.containsKey("SPRING_DATA_REDIS_CLUSTER_NODES") || read.containsKey("SPRING_DATA_REDIS_SENTINEL_NODES");
                    URI uri = URI.create(url);
                    if (!cluster) {
                        Optional<Service> target = redisService;
                        boolean reaches = target.isPresent() && name(target.get()).equals(uri.getHost())
                                && target.get().getSpec().getPorts().stream().anyMatch(port -> port.getPort() == uri.getPort());
                        if (!reaches) {
                            problems.add(workload + ": Redis URL host " + uri.getHost() + ":" + uri.getPort() + " is no Redis Service of this build,"
                                    + " and no Cluster or Sentinel nodes are set");
                        }
                        String[] userInfo = Objects.toString(uri.getUserInfo(), ":").split(":", 2);
                        if (password != null && (!userInfo[0].equals(aclUser) || !password.equals(userInfo.length > 1 ? userInfo[1] : ""))) {
                            problems.add(workload + ": Redis URL's user and password are not Redis's ACL user " + aclUser + " and its password");
                        }
                    }
                }
            }
        }

        /** The value of a file of a Secret volume mounted in a container. */
        String fileValue(Workload workload, Container container, String file) {
            for (VolumeMount mount : container.getVolumeMounts()) {
                String dir = mount.getMountPath().replaceAll("/+$", "") + "/";
                Volume volume = volume(workload, mount.getName());
                if (file.startsWith(dir) && volume != null && volume.getSecret() != null && secrets.containsKey(volume.getSecret().getSecretName())) {
                    return data(secrets.get(volume.getSecret().getSecretName())).get(file.substring(dir.length()));
                }
            }
            return null;
        }

        /**
         * The runner: its sandbox's needs (runner-service/README.md): user and mount namespaces and an overlay mount
         * (seccomp profile allowing them, no AppArmor profile), a fresh /proc (unmasked: its own user namespace, or root
         * with CAP_SYS_ADMIN for an entrypoint that unmasks it); workspaces and state on one volume claim of its own.
         */
        void checkRunner(List<String> problems) {
            Optional<Workload> found = ghost(RUNNER);
            if (found.isEmpty()) {
                problems.add("runner: no " + RUNNER + " workload");
                return;
            }
            Workload runner = found.get();
            Container container = container(runner, RUNNER);
            PodSpec pod = runner.pod();
            PodSecurityContext podContext = Optional.ofNullable(pod.getSecurityContext()).orElse(new PodSecurityContext());
            SecurityContext context = Optional.ofNullable(container.getSecurityContext()).orElse(new SecurityContext());
            String where = "runner " + runner;

            var seccomp = Optional.ofNullable(context.getSeccompProfile()).orElse(podContext.getSeccompProfile());
            if (seccomp == null || !List.of("Localhost", "Unconfined").contains(seccomp.getType())) {
                problems.add(where + ": seccomp profile " + (seccomp == null ? "unset (RuntimeDefault)" : seccomp.getType())
                        + " refuses the namespaces and mounts of the sandbox: Localhost (deploy/seccomp-runner.json) or Unconfined");
            } else if (seccomp.getType().equals("Localhost")) {
                String profile = Path.of(Objects.toString(seccomp.getLocalhostProfile(), "")).getFileName().toString();
                if (!Files.isRegularFile(ROOT.resolve("deploy").resolve(profile))) {
                    problems.add(where + ": Localhost seccomp profile " + seccomp.getLocalhostProfile() + " is not deploy/" + profile);
                }
            }
            var appArmor = Optional.ofNullable(context.getAppArmorProfile()).orElse(podContext.getAppArmorProfile());
            if (appArmor == null || !"Unconfined".equals(appArmor.getType())) {
                problems.add(where + ": AppArmor is not Unconfined: the runtime's default profile denies the sandbox's mounts");
            }
            boolean unmasked = "Unmasked".equals(context.getProcMount());
            boolean entrypointUnmasks = Files.isRegularFile(ROOT.resolve(RUNNER).resolve("docker-entrypoint.sh"))
                    && context.getCapabilities() != null && context.getCapabilities().getAdd().contains("SYS_ADMIN")
                    && Long.valueOf(0).equals(Optional.ofNullable(context.getRunAsUser()).orElse(podContext.getRunAsUser()));
            if (unmasked && !Boolean.FALSE.equals(pod.getHostUsers())) {
                problems.add(where + ": procMount Unmasked needs the pod in its own user namespace (hostUsers: false)");
            }
            if (!unmasked && !entrypointUnmasks) {
                problems.add(where + ": /proc stays masked (no procMount: Unmasked, nor root with SYS_ADMIN for an entrypoint that unmasks it):"
                        + " bubblewrap cannot mount the sandbox's /proc");
            }
            if (unmasked) {
                boolean nonRoot = Boolean.TRUE.equals(Optional.ofNullable(context.getRunAsNonRoot()).orElse(podContext.getRunAsNonRoot()));
                if (!nonRoot || !Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())
                        || context.getCapabilities() == null || !context.getCapabilities().getDrop().contains("ALL")) {
                    problems.add(where + ": with an unmasked /proc it needs no privilege: runAsNonRoot, allowPrivilegeEscalation false, drop ALL");
                }
            }

            // workspaces and state dir: on one volume claim of the runner's own (overlayfs cannot use the container's root as upper layer)
            Map<String, String> env = environment(runner, container, 0);
            Set<String> claims = new TreeSet<>();
            for (EnvVar variable : container.getEnv()) {
                String name = variable.getName();
                String property = GhostServiceConfig.binds(name, "ghost.runner.workspaces", true) ? "workspace " + name
                        : GhostServiceConfig.binds(name, "ghost.runner.state-dir", false) ? "state dir" : null;
                if (property == null) {
                    continue;
                }
                String path = env.get(name);
                VolumeMount mount = container.getVolumeMounts().stream()
                        .filter(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath().replaceAll("/+$", "") + "/"))
                        .max((a, b) -> a.getMountPath().length() - b.getMountPath().length()).orElse(null);
                if (mount == null || runner.claimTemplate(mount.getName()).isEmpty()) {
                    problems.add(where + ": " + property + " " + path + " is not on a volume claim of the runner's own");
                } else {
                    claims.add(mount.getName() + (mount.getSubPath() == null ? "" : "/" + mount.getSubPath()));
                }
            }
            if (env.keySet().stream().noneMatch(name -> GhostServiceConfig.binds(name, "ghost.runner.workspaces", true))) {
                problems.add(where + ": no workspace (GHOST_RUNNER_WORKSPACES_<NAME>): every patch would be refused");
            }
            if (claims.size() > 1) {
                problems.add(where + ": workspaces and state dir on different mounts " + claims + ": every commit copies instead of renaming");
            }
        }
    }
}
