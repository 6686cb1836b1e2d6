package org.jbutler.butler.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.cli.OutputFormat;
import org.jbutler.cli.TextTable;
import org.jbutler.schema.dimensions.ColumnSpec;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionUniverse;

/** Prints a dimension universe as a table or as JSON. */
public final class UniversePrinter {

  private UniversePrinter() {}

  /**
   * Prints the universe's elements (skypix levels summarised in one line per system).
   *
   * @param universe what to print
   * @param format table or JSON
   * @param out where to print
   */
  public static void print(DimensionUniverse universe, OutputFormat format, PrintWriter out) {
    List<DimensionElement> elements =
        universe.elements().stream().filter(e -> !e.isSkyPix()).toList();
    if (format == OutputFormat.JSON) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("namespace", universe.namespace());
      doc.put("version", universe.version());
      doc.put("commonSkyPix", universe.commonSkyPix());
      doc.put("skyPixSystems", universe.skyPixSystems());
      List<Map<String, Object>> list = new ArrayList<>();
      for (DimensionElement e : elements) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("keys", e.keys().stream().map(UniversePrinter::column).toList());
        m.put("required", e.required());
        m.put("implied", e.implied());
        m.put("metadata", e.metadata().stream().map(UniversePrinter::column).toList());
        m.put("governor", e.isGovernor());
        m.put("alwaysJoin", e.alwaysJoin());
        m.put("populatedBy", e.populatedBy().orElse(null));
        m.put("spatialFamily", e.spatialFamily().orElse(null));
        m.put("temporalFamily", e.temporalFamily().orElse(null));
        list.add(m);
      }
      doc.put("elements", list);
      try {
        out.println(
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      out.flush();
      return;
    }
    out.printf(
        "Dimension universe %s version %d: %d elements, common skypix %s%n%n",
        universe.namespace(),
        universe.version(),
        universe.elements().size(),
        universe.commonSkyPix());
    TextTable t =
        new TextTable(List.of("element", "keys", "required", "implied", "flags", "metadata"));
    for (DimensionElement e : elements) {
      List<String> flags = new ArrayList<>();
      if (e.isGovernor()) {
        flags.add("governor");
      }
      if (e.alwaysJoin()) {
        flags.add("always_join");
      }
      e.populatedBy().ifPresent(p -> flags.add("populated_by=" + p));
      e.impliedUnionTarget().ifPresent(p -> flags.add("union_of=" + p));
      e.temporalFamily().ifPresent(f -> flags.add("temporal"));
      e.spatialFamily().ifPresent(f -> flags.add("spatial"));
      t.add(
          List.of(
              e.name(),
              String.join(",", e.keys().stream().map(ColumnSpec::name).toList()),
              String.join(",", e.required()),
              String.join(",", e.implied()),
              String.join(",", flags),
              e.metadata().size()));
    }
    t.print(out);
    universe
        .skyPixSystems()
        .forEach(
            (s, max) -> out.printf("skypix %s: levels up to %d (%s1..%s%d)%n", s, max, s, s, max));
    out.flush();
  }

  private static Map<String, Object> column(ColumnSpec c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.name());
    m.put("type", c.type().configName());
    if (c.length() > 0) {
      m.put("length", c.length());
    }
    if (c.nbytes() > 0) {
      m.put("nbytes", c.nbytes());
    }
    m.put("nullable", c.nullable());
    return m;
  }
}
