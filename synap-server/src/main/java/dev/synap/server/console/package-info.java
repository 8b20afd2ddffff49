/**
 * The operator console at {@code /console}: server-rendered HTML pages over the same engine the
 * REST API uses, signed in with the admin credential (every action) or an instance key (a
 * read-only view of that instance). No script runs in the pages; charts are inline SVG.
 */
package dev.synap.server.console;
