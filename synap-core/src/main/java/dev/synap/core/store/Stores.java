package dev.synap.core.store;

import java.util.ServiceLoader;

/** The one place that turns {@link StoreSettings} into a store: the server, the CLI and the benches open stores here. */
public final class Stores {
  private Stores() {}

  public static SystemOfRecord open(StoreSettings settings) {
    return provider(settings).open(settings);
  }

  public static StoreProvider.Migration migrate(StoreSettings settings) {
    return provider(settings).migrate(settings);
  }

  public static long countMessages(StoreSettings settings) {
    return provider(settings).countMessages(settings);
  }

  static StoreProvider provider(StoreSettings settings) {
    for (StoreProvider p : ServiceLoader.load(StoreProvider.class, Stores.class.getClassLoader())) {
      if (p.accepts(settings)) return p;
    }
    if (settings.isEmbedded()) throw new IllegalStateException("the embedded store provider is missing from the class path");
    String scheme = settings.url().contains("//") ? settings.url().substring(0, settings.url().indexOf("//")) : settings.url();
    throw new IllegalArgumentException("store.url: no store on the class path serves '" + scheme + "' URLs (jdbc:postgresql:// needs "
        + "synap-store-postgres; leave store.url unset for the embedded SQLite store)");
  }
}
