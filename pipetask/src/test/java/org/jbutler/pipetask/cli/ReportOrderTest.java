package org.jbutler.pipetask.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Without a graph, report orders tasks by what their quanta read and wrote, not by name. */
class ReportOrderTest {

  @Test
  void producersComeBeforeTheirConsumersWhateverTheirNames() {
    Map<String, Integer> byName = new LinkedHashMap<>();
    byName.put("assemble", 1);
    byName.put("isr", 2);
    byName.put("zcalibrate", 3);
    Map<String, Set<String>> read =
        Map.of("assemble", Set.of("calexp-1"), "zcalibrate", Set.of("postISR-1"));
    Map<String, Set<String>> wrote =
        Map.of("isr", Set.of("postISR-1"), "zcalibrate", Set.of("calexp-1"));
    assertThat(ReportCommand.inDataflowOrder(byName, read, wrote).keySet())
        .containsExactly("isr", "zcalibrate", "assemble");
  }

  @Test
  void unrelatedTasksKeepTheirOrder() {
    Map<String, Integer> byName = new LinkedHashMap<>();
    byName.put("a", 1);
    byName.put("b", 2);
    assertThat(ReportCommand.inDataflowOrder(byName, Map.of(), Map.of()).keySet())
        .containsExactly("a", "b");
  }
}
