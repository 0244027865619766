package dev.storefront.catalog;

import java.util.Comparator;
import java.util.UUID;

/** How PostgreSQL orders uuids: as unsigned bytes, unlike {@link UUID#compareTo}. */
final class TestIds {

  static final Comparator<UUID> POSTGRES_ORDER = Comparator.comparing((UUID u) -> u.toString());

  private TestIds() {}
}
