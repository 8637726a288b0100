package dev.ghost.common.leader;

import com.netflix.appinfo.ApplicationInfoManager;
import com.netflix.appinfo.InstanceInfo.InstanceStatus;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * A standby is in the registry as OUT_OF_SERVICE and the leader as UP, so every load-balanced
 * caller (the relay's event delivery, the dashboard) reaches the leader, whose state answers. The
 * health-aggregator still probes a standby: it watches every registered instance whatever its
 * status. Set once the application is ready, because registering at start sets the status to UP, and
 * no longer once it is closing, when the registration is being withdrawn.
 */
class StandbyOutOfService implements Leadership.Listener, ApplicationListener<ApplicationEvent> {

    private final ApplicationInfoManager registration;
    private final Leadership leadership;
    private volatile boolean ready;

    StandbyOutOfService(ApplicationInfoManager registration, Leadership leadership) {
        this.registration = registration;
        this.leadership = leadership;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationReadyEvent) {
            ready = true;
            registration.setInstanceStatus(leadership.isLeader() ? InstanceStatus.UP : InstanceStatus.OUT_OF_SERVICE);
        } else if (event instanceof ContextClosedEvent) {
            ready = false;
        }
    }

    @Override
    public void granted() {
        if (ready) {
            registration.setInstanceStatus(InstanceStatus.UP);
        }
    }

    @Override
    public void revoked() {
        if (ready) {
            registration.setInstanceStatus(InstanceStatus.OUT_OF_SERVICE);
        }
    }
}
