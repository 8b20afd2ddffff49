/**
 * Relations between entities: who is whose sister, who works where, who went with whom. {@link
 * dev.synap.core.relate.RelationFinder} reads them off a memory's sentence with rules (no model),
 * {@link dev.synap.core.relate.RelationLinker} resolves both ends to canonical entities at
 * ingestion, the store keeps them beside the memory that states them (superseded like memories),
 * and retrieval follows them from the entities a question names.
 */
package dev.synap.core.relate;
