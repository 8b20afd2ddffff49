package dev.synap.core.extract;

import dev.synap.core.entity.EntityType;

/** A named thing as written in a sentence, with a best-guess type. */
public record Mention(String name, EntityType type) {}
