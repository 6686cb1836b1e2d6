/**
 * The first Alert Production tasks, on SimCam data: {@link org.jbutler.ap.tasks.IsrTask}
 * (instrument signature removal), {@link org.jbutler.ap.tasks.CharacterizeImageTask} (background,
 * detection, measurement, PSF width) and {@link org.jbutler.ap.tasks.ConsolidateVisitSummaryTask}
 * (a per-visit gather); {@link org.jbutler.ap.tasks.Isr} holds the pixel steps they share with
 * calibration building.
 */
package org.jbutler.ap.tasks;
