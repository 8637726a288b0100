package dev.ghost.runner.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;

/**
 * Lets a workspace be given by its directory alone ({@code ghost.runner.workspaces.default=/srv/ws},
 * env {@code GHOST_RUNNER_WORKSPACES_DEFAULT}), with the defaults for everything else; the
 * {@code .path}/{@code .network}/{@code .limits} form says more.
 */
@ConfigurationPropertiesBinding
public class WorkspacePathConverter implements Converter<String, RunnerProperties.Workspace> {

    @Override
    public RunnerProperties.Workspace convert(String directory) {
        return new RunnerProperties.Workspace(Path.of(directory), false, null);
    }
}
