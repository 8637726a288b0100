package dev.ghost.runner.sandbox;

/** The runner was asked for a sandbox this machine cannot give; it refuses to run patches unprotected. */
public class SandboxUnavailableException extends RuntimeException {

    public SandboxUnavailableException(String problem) {
        super("The runner cannot sandbox patch commands: " + problem);
    }

    public String action() {
        return """
                Patches are untrusted code; the runner only runs them in a bubblewrap sandbox.
                - Install bubblewrap: apt-get install bubblewrap (Debian/Ubuntu), dnf install bubblewrap (Fedora).
                - User namespaces must be allowed: sysctl kernel.unprivileged_userns_clone=1 (older Debian),
                  kernel.apparmor_restrict_unprivileged_userns=0 (Ubuntu 24.04+), user.max_user_namespaces > 0.
                - In a container: run it with the seccomp profile deploy/seccomp-runner.json and
                  systempaths=unconfined (see docker-compose.yml), and the state directory on a volume.
                Or, knowingly, run patches unsandboxed: ghost.runner.sandbox=none (GHOST_RUNNER_SANDBOX=none).""";
    }
}
