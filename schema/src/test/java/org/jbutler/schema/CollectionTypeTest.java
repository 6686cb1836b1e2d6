package org.jbutler.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jbutler.schema.exceptions.ButlerException;
import org.jbutler.schema.exceptions.CollectionTypeException;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.MissingCollectionException;
import org.junit.jupiter.api.Test;

class CollectionTypeTest {

  @Test
  void codesMatchDafButler() {
    assertThat(CollectionType.RUN.code()).isEqualTo(1);
    assertThat(CollectionType.TAGGED.code()).isEqualTo(2);
    assertThat(CollectionType.CHAINED.code()).isEqualTo(3);
    assertThat(CollectionType.CALIBRATION.code()).isEqualTo(4);
    for (CollectionType t : CollectionType.values()) {
      assertThat(CollectionType.fromCode(t.code())).isSameAs(t);
      assertThat(CollectionType.fromName(t.name().toLowerCase())).isSameAs(t);
    }
  }

  @Test
  void badValuesAreErrors() {
    assertThatThrownBy(() -> CollectionType.fromCode(5)).hasMessageContaining("code 5");
    assertThatThrownBy(() -> CollectionType.fromName("chain"))
        .isInstanceOf(CollectionTypeException.class)
        .hasMessageContaining("'chain'")
        .hasMessageContaining("CHAINED");
    assertThat(new CollectionTypeException("x").category())
        .isEqualTo(ButlerException.Category.USER_ERROR);
    assertThat(new ConflictingDefinitionException("x").category())
        .isEqualTo(ButlerException.Category.CONFLICT);
    assertThat(new MissingCollectionException("x").category())
        .isEqualTo(ButlerException.Category.MISSING);
  }
}
