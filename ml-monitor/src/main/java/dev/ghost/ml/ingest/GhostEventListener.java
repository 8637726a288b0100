package dev.ghost.ml.ingest;

import java.util.List;

import dev.ghost.common.event.GhostEvent;

/**
 * What ml-monitor's event ingestion ({@code POST /events}) calls with each batch of accepted,
 * de-duplicated events. Returning normally means the events are safely recorded; an exception
 * means they are not (the ingestion should answer 503 so the relay delivers them again).
 */
public interface GhostEventListener {

    void onEvents(List<GhostEvent> events);
}
